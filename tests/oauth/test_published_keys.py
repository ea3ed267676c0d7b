"""What Apiary publishes for others to trust its tokens: RFC 8414 metadata, the JWKS, and key rotation."""

import hashlib
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from flask import Flask
from flask.testing import FlaskClient
from pydantic import ValidationError

from apiary.core.config import Settings
from apiary.core.extensions import db
from apiary.core.users import create_user
from tests.oauth.helpers import JWKS, METADATA, PRIVATE_MEMBERS, KeyPair, generate_key_pair, token_pair
from tests.support import PASSWORD, bearer, make_app, served, sqlite_app

ISSUER = "https://apiary.localhost"


def _instance(database: Path, **settings: object) -> Flask:
    """An app on a SQLite file that several apps share, as a deployment's instances share their database."""
    app = make_app(database_url=f"sqlite:///{database}", **settings)
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture
def rs256_app(key_a: KeyPair) -> Iterator[Flask]:
    with sqlite_app(**key_a.signing()) as app:
        create_user(username="user", email=None, password=PASSWORD)
        db.session.commit()
        yield app


def test_the_metadata_names_every_endpoint_under_the_configured_issuer(client: FlaskClient) -> None:
    answer = client.get(METADATA, headers={"Host": "attacker.example"}, base_url="http://attacker.example")

    assert answer.status_code == 200
    assert answer.json == {
        "issuer": ISSUER,
        "token_endpoint": f"{ISSUER}/oauth/token",
        "revocation_endpoint": f"{ISSUER}/oauth/revoke",
        "jwks_uri": f"{ISSUER}/.well-known/jwks.json",
        "grant_types_supported": ["password", "refresh_token"],
        "response_types_supported": [],  # no authorization endpoint
        "token_endpoint_auth_methods_supported": ["none"],
        "revocation_endpoint_auth_methods_supported": ["none"],
        "service_documentation": f"{ISSUER}/docs",
    }


def test_a_deployment_sets_the_issuer() -> None:
    with sqlite_app(apiary_issuer="https://id.shop.example/") as app:
        metadata = app.test_client().get(METADATA).json

    assert metadata["issuer"] == "https://id.shop.example/"
    assert metadata["token_endpoint"] == "https://id.shop.example/oauth/token"


@pytest.mark.parametrize(
    "issuer", ["http://apiary.example", "https://apiary.example/?tenant=1", "https://apiary.example/#x", "apiary"]
)
def test_the_issuer_is_an_https_url_without_query_or_fragment(issuer: str) -> None:
    with pytest.raises(ValidationError, match="APIARY_ISSUER"):
        Settings(_env_file=None, apiary_issuer=issuer, secret_key="s" * 40)


def test_with_hs256_no_key_is_published(client: FlaskClient) -> None:
    assert client.get(JWKS).json == {"keys": []}


def test_the_jwks_publishes_the_public_key_its_tokens_name(rs256_app: Flask, key_a: KeyPair) -> None:
    client = rs256_app.test_client()
    access_token, refresh_token = token_pair(client)

    keys = client.get(JWKS).json["keys"]

    assert len(keys) == 1
    assert set(keys[0]) == {"kty", "use", "alg", "kid", "n", "e"}
    assert {name: keys[0][name] for name in ("kty", "use", "alg")} == {"kty": "RSA", "use": "sig", "alg": "RS256"}
    assert {jwt.get_unverified_header(token)["kid"] for token in (access_token, refresh_token)} == {keys[0]["kid"]}
    public_numbers = serialization.load_pem_public_key(key_a.public.read_bytes()).public_numbers()
    published = jwt.PyJWK(keys[0]).key.public_numbers()
    assert (published.n, published.e) == (public_numbers.n, public_numbers.e)


def test_the_kid_is_the_rfc_7638_thumbprint(rs256_app: Flask) -> None:
    (key,) = rs256_app.test_client().get(JWKS).json["keys"]
    # RFC 7638 §3: the SHA-256 of the required members, in lexicographic order, without whitespace.
    canonical = json.dumps({"e": key["e"], "kty": "RSA", "n": key["n"]}, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).digest()

    assert key["kid"] == jwt.utils.base64url_encode(digest).decode()


def test_no_private_member_is_published_even_when_the_public_key_file_holds_the_private_key(
    key_a: KeyPair, key_b: KeyPair
) -> None:
    """A private key file named as a public one (current or retired) still publishes its public half alone."""
    settings = key_a.signing(key_b) | {"jwt_public_key_file": key_a.private}
    settings["jwt_retired_public_key_files"] = [key_b.private]
    with sqlite_app(**settings) as app:
        keys = app.test_client().get(JWKS).json["keys"]

    assert len(keys) == 2
    for key in keys:
        assert not PRIVATE_MEMBERS & set(key)
        assert set(key) == {"kty", "use", "alg", "kid", "n", "e"}


