"""Login and register endpoints are rate limited per client, in memory or in Redis."""

import os
import uuid
from collections.abc import Iterator

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from apiary.core.extensions import db
from apiary.core.users import create_user
from tests.support import PASSWORD, bearer, sqlite_app

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
STORAGES = ["memory", "redis"] if TEST_REDIS_URL else ["memory"]


@pytest.fixture(params=STORAGES)
def limited_app(request: pytest.FixtureRequest) -> Iterator[Flask]:
    prefix = f"apiary-test-{uuid.uuid4().hex}"
    redis_url = TEST_REDIS_URL if request.param == "redis" else None
    with sqlite_app(
        ratelimit_enabled=True,
        ratelimit_auth="3 per minute",
        ratelimit_refresh="2 per hour",
        ratelimit_key_prefix=prefix,
        redis_url=redis_url,
    ) as app:
        yield app
    if redis_url:
        with redis.Redis.from_url(redis_url) as server:
            leftovers = list(server.scan_iter(f"*{prefix}*"))
            if leftovers:
                server.delete(*leftovers)


def test_the_fourth_login_in_a_minute_is_429_in_the_envelope(limited_app: Flask) -> None:
    client = limited_app.test_client()
    credentials = {"username": "nobody", "password": "wrong"}
    statuses = [client.post("/auth/login", json=credentials).status_code for _ in range(3)]
    assert statuses == [401, 401, 401]
    response = client.post("/auth/login", json=credentials)
    assert response.status_code == 429
    assert response.json == {"status": "fail", "message": "too many requests"}
    assert "Retry-After" in response.headers


def test_other_routes_are_not_limited(limited_app: Flask) -> None:
    client = limited_app.test_client()
    assert {client.get("/health").status_code for _ in range(6)} == {200}


def test_refreshes_are_limited_per_user_whatever_token_or_address(limited_app: Flask) -> None:
    client = limited_app.test_client()
    for name in ("bob", "carol"):
        create_user(username=name, email=None, password=PASSWORD)
    db.session.commit()
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
