"""One user's refreshes are counted together wherever a refresh token is redeemed (issue 7, finding 6): the
account's /auth/refresh and the OAuth refresh_token grant share RATELIMIT_REFRESH."""

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from apiary.core.extensions import db
from apiary.core.identity import Token
from apiary.core.users import create_user
from tests.oauth.helpers import TOKEN
from tests.support import PASSWORD, bearer, row_count, sqlite_app


@pytest.fixture
def client() -> Iterator[FlaskClient]:
    with sqlite_app(ratelimit_enabled=True, ratelimit_auth="100 per minute", ratelimit_refresh="3 per hour") as app:
        for name in ("bob", "carol"):
            create_user(username=name, email=None, password=PASSWORD)
        db.session.commit()
        yield app.test_client()


def _refresh_token(client: FlaskClient, username: str) -> str:
    answer = client.post("/auth/login", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200
    return answer.json["data"]["refresh_token"]


def _grant(client: FlaskClient, refresh_token: str) -> int:
    return client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": refresh_token}).status_code


def test_the_oauth_grant_and_the_account_refresh_share_one_limit_per_user(client: FlaskClient) -> None:
    first, second = _refresh_token(client, "bob"), _refresh_token(client, "bob")

    statuses = [
        _grant(client, first),
        client.post("/auth/refresh", headers=bearer(second)).status_code,
        _grant(client, second),
        _grant(client, first),
    ]
    refused = client.post("/auth/refresh", headers=bearer(first))

    assert statuses == [200, 200, 200, 429]
    assert (refused.status_code, refused.json) == (429, {"status": "fail", "message": "too many requests"})
    assert int(refused.headers["Retry-After"]) > 0
    assert _grant(client, _refresh_token(client, "carol")) == 200


def test_a_refused_refresh_issues_no_token(client: FlaskClient) -> None:
    token = _refresh_token(client, "bob")
    assert [_grant(client, token) for _ in range(3)] == [200, 200, 200]
    stored = row_count(Token)

    assert _grant(client, token) == 429
    assert row_count(Token) == stored
