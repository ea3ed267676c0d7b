"""The app factory and its settings."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import request
from pydantic import ValidationError

from apiary import create_app
from apiary.core.config import Settings
from tests.support import TEST_CONFIG, make_app


def test_config_mapping_overrides_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCESS_TOKEN_MINUTES", "7")
    app = make_app(database_url="sqlite://", access_token_minutes=3)
    assert app.extensions["apiary.settings"].access_token_minutes == 3
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_environment_fills_what_the_mapping_leaves_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCESS_TOKEN_MINUTES", "7")
    assert make_app(database_url="sqlite://").extensions["apiary.settings"].access_token_minutes == 7


@pytest.mark.parametrize("secret", [None, "", "too-short-for-production"])
def test_production_refuses_a_missing_or_short_secret(secret: str | None) -> None:
    config = {**TEST_CONFIG, "apiary_env": "production", "secret_key": secret}
    with pytest.raises(ValidationError, match="SECRET_KEY must be set to at least 32"):
        create_app(config)


@pytest.mark.parametrize("secret", ["p" * 32, " " * 40, "\t\n" * 20, "abab" * 10, "0123456789"[:9] * 4])
def test_production_refuses_a_long_but_guessable_secret_without_showing_it(secret: str) -> None:
    config = {**TEST_CONFIG, "apiary_env": "production", "secret_key": secret}
    with pytest.raises(ValidationError, match="at least 10 different characters") as refused:
        create_app(config)
    assert secret.strip()[:4] not in str(refused.value) or not secret.strip()
    assert repr(secret) not in str(refused.value) and "input_value" not in str(refused.value)


def test_production_starts_with_a_long_random_secret() -> None:
    secret = "k7Q2xv9LmR4tW8zB1nC6pF3hJ5sD0gYa"
    app = create_app({**TEST_CONFIG, "apiary_env": "production", "secret_key": secret, "database_url": "sqlite://"})
    assert app.config["SECRET_KEY"] == secret


def test_auth0_shorthand_fills_the_generic_provider_settings() -> None:
    settings = Settings(_env_file=None, **TEST_CONFIG, auth0_domain="flasky.us.auth0.com", api_audience="flasky")
    assert settings.jwt_jwks_url == "https://flasky.us.auth0.com/.well-known/jwks.json"
    assert settings.jwt_issuer == "https://flasky.us.auth0.com/"
    assert settings.jwt_audience == "flasky"


def test_a_jwks_url_needs_issuer_and_audience() -> None:
    with pytest.raises(ValidationError, match="JWT_ISSUER and JWT_AUDIENCE"):
        Settings(_env_file=None, **TEST_CONFIG, jwt_jwks_url="https://id.example/jwks.json")


def test_rs256_needs_both_key_files() -> None:
    with pytest.raises(ValidationError, match="JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE"):
        Settings(_env_file=None, **TEST_CONFIG, jwt_algorithm="RS256")


def test_rs256_tokens_round_trip(tmp_path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_file, public_file = tmp_path / "private.pem", tmp_path / "public.pem"
    private_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public_file.write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    app = make_app(
        database_url="sqlite://",
        jwt_algorithm="RS256",
        jwt_private_key_file=str(private_file),
        jwt_public_key_file=str(public_file),
    )
    codec = app.extensions["apiary.tokens"]
    token = codec.encode({"sub": "1", "jti": "j", "type": "access", "iat": 1, "nbf": 1, "exp": 2**40})
    claims, own = codec.decode(token, accept_external=False)
    assert own and claims["sub"] == "1"
    assert codec.key.algorithm == "RS256" and len(codec.key.kid) == 43  # an RFC 7638 thumbprint


def test_openapi_document_lists_every_route(client) -> None:
    paths = client.get("/openapi/openapi.json").json["paths"]
    assert {"/auth/login", "/account", "/products/{product_id}", "/categories/{category_id}/products"} <= set(paths)
    assert paths["/products"]["post"]["summary"] == "Create a product (permission post:new-product)."
    assert paths["/products"]["post"]["requestBody"]["content"]["application/json"]["schema"]["required"] == [
        "name",
        "price",
        "category_id",
    ]


def test_swagger_ui_is_served_offline(client) -> None:
    response = client.get("/openapi/swagger")
    assert response.status_code == 200
    assert b"swagger/js/swagger-ui-bundle.js" in response.data
    with client.get("/openapi/swagger/js/swagger-ui-bundle.js") as bundle:
        assert bundle.status_code == 200


def test_an_unknown_log_level_is_refused_clearly() -> None:
    with pytest.raises(ValidationError, match="log_level"):
        make_app(database_url="sqlite://", log_level="LOUD")


def test_behind_a_proxy_the_forwarded_client_address_is_used() -> None:
    app = make_app(database_url="sqlite://", proxy_count=1)
    seen: list[str | None] = []
    app.before_request(lambda: seen.append(request.remote_addr))
    app.test_client().get("/", headers={"X-Forwarded-For": "203.0.113.9"})
    assert seen == ["203.0.113.9"]
