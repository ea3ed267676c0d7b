"""The declarative base shared by every API's tables."""

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
import sqlalchemy.orm as so

# Stable constraint names, so Alembic's batch migrations on SQLite can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# The largest value an INTEGER column holds on every supported database (PostgreSQL's is 32-bit).
MAX_INTEGER = 2**31 - 1


class Base(so.DeclarativeBase):
    """Base class of every model."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def as_stored(moment: datetime) -> datetime:
    """An aware moment as every DateTime column stores it: in UTC, without a time zone."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def utcnow() -> datetime:
    """The current time, as stored."""
    return as_stored(datetime.now(UTC))


def create_sqlite_file(database_url: str, *, instance_dir: Path) -> None:
    """Create a SQLite database file readable by the owner only, before SQLite does (with the process's
    umask, often readable by every local user); in the instance folder, create that too, likewise.

    An existing file is left as it is, and a file in a folder that does not exist is SQLite's to refuse.
    """
    url = sa.make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:" or "uri" in url.query:
        return  # in memory, or a URI, which names no plain path
    path = Path(url.database).resolve()
    if path.parent == instance_dir.resolve():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.parent.is_dir():
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


@sa.event.listens_for(sa.Engine, "connect")
def _configure_sqlite(dbapi_connection: object, _record: object) -> None:
    """SQLite ignores foreign keys unless asked, per connection; PostgreSQL always enforces them.

    A file database also keeps a write-ahead log: readers no longer wait for a writer, and a commit costs
    one fsync of the log instead of several of a rollback journal, as durable as before (synchronous stays
    FULL). An in-memory database keeps its memory journal.

    SQLite's own lower() changes ASCII letters only, so a case-insensitive search (`icontains`, which
    lowers both sides) missed "Éclair" for "é"; Python's lower() replaces it, for every letter, as
    PostgreSQL's does. No index or CHECK may use lower(): one that another SQLite client (with the built-in)
    wrote would disagree with it."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


# What SQLite hands a function it calls, and takes back.
SQLiteValue = str | bytes | int | float | None


def _lower(value: SQLiteValue) -> SQLiteValue:
    """SQL lower() on SQLite: text in lower case, anything else (NULL, a number) as it is."""
    return value.lower() if isinstance(value, str) else value
