"""POST /register and POST /login: the spec's check order, formats, texts and the token they lead to."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from apiary.core.extensions import db
from apiary.core.identity import User
from apiary.core.users import create_user
from tests.forum.helpers import BAD_BODY, TIMESTAMP, USER_KEYS, error, login, register
from tests.support import PASSWORD, MakeUser, claims_of, row_count, sqlite_app

USERNAME_MISSING = error("Username is missing")
PASSWORD_MISSING = error("Password is missing")
BAD_USERNAME = error("Bad username format")
BAD_PASSWORD = error("Bad password format")
TAKEN = error("User with such username already exists")
BAD_CREDENTIALS = error("Uncorrect username or/and password")

FALSY = [None, "", 0, False, [], {}]


def stored_user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username))


# --- POST /register --------------------------------------------------------------------------------


def test_register_answers_200_with_the_new_profile(client: FlaskClient) -> None:
    before = datetime.now(UTC).replace(tzinfo=None)

    response = register(client, "alice_1")

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == USER_KEYS
    user = stored_user("alice_1")
    assert user is not None
    assert body["id"] == user.id
    assert body["username"] == "alice_1"
    assert TIMESTAMP.fullmatch(body["date_registered"])
    assert before <= datetime.fromisoformat(body["date_registered"]) <= datetime.now(UTC).replace(tzinfo=None)


def test_register_hashes_the_password_and_never_returns_it(client: FlaskClient) -> None:
    response = register(client, "alice_1")

    user = stored_user("alice_1")
    assert user is not None
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in response.get_data(as_text=True)


@pytest.mark.parametrize("username", FALSY)
def test_register_without_a_username_is_400(client: FlaskClient, username: Any) -> None:
    response = client.post("/register", json={"username": username, "password": PASSWORD})

    assert (response.status_code, response.get_json()) == (400, USERNAME_MISSING)
    assert row_count(User) == 0


def test_register_with_no_fields_reports_the_username_first(client: FlaskClient) -> None:
    response = client.post("/register", json={})

    assert (response.status_code, response.get_json()) == (400, USERNAME_MISSING)


@pytest.mark.parametrize("password", FALSY)
def test_register_without_a_password_is_400(client: FlaskClient, password: Any) -> None:
    response = client.post("/register", json={"username": "alice_1", "password": password})

    assert (response.status_code, response.get_json()) == (400, PASSWORD_MISSING)
    assert row_count(User) == 0


def test_a_missing_password_comes_before_a_bad_username(client: FlaskClient) -> None:
    response = client.post("/register", json={"username": "al", "password": ""})

    assert (response.status_code, response.get_json()) == (400, PASSWORD_MISSING)


def test_a_bad_username_comes_before_a_bad_password(client: FlaskClient) -> None:
    response = register(client, "al", "short")

    assert (response.status_code, response.get_json()) == (400, BAD_USERNAME)


@pytest.mark.parametrize(
    "username",
    ["abcd", "a" * 21, "has space", "dot.ted", "ünïcode", "tab\tname", "slash/name", "alice_1\n", "plus+sign"],
)
def test_register_refuses_a_username_outside_the_format(client: FlaskClient, username: str) -> None:
    response = register(client, username)

    assert (response.status_code, response.get_json()) == (400, BAD_USERNAME)
    assert row_count(User) == 0


@pytest.mark.parametrize("username", ["abcde", "a" * 20, "Al!@#$%^&*-_9", "12345", "____-"])
def test_register_accepts_every_username_in_the_format(client: FlaskClient, username: str) -> None:
    response = register(client, username)

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["username"] == username


@pytest.mark.parametrize(
    "password",
    [
        "Sh0rt-p",  # 7 characters
        "A" + "a1-" * 13 + "bc",  # 42 characters
        "no-upper-1",
        "NO-LOWER-1",
        "No-digits-here",
        "NoSpecial123",
        "Has space-1A",
        "Dot.ted-1A",
        "Passw0rd!\n",
    ],
)
def test_register_refuses_a_password_outside_the_format(client: FlaskClient, password: str) -> None:
    response = register(client, "alice_1", password)

    assert (response.status_code, response.get_json()) == (400, BAD_PASSWORD)
    assert row_count(User) == 0


@pytest.mark.parametrize("password", ["Aa1!aaaa", "Aa1-" * 10, "xX9^xX9^", "Zz0&Zz0&", "_-aB3" + "c" * 35, "@#$%^*aZ0"])
def test_register_accepts_every_password_in_the_format(client: FlaskClient, password: str) -> None:
    assert register(client, "alice_1", password).status_code == 200
    assert login(client, "alice_1", password).status_code == 200


def test_a_taken_username_is_409_and_nothing_is_added(client: FlaskClient) -> None:
    register(client, "alice_1")

    response = register(client, "alice_1", "0ther-Pass")

    assert (response.status_code, response.get_json()) == (409, TAKEN)
    assert row_count(User) == 1
    assert login(client, "alice_1").status_code == 200  # the first password still works


def test_a_username_taken_through_another_api_is_409(client: FlaskClient) -> None:
    assert client.post("/auth/register", json={"username": "bob_the_coder", "password": "abc"}).status_code == 200

    response = register(client, "bob_the_coder")

    assert (response.status_code, response.get_json()) == (409, TAKEN)


def test_usernames_are_case_sensitive(client: FlaskClient) -> None:
    register(client, "alice_1")

    assert register(client, "Alice_1").status_code == 200


@pytest.mark.parametrize(
    ("field", "answer"),
    [("username", error("Username must be a string")), ("password", error("Password must be a string"))],
)
def test_a_field_that_is_not_text_is_400(client: FlaskClient, field: str, answer: dict[str, str]) -> None:
    body: dict[str, Any] = {"username": "alice_1", "password": PASSWORD, field: 12345678}

    response = client.post("/register", json=body)

    assert (response.status_code, response.get_json()) == (400, answer)


# --- bodies that are not a JSON object, on both endpoints --------------------------------------------

NOT_AN_OBJECT: list[dict[str, Any]] = [
    {},
    {"data": "", "content_type": "application/json"},
    {"data": "{not json", "content_type": "application/json"},
    {"json": ["alice_1", PASSWORD]},
    {"json": "alice_1"},
    {"json": None},
    {"data": '{"username": "alice_1"}', "content_type": "text/plain"},
    {"data": {"username": "alice_1", "password": PASSWORD}},  # a form
]


@pytest.mark.parametrize("path", ["/register", "/login"])
@pytest.mark.parametrize("request_args", NOT_AN_OBJECT)
def test_a_body_that_is_not_a_json_object_is_400(client: FlaskClient, path: str, request_args: dict[str, Any]) -> None:
    response = client.post(path, **request_args)

    assert (response.status_code, response.get_json()) == (400, BAD_BODY)
    assert row_count(User) == 0


# --- POST /login ----------------------------------------------------------------------------------


def test_login_answers_a_token_with_the_user(client: FlaskClient, make_user: MakeUser) -> None:
    alice = make_user("alice_1")

    response = login(client, "alice_1")

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"access-token", "user_id", "username"}
    assert (body["user_id"], body["username"]) == (alice.id, "alice_1")
    claims = claims_of(body["access-token"])
    assert (claims["sub"], claims["username"], claims["type"]) == (str(alice.id), "alice_1", "access")
    assert PASSWORD not in str(claims)
    assert all("password" not in key for key in claims)


def test_forum_tokens_live_thirty_days_by_default(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("alice_1")

    claims = claims_of(login(client, "alice_1").get_json()["access-token"])

    assert claims["exp"] - claims["iat"] == timedelta(days=30).total_seconds()


def test_forum_token_lifetime_is_a_setting() -> None:
    with sqlite_app(forum_token_days=365) as app:
        create_user(username="alice_1", email=None, password=PASSWORD)
        db.session.commit()

        claims = claims_of(login(app.test_client(), "alice_1").get_json()["access-token"])

    assert claims["exp"] - claims["iat"] == timedelta(days=365).total_seconds()


@pytest.mark.parametrize("username", FALSY)
def test_login_without_a_username_is_400(client: FlaskClient, username: Any) -> None:
    response = client.post("/login", json={"username": username, "password": PASSWORD})

    assert (response.status_code, response.get_json()) == (400, USERNAME_MISSING)


@pytest.mark.parametrize("password", FALSY)
def test_login_without_a_password_is_400(client: FlaskClient, make_user: MakeUser, password: Any) -> None:
    make_user("alice_1")

    response = client.post("/login", json={"username": "alice_1", "password": password})

    assert (response.status_code, response.get_json()) == (400, PASSWORD_MISSING)


def test_login_with_no_fields_reports_the_username_first(client: FlaskClient) -> None:
    assert client.post("/login", json={}).get_json() == USERNAME_MISSING


@pytest.mark.parametrize(("username", "password"), [("alice_1", "Wr0ng-pass"), ("nobody_here", PASSWORD)])
def test_wrong_credentials_are_401(client: FlaskClient, make_user: MakeUser, username: str, password: str) -> None:
    make_user("alice_1")

    response = login(client, username, password)

    assert (response.status_code, response.get_json()) == (401, BAD_CREDENTIALS)


def test_login_applies_no_format_rule(client: FlaskClient, make_user: MakeUser) -> None:
    """Users registered through other APIs may have names and passwords the forum would refuse."""
    make_user("bob", password="abc")

    response = login(client, "bob", "abc")

    assert response.status_code == 200
    assert response.get_json()["username"] == "bob"


def test_a_user_registered_here_logs_in_on_the_other_apis(client: FlaskClient) -> None:
    register(client, "alice_1")

    response = client.post("/auth/login", json={"username": "alice_1", "password": PASSWORD})

    assert response.status_code == 200
    assert response.get_json()["status"] == "success"


@pytest.mark.parametrize("path", ["/register", "/login"])
def test_register_and_login_are_rate_limited(path: str) -> None:
    with sqlite_app(ratelimit_enabled=True, ratelimit_auth="2 per minute") as app:
        client = app.test_client()
        statuses = [client.post(path, json={}).status_code for _ in range(2)]
        response = client.post(path, json={})

    assert statuses == [400, 400]
    assert (response.status_code, response.get_json()) == (429, error("Too Many Requests"))
