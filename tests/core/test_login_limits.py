"""Failed logins are limited per account name, on every login, shared through Redis, and never a 500."""

import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from apiary.core.extensions import db
from apiary.core.users import create_user
from tests.serving.servers import spare_port
from tests.support import PASSWORD, TEST_REDIS_URL, delete_redis_keys, sqlite_app

STORAGES = ["memory", "redis"] if TEST_REDIS_URL else ["memory"]
TOO_MANY = {"status": "fail", "message": "too many requests"}


@contextmanager
def limited_app(*, redis_url: str | None = None, prefix: str | None = None, **overrides: object) -> Iterator[Flask]:
    """An app whose only limit that matters is the failed-login one (5 per minute by default)."""
    prefix = prefix or f"apiary-test-{uuid.uuid4().hex}"
    with sqlite_app(
        ratelimit_enabled=True,
        ratelimit_auth="1000 per minute",
        ratelimit_key_prefix=prefix,
        redis_url=redis_url,
        **overrides,
    ) as app:
        create_user(username="bob", email="bob@example.com", password=PASSWORD)
        db.session.commit()
        yield app
    if redis_url:
        delete_redis_keys(redis_url, prefix)


@pytest.fixture(params=STORAGES)
def client(request: pytest.FixtureRequest) -> Iterator[FlaskClient]:
    with limited_app(redis_url=TEST_REDIS_URL if request.param == "redis" else None) as app:
        yield app.test_client()


def _login(client: FlaskClient, password: str, username: str = "bob") -> int:
    return client.post("/auth/login", json={"username": username, "password": password}).status_code


def test_after_five_failures_even_the_right_password_is_429_until_the_window_passes(client: FlaskClient) -> None:
    assert [_login(client, "wrong") for _ in range(5)] == [401] * 5

    refused = client.post("/auth/login", json={"username": "bob", "password": PASSWORD})

    assert refused.status_code == 429
    assert refused.json == TOO_MANY
    assert 1 <= int(refused.headers["Retry-After"]) <= 61


def test_other_accounts_are_not_affected(client: FlaskClient) -> None:
    for _ in range(6):
        _login(client, "wrong")

    assert _login(client, "whatever", username="alice") == 401


def test_successful_logins_do_not_count(client: FlaskClient) -> None:
    assert [_login(client, PASSWORD) for _ in range(8)] == [200] * 8


def test_the_email_login_is_limited_too_in_its_own_dialect(client: FlaskClient) -> None:
    credentials = {"email": "bob@example.com", "password": "wrong"}
    assert [client.post("/auth/login", data=credentials).status_code for _ in range(5)] == [401] * 5

    refused = client.post("/auth/login", data={"email": "bob@example.com", "password": PASSWORD})

    assert (refused.status_code, refused.json) == (429, {"message": "Too Many Requests"})


def test_the_window_passing_lets_the_account_in_again() -> None:
    with limited_app(ratelimit_login_failures="2 per 1 second") as app:
        client = app.test_client()
        assert [_login(client, "wrong") for _ in range(3)] == [401, 401, 429]
        time.sleep(1.1)
        assert _login(client, PASSWORD) == 200


@pytest.mark.skipif(not TEST_REDIS_URL, reason="TEST_REDIS_URL is not set")
def test_instances_sharing_redis_share_the_counters() -> None:
    prefix = f"apiary-test-{uuid.uuid4().hex}"
    with limited_app(redis_url=TEST_REDIS_URL, prefix=prefix) as first, first.test_client() as one:
        for _ in range(3):
            assert _login(one, "wrong") == 401
        with limited_app(redis_url=TEST_REDIS_URL, prefix=prefix) as second, second.test_client() as other:
            assert [_login(other, "wrong") for _ in range(2)] == [401, 401]
            assert _login(other, PASSWORD) == 429


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_when_redis_goes_away_logins_still_work_and_are_still_limited() -> None:
    port = spare_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        with redis.Redis(port=port) as probe:
            for _ in range(50):
                try:
                    probe.ping()
                    break
                except redis.ConnectionError:
                    time.sleep(0.1)
        with limited_app(redis_url=f"redis://127.0.0.1:{port}/0") as app:
            client = app.test_client()
            assert _login(client, "wrong") == 401
            server.terminate()
            server.wait(timeout=10)

            assert _login(client, PASSWORD) == 200
            assert [_login(client, "wrong") for _ in range(5)] == [401] * 5
            assert _login(client, PASSWORD) == 429
    finally:
        server.kill()
        server.wait(timeout=10)
