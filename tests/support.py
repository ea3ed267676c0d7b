"""Helpers every test folder shares: the test configuration, apps, tokens, row counts and fuzzing strategies.

Tests import from here, never from conftest.py (which holds the fixtures).
"""

import atexit
import base64
import json
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
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from jwt.algorithms import get_default_algorithms
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


# Forged tokens, and the Hypothesis strategies the fuzz tests share.

# The fuzz tests' settings: they run in `make test`, so a few dozen examples each; the fixtures of a test are
# made once for all its examples.
fuzz = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def jwt_segment(value: object) -> str:
    """`value` as a JWT segment: the unpadded base64url of its JSON, or of the bytes themselves."""
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


Signer = Callable[[bytes], bytes]


def signer(algorithm: str, key: Any) -> Signer:
    """What signs a JWT's signing input with `key` as `algorithm` does, whatever the header says."""
    implementation = get_default_algorithms()[algorithm]
    prepared = implementation.prepare_key(key)
    return lambda signing_input: implementation.sign(signing_input, prepared)


def forged_jwt(header: object, payload: object, sign: Signer | None = None) -> str:
    """A JWT of any header and payload (JSON values or raw bytes), signed by `sign`, or with a junk signature."""
    signing_input = f"{jwt_segment(header)}.{jwt_segment(payload)}"
    signature = sign(signing_input.encode()) if sign else b"\x00\x00\x00"
    return f"{signing_input}.{jwt_segment(signature)}"


any_text = st.text(st.characters(exclude_categories=()))  # lone surrogates included
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(any_text, children, max_size=3),
    max_leaves=20,
)


def plausible_or_hostile(*plausible: object) -> st.SearchStrategy[Any]:
    """One of the `plausible` values of a member, or a JSON value of any type."""
    return st.sampled_from(plausible) | json_values


def jwt_headers(algorithm: str, kid: str, *other_kids: str) -> st.SearchStrategy[Any]:
    """JWT headers: a valid one ({alg, kid}, or one of `other_kids` for the key id); a valid one with the members
    decoders act on each kept, dropped, or set to a plausible value or one of a hostile type; or a header that
    is no JSON object at all."""
    valid = st.fixed_dictionaries({"alg": st.just(algorithm), "kid": st.sampled_from([kid, *other_kids])})
    members = st.fixed_dictionaries(
        {},
        optional={
            "alg": plausible_or_hostile("HS256", "RS256", "ES256", "none", "hs256", ""),
            "kid": plausible_or_hostile(kid, *other_kids, "", "unknown-key", "../../etc/passwd"),
            "typ": plausible_or_hostile("JWT", "at+jwt", "JOSE"),
            "crit": plausible_or_hostile([], ["b64"], ["exp"], ["kid", "kid"]),
            "b64": plausible_or_hostile(False, True),
            # Were a decoder to follow these, the fuzz would see a refused connection, not silence.
            "jku": plausible_or_hostile("http://127.0.0.1:1/jwks.json", "file:///etc/passwd"),
            "x5u": plausible_or_hostile("http://127.0.0.1:1/cert.pem"),
        },
    )
    changed = st.builds(
        lambda header, changes, gone: {name: value for name, value in (header | changes).items() if name not in gone},
        valid,
        members,
        st.sets(st.sampled_from(["alg", "kid"])),
    )
    return valid | changed | json_values | st.binary(max_size=8)


def jwt_payloads(claims: dict[str, Any]) -> st.SearchStrategy[Any]:
    """`claims` as they are, with one claim of any value, or any value at all."""
    tampered = st.sampled_from(sorted(claims)).flatmap(
        lambda name: json_values.map(lambda value: claims | {name: value})
    )
    return st.just(claims) | tampered | (json_values | st.binary(max_size=8))
