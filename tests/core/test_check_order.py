"""Check order (issue 6 item 4): token, then permission, then path, query and body validation, then lookups.

Each refused request below has more than one thing wrong; the answer must name the earliest check. The
same request with the earlier problem fixed proves that the later problem is really there.
"""

from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pydantic import BaseModel, Field

from apiary.core.auth import Guard, HeaderToken, Refusal
from apiary.core.identity import Role, User
from apiary.core.routing import ApiBlueprint
from apiary.store.models import Product
from tests.store.helpers import (
    BAD_REQUEST,
    BAD_SYNTAX,
    FORBIDDEN,
    NO_AUTHORIZATION,
    add_category,
    add_product,
    price_of,
)
from tests.support import MakeUser, bearer, own_token, row_count

MISSING_HEADER = {"msg": "Missing Authorization Header"}
ACCOUNT_BAD_REQUEST = {"status": "fail", "message": "bad request"}


# --- account ------------------------------------------------------------------------------------------


@pytest.fixture
def bob(make_user: MakeUser) -> User:
    return make_user("bob")


BAD_REQUEST_400 = (400, ACCOUNT_BAD_REQUEST)
SHORT_PASSWORD = (400, {"status": "fail", "data": [{"password": "minimum length of 3 characters"}]})
BLANK_PASSWORD = (400, {"status": "fail", "data": [{"password": "must be filled"}]})
UNKNOWN_TOKEN = (404, {"status": "fail", "message": "The specified token was not found"})


@pytest.mark.parametrize(
    ("method", "url", "body", "answer"),
    [
        ("PUT", "/auth/token/1", {"revoke": "yes"}, BAD_REQUEST_400),
        ("PUT", "/auth/token/999", {"revoke": "yes"}, BAD_REQUEST_400),
        ("PUT", "/auth/token/999", {"revoke": True}, UNKNOWN_TOKEN),
        ("PUT", "/account", {"password": "ab"}, SHORT_PASSWORD),
        ("PATCH", "/account", {"password": ""}, BLANK_PASSWORD),
        ("PATCH", "/account", ["not", "an", "object"], BAD_REQUEST_400),
    ],
    ids=["bad-body", "bad-body-unknown-id", "unknown-id", "short-password", "blank-password", "non-object-body"],
)
def test_account_checks_the_token_before_the_body_and_the_lookup(
    client: FlaskClient, bob: User, method: str, url: str, body: Any, answer: tuple[int, dict[str, Any]]
) -> None:
    without_token = client.open(url, method=method, json=body)
    with_token = client.open(url, method=method, json=body, headers=bearer(own_token(bob)))

    assert (without_token.status_code, without_token.get_json()) == (401, MISSING_HEADER)
    assert (with_token.status_code, with_token.get_json()) == answer


# --- store --------------------------------------------------------------------------------------------


@pytest.fixture
def product(app: Flask) -> Product:
    return add_product(add_category("Electronics"), "iPhone X", price=999)


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("PATCH", "/products/{id}", {"price": "abc"}),
        ("PATCH", "/products/{id}", None),
        ("PATCH", "/products/999999", {"price": "abc"}),
        ("DELETE", "/products/999999", None),
        ("POST", "/categories", {"name": ""}),
        ("POST", "/products", {"name": "x", "price": "abc", "category_id": 1}),
    ],
    ids=["bad-price", "no-body", "bad-price-unknown-product", "unknown-product", "blank-name", "bad-product"],
)
def test_store_checks_the_token_then_the_permission_before_anything_else(
    client: FlaskClient, make_user: MakeUser, product: Product, method: str, url: str, body: Any
) -> None:
    url = url.format(id=product.id)
    customer = own_token(make_user("carol", role=Role.CUSTOMER))  # holds no store permission

    without_token = client.open(url, method=method, json=body)
    without_permission = client.open(url, method=method, json=body, headers=bearer(customer))

    assert without_token.get_json() == NO_AUTHORIZATION
    assert without_permission.get_json() == FORBIDDEN
    assert (row_count(Product), price_of(product.id)) == (1, 999)


