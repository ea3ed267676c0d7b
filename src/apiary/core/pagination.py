"""One pagination helper; each API shapes the page into its own envelope."""

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from apiary.core.extensions import db

Item = TypeVar("Item")

# Past this, OFFSET would overflow a 64-bit integer on PostgreSQL; such pages are empty anyway.
MAX_PAGE = 2**40


@dataclass(frozen=True)
class Page(Generic[Item]):
    """One page of results and what is needed to describe the rest."""

    items: list[Item]
    page: int
    per_page: int
    total: int

    @property
    def has_next(self) -> bool:
        return self.page >= 1 and self.page * self.per_page < self.total


def page_number(raw: Any, *, default: int = 1) -> int:
    """A page number from a query string; anything that is not an integer becomes `default`."""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default


def paginate(stmt: sa.Select[Any], *, page: int, per_page: int, total: int | None = None) -> Page[Any]:
    """Page `page` (from 1) of `stmt`'s rows. Pages before the first or far past the end are empty.

    Pass `total` when the caller already counted the rows, to save the COUNT query.
    """
    if not 1 <= page <= MAX_PAGE:
        return Page(items=[], page=page, per_page=per_page, total=_count(stmt) if total is None else total)
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=total is None)
    counted = pagination.total if total is None else total
    assert counted is not None  # db.paginate counts when asked to
    return Page(items=list(pagination.items), page=page, per_page=per_page, total=counted)


def _count(stmt: sa.Select[Any]) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0
