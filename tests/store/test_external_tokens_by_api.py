"""External tokens, settled (issue 6 item 8): the store, whose rules are permissions alone, accepts a JWKS
provider's token; the account API, whose rules need a local user, refuses it as it refuses an invalid token.

Here rather than under tests/account/ because the provider's fixtures live in tests/store/conftest.py.
"""

from typing import Any

import pytest
from flask.testing import FlaskClient

from apiary.core.identity import ROLE_PERMISSIONS, Token, User
from apiary.store.models import Category
from tests.store.helpers import Provider, add_user
from tests.support import PASSWORD, bearer, row_count

EVERY_PERMISSION = sorted(set().union(*ROLE_PERMISSIONS.values()))

ACCOUNT_ROUTES = [
    ("GET", "/account", None),
    ("PUT", "/account", {"password": "new-password"}),
    ("PATCH", "/account", {"password": "new-password"}),
    ("DELETE", "/account", None),
    ("GET", "/auth/token", None),
    ("PUT", "/auth/token/1", {"revoke": True}),
    ("POST", "/auth/refresh", None),
]


@pytest.fixture
def everything(provider: Provider) -> str:
    """A provider token that grants every permission any role has."""
    return provider.token(permissions=EVERY_PERMISSION)


def test_the_store_accepts_the_token(jwks_client: FlaskClient, everything: str) -> None:
    response = jwks_client.post("/categories", json={"name": "Machinery"}, headers=bearer(everything))

    assert response.status_code == 200
    assert row_count(Category) == 1


@pytest.mark.parametrize(("method", "url", "body"), ACCOUNT_ROUTES)
def test_account_refuses_the_token_as_an_invalid_one(
    jwks_client: FlaskClient, everything: str, method: str, url: str, body: Any
) -> None:
    add_user("someone", role=None)  # a local user exists, and the token still names nobody here
    invalid = jwks_client.open(url, method=method, json=body, headers=bearer("not-a-token"))

    response = jwks_client.open(url, method=method, json=body, headers=bearer(everything))

    assert response.status_code == invalid.status_code == 422
    assert set(response.get_json()) == set(invalid.get_json()) == {"msg"}
    assert response.get_json()["msg"] == "Tokens of the external provider are not accepted here"
    assert (row_count(User), row_count(Token)) == (1, 0)
    assert jwks_client.post("/auth/login", json={"username": "someone", "password": PASSWORD}).status_code == 200
