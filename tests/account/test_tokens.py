"""Bearer tokens on the account API: spec 004's failure table, /auth/refresh and /auth/token."""

from datetime import timedelta
from typing import Any

import jwt
import pytest
from flask import Flask
from flask.testing import FlaskClient

from apiary.core.identity import TokenType, User
from tests.account.helpers import (
    BAD_REQUEST,
    REVOKED,
    login_tokens,
    token_row,
)
from tests.support import AuthHeaders, MakeUser, bearer, claims_of, own_token

BAD_HEADER = {"msg": "Bad Authorization header. Expected value 'Bearer <JWT>'"}
TOKEN_NOT_FOUND = {"status": "fail", "message": "The specified token was not found"}


@pytest.fixture
def bob(make_user: MakeUser) -> User:
    return make_user("bob")


@pytest.fixture
def access_token(client: FlaskClient, bob: User) -> str:
    """An access token of bob's from a real login."""
    return login_tokens(client, "bob")[0]


# --- the failure table -----------------------------------------------------------------------------


def test_missing_authorization_header_is_401(client: FlaskClient) -> None:
    response = client.get("/account")

    assert response.status_code == 401
    assert response.get_json() == {"msg": "Missing Authorization Header"}


@pytest.mark.parametrize(
    "header",
    ["bearer {token}", "Bearer", "Token {token}", "Bearer {token} extra", "{token}"],
    ids=["lowercase-scheme", "scheme-only", "other-scheme", "three-words", "no-scheme"],
)
def test_header_not_exactly_bearer_jwt_is_422(client: FlaskClient, access_token: str, header: str) -> None:
    response = client.get("/account", headers={"Authorization": header.format(token=access_token)})

    assert response.status_code == 422
    assert response.get_json() == BAD_HEADER


@pytest.mark.parametrize("token", ["xxxxxxxxxxxxxxxxxxx", "invalid-token"])
def test_undecodable_token_is_422_not_enough_segments(client: FlaskClient, token: str) -> None:
    response = client.get("/account", headers=bearer(token))

    assert response.status_code == 422
    assert response.get_json() == {"msg": "Not enough segments"}


def test_token_signed_with_another_secret_is_422(client: FlaskClient, access_token: str) -> None:
    claims = claims_of(access_token)
    forged = jwt.encode(claims, "another-secret-that-is-long-enough-0123456789", algorithm="HS256")

    response = client.get("/account", headers=bearer(forged))

    assert response.status_code == 422
    assert response.get_json() == {"msg": "Signature verification failed"}


def test_tampered_token_is_422(client: FlaskClient, access_token: str) -> None:
    header, payload, signature = access_token.split(".")
    tampered = ".".join([header, payload, signature[::-1]])

    response = client.get("/account", headers=bearer(tampered))

    assert response.status_code == 422
    assert list(response.get_json()) == ["msg"]


def test_expired_token_is_401(app: Flask, client: FlaskClient, bob: User) -> None:
    expired = own_token(bob, lifetime=timedelta(minutes=-1))

    response = client.get("/account", headers=bearer(expired))

    assert response.status_code == 401
    assert response.get_json() == {"msg": "Token has expired"}


def test_well_signed_token_missing_from_token_store_is_revoked(app: Flask, client: FlaskClient, bob: User) -> None:
    unrecorded = own_token(bob, stored=False)

    response = client.get("/account", headers=bearer(unrecorded))

    assert response.status_code == 401
    assert response.get_json() == REVOKED


def test_well_signed_recorded_token_is_accepted(app: Flask, client: FlaskClient, bob: User) -> None:
    # The positive control for the two tests above: the same helper's token, recorded and unexpired.
    response = client.get("/account", headers=bearer(own_token(bob)))

    assert response.status_code == 200


