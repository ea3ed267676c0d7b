"""Bucketlist API (spec 003): email sign-up and login; each user's bucketlists and their items."""

from apiary.bucketlist.routes import bp
from apiary.bucketlist.schemas import render_error
from apiary.core.errors import ErrorDialect

DIALECT = ErrorDialect(render=render_error, url_prefixes=("/bucketlists",))

__all__ = ["DIALECT", "bp"]
