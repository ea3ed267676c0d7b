"""Two Apiary instances behind one load balancer's worth of clients, sharing one PostgreSQL database and one
Redis (issue 12): whatever one instance writes, revokes or counts, the other knows at once.

Both are real gunicorn servers with production settings, started once for the module on spare ports, on a
database of the module's own (created in the TEST_DATABASE_URL server and dropped at the end) and under a
Redis key prefix of its own. Skipped, with the reason, unless both servers answer.
"""

import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
import requests
import sqlalchemy as sa

from apiary.core.extensions import db
from tests.serving.races import REGISTRATIONS, at_once
from tests.serving.servers import Servers
from tests.support import (
    PASSWORD,
    TEST_DATABASE_URL,
    TEST_REDIS_URL,
    bearer,
    claims_of,
    delete_redis_keys,
    make_app,
    temporary_postgres_database,
)

pytestmark = pytest.mark.cluster

Instances = tuple[str, str]
NEW_PASSWORD = "n3w-Secret-Pass"
REVOCATION_DEADLINE_SECONDS = 1.0
TOO_MANY = {"status": "fail", "message": "too many requests"}


def _unavailable() -> str | None:
    """Why the shared servers cannot be used, or None when both answer."""
    if not (TEST_DATABASE_URL and TEST_REDIS_URL):
        return "needs TEST_DATABASE_URL and TEST_REDIS_URL: the PostgreSQL and Redis both instances share"
    engine = sa.create_engine(TEST_DATABASE_URL, connect_args={"connect_timeout": 2})
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as error:
        return f"PostgreSQL at TEST_DATABASE_URL does not answer ({type(error.orig).__name__})"
    finally:
        engine.dispose()
    try:
        with redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1) as server:
            server.ping()
    except redis.RedisError as error:
        return f"Redis at TEST_REDIS_URL does not answer ({type(error).__name__})"
    return None


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instances]:
    """The base URLs of two instances, each with two workers, sharing the database and the Redis counters."""
    if reason := _unavailable():
        pytest.skip(reason)
    assert TEST_REDIS_URL
    folder: Path = tmp_path_factory.mktemp("cluster")
    prefix = f"apiary-cluster-{uuid.uuid4().hex[:12]}"
    with temporary_postgres_database() as database_url:
        settings = {
            "APIARY_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": database_url,
            "REDIS_URL": TEST_REDIS_URL,
            "RATELIMIT_ENABLED": "true",
            "RATELIMIT_KEY_PREFIX": prefix,
            # Every request here comes from 127.0.0.1, so the per-address limit on logins and registrations
            # is raised; the failed-login limit per account stays at its default of 5 per minute.
            "RATELIMIT_AUTH": "1000 per minute",
            "WEB_CONCURRENCY": "2",
            # Hashing is not what these tests measure.
            "ARGON2_MEMORY_KIB": "8",
            "ARGON2_TIME_COST": "1",
        }
        # The schema the migrations make (tests/core/test_migrations.py keeps the two equal), made faster.
        with make_app(database_url=database_url).app_context():
            db.create_all()
            db.engine.dispose()
        servers = Servers(folder)
        try:
            first, second = servers.start_several(2, **settings)
            yield first, second
        finally:
            servers.stop()
            delete_redis_keys(TEST_REDIS_URL, prefix)


def _new_name() -> str:
    """A name no test has used, valid on every API (forum's 5 to 20 characters, review's 24 at most)."""
    return f"c{uuid.uuid4().hex[:12]}"


def _register(url: str, name: str) -> None:
    response = requests.post(f"{url}/auth/register", json={"username": name, "password": PASSWORD}, timeout=10)
    assert response.status_code == 200, response.text


def _login(url: str, name: str, password: str = PASSWORD, **headers: str) -> requests.Response:
    return requests.post(
        f"{url}/auth/login", json={"username": name, "password": password}, headers=headers, timeout=10
    )


def _access_token(url: str, name: str, password: str = PASSWORD) -> str:
    response = _login(url, name, password)
    assert response.status_code == 200, response.text
    return response.json()["data"]["access_token"]


# One token-guarded read per API; each answers 200 to a valid token and 401 to a revoked one.
TOKEN_CHECKS: dict[str, Callable[[str, str], requests.Response]] = {
    "account": lambda url, token: requests.get(f"{url}/account", headers=bearer(token), timeout=10),
    "forum": lambda url, token: requests.post(f"{url}/verify-token", json={"access-token": token}, timeout=10),
    "bucketlist": lambda url, token: requests.get(f"{url}/bucketlists/", headers=bearer(token), timeout=10),
}


def _answers(instances: Instances, token: str) -> dict[str, int]:
    """The status each API on each instance gives `token`, keyed "api@url"."""
    return {f"{api}@{url}": check(url, token).status_code for api, check in TOKEN_CHECKS.items() for url in instances}


def _everywhere(instances: Instances, status: int) -> dict[str, int]:
    return {f"{api}@{url}": status for api in TOKEN_CHECKS for url in instances}


def test_a_user_registered_on_one_instance_logs_in_on_the_other(instances: Instances) -> None:
    first, second = instances
    for registered_on, logs_in_on in ((first, second), (second, first)):
        name = _new_name()
        _register(registered_on, name)
        assert claims_of(_access_token(logs_in_on, name))["identity"] == name

    name = _new_name()
    forum = requests.post(f"{first}/register", json={"username": name, "password": PASSWORD}, timeout=10)
    assert forum.status_code == 200
    logged_in = requests.post(f"{second}/login", json={"username": name, "password": PASSWORD}, timeout=10)
    assert (logged_in.status_code, logged_in.json()["user_id"]) == (200, forum.json()["id"])

    email = f"{_new_name()}@example.com"
    assert (
        requests.post(f"{second}/auth/register", json={"email": email, "password": PASSWORD}, timeout=10).status_code
        == 201
    )
    by_email = requests.post(f"{first}/auth/login", json={"email": email, "password": PASSWORD}, timeout=10)
    assert by_email.status_code == 200 and by_email.json()["access_token"]


