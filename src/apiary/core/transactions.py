"""The end of every use case: one commit, or nothing at all."""

from typing import Any, TypeVar

import sqlalchemy as sa

from apiary.core.errors import ApiError
from apiary.core.extensions import db

Query = TypeVar("Query", bound=sa.Select[Any])


def commit(*, on_conflict: ApiError | None = None) -> None:
    """Commit the request's transaction; a uniqueness race lost to another request becomes `on_conflict`."""
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        if on_conflict is None:
            raise
        raise on_conflict from None


def for_update(query: Query) -> Query:
    """`query` with its rows locked until the commit and read afresh, so that a read-modify-write sees the
    last committed write and the next one waits for it (on PostgreSQL; SQLite has no row locks)."""
    return query.with_for_update().execution_options(populate_existing=True)
