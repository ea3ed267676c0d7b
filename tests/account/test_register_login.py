"""POST /auth/register and POST /auth/login in spec 004's username dialect (C2, C3); the email one is bucketlist's."""

from typing import Any

import argon2
import jwt
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.http import http_date

from apiary.core.extensions import db
from apiary.core.identity import Role, Token, User
from tests.account.helpers import (
    BAD_CREDENTIALS,
    BAD_REQUEST,
    login,
    login_tokens,
    token_count,
    user_count,
)
from tests.support import PASSWORD, MakeUser, bearer, claims_of


def user_named(username: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    assert user is not None
    return user


# --- register, spec 004 (username) -----------------------------------------------------------------


def test_register_creates_user_and_answers_with_string_id(client: FlaskClient) -> None:
    response = client.post("/auth/register", json={"username": "bob", "password": "pw1"})

    assert response.status_code == 200
    user = user_named("bob")
    assert response.get_json() == {"status": "success", "data": {"id": str(user.id), "username": "bob"}}


def test_registered_user_can_log_in(client: FlaskClient) -> None:
    client.post("/auth/register", json={"username": "bob", "password": "pw1"})

    assert login(client, "bob", "pw1").status_code == 200


def test_register_issues_no_tokens(client: FlaskClient) -> None:
    client.post("/auth/register", json={"username": "bob", "password": "pw1"})

    assert token_count() == 0


def test_register_taken_username_fails_and_writes_nothing(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("bob")

    response = client.post("/auth/register", json={"username": "bob", "password": "other"})

    assert response.status_code == 400
    assert response.get_json() == {"status": "fail", "data": [{"username": "is already in use."}]}
    assert user_count() == 1


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        ({}, [{"username": "must be filled"}, {"password": "must be filled"}]),
        ({"username": "bob"}, [{"password": "must be filled"}]),
        ({"username": "bob", "password": ""}, [{"password": "must be filled"}]),
        ({"password": "pw1"}, [{"username": "must be filled"}]),
        ({"username": "bob", "password": "ab"}, [{"password": "minimum length of 3 characters"}]),
        (
            {"username": "", "password": "ab"},
            [{"username": "must be filled"}, {"password": "minimum length of 3 characters"}],
        ),
    ],
)
def test_register_reports_invalid_fields_in_order_and_writes_nothing(
    client: FlaskClient, body: dict[str, Any], problems: list[dict[str, str]]
) -> None:
    response = client.post("/auth/register", json=body)

    assert response.status_code == 400
    assert response.get_json() == {"status": "fail", "data": problems}
    assert user_count() == 0


@pytest.mark.parametrize(
    "request_kwargs",
    [
        pytest.param({"data": '{"username": "bob", "password": "pw1"}'}, id="no-content-type"),
        pytest.param({"data": {"username": "bob", "password": "pw1"}}, id="form-body"),
        pytest.param({"data": "", "content_type": "application/json"}, id="json-empty-body"),
        pytest.param({"data": '{"username": "bob",', "content_type": "application/json"}, id="invalid-json"),
        pytest.param({"json": [{"username": "bob", "password": "pw1"}]}, id="json-array"),
        pytest.param({"json": "bob"}, id="json-string"),
    ],
)
def test_register_without_a_json_object_is_bad_request_and_writes_nothing(
    client: FlaskClient, request_kwargs: dict[str, Any]
) -> None:
    response = client.post("/auth/register", **request_kwargs)

    assert response.status_code == 400
    assert response.get_json() == BAD_REQUEST
    assert user_count() == 0


def test_register_with_username_and_email_uses_username_dialect_and_stores_email(
    client: FlaskClient,
) -> None:
    response = client.post("/auth/register", json={"username": "bob", "email": "bob@example.test", "password": "pw1"})

    assert response.status_code == 200
    user = user_named("bob")
    assert response.get_json() == {"status": "success", "data": {"id": str(user.id), "username": "bob"}}
    assert user.email == "bob@example.test"


# --- login, spec 004 (username) --------------------------------------------------------------------


