"""Review API (spec 001): coders post code snippets, mentors review them."""

from apiary.core.errors import ErrorDialect
from apiary.review import services
from apiary.review.routes import bp
from apiary.review.schemas import render_error

DIALECT = ErrorDialect(
    render=render_error,
    url_prefixes=("/signup", "/userinfo", "/coder", "/coders", "/mentor", "/mentors", "/snippet", "/favicon.ico"),
    statuses={services.UsernameTaken: 409, services.UnknownCoder: 400},
)

__all__ = ["DIALECT", "bp"]