def test_refresh_token_on_access_route_is_422(client: FlaskClient, bob: User, auth_headers: AuthHeaders) -> None:
    response = client.get("/account", headers=auth_headers(bob, TokenType.REFRESH))

    assert response.status_code == 422
    assert response.get_json() == {"msg": "Only access tokens are allowed"}


def test_access_token_on_refresh_route_is_422(client: FlaskClient, bob: User, auth_headers: AuthHeaders) -> None:
    response = client.post("/auth/refresh", headers=auth_headers(bob))

    assert response.status_code == 422
    assert response.get_json() == {"msg": "Only refresh tokens are allowed"}


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/auth/token"),
        ("PUT", "/auth/token/1"),
        ("GET", "/account"),
        ("PUT", "/account"),
        ("PATCH", "/account"),
        ("DELETE", "/account"),
        ("POST", "/auth/refresh"),
    ],
)
def test_every_protected_route_requires_a_token(client: FlaskClient, method: str, url: str) -> None:
    response = client.open(url, method=method, json={"revoke": True, "password": "newpw"})

    assert response.status_code == 401
    assert response.get_json() == {"msg": "Missing Authorization Header"}


# --- POST /auth/refresh ----------------------------------------------------------------------------


def test_refresh_answers_new_access_token(client: FlaskClient, bob: User) -> None:
    access_token, refresh_token = login_tokens(client, "bob")

    response = client.post("/auth/refresh", headers=bearer(refresh_token))

    assert response.status_code == 200
    new_token = response.get_json()["data"]["access_token"]
    assert response.get_json() == {"status": "success", "data": {"access_token": new_token}}
    assert new_token != access_token
    assert claims_of(new_token)["type"] == "access"
    assert claims_of(new_token)["identity"] == "bob"


def test_refreshed_access_token_works_and_is_recorded(client: FlaskClient, bob: User) -> None:
    _, refresh_token = login_tokens(client, "bob")
    new_token = client.post("/auth/refresh", headers=bearer(refresh_token)).get_json()["data"]["access_token"]

    account = client.get("/account", headers=bearer(new_token))
    listing = client.get("/auth/token", headers=bearer(new_token)).get_json()["data"]

    assert account.status_code == 200
    assert account.get_json() == {"status": "success", "data": {"id": str(bob.id), "username": "bob"}}
    assert [(row["jti"], row["token_type"]) for row in listing][-1] == (claims_of(new_token)["jti"], "access")
    assert len(listing) == 3


def test_refresh_token_can_be_used_again(client: FlaskClient, bob: User) -> None:
    _, refresh_token = login_tokens(client, "bob")
    client.post("/auth/refresh", headers=bearer(refresh_token))

    response = client.post("/auth/refresh", headers=bearer(refresh_token))

    assert response.status_code == 200


# --- GET /auth/token -------------------------------------------------------------------------------


def test_token_list_holds_only_the_callers_tokens(
    client: FlaskClient, make_user: MakeUser, bob: User, access_token: str
) -> None:
    make_user("alice")
    login_tokens(client, "alice")

    listing = client.get("/auth/token", headers=bearer(access_token)).get_json()["data"]

    assert {row["user_identity"] for row in listing} == {"bob"}
    assert len(listing) == 2


def test_token_list_includes_revoked_tokens(
    client: FlaskClient, bob: User, access_token: str, auth_headers: AuthHeaders
) -> None:
    other = auth_headers(bob)
    client.put(f"/auth/token/{token_row(access_token).id}", json={"revoke": True}, headers=other)

    listing = client.get("/auth/token", headers=other).get_json()["data"]

    assert [row["revoked"] for row in listing] == [True, False, False]


# --- PUT /auth/token/<id> --------------------------------------------------------------------------


def test_revoking_own_token_answers_success(client: FlaskClient, access_token: str) -> None:
    response = client.put(
        f"/auth/token/{token_row(access_token).id}", json={"revoke": True}, headers=bearer(access_token)
    )

    assert response.status_code == 200
    assert response.get_json() == {"status": "success", "message": "Token revoked"}


