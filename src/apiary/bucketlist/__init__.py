"""Bucketlist API (spec 003): email sign-up and login; each user's bucketlists and their items."""

from apiary.bucketlist import services
from apiary.bucketlist.routes import bp
from apiary.bucketlist.schemas import render_error
from apiary.core.errors import ErrorDialect

# Spec 003 answers a second registration of an email with 202 and its message, not an error status.
DIALECT = ErrorDialect(render=render_error, url_prefixes=("/bucketlists",), statuses={services.EmailTaken: 202})

__all__ = ["DIALECT", "bp"]
