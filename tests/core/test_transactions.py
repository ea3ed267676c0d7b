"""core.transactions.commit: a uniqueness race lost at commit becomes the use case's own error, and nothing
of the transaction is kept (issue 6 item 6).

The race is simulated three ways: two conflicting rows in one session; a use case whose pre-check is
skipped while "the other request" has already committed the row; and a rival row inserted right after
the store's real pre-check has run.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from apiary.account import services as account
from apiary.core.errors import Conflict, ValidationFailed
from apiary.core.extensions import db
from apiary.core.identity import Role, User
from apiary.core.transactions import commit
from apiary.core.users import create_user
from apiary.store.models import Category
from tests.support import PASSWORD, MakeUser, bearer, counted_statements, own_token, row_count


def _usernames() -> list[str | None]:
    return list(db.session.scalars(sa.select(User.username).order_by(User.id)))


def _session_still_works() -> None:
    create_user(username="after", email=None, password=PASSWORD)
    commit()
    assert "after" in _usernames()


def test_two_new_rows_with_one_name_raise_the_given_error_and_keep_nothing(app: Flask) -> None:
    conflict = Conflict("taken")
    create_user(username="twin", email=None, password=PASSWORD)
    create_user(username="twin", email=None, password=PASSWORD)

    with pytest.raises(Conflict) as raised:
        commit(on_conflict=conflict)

    assert raised.value is conflict
    assert raised.value.__suppress_context__  # the IntegrityError is not chained into the answer
    assert row_count(User) == 0
    _session_still_works()


def test_a_row_committed_by_the_other_request_wins_and_the_whole_transaction_goes(make_user: MakeUser) -> None:
    make_user("bob")
    db.session.add(Category(name="written in the same use case"))
    create_user(username="bob", email=None, password=PASSWORD)

    with pytest.raises(Conflict):
        commit(on_conflict=Conflict())

    assert _usernames() == ["bob"]
    assert row_count(Category) == 0
    _session_still_works()


def test_without_on_conflict_the_integrity_error_propagates_after_the_rollback(make_user: MakeUser) -> None:
    make_user("bob")
    create_user(username="bob", email=None, password=PASSWORD)

    with pytest.raises(sa.exc.IntegrityError):
        commit()

    assert _usernames() == ["bob"]
    _session_still_works()


def test_a_commit_without_conflict_keeps_every_row(app: Flask) -> None:
    create_user(username="one", email=None, password=PASSWORD)
    db.session.add(Category(name="Garden"))

    commit(on_conflict=Conflict())

    db.session.expire_all()
    assert (_usernames(), row_count(Category)) == (["one"], 1)


# --- a use case that loses the race ---------------------------------------------------------------------


@pytest.fixture
def lost_race(monkeypatch: pytest.MonkeyPatch, make_user: MakeUser) -> None:
    """ "bob" is committed by another request between registration's pre-check and its commit."""
    make_user("bob")
    monkeypatch.setattr(account, "taken_field", lambda **_names: None)


@pytest.mark.usefixtures("lost_race")
def test_registration_that_loses_the_race_reports_the_taken_username() -> None:
    with pytest.raises(ValidationFailed) as refused:
        account.register(username="bob", password="other-password")

    assert refused.value.problems == [("username", account.IN_USE)]
    assert _usernames() == ["bob"]


@pytest.mark.usefixtures("lost_race")
def test_registration_that_loses_the_race_answers_in_the_account_dialect(client: FlaskClient) -> None:
    response = client.post("/auth/register", json={"username": "bob", "password": "other-password"})

    assert (response.status_code, response.get_json()) == (
        400,
        {"status": "fail", "data": [{"username": "is already in use."}]},
    )
    assert _usernames() == ["bob"]


@pytest.fixture
def rival_category(app: Flask) -> Iterator[None]:
    """Another request inserts category "Machinery" right after the store's pre-check found none.

    The rival's row goes in on the same connection, in a cursor of its own, as soon as the pre-check's
    SELECT has run: the check saw no row, and the commit then meets one.
    """

    def insert_rival(conn: sa.Connection, cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "categories" in statement and not fired:
            fired.append(statement)
            rival = conn.connection.cursor()
            rival.execute("INSERT INTO categories (name) VALUES ('Machinery')")
            rival.close()

    fired: list[str] = []
    sa.event.listen(db.engine, "after_cursor_execute", insert_rival)
    try:
        yield
    finally:
        sa.event.remove(db.engine, "after_cursor_execute", insert_rival)
    assert fired, "the store made no pre-check"


@pytest.mark.usefixtures("rival_category")
def test_the_store_answers_a_lost_name_race_as_a_taken_name(client: FlaskClient, make_user: MakeUser) -> None:
    headers = bearer(own_token(make_user("admin", role=Role.ADMIN)))

    with counted_statements() as statements:
        response = client.post("/categories", json={"name": "Machinery"}, headers=headers)

    assert response.get_json() == {"success": False, "error": 422, "message": "bad request"}
    assert any(s.startswith("INSERT INTO categories") for s in statements)  # the pre-check had passed
    assert row_count(Category) == 0  # the rival's row shared this test's transaction, so it went too
