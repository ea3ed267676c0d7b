"""Login and register endpoints are rate limited per client, and refreshes per user, in memory or in Redis, on
each database."""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.support import PASSWORD, TEST_REDIS_URL, MakeUser, bearer, delete_redis_keys

STORAGES = ["memory", "redis"] if TEST_REDIS_URL else ["memory"]


@pytest.fixture(params=STORAGES)
def app_settings(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """The `app` fixture's app has its limits on, counted in memory or in Redis (whose keys go afterwards)."""
    prefix = f"apiary-test-{uuid.uuid4().hex}"
    redis_url = TEST_REDIS_URL if request.param == "redis" else None
    yield {
        "ratelimit_enabled": True,
        "ratelimit_auth": "3 per minute",
        "ratelimit_refresh": "2 per hour",
        "ratelimit_key_prefix": prefix,
        "redis_url": redis_url,
    }
    if redis_url:
        delete_redis_keys(redis_url, prefix)


def test_the_fourth_login_in_a_minute_is_429_in_the_envelope(client: FlaskClient) -> None:
    credentials = {"username": "nobody", "password": "wrong"}
    statuses = [client.post("/auth/login", json=credentials).status_code for _ in range(3)]
    assert statuses == [401, 401, 401]
    response = client.post("/auth/login", json=credentials)
    assert response.status_code == 429
    assert response.json == {"status": "fail", "message": "too many requests"}
    assert "Retry-After" in response.headers


def test_other_routes_are_not_limited(client: FlaskClient) -> None:
    assert {client.get("/health").status_code for _ in range(6)} == {200}


def test_refreshes_are_limited_per_user_whatever_token_or_address(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("bob")
    make_user("carol")
    bob_tokens = [_refresh_token(client, "bob", address) for address in ("10.0.0.1", "10.0.0.2")]
    carol_token = _refresh_token(client, "carol", "10.0.0.3")
    statuses = [
        client.post("/auth/refresh", headers=bearer(token), environ_base={"REMOTE_ADDR": address}).status_code
        for token, address in zip(
            bob_tokens + bob_tokens, ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"], strict=True
        )
    ]
    assert statuses == [200, 200, 429, 429]
    assert client.post("/auth/refresh", headers=bearer(carol_token)).status_code == 200
    assert client.post("/auth/refresh", headers={"Authorization": "Bearer nonsense"}).status_code == 422


def _refresh_token(client: FlaskClient, username: str, address: str) -> str:
    credentials = {"username": username, "password": PASSWORD}
    response = client.post("/auth/login", json=credentials, environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 200
    return response.json["data"]["refresh_token"]