def test_revoked_token_is_rejected(client: FlaskClient, access_token: str) -> None:
    client.put(f"/auth/token/{token_row(access_token).id}", json={"revoke": True}, headers=bearer(access_token))

    response = client.get("/account", headers=bearer(access_token))

    assert response.status_code == 401
    assert response.get_json() == REVOKED


def test_revoked_refresh_token_is_rejected(client: FlaskClient, bob: User) -> None:
    access_token, refresh_token = login_tokens(client, "bob")
    client.put(f"/auth/token/{token_row(refresh_token).id}", json={"revoke": True}, headers=bearer(access_token))

    response = client.post("/auth/refresh", headers=bearer(refresh_token))

    assert response.status_code == 401
    assert response.get_json() == REVOKED


def test_unrevoking_a_token_makes_it_work_again(
    client: FlaskClient, bob: User, access_token: str, auth_headers: AuthHeaders
) -> None:
    other = auth_headers(bob)
    url = f"/auth/token/{token_row(access_token).id}"
    client.put(url, json={"revoke": True}, headers=other)

    response = client.put(url, json={"revoke": False}, headers=other)

    assert response.status_code == 200
    assert response.get_json() == {"status": "success", "message": "Token unrevoked"}
    assert client.get("/account", headers=bearer(access_token)).status_code == 200


@pytest.mark.parametrize(
    "request_kwargs",
    [
        pytest.param({"json": {"revoke": "yes"}}, id="string-yes"),
        pytest.param({"json": {"revoke": "xxxxx"}}, id="string-xxxxx"),
        pytest.param({"json": {"revoke": "true"}}, id="string-true"),
        pytest.param({"json": {"revoke": 1}}, id="number"),
        pytest.param({"json": {"revoke": None}}, id="null"),
        pytest.param({"json": {}}, id="empty-object"),
        pytest.param({"json": [True]}, id="json-array"),
        pytest.param({}, id="no-body"),
        pytest.param({"data": "", "content_type": "application/json"}, id="json-empty-body"),
        pytest.param({"data": '{"revoke": tru', "content_type": "application/json"}, id="invalid-json"),
        pytest.param({"data": {"revoke": "true"}}, id="form-body"),
        pytest.param({"data": '{"revoke": true}'}, id="no-content-type"),
    ],
)
def test_revoke_without_a_boolean_revoke_is_bad_request(
    client: FlaskClient, access_token: str, request_kwargs: dict[str, Any]
) -> None:
    row = token_row(access_token)

    response = client.put(f"/auth/token/{row.id}", headers=bearer(access_token), **request_kwargs)

    assert response.status_code == 400
    assert response.get_json() == BAD_REQUEST
    assert client.get("/account", headers=bearer(access_token)).status_code == 200


def test_revoke_unknown_token_id_is_404(client: FlaskClient, access_token: str) -> None:
    response = client.put("/auth/token/999999", json={"revoke": True}, headers=bearer(access_token))

    assert response.status_code == 404
    assert response.get_json() == TOKEN_NOT_FOUND


def test_revoke_another_users_token_is_404_and_leaves_it_alone(
    client: FlaskClient, make_user: MakeUser, access_token: str
) -> None:
    make_user("alice")
    alice_token, _ = login_tokens(client, "alice")

    response = client.put(
        f"/auth/token/{token_row(alice_token).id}", json={"revoke": True}, headers=bearer(access_token)
    )

    assert response.status_code == 404
    assert response.get_json() == TOKEN_NOT_FOUND
    assert client.get("/account", headers=bearer(alice_token)).status_code == 200


def test_revoke_checks_the_body_before_the_token_id(client: FlaskClient, access_token: str) -> None:
    response = client.put("/auth/token/999999", json={"revoke": "yes"}, headers=bearer(access_token))

    assert response.status_code == 400
    assert response.get_json() == BAD_REQUEST
