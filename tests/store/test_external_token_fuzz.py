"""The fuzz over the external provider's path (issue 7), on a store route whose guard accepts external tokens:
tokens of any header and claims, signed by the provider's key, by the app's, by the provider's public key used
as an HMAC secret (key confusion) or not at all; and key sets of any content. None is a server error, and
only the provider's own signature, by RS256 and the key it publishes, is accepted."""

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from flask import Flask, Response
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from jwt.algorithms import RSAAlgorithm

from apiary.core.tokens import codec, init_tokens
from tests.store.helpers import PROVIDER_EC_KID, PROVIDER_KID, Provider
from tests.support import (
    Signer,
    bearer,
    claims_of,
    forged_jwt,
    fuzz,
    json_values,
    jwt_headers,
    jwt_payloads,
    plausible_or_hostile,
    served,
    signer,
)

# A product no test makes: a token the guard accepts gets the 404 of the lookup after it.
MISSING_PRODUCT = "/products/999999"
GUARD_ANSWERS = {400, 401, 403}
ACCEPTED = 404


def _signers(provider: Provider) -> dict[str, Signer | None]:
    public_pem = provider.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    own = codec().key
    return {
        "the provider's key": signer("RS256", provider.key),
        "the app's key": signer(own.algorithm, own.private),
        "the provider's public key as an HMAC secret": lambda message: hmac.digest(public_pem, message, hashlib.sha256),
        "no key": None,
    }


@settings(fuzz, max_examples=100)  # a few in a hundred are accepted, which the last assertions need
@given(data=st.data())
def test_no_external_token_is_a_server_error(jwks_client: FlaskClient, provider: Provider, data: st.DataObject) -> None:
    claims = claims_of(provider.token(permissions=["delete:products"]))
    header = data.draw(jwt_headers("RS256", PROVIDER_KID, PROVIDER_EC_KID), label="header")
    payload = data.draw(jwt_payloads(claims), label="payload")
    signers = _signers(provider)
    # The provider's key half the time, so that tokens reach the checks after the signature's.
    signed_by = data.draw(st.just("the provider's key") | st.sampled_from(sorted(signers)), label="signed by")

    token = forged_jwt(header, payload, signers[signed_by])
    status = jwks_client.delete(MISSING_PRODUCT, headers=bearer(token)).status_code

    assert status in GUARD_ANSWERS | {ACCEPTED}
    if status == ACCEPTED:
        assert signed_by == "the provider's key" and isinstance(header, dict)
        assert (header.get("alg"), header.get("kid")) == ("RS256", PROVIDER_KID)


class KeySetServer:
    """A JWKS URL that answers whatever `body` holds at the time."""

    def __init__(self) -> None:
        self.body = b""
        publisher = Flask("fuzzed_jwks")
        publisher.add_url_rule("/jwks.json", view_func=lambda: Response(self.body, content_type="application/json"))
        self.publisher = publisher


@pytest.fixture(scope="module")
def key_set_server() -> Iterator[tuple[KeySetServer, str]]:
    server = KeySetServer()
    with served(server.publisher) as base_url:
        yield server, f"{base_url}/jwks.json"


def key_sets(published: dict[str, Any]) -> st.SearchStrategy[bytes]:
    """Key sets holding the `published` key as it is or with members dropped or of hostile types, next to any
    other value; documents with no `keys` list; JSON of any shape, nested past the recursion limit, or no JSON."""
    key = st.fixed_dictionaries(
        {},
        optional={name: plausible_or_hostile(value) for name, value in published.items()}
        | {"kty": plausible_or_hostile("RSA", "EC", "oct", "OKP"), "use": plausible_or_hostile("sig", "enc")},
    )
    documents = st.fixed_dictionaries({"keys": st.lists(st.just(published) | key | json_values, max_size=3)})
    deep = st.integers(1_000, 5_000).map(lambda depth: "[" * depth + "]" * depth)
    return (
        (documents | json_values).map(lambda document: json.dumps(document).encode())
        | deep.map(str.encode)
        | st.binary()
    )


@fuzz
@given(data=st.data())
def test_no_key_set_is_a_server_error(
    jwks_client: FlaskClient, provider: Provider, key_set_server: tuple[KeySetServer, str], data: st.DataObject
) -> None:
    server, url = key_set_server
    published = RSAAlgorithm.to_jwk(provider.key.public_key(), as_dict=True) | {"kid": PROVIDER_KID, "alg": "RS256"}
    server.body = data.draw(key_sets(published), label="key set")
    app = jwks_client.application
    # A codec of its own per example, as a restarted app has: it fetches the key set anew.
    init_tokens(app, app.extensions["apiary.settings"].model_copy(update={"jwt_jwks_url": url}))

    response = jwks_client.delete(MISSING_PRODUCT, headers=bearer(provider.token(permissions=["delete:products"])))

    assert response.status_code in GUARD_ANSWERS | {ACCEPTED}
