"""Bucketlist API (spec 003): email sign-up and login; each user's bucketlists and their items."""

from apiary.bucketlist import services
from apiary.bucketlist.routes import bp
from apiary.bucketlist.schemas import render_error
from apiary.core.errors import ErrorDialect

DIALECT = ErrorDialect(
    render=render_error,
    url_prefixes=("/bucketlists",),
    statuses={
        # Spec 003 answers a second registration of an email with 202 and its message, not an error status.
        services.EmailTaken: 202,
        services.BadCredentials: 401,
        services.BucketlistNotFound: 404,
        services.ItemNotFound: 404,
    },
)

__all__ = ["DIALECT", "bp"]
