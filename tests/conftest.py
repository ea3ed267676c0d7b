"""Fixtures: an app per database backend, a client, users and their tokens.

Every database test runs on in-memory SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set.
On PostgreSQL the schema is built once in a database of the session's own, and each test runs in a
transaction that is rolled back, so nothing outlives a test.
"""

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy.orm as so
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from apiary.core.config import Settings
from apiary.core.extensions import db
from apiary.core.identity import Role, TokenType, User
from apiary.core.tokens import issue_token
from apiary.core.users import create_user
from tests.support import (
    BACKENDS,
    PASSWORD,
    TEST_DATABASE_URL,
    bearer,
    make_app,
    scratch_directory,
    sqlite_app,
    temporary_postgres_database,
)

# Hypothesis keeps no example database, and its caches (constants, Unicode tables) go outside the working tree.
set_hypothesis_home_dir(scratch_directory("apiary-test-hypothesis-"))
settings.register_profile("apiary", database=None)
settings.load_profile("apiary")

REPO_ROOT = Path(__file__).resolve().parents[1]
# What tools keep in the working tree on their own account: the virtualenv (coverage data included), the
# editable install's metadata, caches of pytest, mypy and ruff, and Python's bytecode.
TOOL_OUTPUTS = {".venv/", "src/apiary.egg-info/", ".pytest_cache/", ".mypy_cache/", ".ruff_cache/"}
UNTRACKED_BEFORE = pytest.StashKey[set[str]]()


def _untracked_paths() -> set[str] | None:
    """The working tree's untracked and ignored paths (a directory holding only such files as one entry),
    tool outputs left out; None outside a git checkout."""
    try:
        listing = subprocess.run(
            ["git", "ls-files", "--others", "--directory", "-z"], cwd=REPO_ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    paths = set(listing.decode().split("\0")) - {""}
    return {path for path in paths - TOOL_OUTPUTS if "__pycache__" not in Path(path).parts}


def pytest_sessionstart(session: pytest.Session) -> None:
    """Note the untracked paths before any test runs; under pytest-xdist, in the controller only, which starts
    before its workers and finishes after them."""
    if hasattr(session.config, "workerinput"):
        return
    if (paths := _untracked_paths()) is not None:
        session.stash[UNTRACKED_BEFORE] = paths


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Fail the run if it left a new untracked or ignored path in the working tree (issue 6 item 6). Paths
    that went away are not counted: a teammate's commit makes untracked files tracked while tests run."""
    before = session.stash.get(UNTRACKED_BEFORE, None)
    if before is None:  # a pytest-xdist worker, or no git checkout
        return
    if not (added := (_untracked_paths() or set()) - before):
        return
    terminal = session.config.get_terminal_writer()
    terminal.line()  # past the progress line
    terminal.sep("=", "the test session wrote into the working tree", red=True)
    for path in sorted(added):
        terminal.line(f"new: {path}")
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's configuration."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this test session's own, with the schema built once, dropped at the end."""
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    with temporary_postgres_database() as url:
        app = make_app(database_url=url)  # the factory imports every API, and so registers their tables
        with app.app_context():
            db.create_all()
            db.engine.dispose()
        yield url


@pytest.fixture
def app_settings() -> dict[str, Any]:
    """Settings the `app` fixture adds to the test configuration: none, unless a test folder overrides this."""
    return {}


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, app_settings: dict[str, Any]) -> Iterator[Flask]:
    """The app, on each database backend, with an app context pushed."""
    if request.param == "sqlite":
        with sqlite_app(**app_settings) as app:
            yield app
        return
    app = make_app(database_url=request.getfixturevalue("postgres_url"), **app_settings)
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        session = db.session
        # Services commit; inside this outer transaction their commits only release savepoints. A plain
        # session: Flask-SQLAlchemy's own would route every query to the engine, past this connection. It
        # keeps the app's expire_on_commit (off), so that a test reads rows as often as the app would.
        factory = so.sessionmaker(
            bind=connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=session.session_factory.kw["expire_on_commit"],
        )
        db.session = so.scoped_session(factory, scopefunc=_app_ctx_id)
        try:
            yield app
        finally:
            db.session.remove()
            db.session = session
            transaction.rollback()
            connection.close()
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Create and commit a user: make_user("bob", role=Role.ADMIN, email=..., password=...)."""

    def make(
        username: str | None = "user",
        *,
        role: Role | None = None,
        email: str | None = None,
        password: str = PASSWORD,
    ) -> User:
        user = create_user(username=username, email=email, password=password, role=role)
        db.session.commit()
        return user

    return make


@pytest.fixture
def auth_headers(app: Flask) -> Callable[..., dict[str, str]]:
    """Authorization headers with a fresh access (or refresh) token for `user`."""

    def headers(user: User, token_type: TokenType = TokenType.ACCESS) -> dict[str, str]:
        token = issue_token(user, token_type, app.extensions["apiary.settings"].access_token_lifetime)
        db.session.commit()
        return bearer(token)

    return headers
