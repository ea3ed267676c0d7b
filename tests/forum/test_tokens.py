"""The forum's token: in the body field "access-token" (or a Bearer header), Apiary's one format, checked first."""

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient
from jwt.algorithms import RSAAlgorithm

from apiary.core.identity import TokenType, User
from apiary.forum.models import Article
from tests.forum.helpers import (
    BAD_BODY,
    INVALID_TOKEN,
    TOKEN_MISSING,
    add_article,
    article_state,
    forum_token,
    with_token,
)
from tests.support import PASSWORD, MakeUser, bearer, claims_of, own_token, sqlite_app

PROTECTED = [
    ("POST", "/verify-token"),
    ("POST", "/articles/new"),
    ("PUT", "/articles/{id}/edit"),
    ("DELETE", "/articles/{id}/delete"),
]


@pytest.fixture
def alice(make_user: MakeUser) -> User:
    return make_user("alice_1")


@pytest.fixture
def article(alice: User) -> Article:
    return add_article(alice)


def call(client: FlaskClient, method: str, path: str, article: Article, **kwargs: Any) -> Any:
    return client.open(path.format(id=article.id), method=method, **kwargs)


# --- POST /verify-token ----------------------------------------------------------------------------------


def test_verify_token_names_the_tokens_user(client: FlaskClient, alice: User) -> None:
    token = forum_token(client, "alice_1")

    response = client.post("/verify-token", json=with_token(token))

    assert (response.status_code, response.get_json()) == (200, {"username": "alice_1", "id": alice.id})


def test_a_bearer_header_works_as_well(client: FlaskClient, alice: User) -> None:
    token = forum_token(client, "alice_1")

    response = client.post("/verify-token", headers=bearer(token))

    assert (response.status_code, response.get_json()) == (200, {"username": "alice_1", "id": alice.id})


def test_the_body_token_wins_over_the_header(client: FlaskClient, alice: User, make_user: MakeUser) -> None:
    make_user("bob_2")
    alice_token, bob_token = forum_token(client, "alice_1"), forum_token(client, "bob_2")

    assert client.post("/verify-token", json=with_token(alice_token), headers=bearer(bob_token)).get_json() == {
        "username": "alice_1",
        "id": alice.id,
    }
    response = client.post("/verify-token", json=with_token("garbage"), headers=bearer(alice_token))
    assert (response.status_code, response.get_json()) == (401, INVALID_TOKEN)


# --- a missing token, on every protected route, before anything else is looked at -----------------------

MISSING: list[dict[str, Any]] = [
    {"json": {}},
    {"json": {"access-token": None}},
    {"json": {"access-token": ""}},
    {"json": {"access_token": "eyJ..."}},
    {"json": {}, "headers": {"Authorization": "Basic YWxpY2U6cHc="}},
    {"json": {}, "headers": {"Authorization": "Bearer"}},
]
# No JSON object to read a token from, and none in a header: spec 002's 400 for a missing or invalid body.
NO_JSON_OBJECT: list[dict[str, Any]] = [
    {},
    {"json": ["not", "an", "object"]},
    {"data": "{not json", "content_type": "application/json"},
    {"data": "access-token=abc", "content_type": "application/x-www-form-urlencoded"},
    {"headers": {"Authorization": "Basic YWxpY2U6cHc="}},
    {"headers": {"Authorization": "Bearer"}},
    {"data": '{"access-token": "t", "title": ' + "[" * 2000 + "]" * 2000 + "}", "content_type": "application/json"},
]


NO_TOKEN = [(args, (401, TOKEN_MISSING)) for args in MISSING] + [(args, (400, BAD_BODY)) for args in NO_JSON_OBJECT]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
@pytest.mark.parametrize(("request_args", "answer"), NO_TOKEN)
def test_no_token_is_refused_before_anything_else(
    client: FlaskClient, article: Article, method: str, path: str, request_args: dict[str, Any], answer: Any
) -> None:
    before = article_state(article.id)

    response = call(client, method, path, article, **request_args)

    assert (response.status_code, response.get_json()) == answer
    assert article_state(article.id) == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/articles/new", {}),
        ("PUT", "/articles/999/edit", {}),
        ("PUT", "/articles/abc/edit", {"title": "T"}),
        ("DELETE", "/articles/999/delete", {}),
    ],
)
def test_the_token_is_checked_before_the_article_and_the_fields(
    client: FlaskClient, method: str, path: str, body: dict[str, Any]
) -> None:
    assert client.open(path, method=method, json=body).get_json() == TOKEN_MISSING
    assert client.open(path, method=method, json=with_token("garbage", **body)).get_json() == INVALID_TOKEN


# --- an invalid token ---------------------------------------------------------------------------------------


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    return f"{header}.{payload}.{signature[:-4]}AAAA"


INVALID = {
    "not a string": lambda user: 12345,
    "not a JWT": lambda user: "garbage",
    "three dots": lambda user: "a.b.c",
    "tampered signature": lambda user: _tampered(own_token(user)),
    "expired": lambda user: own_token(user, lifetime=timedelta(seconds=-5)),
    "refresh token": lambda user: own_token(user, TokenType.REFRESH),
    "never issued here": lambda user: own_token(user, stored=False),
    "other secret": lambda user: jwt.encode(claims_of(own_token(user)), "another-secret-" * 4, algorithm="HS256"),
    "old format with the password": lambda user: jwt.encode(
        {"username": user.username, "password": PASSWORD}, "test-secret-key-that-is-long-enough-0123456789"
    ),
}


