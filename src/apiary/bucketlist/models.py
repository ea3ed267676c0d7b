"""Bucketlist tables: each user's bucketlists and the items in them."""

from datetime import datetime
from typing import Protocol

import sqlalchemy as sa
import sqlalchemy.orm as so

from apiary.core.db import Base, utcnow

NAME_LENGTH = 255  # the original's VARCHAR(255)


def _created_moment(context: sa.engine.default.DefaultExecutionContext) -> datetime:
    """A new row was last modified when it was created, to the microsecond."""
    return context.get_current_parameters()["date_created"]


class Bucketlist(Base):
    __tablename__ = "bucketlists"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(NAME_LENGTH))
    date_created: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    date_modified: so.Mapped[datetime] = so.mapped_column(default=_created_moment, onupdate=utcnow)
    # Deleting an account (account API) deletes its bucketlists, as the original's cascade did.
    created_by: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)

    items: so.WriteOnlyMapped["Item"] = so.relationship(
        back_populates="bucketlist", cascade="all, delete-orphan", passive_deletes=True
    )


class BucketlistRow(Protocol):
    """What a bucketlist's answer shows: a Bucketlist, or a plain row of BUCKETLIST_COLUMNS."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def date_created(self) -> datetime: ...
    @property
    def date_modified(self) -> datetime: ...
    @property
    def created_by(self) -> int: ...


BUCKETLIST_COLUMNS = (
    Bucketlist.id,
    Bucketlist.name,
    Bucketlist.date_created,
    Bucketlist.date_modified,
    Bucketlist.created_by,
)


class Item(Base):
    __tablename__ = "items"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(NAME_LENGTH))
    done: so.Mapped[bool] = so.mapped_column(default=False)
    date_created: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    date_modified: so.Mapped[datetime] = so.mapped_column(default=_created_moment, onupdate=utcnow)
    bucketlist_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("bucketlists.id", ondelete="CASCADE"), index=True)

    bucketlist: so.Mapped[Bucketlist] = so.relationship(back_populates="items")
