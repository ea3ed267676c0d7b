"""POST /auth/register and /auth/login in spec 003's email dialect (C2, C3), and their rate limit."""

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import encode_multipart

from apiary.core.extensions import db
from apiary.core.identity import MAX_TEXT_LENGTH, Token, User
from tests.bucketlist.helpers import BAD_CREDENTIALS, EMAIL_TAKEN, FORMATS, LOGGED_IN, REGISTERED, body
from tests.support import PASSWORD, MakeUser, bearer, claims_of, row_count, sqlite_app

ANN = "ann@example.test"

# --- register ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", FORMATS)
def test_register_by_email_answers_201_and_makes_a_user_without_username(client: FlaskClient, kind: str) -> None:
    response = client.post("/auth/register", **body(kind, {"email": ANN, "password": "pw1"}))

    assert response.status_code == 201
    assert response.get_json() == REGISTERED
    assert db.session.execute(sa.select(User.username, User.email)).all() == [(None, ANN)]
    assert row_count(Token) == 0


@pytest.mark.parametrize("kind", FORMATS)
def test_register_taken_email_answers_202_and_writes_nothing(
    client: FlaskClient, make_user: MakeUser, kind: str
) -> None:
    user = make_user(None, email=ANN)
    old_hash = user.password_hash

    response = client.post("/auth/register", **body(kind, {"email": ANN, "password": "other"}))

    assert response.status_code == 202
    assert response.get_json() == EMAIL_TAKEN
    assert row_count(User) == 1
    db.session.expire_all()
    assert user.password_hash == old_hash


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"email": ANN}, "password"),
        ({"email": ANN, "password": ""}, "password"),
        ({"email": "", "password": "pw"}, "email"),
    ],
    ids=["no-password", "empty-password", "empty-email"],
)
def test_register_by_email_with_a_field_missing_is_400_naming_it(
    client: FlaskClient, kind: str, fields: dict[str, str], named: str
) -> None:
    response = client.post("/auth/register", **body(kind, fields))

    assert response.status_code == 400
    assert response.get_json() == {"message": f"{named} is required"}
    assert row_count(User) == 0


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "e" * 257, "password": "pw1"}, "email must be at most 256 characters"),
        ({"email": ANN, "password": "p" * 129}, "password must be at most 128 characters"),
        ({"email": "e" * (MAX_TEXT_LENGTH + 1), "password": "pw1"}, "email must be at most 256 characters"),
        ({"email": ANN, "password": "p" * (MAX_TEXT_LENGTH + 1)}, "password must be at most 128 characters"),
        ({"email": "ann\n@example.test", "password": "pw1"}, "email must not contain control characters"),
    ],
    ids=["long-email", "long-password", "email-beyond-any-text", "password-beyond-any-text", "control-character"],
)
def test_register_by_email_refuses_what_no_column_holds_in_this_apis_words(
    client: FlaskClient, kind: str, fields: dict[str, str], message: str
) -> None:
    response = client.post("/auth/register", **body(kind, fields))

    assert (response.status_code, response.get_json()) == (400, {"message": message})
    assert row_count(User) == 0


@pytest.mark.parametrize("path", ["/auth/register", "/auth/login"])
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": 5, "password": "pw1"}, "email must be text"),
        ({"email": ANN, "password": ["pw1"]}, "password must be text"),
        ({"email": ANN, "password": True}, "password must be text"),
        ({"email": None, "password": "pw1"}, "email is required"),
    ],
)
def test_an_email_body_with_a_field_that_is_no_text_is_400_in_this_apis_words(
    client: FlaskClient, path: str, fields: dict[str, object], message: str
) -> None:
    response = client.post(path, json=fields)

    assert (response.status_code, response.get_json()) == (400, {"message": message})
    assert row_count(User) == 0


# --- login -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", FORMATS)
def test_login_by_email_answers_a_five_minute_access_token(client: FlaskClient, make_user: MakeUser, kind: str) -> None:
    user = make_user(None, email=ANN)

    response = client.post("/auth/login", **body(kind, {"email": ANN, "password": PASSWORD}))

    assert response.status_code == 200
    payload = response.get_json()
    assert set(payload) == {"message", "access_token"}
    assert payload["message"] == LOGGED_IN
    claims = claims_of(payload["access_token"])
    assert claims["exp"] - claims["iat"] == 300
    assert (claims["sub"], claims["identity"], claims["type"]) == (str(user.id), ANN, "access")


def test_a_user_registered_with_username_and_email_logs_in_by_email_too(client: FlaskClient) -> None:
    client.post("/auth/register", json={"username": "bob", "email": "bob@example.test", "password": "pw1"})

    response = client.post("/auth/login", data={"email": "bob@example.test", "password": "pw1"})

    assert response.status_code == 200
    assert claims_of(response.get_json()["access_token"])["username"] == "bob"


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize(
    "fields",
    [{"email": ANN, "password": "wrong-password"}, {"email": "nobody@example.test", "password": PASSWORD}],
    ids=["bad-pw", "no-user"],
)
def test_login_by_email_with_bad_credentials_is_401_and_issues_no_token(
    client: FlaskClient, make_user: MakeUser, kind: str, fields: dict[str, str]
) -> None:
    make_user(None, email=ANN)

    response = client.post("/auth/login", **body(kind, fields))

    assert response.status_code == 401
    assert response.get_json() == BAD_CREDENTIALS
    assert row_count(Token) == 0


