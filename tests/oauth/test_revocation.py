"""POST /oauth/revoke (RFC 7009): a revoked token is refused everywhere; any token is answered 200."""

import pytest
from flask.testing import FlaskClient

from apiary.core.identity import Role
from tests.oauth.helpers import EVERY_API, REVOKE, TOKEN, assert_oauth_error, token_pair
from tests.support import MakeUser, bearer, own_token


@pytest.mark.parametrize("hint", [None, "access_token", "refresh_token", "something_else"])
def test_a_revoked_access_token_is_refused_by_every_api(client: FlaskClient, make_user: MakeUser, hint: str) -> None:
    make_user("mentor", role=Role.MENTOR, email="mentor@example.com")
    access_token, refresh_token = token_pair(client, "mentor")

    answer = client.post(REVOKE, data={"token": access_token} | ({"token_type_hint": hint} if hint else {}))

    assert answer.status_code == 200
    assert answer.data == b""
    assert answer.headers["Cache-Control"] == "no-store"
    for method, path, _ in EVERY_API:
        assert getattr(client, method)(path, headers=bearer(access_token), json={}).status_code == 401, path
    # The refresh token of the same grant is a token of its own, and still works.
    assert client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": refresh_token}).status_code == 200


def test_a_revoked_refresh_token_gets_nothing_anywhere(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("user")
    _, refresh_token = token_pair(client)

    assert client.post(REVOKE, data={"token": refresh_token}).status_code == 200

    refused = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": refresh_token})
    assert_oauth_error(refused, "invalid_grant")
    assert client.post("/auth/refresh", headers=bearer(refresh_token)).status_code == 401


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo"],
    ids=["not a JWT", "three parts", "signed elsewhere"],
)
def test_an_unknown_token_is_answered_200_and_changes_nothing(
    client: FlaskClient, make_user: MakeUser, token: str
) -> None:
    make_user("user")
    access_token, _ = token_pair(client)

    assert client.post(REVOKE, data={"token": token}).status_code == 200
    assert client.get("/account", headers=bearer(access_token)).status_code == 200


def test_a_token_never_stored_is_answered_200(client: FlaskClient, make_user: MakeUser) -> None:
    user = make_user("user")

    assert client.post(REVOKE, data={"token": own_token(user, stored=False)}).status_code == 200


def test_revoking_twice_is_200_both_times(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("user")
    access_token, _ = token_pair(client)

    assert [client.post(REVOKE, data={"token": access_token}).status_code for _ in range(2)] == [200, 200]


@pytest.mark.parametrize("parameters", [{}, {"token": ""}, {"token_type_hint": "access_token"}])
def test_a_missing_token_is_invalid_request(client: FlaskClient, parameters: dict) -> None:
    assert_oauth_error(client.post(REVOKE, data=parameters), "invalid_request")
