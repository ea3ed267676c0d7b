"""Account API (spec 004): the shared identity's register, login, token store and profile."""

from apiary.account.routes import bp
from apiary.account.schemas import render_error

# Unrouted URLs outside every other API's prefixes fall back to this API (C6).
URL_PREFIXES = ("/auth", "/account")

__all__ = ["URL_PREFIXES", "bp", "render_error"]
