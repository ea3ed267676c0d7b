"""An external provider whose key set is broken refuses its tokens as tokens of an unknown key, never a 500;
and an API that refuses external tokens anyway fetches nothing for them (issue 7, findings 3 and 5)."""

from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, Response

from apiary.core.identity import ROLE_PERMISSIONS, Role
from apiary.store.models import Category
from tests.store.helpers import AUDIENCE, ISSUER, Provider
from tests.support import bearer, row_count, served, sqlite_app

BROKEN_KEY_SETS = {
    "no keys": '{"keys": []}',
    "no keys member": "{}",
    "not JSON": "<html><body>Maintenance</body></html>",
    "a key without its members": '{"keys": [{"kty": "RSA", "kid": "provider-key"}]}',
    "a key of no known type": '{"keys": [{"kty": "XYZ", "kid": "provider-key"}]}',
    "nested too deeply": "[" * 5000 + "]" * 5000,
}


@pytest.fixture(scope="module", params=BROKEN_KEY_SETS.values(), ids=BROKEN_KEY_SETS.keys())
def broken_provider(request: pytest.FixtureRequest, provider_key: rsa.RSAPrivateKey) -> Iterator[Provider]:
    """A provider whose JWKS URL answers one broken key set, counting the fetches."""
    publisher = Flask("broken_jwks")
    fetches: list[str] = []

    @publisher.get("/jwks.json")
    def jwks() -> Response:
        fetches.append("/jwks.json")
        return Response(request.param, content_type="application/json")

    with served(publisher) as base_url:
        yield Provider(key=provider_key, jwks_url=f"{base_url}/jwks.json", fetches=fetches)


@pytest.fixture
def app(broken_provider: Provider) -> Iterator[Flask]:
    with sqlite_app(jwt_jwks_url=broken_provider.jwks_url, jwt_issuer=ISSUER, jwt_audience=AUDIENCE) as app:
        yield app


def test_the_store_refuses_the_token_as_one_of_an_unknown_key(app: Flask, broken_provider: Provider) -> None:
    token = broken_provider.token(permissions=sorted(ROLE_PERMISSIONS[Role.ADMIN]))

    response = app.test_client().post("/categories", json={"name": "Machinery"}, headers=bearer(token))

    assert response.status_code == 400
    assert response.get_json()["message"]["code"] == "invalid_header"
    assert row_count(Category) == 0


def test_review_refuses_the_token_as_one_of_an_unknown_key(app: Flask, broken_provider: Provider) -> None:
    token = broken_provider.token(permissions=sorted(ROLE_PERMISSIONS[Role.MENTOR]))

    response = app.test_client().get("/coders", headers=bearer(token))

    assert (response.status_code, response.get_json()["message"]) == (401, "Unable to find appropriate key")


@pytest.mark.parametrize(("path", "status"), [("/account", 422), ("/bucketlists/", 401), ("/verify-token", 401)])
def test_apis_that_refuse_external_tokens_fetch_nothing_for_them(
    app: Flask, broken_provider: Provider, path: str, status: int
) -> None:
    token = broken_provider.token(permissions=[])
    client = app.test_client()
    broken_provider.fetches.clear()  # the server outlives each test

    response = (
        client.post(path, headers=bearer(token)) if path == "/verify-token" else client.get(path, headers=bearer(token))
    )

    assert response.status_code == status
    assert broken_provider.fetches == []