def test_login_answers_access_and_refresh_tokens(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("bob")

    response = login(client, "bob")

    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "success"
    assert set(body["data"]) == {"access_token", "refresh_token"}
    assert claims_of(body["data"]["access_token"])["type"] == "access"
    assert claims_of(body["data"]["refresh_token"])["type"] == "refresh"


def test_login_access_token_claims(client: FlaskClient, make_user: MakeUser) -> None:
    seller = make_user("seller1", role=Role.SELLER)

    access_token, _ = login_tokens(client, "seller1")

    claims = claims_of(access_token)
    assert claims["identity"] == "seller1"
    assert claims["type"] == "access"
    assert claims["fresh"] is False
    assert claims["sub"] == str(seller.id)
    assert claims["permissions"] == ["post:new-product"]
    assert claims["jti"]
    assert claims["exp"] - claims["iat"] == 15 * 60


def test_login_refresh_token_claims(client: FlaskClient, make_user: MakeUser) -> None:
    seller = make_user("seller1", role=Role.SELLER)

    _, refresh_token = login_tokens(client, "seller1")

    claims = claims_of(refresh_token)
    assert claims["identity"] == "seller1"
    assert claims["type"] == "refresh"
    assert claims["sub"] == str(seller.id)
    assert claims["permissions"] == ["post:new-product"]
    assert claims["jti"]
    assert claims["exp"] - claims["iat"] == 30 * 24 * 60 * 60


def test_login_tokens_name_their_signing_key(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("bob")

    for token in login_tokens(client, "bob"):
        assert jwt.get_unverified_header(token)["kid"]


def test_login_tokens_are_listed_access_first(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("bob")
    access_token, refresh_token = login_tokens(client, "bob")

    response = client.get("/auth/token", headers=bearer(access_token))

    assert response.status_code == 200
    rows = list(db.session.scalars(sa.select(Token).order_by(Token.id)))
    expected = [
        {
            "id": str(row.id),
            "jti": claims_of(token)["jti"],
            "token_type": kind,
            "user_identity": "bob",
            "revoked": False,
            "expires": http_date(claims_of(token)["exp"]),
        }
        for row, token, kind in zip(rows, [access_token, refresh_token], ["access", "refresh"], strict=True)
    ]
    assert response.get_json() == {"status": "success", "data": expected}


@pytest.mark.parametrize(
    ("username", "password"), [("bob", "wrong-password"), ("nobody", PASSWORD)], ids=["bad-pw", "no-user"]
)
def test_login_with_bad_credentials_is_401(
    client: FlaskClient, make_user: MakeUser, username: str, password: str
) -> None:
    make_user("bob")

    response = login(client, username, password)

    assert response.status_code == 401
    assert response.get_json() == BAD_CREDENTIALS
    assert token_count() == 0


@pytest.mark.parametrize(
    "request_kwargs",
    [
        pytest.param({"json": {"username": "bob"}}, id="no-password"),
        pytest.param({"json": {"password": PASSWORD}}, id="no-username"),
        pytest.param({"json": {"username": "bob", "password": ""}}, id="empty-password"),
        pytest.param({"json": {"username": "", "password": PASSWORD}}, id="empty-username"),
        pytest.param({"json": {}}, id="empty-object"),
        pytest.param({"data": {"username": "bob", "password": PASSWORD}}, id="form-body"),
        pytest.param({"data": '{"username": "bob", "password": "x"}'}, id="no-content-type"),
        pytest.param({"data": "", "content_type": "application/json"}, id="json-empty-body"),
        pytest.param({"data": "{oops", "content_type": "application/json"}, id="invalid-json"),
    ],
)
def test_login_with_missing_or_malformed_credentials_is_bad_request(
    client: FlaskClient, make_user: MakeUser, request_kwargs: dict[str, Any]
) -> None:
    make_user("bob")

    response = client.post("/auth/login", **request_kwargs)

    assert response.status_code == 400
    assert response.get_json() == BAD_REQUEST


def test_login_renews_a_hash_made_with_older_argon2_parameters(client: FlaskClient, make_user: MakeUser) -> None:
    user = make_user("bob")
    old_hash = argon2.PasswordHasher(time_cost=1, memory_cost=16, parallelism=1).hash(PASSWORD)
    user.password_hash = old_hash
    db.session.commit()

    assert login(client, "bob").status_code == 200

    db.session.expire_all()
    new_hash = user_named("bob").password_hash
    assert new_hash != old_hash
    assert "m=16," not in new_hash
    assert argon2.PasswordHasher().verify(new_hash, PASSWORD)
    assert login(client, "bob").status_code == 200


# --- both names: the username dialect (spec 003's email dialect is tested in tests/bucketlist) -------


def test_login_with_username_and_email_uses_username_dialect(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("bob", email="bob@example.test")

    response = client.post("/auth/login", json={"username": "bob", "email": "bob@example.test", "password": PASSWORD})

    assert response.status_code == 200
    assert response.get_json()["status"] == "success"
    assert set(response.get_json()["data"]) == {"access_token", "refresh_token"}
