"""External provider mode: RS256 tokens checked against a JWKS served on 127.0.0.1, Auth0 style."""

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from apiary.core.extensions import db
from apiary.core.identity import ROLE_PERMISSIONS, Role
from apiary.store.models import Category, Product
from tests.store.helpers import (
    AUDIENCE,
    BAD_CLAIMS,
    EXPIRED,
    FORBIDDEN,
    ISSUER,
    MALFORMED,
    NO_PERMISSIONS,
    PROVIDER_EC_KID,
    UNKNOWN_KEY,
    UNPARSABLE,
    Provider,
    add_category,
    add_product,
    add_user,
    envelope,
    price_of,
)
from tests.support import bearer, own_token, row_count


def create_category(client: FlaskClient, token: str) -> TestResponse:
    return client.post("/categories", json={"name": "Machinery"}, headers=bearer(token))


def assert_refused(response: TestResponse, body: dict[str, Any]) -> None:
    assert response.status_code == body["error"]
    assert response.get_json() == body
    assert row_count(Category) == 0


def test_token_with_the_permission_is_accepted_and_writes(jwks_client: FlaskClient, provider: Provider) -> None:
    response = create_category(jwks_client, provider.token(permissions=["post:new-category"]))

    assert response.status_code == 200
    created = db.session.scalar(sa.select(Category.id).where(Category.name == "Machinery"))
    assert response.get_json() == {"success": True, "created": created, "total_categories": 1}


def test_key_set_is_fetched_over_http_once_and_cached(jwks_client: FlaskClient, provider: Provider) -> None:
    fetched_before = len(provider.fetches)

    for name in ("Garden", "Kitchen", "Toys"):
        token = provider.token(permissions=["post:new-category"])
        assert jwks_client.post("/categories", json={"name": name}, headers=bearer(token)).status_code == 200

    assert len(provider.fetches) - fetched_before == 1


def test_token_grants_only_its_own_permissions(jwks_client: FlaskClient, provider: Provider) -> None:
    product = add_product(add_category("Electronics"), "iPhone X", price=999)
    token = provider.token(permissions=["patch:products"])

    assert jwks_client.patch(f"/products/{product.id}", json={"price": 5}, headers=bearer(token)).status_code == 200
    assert jwks_client.delete(f"/products/{product.id}", headers=bearer(token)).get_json() == FORBIDDEN
    assert price_of(product.id) == 5
    assert row_count(Product) == 1


def test_audience_list_containing_ours_is_accepted(jwks_client: FlaskClient, provider: Provider) -> None:
    token = provider.token(permissions=["post:new-category"], aud=["https://other.api/", AUDIENCE])

    assert create_category(jwks_client, token).status_code == 200


@pytest.mark.parametrize("permissions", [[], ["post:new-product", "patch:products"]])
def test_token_without_the_permission_is_403(
    jwks_client: FlaskClient, provider: Provider, permissions: list[str]
) -> None:
    assert_refused(create_category(jwks_client, provider.token(permissions=permissions)), FORBIDDEN)


def test_token_without_a_permissions_claim_is_400(jwks_client: FlaskClient, provider: Provider) -> None:
    assert_refused(create_category(jwks_client, provider.token(permissions=None)), NO_PERMISSIONS)


@pytest.mark.parametrize("permissions", ["post:new-category", [{"name": "post:new-category"}], [1]])
def test_a_permissions_claim_that_is_not_a_list_of_names_is_400(
    jwks_client: FlaskClient, provider: Provider, permissions: Any
) -> None:
    assert_refused(create_category(jwks_client, provider.token(permissions=permissions)), NO_PERMISSIONS)


def test_expired_token_is_401_token_expired(jwks_client: FlaskClient, provider: Provider) -> None:
    token = provider.token(permissions=["post:new-category"], lifetime=timedelta(minutes=-1))

    assert_refused(create_category(jwks_client, token), EXPIRED)


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-api"},
        {"aud": ["another-api"]},
        {"iss": "https://elsewhere.test/"},
        {"iss": ISSUER.rstrip("/")},
    ],
    ids=["other audience", "other audience list", "other issuer", "issuer without trailing slash"],
)
def test_wrong_audience_or_issuer_is_401_invalid_claims(
    jwks_client: FlaskClient, provider: Provider, claims: dict[str, Any]
) -> None:
    token = provider.token(permissions=["post:new-category"], **claims)

    assert_refused(create_category(jwks_client, token), BAD_CLAIMS)


def test_token_of_a_key_the_provider_does_not_publish_is_400_no_key(
    jwks_client: FlaskClient, provider: Provider, stranger_key: RSAPrivateKey
) -> None:
    token = provider.token(permissions=["post:new-category"], key=stranger_key, kid="unpublished-key")

    assert_refused(create_category(jwks_client, token), UNKNOWN_KEY)


def test_token_of_another_key_claiming_the_published_kid_is_400_unparsable(
    jwks_client: FlaskClient, provider: Provider, stranger_key: RSAPrivateKey
) -> None:
    token = provider.token(permissions=["post:new-category"], key=stranger_key)

    assert_refused(create_category(jwks_client, token), UNPARSABLE)


def test_token_without_a_kid_is_401_malformed(jwks_client: FlaskClient, provider: Provider) -> None:
    token = provider.token(permissions=["post:new-category"], kid=None)

    assert_refused(create_category(jwks_client, token), MALFORMED)


def test_undecodable_token_is_401_malformed(jwks_client: FlaskClient) -> None:
    assert_refused(create_category(jwks_client, "abc.def.ghi"), MALFORMED)


@pytest.mark.parametrize(("role", "expected"), [(Role.ADMIN, 200), (Role.SELLER, 403), (Role.CUSTOMER, 403)])
def test_own_tokens_keep_working_next_to_the_provider(jwks_client: FlaskClient, role: Role, expected: int) -> None:
    token = own_token(add_user("someone", role))

    assert create_category(jwks_client, token).status_code == expected


@pytest.mark.parametrize(
    ("method", "path", "body", "role", "refusal"),
    [
        ("POST", "/categories", {"name": "Machinery"}, Role.ADMIN, UNPARSABLE),
        ("GET", "/coders", None, Role.MENTOR, envelope(401, "Unable to parse authentication token.")),
    ],
    ids=["store", "review"],
)
def test_a_key_of_another_type_than_the_tokens_algorithm_is_an_invalid_token(
    jwks_client: FlaskClient,
    provider: Provider,
    method: str,
    path: str,
    body: dict[str, str] | None,
    role: Role,
    refusal: dict[str, Any],
) -> None:
    """The provider names an EC key; an RS256 token that names it is each API's invalid token, not a 500
    (issue 7 finding 5)."""
    token = provider.token(permissions=sorted(ROLE_PERMISSIONS[role]), kid=PROVIDER_EC_KID)

    response = jwks_client.open(path, method=method, json=body, headers=bearer(token))

    assert (response.status_code, response.get_json()) == (refusal["error"], refusal)
    assert row_count(Category) == 0