@pytest.mark.parametrize(("method", "path"), PROTECTED)
@pytest.mark.parametrize("make_token", INVALID.values(), ids=INVALID.keys())
def test_an_invalid_token_is_401_invalid(
    client: FlaskClient, alice: User, article: Article, method: str, path: str, make_token: Any
) -> None:
    before = article_state(article.id)

    response = call(client, method, path, article, json=with_token(make_token(alice), title="T", text="X"))

    assert (response.status_code, response.get_json()) == (401, INVALID_TOKEN)
    assert article_state(article.id) == before


def test_a_valid_own_token_is_accepted_as_the_control(client: FlaskClient, alice: User) -> None:
    """The forged tokens above differ from this one in one respect each."""
    assert client.post("/verify-token", json=with_token(own_token(alice))).status_code == 200


def test_a_revoked_token_is_refused(client: FlaskClient, alice: User) -> None:
    token = forum_token(client, "alice_1")
    tokens = client.get("/auth/token", headers=bearer(token)).get_json()["data"]
    token_id = next(t["id"] for t in tokens if t["jti"] == claims_of(token)["jti"])

    assert client.put(f"/auth/token/{token_id}", json={"revoke": True}, headers=bearer(token)).status_code == 200

    assert client.post("/verify-token", json=with_token(token)).get_json() == INVALID_TOKEN


def test_a_password_change_elsewhere_ends_older_forum_tokens(client: FlaskClient, alice: User) -> None:
    old = forum_token(client, "alice_1")

    assert client.put("/account", json={"password": "N3w-pass!"}, headers=bearer(old)).status_code == 200

    assert client.post("/verify-token", json=with_token(old)).get_json() == INVALID_TOKEN
    new = forum_token(client, "alice_1", "N3w-pass!")
    assert client.post("/verify-token", json=with_token(new)).status_code == 200


def test_deleting_the_account_ends_its_tokens_and_its_articles(client: FlaskClient, alice: User) -> None:
    token = forum_token(client, "alice_1")
    article_id = add_article(alice).id

    assert client.delete("/account", headers=bearer(token)).status_code == 201

    assert client.post("/verify-token", json=with_token(token)).get_json() == INVALID_TOKEN
    assert article_state(article_id) == (0, None)
    assert client.get(f"/articles/{article_id}").status_code == 404


# --- tokens of other logins ------------------------------------------------------------------------------


def test_a_token_from_auth_login_works_here(client: FlaskClient, alice: User) -> None:
    login = client.post("/auth/login", json={"username": "alice_1", "password": PASSWORD})
    token = login.get_json()["data"]["access_token"]

    response = client.post("/articles/new", json=with_token(token, title="T", text="X"))

    assert response.status_code == 200
    assert response.get_json()["user_id"] == alice.id


def test_a_forum_token_works_on_the_account_api(client: FlaskClient, alice: User) -> None:
    token = forum_token(client, "alice_1")

    response = client.get("/account", headers=bearer(token))

    assert (response.status_code, response.get_json()) == (
        200,
        {"status": "success", "data": {"id": str(alice.id), "username": "alice_1"}},
    )


def test_an_email_users_token_works_here_and_shows_no_username(client: FlaskClient) -> None:
    credentials = {"email": "eve@example.com", "password": PASSWORD}
    assert client.post("/auth/register", json=credentials).status_code == 201
    token = client.post("/auth/login", json=credentials).get_json()["access_token"]

    verified = client.post("/verify-token", json=with_token(token)).get_json()
    created = client.post("/articles/new", json=with_token(token, title="T", text="X")).get_json()

    assert verified == {"username": None, "id": int(claims_of(token)["sub"])}
    assert created["author.username"] is None
    assert client.get(f"/users/{verified['id']}").get_json()["username"] is None


@pytest.fixture
def served_directory(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served over HTTP on 127.0.0.1 (PyJWT fetches key sets over HTTP only), and its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=tmp_path))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_an_external_providers_token_is_refused_here(served_directory: tuple[Path, str]) -> None:
    """The store accepts the provider's tokens when one is configured; the forum has no user for them."""
    folder, url = served_directory
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True) | {"kid": "provider-1", "alg": "RS256"}
    (folder / "jwks.json").write_text(json.dumps({"keys": [jwk]}))
    now = datetime.now(UTC)
    claims = {
        "sub": "auth0|tester",
        "iss": "https://issuer.test/",
        "aud": "apiary",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "permissions": ["post:new-category"],
    }
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "provider-1"})

    with sqlite_app(jwt_jwks_url=f"{url}/jwks.json", jwt_issuer=claims["iss"], jwt_audience=claims["aud"]) as app:
        client = app.test_client()
        store = client.post("/categories", json={"name": "Garden"}, headers=bearer(token))
        forum = client.post("/articles/new", json=with_token(token, title="T", text="X"))

    assert store.status_code == 200
    assert (forum.status_code, forum.get_json()) == (401, INVALID_TOKEN)
