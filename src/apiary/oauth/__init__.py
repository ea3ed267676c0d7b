"""OAuth 2 for Apiary's one token format: token endpoint, revocation, metadata and published keys (issue 13)."""

from apiary.core.errors import ErrorDialect
from apiary.oauth.routes import bp
from apiary.oauth.schemas import render_error

DIALECT = ErrorDialect(render=render_error, url_prefixes=("/oauth", "/.well-known"))

__all__ = ["DIALECT", "bp"]
