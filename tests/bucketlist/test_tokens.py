"""Spec 003's tokens: `Authorization: <any word> <token>`, its two refusal texts, Apiary's own tokens only."""

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient
from jwt.algorithms import RSAAlgorithm

from apiary.core.extensions import db
from apiary.core.identity import Token, TokenType, User
from tests.bucketlist.helpers import EXPIRED_TOKEN, INVALID_TOKEN, add_bucketlist, add_item, header, stored_rows
from tests.support import MakeUser, own_token, sqlite_app

ENDPOINTS = [
    ("GET", "/bucketlists/"),
    ("POST", "/bucketlists/"),
    ("GET", "/bucketlists/{b}"),
    ("PUT", "/bucketlists/{b}"),
    ("DELETE", "/bucketlists/{b}"),
    ("GET", "/bucketlists/{b}/items/"),
    ("POST", "/bucketlists/{b}/items/"),
    ("GET", "/bucketlists/{b}/items/{i}"),
    ("PUT", "/bucketlists/{b}/items/{i}"),
    ("DELETE", "/bucketlists/{b}/items/{i}"),
]


def _owned_rows(user: User) -> dict[str, int]:
    bucketlist = add_bucketlist(user, "mine")
    return {"b": bucketlist.id, "i": add_item(bucketlist, "an item").id}


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "just-one-word", "Bearer not-a-jwt", "Bearer a b"],
    ids=["no-header", "empty", "scheme-only", "no-scheme", "undecodable", "three-words"],
)
def test_every_endpoint_refuses_a_missing_or_malformed_header_with_401_before_anything_else(
    client: FlaskClient, make_user: MakeUser, method: str, path: str, authorization: str | None
) -> None:
    ids = _owned_rows(make_user(None, email="ann@example.test"))
    before = stored_rows()
    headers = {} if authorization is None else {"Authorization": authorization}

    # The body is wrong too: the token is checked first.
    response = client.open(path.format(**ids), method=method, headers=headers, json={"name": ""})

    assert (response.status_code, response.get_json()) == (401, INVALID_TOKEN)
    assert stored_rows() == before


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "Token", "JWT"])
def test_any_scheme_word_carries_the_token(client: FlaskClient, make_user: MakeUser, scheme: str) -> None:
    ann = make_user(None, email="ann@example.test")

    response = client.get("/bucketlists/", headers=header(own_token(ann), scheme))

    assert (response.status_code, response.get_json()) == (200, [])


def test_an_expired_token_has_the_specs_expired_text(client: FlaskClient, make_user: MakeUser) -> None:
    ann = make_user(None, email="ann@example.test")

    response = client.get("/bucketlists/", headers=header(own_token(ann, lifetime=-timedelta(minutes=1))))

    assert (response.status_code, response.get_json()) == (401, EXPIRED_TOKEN)


def _revoked(user: User) -> str:
    token = own_token(user)
    db.session.execute(sa.update(Token).values(revoked=True))
    db.session.commit()
    return token


def _of_a_deleted_user(user: User) -> str:
    token = own_token(user)
    db.session.delete(user)
    db.session.commit()
    return token


def _signed_with_another_secret(user: User) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user.id),
        "jti": "x",
        "type": "access",
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(hours=1),
    }
    return jwt.encode(claims, "another-secret-that-is-long-enough-0123456789", algorithm="HS256")


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda user: own_token(user, TokenType.REFRESH), id="refresh-token"),
        pytest.param(lambda user: own_token(user, stored=False), id="never-issued"),
        pytest.param(_revoked, id="revoked"),
        pytest.param(_of_a_deleted_user, id="user-deleted"),
        pytest.param(_signed_with_another_secret, id="bad-signature"),
    ],
)
def test_any_other_bad_token_has_the_specs_invalid_text(
    client: FlaskClient, make_user: MakeUser, make_token: Any
) -> None:
    token = make_token(make_user(None, email="ann@example.test"))

    response = client.get("/bucketlists/", headers=header(token))

    assert (response.status_code, response.get_json()) == (401, INVALID_TOKEN)


def test_an_external_providers_token_is_refused_here_though_the_store_takes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True) | {"kid": "provider-key", "alg": "RS256"}
    # The provider's key set, as PyJWKClient would fetch it (the store's tests serve one over HTTP).
    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", lambda _client: {"keys": [jwk]})
    now = datetime.now(UTC)
    claims = {
        "sub": "auth0|someone",
        "iss": "https://issuer.test/",
        "aud": "apiary",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "permissions": ["post:new-category"],
    }
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "provider-key"})
    provider = {
        "jwt_jwks_url": "https://issuer.test/jwks.json",
        "jwt_issuer": "https://issuer.test/",
        "jwt_audience": "apiary",
    }

    with sqlite_app(**provider) as app:
        client = app.test_client()
        store = client.post("/categories", headers=header(token), json={"name": "Garden"})
        bucketlists = client.get("/bucketlists/", headers=header(token))

    assert store.status_code == 200
    assert (bucketlists.status_code, bucketlists.get_json()) == (401, INVALID_TOKEN)