def test_another_service_verifies_a_token_with_pyjwkclient_over_http(rs256_app: Flask) -> None:
    with served(rs256_app) as url:
        answer = requests.post(
            f"{url}/oauth/token", data={"grant_type": "password", "username": "user", "password": PASSWORD}, timeout=10
        )
        access_token = answer.json()["access_token"]

        signing_key = jwt.PyJWKClient(f"{url}{JWKS}").get_signing_key_from_jwt(access_token)
        claims = jwt.decode(access_token, signing_key.key, algorithms=["RS256"], audience="apiary", issuer=ISSUER)

    assert claims["username"] == "user"
    assert claims["type"] == "access"


def test_rotation_a_retired_key_s_tokens_work_until_it_leaves_the_list(
    tmp_path: Path, key_a: KeyPair, key_b: KeyPair
) -> None:
    database = tmp_path / "apiary.db"
    first = _instance(database, **key_a.signing())
    with first.app_context():
        create_user(username="user", email=None, password=PASSWORD)
        db.session.commit()
    before = first.test_client()
    token_of_a, refresh_of_a = token_pair(before)

    rotated = _instance(database, **key_b.signing(key_a)).test_client()
    assert rotated.get("/account", headers=bearer(token_of_a)).status_code == 200
    refreshed = rotated.post("/oauth/token", data={"grant_type": "refresh_token", "refresh_token": refresh_of_a})
    token_of_b = refreshed.json["access_token"]
    kids = [key["kid"] for key in rotated.get(JWKS).json["keys"]]
    assert kids == [jwt.get_unverified_header(token_of_b)["kid"], jwt.get_unverified_header(token_of_a)["kid"]]

    retired = _instance(database, **key_b.signing()).test_client()
    assert retired.get("/account", headers=bearer(token_of_a)).status_code == 422
    assert retired.get("/account", headers=bearer(token_of_b)).status_code == 200
    assert len(retired.get(JWKS).json["keys"]) == 1


def test_a_public_key_that_is_not_the_private_key_s_is_refused_at_start(key_a: KeyPair, key_b: KeyPair) -> None:
    with pytest.raises(ValueError, match="not the public key of JWT_PRIVATE_KEY_FILE"):
        make_app(database_url="sqlite://", **key_a.signing() | {"jwt_public_key_file": key_b.public})


def test_retired_keys_need_rs256(key_a: KeyPair) -> None:
    with pytest.raises(ValidationError, match="JWT_RETIRED_PUBLIC_KEY_FILES"):
        Settings(_env_file=None, jwt_retired_public_key_files=[key_a.public], secret_key="s" * 40)


def test_retired_keys_are_a_json_list_in_the_environment(monkeypatch: pytest.MonkeyPatch, key_a: KeyPair) -> None:
    monkeypatch.setenv("JWT_RETIRED_PUBLIC_KEY_FILES", json.dumps([str(key_a.public)]))

    settings = Settings(
        _env_file=None,
        jwt_algorithm="RS256",
        secret_key="s" * 40,
        **{"jwt_private_key_file": key_a.private, "jwt_public_key_file": key_a.public},
    )

    assert settings.jwt_retired_public_key_files == [key_a.public]


def test_keys_generate_writes_an_rsa_3072_pair_with_a_private_file_only_its_owner_reads(key_a: KeyPair) -> None:
    private_key = serialization.load_pem_private_key(key_a.private.read_bytes(), password=None)
    public_key = serialization.load_pem_public_key(key_a.public.read_bytes())

    assert private_key.key_size == 3072
    assert private_key.public_key().public_numbers() == public_key.public_numbers()
    assert stat.S_IMODE(key_a.private.stat().st_mode) == 0o600
    for line in (
        "JWT_ALGORITHM=RS256",
        f"JWT_PRIVATE_KEY_FILE={key_a.private.resolve()}",
        f"JWT_PUBLIC_KEY_FILE={key_a.public.resolve()}",
    ):
        assert line in key_a.output.splitlines()


def test_keys_generate_never_overwrites_a_key(key_a: KeyPair) -> None:
    before = key_a.private.read_bytes()

    with pytest.raises(AssertionError, match="already there"):
        generate_key_pair(key_a.private.parent)

    assert key_a.private.read_bytes() == before
