"""Forum API (spec 002): users publish articles that only their author may change."""

from apiary.core.errors import ErrorDialect
from apiary.forum import services
from apiary.forum.routes import bp
from apiary.forum.schemas import render_error

DIALECT = ErrorDialect(
    render=render_error,
    url_prefixes=("/register", "/login", "/verify-token", "/articles", "/users"),
    statuses={
        services.UsernameTaken: 409,
        services.BadCredentials: 401,
        services.ArticleNotFound: 404,
        services.UserNotFound: 404,
        services.NotYourArticle: 403,
    },
)

__all__ = ["DIALECT", "bp"]
