"""The store's auth failure table for Apiary's own tokens: header forms, bad, expired and revoked tokens."""

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from apiary.core.extensions import db
from apiary.core.identity import Role, Token, TokenType
from apiary.store.models import Category, Product
from tests.store.helpers import (
    EXPIRED,
    FORBIDDEN,
    MALFORMED,
    NO_AUTHORIZATION,
    UNPARSABLE,
    add_category,
    add_product,
    auth_failure,
    price_of,
)
from tests.support import AuthHeaders, MakeUser, bearer, claims_of, own_token, row_count

OTHER_SECRET = "another-secret-key-that-is-long-enough-9876543210"


@pytest.fixture
def admin_token(make_user: MakeUser) -> str:
    return own_token(make_user("admin", role=Role.ADMIN))


def create_category(client: FlaskClient, headers: dict[str, str]) -> TestResponse:
    return client.post("/categories", json={"name": "Machinery"}, headers=headers)


def reencoded(app: Flask, token: str, **changes: Any) -> str:
    """`token` with `changes` to its claims, signed again with the app's own key."""
    return app.extensions["apiary.tokens"].encode(claims_of(token) | changes)


def with_payload(token: str, **changes: Any) -> str:
    """`token` with `changes` to its payload but the original signature: a tampered token."""
    header, payload, signature = token.split(".")
    claims = claims_of(token) | changes
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return ".".join([header, forged, signature])


# --- the Authorization header --------------------------------------------------------------------------


def test_no_authorization_header_is_401_no_authorization(client: FlaskClient) -> None:
    response = client.post("/categories", json={"name": "Machinery"})

    assert response.status_code == 401
    assert response.get_json() == NO_AUTHORIZATION
    assert row_count(Category) == 0


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "{token}",
        "Bearer {token} extra",
        "Bearer {token} {token}",
        "Token {token}",
        "Basic {token}",
        "Bearer: {token}",
        "Bearer abc.def.ghi",
        "Bearer not-a-jwt",
    ],
    ids=[
        "scheme only",
        "token only",
        "three words",
        "two tokens",
        "other scheme",
        "basic scheme",
        "scheme with colon",
        "undecodable header",
        "not a jwt",
    ],
)
def test_malformed_authorization_is_401_invalid_header(client: FlaskClient, admin_token: str, header: str) -> None:
    response = create_category(client, {"Authorization": header.format(token=admin_token)})

    assert response.status_code == 401
    assert response.get_json() == MALFORMED
    assert row_count(Category) == 0


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_bearer_scheme_is_case_insensitive(client: FlaskClient, admin_token: str, scheme: str) -> None:
    response = create_category(client, {"Authorization": f"{scheme} {admin_token}"})

    assert response.status_code == 200
    assert row_count(Category) == 1


# --- the token itself ------------------------------------------------------------------------------


@pytest.mark.parametrize("kid", ["same", "other"])
def test_token_signed_with_another_secret_is_400_unparsable(client: FlaskClient, admin_token: str, kid: str) -> None:
    own_kid = jwt.get_unverified_header(admin_token)["kid"]
    forged = jwt.encode(
        claims_of(admin_token),
        OTHER_SECRET,
        algorithm="HS256",
        headers={"kid": own_kid if kid == "same" else kid},
    )

    response = create_category(client, bearer(forged))

    assert response.status_code == 400
    assert response.get_json() == UNPARSABLE
    assert row_count(Category) == 0


def test_tampered_token_is_400_unparsable(client: FlaskClient, make_user: MakeUser) -> None:
    customer_token = own_token(make_user("customer", role=Role.CUSTOMER))
    tampered = with_payload(customer_token, permissions=["post:new-category"])

    response = create_category(client, bearer(tampered))

    assert response.status_code == 400
    assert response.get_json() == UNPARSABLE
    assert row_count(Category) == 0


def test_unsigned_token_is_400_unparsable(client: FlaskClient, admin_token: str) -> None:
    unsigned = jwt.encode(claims_of(admin_token), None, algorithm="none")

    response = create_category(client, bearer(unsigned))

    assert response.status_code == 400
    assert response.get_json() == UNPARSABLE


def test_expired_token_is_401_token_expired(app: Flask, client: FlaskClient, admin_token: str) -> None:
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    expired = reencoded(app, admin_token, exp=an_hour_ago)

    response = create_category(client, bearer(expired))

    assert response.status_code == 401
    assert response.get_json() == EXPIRED
    assert row_count(Category) == 0


def test_refresh_token_is_401_invalid_token_type(client: FlaskClient, make_user: MakeUser) -> None:
    refresh = own_token(make_user("admin", role=Role.ADMIN), TokenType.REFRESH)

    response = create_category(client, bearer(refresh))

    assert response.status_code == 401
    assert response.get_json() == auth_failure(401, "invalid_token_type", "Only access tokens are allowed.")
    assert row_count(Category) == 0


def test_revoked_token_is_401_token_revoked(client: FlaskClient, admin_token: str) -> None:
    db.session.execute(sa.update(Token).values(revoked=True))
    db.session.commit()

    response = create_category(client, bearer(admin_token))

    assert response.status_code == 401
    assert response.get_json() == auth_failure(401, "token_revoked", "Token has been revoked.")
    assert row_count(Category) == 0


def test_token_apiary_never_recorded_is_401_token_revoked(app: Flask, client: FlaskClient, admin_token: str) -> None:
    unrecorded = reencoded(app, admin_token, jti="00000000-0000-0000-0000-000000000000")

    response = create_category(client, bearer(unrecorded))

    assert response.status_code == 401
    assert response.get_json()["message"]["code"] == "token_revoked"


# --- permissions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CUSTOMER, None, Role.MENTOR, Role.CODER])
def test_user_without_store_permissions_is_403(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders, role: Role | None
) -> None:
    headers = auth_headers(make_user("someone", role=role))

    response = create_category(client, headers)

    assert response.status_code == 403
    assert response.get_json() == FORBIDDEN
    assert row_count(Category) == 0


def test_auth_is_checked_before_the_product_is_looked_up(client: FlaskClient) -> None:
    assert client.patch("/products/999", json={"price": 5}).get_json() == NO_AUTHORIZATION
    assert client.delete("/products/999").get_json() == NO_AUTHORIZATION


def test_permission_is_checked_before_the_product_is_looked_up(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders
) -> None:
    seller = auth_headers(make_user("seller", role=Role.SELLER))

    assert client.patch("/products/999", json={"price": 5}, headers=seller).get_json() == FORBIDDEN
    assert client.delete("/products/999", headers=seller).get_json() == FORBIDDEN


def test_public_reads_ignore_a_bad_authorization_header(client: FlaskClient) -> None:
    product = add_product(add_category("Electronics"), "iPhone X")
    garbage = {"Authorization": "Bearer abc.def.ghi"}

    urls = [
        "/welcome",
        "/categories",
        "/products",
        f"/products/{product.id}",
        f"/categories/{product.category_id}/products",
    ]
    for url in urls:
        assert client.get(url, headers=garbage).status_code == 200, url


def test_permissions_follow_the_users_current_role(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders
) -> None:
    product = add_product(add_category("Electronics"), "iPhone X", price=999)
    user = make_user("promoted", role=Role.SELLER)
    headers = auth_headers(user)
    assert client.patch(f"/products/{product.id}", json={"price": 5}, headers=headers).status_code == 403

    user.role = Role.ADMIN
    db.session.commit()

    assert client.patch(f"/products/{product.id}", json={"price": 5}, headers=headers).status_code == 200
    assert price_of(product.id) == 5
    assert row_count(Product) == 1
