"""Hostile input, route by route on all five APIs: each is refused with a 4xx in the owning API's envelope,
and nothing is written.

Each API is represented by one write route, the valid body it takes (a control test sends it and sees a row
written) and its error envelope. The core's token and body parsing are tested on their own in
tests/core/test_hostile_input.py; this proves that every API gets the benefit.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from apiary.core.extensions import db
from apiary.core.identity import Role
from apiary.core.passwords import Passwords
from apiary.store import services as store
from apiary.store.models import Category
from tests.review.helpers import add_coder
from tests.support import PASSWORD, MakeUser, bearer, own_token, row_count

Envelope = Callable[[Any, int], bool]


def _store_envelope(body: Any, status: int) -> bool:
    """The store's and the review API's `{success: false, error: <status>, message}`."""
    return set(body) == {"success", "error", "message"} and body["success"] is False and body["error"] == status


def _account_envelope(body: Any, status: int) -> bool:
    return set(body) == {"status", "message"} and body["status"] == "fail"


def _forum_envelope(body: Any, status: int) -> bool:
    return set(body) == {"error"} and isinstance(body["error"], str)


def _bucketlist_envelope(body: Any, status: int) -> bool:
    return set(body) == {"message"} and isinstance(body["message"], str)


@dataclass
class Write:
    """A write route of one API as a given caller: a valid `body`, whose `number` field (or, where the API's
    bodies hold no number, a field in its place) is where a non-finite number goes."""

    envelope: Envelope
    path: str
    body: dict[str, Any]
    number: str
    headers: dict[str, str] = field(default_factory=dict)

    def with_number(self, raw: str) -> str:
        """The valid body as JSON text, with `raw` as the number field's value."""
        return json.dumps({**self.body, self.number: "<number>"}).replace('"<number>"', raw)

    def send(self, client: FlaskClient, **request: Any) -> TestResponse:
        request.setdefault("json", self.body)
        request["headers"] = {**self.headers, **request.get("headers", {})}
        return client.post(self.path, **request)


def _account(make_user: MakeUser) -> Write:
    return Write(_account_envelope, "/auth/register", {"username": "newcomer", "password": PASSWORD}, "username")


def _store(make_user: MakeUser) -> Write:
    store.seed_catalogue()
    admin = bearer(own_token(make_user("admin", role=Role.ADMIN)))
    category = db.session.scalar(sa.select(Category.id).limit(1))
    body = {"name": "Lamp", "price": 12, "category_id": category}
    return Write(_store_envelope, "/products", body, "price", admin)


def _review(make_user: MakeUser) -> Write:
    coder = add_coder("coder1")
    body = {"coderId": coder.id, "name": "Fizz", "code": "print('fizz')"}
    return Write(_store_envelope, "/snippet", body, "coderId", coder.headers())


def _forum(make_user: MakeUser) -> Write:
    # The token in the header: forum reads the body for one first, so a body it cannot read is still its 400.
    author = bearer(own_token(make_user("author1")))
    return Write(_forum_envelope, "/articles/new", {"title": "A title", "text": "Some text"}, "title", author)


def _bucketlist(make_user: MakeUser) -> Write:
    owner = bearer(own_token(make_user(None, email="owner@example.com")))
    return Write(_bucketlist_envelope, "/bucketlists/", {"name": "Travel"}, "name", owner)


WRITES: dict[str, Callable[[MakeUser], Write]] = {
    "account": _account,
    "store": _store,
    "review": _review,
    "forum": _forum,
    "bucketlist": _bucketlist,
}


@pytest.fixture(params=list(WRITES))
def write(request: pytest.FixtureRequest, make_user: MakeUser) -> Write:
    return WRITES[request.param](make_user)


def table_sizes() -> dict[str, int]:
    """How many rows each table holds."""
    return {table.name: row_count(table) for table in db.metadata.sorted_tables}


@pytest.fixture
def nothing_written(write: Write) -> Iterator[None]:
    """The test's requests leave every table as it was (after the write route's own set-up)."""
    before = table_sizes()
    yield
    db.session.rollback()  # read what is committed, not what this session may hold
    assert table_sizes() == before


def assert_refused(write: Write, response: TestResponse, status: int = 400) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:200]
    assert write.envelope(response.get_json(), status), response.get_json()


def test_the_valid_body_of_each_write_route_is_written(client: FlaskClient, write: Write) -> None:
    """The control: what the hostile tests send differs from this in one way only."""
    before = table_sizes()

    assert write.send(client).status_code in (200, 201)
    assert sum(table_sizes().values()) > sum(before.values())