@pytest.mark.parametrize("kind", FORMATS)
def test_login_by_email_without_password_is_400_naming_the_field(
    client: FlaskClient, make_user: MakeUser, kind: str
) -> None:
    make_user(None, email=ANN)

    response = client.post("/auth/login", **body(kind, {"email": ANN}))

    assert response.status_code == 400
    assert response.get_json() == {"message": "password is required"}


def test_email_login_token_works_on_the_account_api(client: FlaskClient, make_user: MakeUser) -> None:
    user = make_user(None, email=ANN)
    response = client.post("/auth/login", data={"email": ANN, "password": PASSWORD})

    account = client.get("/account", headers=bearer(response.get_json()["access_token"]))

    assert account.status_code == 200
    assert account.get_json() == {"status": "success", "data": {"id": str(user.id), "username": None}}


def test_each_request_on_a_shared_path_chooses_its_own_dialect(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("bob", email=ANN)

    email = client.post("/auth/login", data={"email": ANN, "password": "wrong"})
    username = client.post("/auth/login", json={"username": "bob", "password": "wrong"})
    unauthenticated = client.get("/account")

    assert email.get_json() == BAD_CREDENTIALS
    assert username.get_json() == {"status": "fail", "message": "Username or Password not valid"}
    assert unauthenticated.get_json() == {"msg": "Missing Authorization Header"}


# --- a body over the size limit ----------------------------------------------------------------------

TOO_LARGE = {"message": "Request Entity Too Large"}
ACCOUNT_TOO_LARGE = {"status": "fail", "message": "request entity too large"}


def oversized(app: Flask, kind: str, fields: dict[str, str]) -> dict[str, Any]:
    """Test-client keyword arguments sending `fields`, then a field that takes the body past the size limit,
    as a form, as JSON or as a multipart form."""
    padded = {**fields, "padding": "x" * app.config["MAX_CONTENT_LENGTH"]}
    if kind == "json":  # in this order (the client's own encoder sorts the keys)
        return {"data": json.dumps(padded), "content_type": "application/json"}
    if kind == "multipart":
        boundary, encoded = encode_multipart(padded)  # in memory: the client's own would spill to a file
        return {"data": encoded, "content_type": f"multipart/form-data; boundary={boundary}"}
    return body(kind, padded)


@pytest.mark.parametrize("path", ["/auth/register", "/auth/login"])
@pytest.mark.parametrize("kind", [*FORMATS, "multipart"])
@pytest.mark.parametrize(
    ("fields", "answer"),
    [
        ({"email": ANN, "password": "pw1"}, TOO_LARGE),
        ({"email": ANN}, TOO_LARGE),  # the field names decide, as for a body that is read
        ({"username": "ann", "password": "pw1"}, ACCOUNT_TOO_LARGE),
        ({"username": "ann", "email": ANN, "password": "pw1"}, ACCOUNT_TOO_LARGE),
        ({}, ACCOUNT_TOO_LARGE),
    ],
    ids=["email", "email-alone", "username", "both", "neither"],
)
def test_a_body_over_the_size_limit_is_413_in_the_dialect_its_field_names_choose(
    app: Flask, client: FlaskClient, path: str, kind: str, fields: dict[str, str], answer: dict[str, str]
) -> None:
    response = client.post(path, **oversized(app, kind, fields))

    assert (response.status_code, response.get_json()) == (413, answer)
    assert row_count(User) == 0


@pytest.mark.parametrize(
    "document",
    [
        {"profile": {"email": ANN}},  # not at the top level
        {"note": '"email": "in a string"'},
        {"padding": "x" * 70_000, "email": ANN},  # past the first 64 KiB, which is all that is read
    ],
    ids=["nested", "in-a-string", "past-the-prefix"],
)
def test_an_oversized_json_body_speaks_email_only_with_a_top_level_email_in_its_first_64_kib(
    app: Flask, client: FlaskClient, document: dict[str, Any]
) -> None:
    response = client.post("/auth/register", **oversized(app, "json", document))

    assert (response.status_code, response.get_json()) == (413, ACCOUNT_TOO_LARGE)


# --- rate limit --------------------------------------------------------------------------------------


@pytest.fixture
def limited_app() -> Iterator[Flask]:
    prefix = f"apiary-test-{uuid.uuid4().hex}"
    with sqlite_app(ratelimit_enabled=True, ratelimit_auth="2 per minute", ratelimit_key_prefix=prefix) as app:
        yield app


@pytest.mark.parametrize("path", ["/auth/login", "/auth/register"])
def test_too_many_email_requests_are_429_in_the_bucketlist_dialect(limited_app: Flask, path: str) -> None:
    client = limited_app.test_client()
    for number in range(2):
        client.post(path, data={"email": f"user{number}@example.test", "password": "pw1"})

    email = client.post(path, data={"email": "late@example.test", "password": "pw1"})
    username = client.post(path, json={"username": "late", "password": "pw1"})

    assert (email.status_code, email.get_json()) == (429, {"message": "Too Many Requests"})
    assert "Retry-After" in email.headers
    assert (username.status_code, username.get_json()) == (429, {"status": "fail", "message": "too many requests"})
    assert row_count(User) == (2 if path == "/auth/register" else 0)
