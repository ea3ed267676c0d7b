"""Login and register endpoints are rate limited per client, in memory or in Redis."""

import os
import uuid
from collections.abc import Iterator

import pytest
import redis
from flask import Flask

from tests.support import sqlite_app

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
STORAGES = ["memory", "redis"] if TEST_REDIS_URL else ["memory"]


@pytest.fixture(params=STORAGES)
def limited_app(request: pytest.FixtureRequest) -> Iterator[Flask]:
    prefix = f"apiary-test-{uuid.uuid4().hex}"
    redis_url = TEST_REDIS_URL if request.param == "redis" else None
    with sqlite_app(
        ratelimit_enabled=True, ratelimit_auth="3 per minute", ratelimit_key_prefix=prefix, redis_url=redis_url
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
