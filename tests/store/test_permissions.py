"""Role matrix: each write endpoint × each kind of caller gets the spec's exact status; a refusal writes nothing."""

from typing import NamedTuple

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from apiary.core.identity import Role
from tests.store.helpers import (
    FORBIDDEN,
    NO_AUTHORIZATION,
    STORE_PERMISSIONS,
    CatalogueState,
    Provider,
    add_category,
    add_product,
    add_user,
    catalogue_state,
)
from tests.support import bearer, own_token

NEW_PRICE = 555
PERMISSION = {
    "create category": "post:new-category",
    "create product": "post:new-product",
    "update price": "patch:products",
    "delete product": "delete:products",
}
CALLERS = ["anonymous", "customer", "seller", "admin", "external with permission", "external without permission"]
ROLE_MATRIX = {
    #                  anonymous customer seller admin ext-with ext-without
    "create category": (401, 403, 403, 200, 200, 403),
    "create product": (401, 403, 200, 200, 200, 403),
    "update price": (401, 403, 403, 200, 200, 403),
    "delete product": (401, 403, 403, 200, 200, 403),
}
REFUSALS = {401: NO_AUTHORIZATION, 403: FORBIDDEN}


class Target(NamedTuple):
    """The existing product the writes aim at, and its category."""

    product_id: int
    category_id: int


def cases(callers: list[str]) -> list[tuple[str, str, int]]:
    return [
        (endpoint, caller, ROLE_MATRIX[endpoint][CALLERS.index(caller)])
        for endpoint in ROLE_MATRIX
        for caller in callers
    ]


def make_target() -> Target:
    product = add_product(add_category("Electronics"), "iPhone X", price=999)
    return Target(product.id, product.category_id)


def headers_for(caller: str, permission: str, provider: Provider | None = None) -> dict[str, str]:
    """The Authorization header `caller` sends (none for anonymous)."""
    if caller == "anonymous":
        return {}
    if caller.startswith("external"):
        assert provider is not None
        granted = [permission] if caller == "external with permission" else sorted(STORE_PERMISSIONS - {permission})
        return bearer(provider.token(permissions=granted))
    return bearer(own_token(add_user(caller, Role(caller))))


def send(client: FlaskClient, endpoint: str, target: Target, headers: dict[str, str]) -> TestResponse:
    match endpoint:
        case "create category":
            return client.post("/categories", json={"name": "Garden"}, headers=headers)
        case "create product":
            body = {"name": "Spade", "description": "A spade", "price": 25, "category_id": target.category_id}
            return client.post("/products", json=body, headers=headers)
        case "update price":
            return client.patch(f"/products/{target.product_id}", json={"price": NEW_PRICE}, headers=headers)
        case "delete product":
            return client.delete(f"/products/{target.product_id}", headers=headers)
    raise AssertionError(endpoint)


def after_success(endpoint: str, before: CatalogueState) -> CatalogueState:
    """What a permitted write leaves behind."""
    match endpoint:
        case "create category":
            return before._replace(categories=before.categories + 1)
        case "create product":
            return before._replace(products=before.products + 1)
        case "update price":
            return before._replace(price=NEW_PRICE)
        case "delete product":
            return before._replace(products=before.products - 1, price=None)
    raise AssertionError(endpoint)


def check(client: FlaskClient, endpoint: str, target: Target, headers: dict[str, str], expected: int) -> None:
    before = catalogue_state(target.product_id)

    response = send(client, endpoint, target, headers)

    assert response.status_code == expected, response.get_json()
    if expected == 200:
        assert response.get_json()["success"] is True
        assert catalogue_state(target.product_id) == after_success(endpoint, before)
    else:
        assert response.get_json() == REFUSALS[expected]
        assert catalogue_state(target.product_id) == before


@pytest.mark.parametrize(("endpoint", "caller", "expected"), cases(CALLERS))
def test_role_matrix_with_own_and_external_tokens(
    jwks_client: FlaskClient, provider: Provider, endpoint: str, caller: str, expected: int
) -> None:
    target = make_target()
    headers = headers_for(caller, PERMISSION[endpoint], provider)

    check(jwks_client, endpoint, target, headers, expected)


@pytest.mark.parametrize(("endpoint", "caller", "expected"), cases(CALLERS[:4]))
def test_role_matrix_with_own_tokens_on_each_database(
    client: FlaskClient, endpoint: str, caller: str, expected: int
) -> None:
    target = make_target()
    headers = headers_for(caller, PERMISSION[endpoint])

    check(client, endpoint, target, headers, expected)
