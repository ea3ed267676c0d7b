"""Account API (spec 004): the shared identity's register, login, token store and profile."""

from apiary.account import services
from apiary.account.routes import bp
from apiary.account.schemas import render_error
from apiary.core.errors import ErrorDialect

# Unrouted URLs outside every other API's prefixes fall back to this API too (C6).
DIALECT = ErrorDialect(
    render=render_error,
    url_prefixes=("/auth", "/account"),
    statuses={services.BadCredentials: 401, services.TokenNotFound: 404, services.AccountGone: 404},
)

__all__ = ["DIALECT", "bp"]