@pytest.mark.parametrize(
    ("method", "url", "body", "problem"),
    [
        ("PATCH", "/products/{id}", {"price": "abc"}, BAD_SYNTAX),
        ("PATCH", "/products/999999", {"price": "abc"}, BAD_SYNTAX),
        ("POST", "/categories", {"name": ""}, BAD_REQUEST),
        ("POST", "/products", {"name": "x", "price": "abc", "category_id": 1}, BAD_REQUEST),
    ],
    ids=["bad-price", "bad-price-unknown-product", "blank-name", "bad-product"],
)
def test_store_validates_the_body_before_looking_anything_up(
    client: FlaskClient, make_user: MakeUser, product: Product, method: str, url: str, body: Any, problem: Any
) -> None:
    """The bodies above are really invalid: with the permission they are refused for it, unknown id or not."""
    admin = own_token(make_user("admin", role=Role.ADMIN))

    response = client.open(url.format(id=product.id), method=method, json=body, headers=bearer(admin))

    assert response.get_json() == problem
    assert (row_count(Product), price_of(product.id)) == (1, 999)


# --- path and query models on a guarded route ---------------------------------------------------------
# `<id:...>` turns non-digits into a route miss, and the one guarded query of the APIs (the bucketlist
# list's ?limit=&page=) is tried first; a probe blueprint then shows each way flask-openapi3's path and
# query validation can fail, after the guard.


@pytest.mark.parametrize("query", ["limit=abc", "limit=0", "limit=5&page=-1", "page=abc"])
def test_a_bad_bucketlist_query_without_a_token_is_401(client: FlaskClient, bob: User, query: str) -> None:
    without_token = client.get(f"/bucketlists/?{query}")
    with_token = client.get(f"/bucketlists/?{query}", headers=bearer(own_token(bob)))

    assert without_token.status_code == 401
    assert with_token.status_code == 400


class ProbeError(BaseModel):
    msg: Any = None


class ProbePath(BaseModel):
    item_id: Annotated[int, Field(le=10)]


class ProbeQuery(BaseModel):
    size: Annotated[int, Field(ge=1)]


@pytest.fixture
def probe(app: Flask) -> Iterator[FlaskClient]:
    """The app with one extra API: `GET /probe/<item_id>?size=` behind a guard, errors in the account dialect."""
    bp = ApiBlueprint("probe", __name__, error_model=ProbeError)
    guard = Guard(source=HeaderToken(), refusals={}, default=Refusal(401, "no entry"))

    @bp.get("/probe/<int:item_id>", responses={200: ProbeError})
    @guard.required()
    def probe_view(path: ProbePath, query: ProbeQuery) -> dict[str, Any]:
        """Echo the validated values."""
        return {"item": path.item_id, "size": query.size}

    app.register_api(bp)
    yield app.test_client()


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("/probe/11?size=1", {"item_id": "Input should be less than or equal to 10"}),
        ("/probe/1?size=0", {"size": "Input should be greater than or equal to 1"}),
        ("/probe/1", {"size": "Field required"}),
        ("/probe/11?size=abc", {"item_id": "Input should be less than or equal to 10"}),
    ],
    ids=["bad-path", "bad-query", "missing-query", "bad-path-and-query"],
)
def test_a_bad_path_or_query_value_without_a_token_is_401(
    probe: FlaskClient, bob: User, url: str, problem: dict[str, str]
) -> None:
    without_token = probe.get(url)
    with_token = probe.get(url, headers=bearer(own_token(bob)))

    assert (without_token.status_code, without_token.get_json()) == (401, {"msg": "no entry"})
    # The fallback (account) dialect's validation list.
    assert (with_token.status_code, with_token.get_json()) == (400, {"status": "fail", "data": [problem]})


def test_the_probe_answers_valid_values(probe: FlaskClient, bob: User) -> None:
    response = probe.get("/probe/10?size=3", headers=bearer(own_token(bob)))

    assert response.get_json() == {"item": 10, "size": 3}
