"""The end of every use case: one commit, or nothing at all."""

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import sqlalchemy as sa

from apiary.core.db import Base
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


def insert_in_batches(
    model: type[Base],
    count: int,
    row: Callable[[int], dict[str, Any]],
    *,
    batch_size: int = 5000,
    new_ids: list[int] | None = None,
) -> Iterator[int]:
    """Add `count` rows of `model`, `row(n)` for n from 0, one bulk INSERT and one commit per batch, yielding
    each batch's size (for a progress bar). Generated volume builds no ORM objects, so it is quick.

    The rows leave their ids to the database: an explicit id does not move PostgreSQL's sequence, whose next
    id would then clash. Rows that others point at are inserted with `new_ids`, a list their ids are
    appended to in row order.
    """
    insert = sa.insert(model)
    if new_ids is not None:
        insert = insert.returning(*sa.inspect(model).primary_key, sort_by_parameter_order=True)
    for offset in range(0, count, batch_size):
        size = min(batch_size, count - offset)
        inserted = db.session.execute(insert, [row(offset + n) for n in range(size)])
        if new_ids is not None:
            new_ids.extend(inserted.scalars())
        commit()
        yield size
