"""One pagination helper; each API shapes the page into its own envelope."""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
import sqlalchemy.orm as so

from apiary.core.errors import ValidationFailed
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


def page_number(raw: Any) -> int:
    """A page number from a query string; anything that is not an integer becomes the first page."""
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 1


def paginate(
    stmt: sa.Select[Any],
    *,
    page: int,
    per_page: int,
    total: int | None = None,
    key: so.InstrumentedAttribute[Any] | None = None,
) -> Page[Any]:
    """Page `page` (from 1) of `stmt`'s rows. Pages before the first or far past the end are empty.

    Pass `total` when the caller already counted the rows, to save the COUNT query; pass the rows' unique
    `key` to make deep pages cheap (see _rows).
    """
    counted = _count(stmt) if total is None else total
    if not 1 <= page <= MAX_PAGE:
        return Page(items=[], page=page, per_page=per_page, total=counted)
    items = _rows(stmt, offset=(page - 1) * per_page, limit=per_page, key=key)
    return Page(items=items, page=page, per_page=per_page, total=counted)


def window(
    stmt: sa.Select[Any], *, page: int, per_page: int, key: so.InstrumentedAttribute[Any] | None = None
) -> tuple[list[Any], bool]:
    """Page `page`'s rows (from 1; empty out of range) and whether a later page has any, in one statement:
    one row more than a page is read instead of counting them all."""
    if not 1 <= page <= MAX_PAGE:
        return [], False
    rows = _rows(stmt, offset=(page - 1) * per_page, limit=per_page + 1, key=key)
    return rows[:per_page], len(rows) > per_page


def _rows(stmt: sa.Select[Any], *, offset: int, limit: int, key: so.InstrumentedAttribute[Any] | None) -> list[Any]:
    """`limit` rows of `stmt` from `offset`. With `key`, the skipping reads only the key (from the index
    that serves the order), and only the page's rows are read whole (a deferred join)."""
    if key is None or offset == 0:
        return list(db.session.scalars(stmt.offset(offset).limit(limit)))
    keys = stmt.with_only_columns(key).offset(offset).limit(limit)
    return list(db.session.scalars(stmt.where(key.in_(keys))))


def _count(stmt: sa.Select[Any]) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0


# --- cursors: `?after=<cursor>` pages by the ordering's values, at the same cost at any depth ----------

# The ordering values a cursor may carry; a listing's key has a few columns, never more.
MAX_CURSOR_KEYS = 4
NOT_A_CURSOR = "after is not a cursor of this list"


@dataclass(frozen=True)
class CursorPage(Generic[Item]):
    """The rows after a cursor, and the cursor after the last of them (None when no row follows)."""

    items: list[Item]
    next_cursor: str | None


def encode_cursor(values: Sequence[Any]) -> str:
    """The opaque cursor of a row whose ordering columns hold `values` (datetimes as ISO 8601 text)."""
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def cursor_values(raw: str) -> tuple[int | str, ...]:
    """The values of a cursor encode_cursor made (none for the empty cursor: from the first row)."""
    if raw == "":
        return ()
    try:
        values = json.loads(base64.urlsafe_b64decode((raw + "=" * (-len(raw) % 4)).encode("ascii")))
    except (UnicodeError, binascii.Error, ValueError):
        raise ValidationFailed([("after", NOT_A_CURSOR)]) from None
    if (
        not isinstance(values, list)
        or not 1 <= len(values) <= MAX_CURSOR_KEYS
        or not all(isinstance(v, int | str) and not isinstance(v, bool) for v in values)
    ):
        raise ValidationFailed([("after", NOT_A_CURSOR)])
    return tuple(values)


def paginate_after(
    stmt: sa.Select[Any],
    *,
    keys: Sequence[so.InstrumentedAttribute[Any]],
    descending: bool,
    after: str,
    per_page: int,
) -> CursorPage[Any]:
    """The `per_page` rows of `stmt` after the cursor's row in the order of `keys` (a unique key, all
    ascending or all descending, which an index serves): a seek, so a deep page costs what the first does.
    A cursor that is not one of this list's is ValidationFailed."""
    stmt = stmt.order_by(*(key.desc() if descending else key.asc() for key in keys))
    if values := cursor_values(after):
        bound = sa.tuple_(*(sa.literal(value, key.type) for key, value in zip(keys, _typed(values, keys), strict=True)))
        position = sa.tuple_(*keys)
        stmt = stmt.where(position < bound if descending else position > bound)
    rows = list(db.session.scalars(stmt.limit(per_page + 1)))
    items = rows[:per_page]
    last = items[-1] if len(rows) > per_page else None
    next_cursor = None if last is None else encode_cursor([getattr(last, key.key) for key in keys])
    return CursorPage(items=items, next_cursor=next_cursor)


def _typed(values: tuple[int | str, ...], keys: Sequence[so.InstrumentedAttribute[Any]]) -> list[Any]:
    """The cursor's values as the key columns' types; a cursor of another list is invalid input."""
    if len(values) != len(keys):
        raise ValidationFailed([("after", NOT_A_CURSOR)])
    typed: list[Any] = []
    for key, value in zip(keys, values, strict=True):
        kind = key.type.python_type
        if kind is datetime and isinstance(value, str):
            try:
                typed.append(datetime.fromisoformat(value))
            except ValueError:
                raise ValidationFailed([("after", NOT_A_CURSOR)]) from None
        elif kind is int and isinstance(value, int) and abs(value) <= 2**63 - 1:
            typed.append(value)
        elif kind is str and isinstance(value, str):
            typed.append(value)
        else:
            raise ValidationFailed([("after", NOT_A_CURSOR)])
    return typed