def test_a_write_on_one_instance_is_read_on_the_other_at_once(instances: Instances) -> None:
    first, second = instances
    name = _new_name()
    _register(first, name)
    token = _access_token(first, name)

    article = requests.post(
        f"{first}/articles/new", json={"access-token": token, "title": "Shared", "text": "Seen twice"}, timeout=10
    ).json()
    assert requests.get(f"{second}/articles/{article['id']}", timeout=10).json() == article

    created = requests.post(f"{second}/bucketlists/", json={"name": "See both"}, headers=bearer(token), timeout=10)
    assert created.status_code == 201
    bucketlist_url = f"/bucketlists/{created.json()['id']}"
    renamed = requests.put(f"{first}{bucketlist_url}", json={"name": "Seen"}, headers=bearer(token), timeout=10)
    assert renamed.status_code == 200
    assert requests.get(f"{second}{bucketlist_url}", headers=bearer(token), timeout=10).json() == renamed.json()


def _revoke_by_id(url: str, other: str, name: str, target: str, holder: str) -> tuple[list[str], str]:
    """PUT /auth/token/<id> with `holder` revokes `target` alone; `holder` goes on working."""
    listed = requests.get(f"{url}/auth/token", headers=bearer(holder), timeout=10).json()["data"]
    (token_id,) = [token["id"] for token in listed if token["jti"] == claims_of(target)["jti"]]
    response = requests.put(f"{url}/auth/token/{token_id}", json={"revoke": True}, headers=bearer(holder), timeout=10)
    assert response.json() == {"status": "success", "message": "Token revoked"}
    return [target], holder


def _change_password(url: str, other: str, name: str, target: str, holder: str) -> tuple[list[str], str]:
    """A password change kills every token issued before it; a login with the new password works."""
    response = requests.put(f"{url}/account", json={"password": NEW_PASSWORD}, headers=bearer(holder), timeout=10)
    assert response.status_code == 200
    return [target, holder], _access_token(other, name, NEW_PASSWORD)


def _delete_account(url: str, other: str, name: str, target: str, holder: str) -> tuple[list[str], str]:
    """DELETE /account kills every token of the user's; another user's token works on."""
    bystander = _new_name()
    _register(other, bystander)
    bystander_token = _access_token(other, bystander)
    response = requests.delete(f"{url}/account", headers=bearer(holder), timeout=10)
    assert (response.status_code, response.content) == (201, b"")
    return [target, holder], bystander_token


@pytest.mark.parametrize("revoke", [_revoke_by_id, _change_password, _delete_account], ids=lambda f: f.__name__[1:])
def test_a_token_revoked_on_one_instance_is_refused_by_both_within_a_second_on_every_api(
    instances: Instances, revoke: Callable[[str, str, str, str, str], tuple[list[str], str]]
) -> None:
    first, second = instances
    name = _new_name()
    _register(first, name)
    target, holder = _access_token(second, name), _access_token(first, name)
    assert _answers(instances, target) == _everywhere(instances, 200)

    refused_tokens, working = revoke(first, second, name, target, holder)
    revoked_at = time.monotonic()
    while True:
        answers = [_answers(instances, token) for token in refused_tokens]
        elapsed = time.monotonic() - revoked_at
        if all(answer == _everywhere(instances, 401) for answer in answers) or elapsed > REVOCATION_DEADLINE_SECONDS:
            break
        time.sleep(0.05)

    assert answers == [_everywhere(instances, 401)] * len(refused_tokens)
    assert elapsed <= REVOCATION_DEADLINE_SECONDS
    assert _answers(instances, working) == _everywhere(instances, 200)


def test_failed_logins_alternating_between_instances_and_forged_addresses_are_counted_together(
    instances: Instances,
) -> None:
    name = _new_name()
    _register(instances[0], name)

    # Without PROXY_COUNT, X-Forwarded-For is the client's word only: each attempt claims another address.
    attempts = [
        _login(instances[attempt % 2], name, "wrong-password", **{"X-Forwarded-For": f"203.0.113.{attempt + 1}"})
        for attempt in range(6)
    ]

    assert [attempt.status_code for attempt in attempts] == [401] * 5 + [429]
    refused = attempts[-1]
    assert refused.json() == TOO_MANY
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    for url in instances:
        right = _login(url, name, **{"X-Forwarded-For": "198.51.100.7"})
        assert (right.status_code, right.json()) == (429, TOO_MANY)
        assert int(right.headers["Retry-After"]) >= 1
        forum = requests.post(f"{url}/login", json={"username": name, "password": PASSWORD}, timeout=10)
        assert forum.status_code == 429 and forum.headers["Retry-After"]


@pytest.mark.parametrize("api", REGISTRATIONS)
def test_one_name_registered_on_both_instances_at_once_is_one_success_and_one_conflict(
    instances: Instances, api: str
) -> None:
    registration = REGISTRATIONS[api]
    name = _new_name()

    answers = at_once(*(registration.send(url, name) for url in instances))

    assert sorted(answer.status_code for answer in answers) == sorted([registration.created, registration.taken])
    (taken,) = [answer for answer in answers if answer.status_code == registration.taken]
    assert taken.json() == registration.taken_body
