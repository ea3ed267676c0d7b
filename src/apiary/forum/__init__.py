"""Forum API (spec 002): users publish articles that only their author may change."""

from apiary.core.errors import ErrorDialect
from apiary.forum.routes import bp
from apiary.forum.schemas import render_error

DIALECT = ErrorDialect(
    render=render_error, url_prefixes=("/register", "/login", "/verify-token", "/articles", "/users")
)

__all__ = ["DIALECT", "bp"]