@pytest.mark.usefixtures("nothing_written")
def test_a_body_over_the_size_limit_is_413(app: Flask, client: FlaskClient, write: Write) -> None:
    oversized = {**write.body, "padding": "x" * app.config["MAX_CONTENT_LENGTH"]}
    assert_refused(write, write.send(client, json=oversized), 413)


@pytest.mark.usefixtures("nothing_written")
def test_a_thousand_nested_arrays_are_a_bad_request(client: FlaskClient, write: Write) -> None:
    body = write.with_number("[" * 1_000 + "]" * 1_000)
    assert_refused(write, write.send(client, data=body, json=None, content_type="application/json"))


@pytest.mark.usefixtures("nothing_written")
@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_a_number_json_has_no_spelling_for_is_a_bad_request(client: FlaskClient, write: Write, number: str) -> None:
    body = write.with_number(number)
    assert_refused(write, write.send(client, data=body, json=None, content_type="application/json"))


@pytest.mark.usefixtures("nothing_written")
def test_a_body_of_another_content_type_is_a_bad_request(client: FlaskClient, write: Write) -> None:
    response = write.send(client, data=json.dumps(write.body), json=None, content_type="text/plain")
    assert_refused(write, response)


HOSTILE_TEXT = {"control characters": "a\x01b\x1b[31mc\x7f", "10 kB of text": "x" * 10_000}
hostile_text = pytest.mark.parametrize("text", list(HOSTILE_TEXT.values()), ids=list(HOSTILE_TEXT))


@pytest.mark.usefixtures("nothing_written")
@hostile_text
def test_a_header_no_api_can_take_is_a_bad_request(client: FlaskClient, write: Write, text: str) -> None:
    assert_refused(write, write.send(client, headers={"X-Note": text}))


@pytest.mark.usefixtures("nothing_written")
@hostile_text
def test_a_query_value_no_api_can_take_is_a_bad_request(client: FlaskClient, write: Write, text: str) -> None:
    assert_refused(write, write.send(client, query_string={"note": text}))


# A 100 kB password, on every route that takes one (the store has none: its users log in at /auth/login).

LONG_PASSWORD = "Aa1-" * 25_000
MEMBER = {"username": "member", "email": "member@example.com"}

PASSWORD_ROUTES: dict[str, tuple[str, Callable[[str], dict[str, str]], Envelope]] = {
    "account register": (
        "/auth/register",
        lambda password: {"username": "newcomer", "password": password},
        _account_envelope,
    ),
    "account login": ("/auth/login", lambda password: {"username": "member", "password": password}, _account_envelope),
    "bucketlist register": (
        "/auth/register",
        lambda password: {"email": "new@example.com", "password": password},
        _bucketlist_envelope,
    ),
    "bucketlist login": (
        "/auth/login",
        lambda password: {"email": "member@example.com", "password": password},
        _bucketlist_envelope,
    ),
    "forum register": ("/register", lambda password: {"username": "newcomer", "password": password}, _forum_envelope),
    "forum login": ("/login", lambda password: {"username": "member", "password": password}, _forum_envelope),
    "review signup": (
        "/signup",
        lambda password: {"username": "newcomer", "usertype": "coder", "password": password},
        _store_envelope,
    ),
}


@pytest.fixture
def hashed(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password the app hashes or verifies from now on."""
    seen: list[str] = []
    hasher: Passwords = app.extensions["apiary.passwords"]
    original_hash, original_verify = hasher.hash, hasher.verify

    def spy_hash(password: str) -> str:
        seen.append(password)
        return original_hash(password)

    def spy_verify(password_hash: str | None, password: str) -> bool:
        seen.append(password)
        return original_verify(password_hash, password)

    monkeypatch.setattr(hasher, "hash", spy_hash)
    monkeypatch.setattr(hasher, "verify", spy_verify)
    return seen


@pytest.mark.parametrize("route", list(PASSWORD_ROUTES))
def test_a_100_kb_password_is_a_bad_request_and_never_hashed(
    client: FlaskClient, make_user: MakeUser, hashed: list[str], route: str
) -> None:
    path, body, envelope = PASSWORD_ROUTES[route]
    make_user(MEMBER["username"], email=MEMBER["email"])
    hashed.clear()  # the member's own password
    before = table_sizes()

    response = client.post(path, json=body(LONG_PASSWORD))

    assert response.status_code == 400 and envelope(response.get_json(), 400), response.get_json()
    assert hashed == []
    db.session.rollback()
    assert table_sizes() == before
    # The control: the spy sees the password this route hashes or checks.
    assert client.post(path, json=body(PASSWORD)).status_code in (200, 201)
    assert hashed == [PASSWORD]
