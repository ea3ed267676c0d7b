"""Helpers every test folder shares: the test configuration, apps, tokens and row counts.

Tests import from here, never from conftest.py (which holds the fixtures).
"""

import atexit
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import redis
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from apiary import create_app
from apiary.core.extensions import db
from apiary.core.identity import TokenType, User
from apiary.core.tokens import codec, record_token, token_claims

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
BACKENDS = ["sqlite", "postgresql"] if TEST_DATABASE_URL else ["sqlite"]
PASSWORD = "s3cret-Pass"

MakeUser = Callable[..., User]
AuthHeaders = Callable[..., dict[str, str]]


def scratch_directory(prefix: str) -> Path:
    """A new directory outside the working tree (the suite never writes there), removed when the process ends."""
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return directory


INSTANCE_DIR = scratch_directory("apiary-test-instance-")

TEST_CONFIG: dict[str, Any] = {
    "apiary_env": "test",
    "instance_dir": INSTANCE_DIR,
    "secret_key": "test-secret-key-that-is-long-enough-0123456789",
    # argon2's smallest parameters: hashing is not what these tests measure.
    "argon2_memory_kib": 8,
    "argon2_time_cost": 1,
    "ratelimit_enabled": False,
}


def bearer(token: str) -> dict[str, str]:
    """The Authorization header that carries `token`."""
    return {"Authorization": f"Bearer {token}"}


def make_app(**overrides: Any) -> Flask:
    """An app built from the test configuration and `overrides`."""
    return create_app({**TEST_CONFIG, **overrides})


@contextmanager
def sqlite_app(**overrides: Any) -> Iterator[Flask]:
    """An app on a fresh in-memory SQLite database, with its app context pushed."""
    app = make_app(database_url="sqlite://", **overrides)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """`app` served over HTTP on a spare port of 127.0.0.1 from a thread; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


class temporary_postgres_database:
    """A new, empty database on the TEST_DATABASE_URL server, dropped on exit."""

    def __enter__(self) -> str:
        assert TEST_DATABASE_URL
        self.name = f"apiary_test_{uuid.uuid4().hex[:12]}"
        self.server = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
        with self.server.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
        return sa.make_url(TEST_DATABASE_URL).set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc_info: object) -> None:
        with self.server.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{self.name}" WITH (FORCE)'))
        self.server.dispose()


def delete_redis_keys(url: str, prefix: str) -> None:
    """Remove every key a test's limiters kept under `prefix`; a server the test stopped has none to remove."""
    with redis.Redis.from_url(url) as server, suppress(redis.ConnectionError):
        if leftovers := list(server.scan_iter(f"*{prefix}*")):
            server.delete(*leftovers)


def row_count(table: type[Any] | sa.Table) -> int:
    """How many rows a table, or the table of a model, holds."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(table)) or 0


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """The SQL statements the engine runs inside the block, savepoints left out.

    The savepoints are the PostgreSQL test harness's own (each test runs in a rolled-back transaction).
    """
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "SAVEPOINT" not in statement.upper():
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def follow_cursors(client: FlaskClient, path: str) -> list[dict[str, Any]]:
    """Every answer of a cursor-paged list, from `?after=` (its first rows) to the answer with no next cursor."""
    answers: list[dict[str, Any]] = []
    cursor: str | None = ""
    while cursor is not None:
        response = client.get(f"{path}?after={cursor}")
        assert response.status_code == 200
        answers.append(response.get_json())
        cursor = answers[-1]["next_cursor"]
    return answers


def claims_of(token: str) -> dict[str, Any]:
    """The token's claims, read without checking the signature."""
    return jwt.decode(token, options={"verify_signature": False})


def own_token(
    user: User,
    token_type: TokenType = TokenType.ACCESS,
    *,
    lifetime: timedelta = timedelta(minutes=15),
    stored: bool = True,
) -> str:
    """A token with the claim set Apiary issues, signed with the current app's key; recorded only if `stored`."""
    now = datetime.now(UTC)
    issued = min(now, now + lifetime) - timedelta(seconds=1)  # an already-expired token was issued earlier
    claims = token_claims(user, token_type, issued_at=issued, expires_at=now + lifetime)
    if stored:
        record_token(user, claims)
        db.session.commit()
    return codec().encode(claims)
