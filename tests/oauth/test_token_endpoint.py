"""POST /oauth/token (RFC 6749): the password and refresh_token grants, and every error code of §5.2."""

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from apiary.core.extensions import db
from apiary.core.identity import Role, TokenType
from apiary.core.users import create_user
from tests.oauth.helpers import EVERY_API, TOKEN, assert_oauth_error, password_grant, token_pair, without_claims
from tests.support import PASSWORD, AuthHeaders, MakeUser, bearer, claims_of, sqlite_app


def test_a_password_grant_answers_a_token_pair_that_is_never_cached(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("user")

    answer = password_grant(client)

    assert answer.status_code == 200
    assert set(answer.json) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert answer.json["token_type"] == "Bearer"
    assert answer.json["expires_in"] == 15 * 60
    assert claims_of(answer.json["access_token"])["type"] == "access"
    assert claims_of(answer.json["refresh_token"])["type"] == "refresh"
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Pragma"] == "no-cache"


def test_the_access_token_works_on_every_api(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("mentor", role=Role.MENTOR, email="mentor@example.com")
    access_token, _ = token_pair(client, "mentor")

    for method, path, status in EVERY_API:
        answer = getattr(client, method)(path, headers=bearer(access_token), json={"name": "Books"})
        assert answer.status_code == status, (path, answer.json)


def test_a_user_registered_by_email_alone_gives_the_email_as_username(client: FlaskClient, make_user: MakeUser) -> None:
    make_user(None, email="ann@example.com")

    access_token, _ = token_pair(client, "ann@example.com")

    assert client.get("/bucketlists/", headers=bearer(access_token)).status_code == 200


def test_a_username_wins_over_another_user_s_email(client: FlaskClient, make_user: MakeUser) -> None:
    """The name is the identity tokens carry: someone's username, or the email of a user without one."""
    make_user(None, email="ann@example.com", password="another-Pass-1")  # the older row
    named = make_user("ann@example.com")

    access_token, _ = token_pair(client, "ann@example.com")

    assert claims_of(access_token)["sub"] == str(named.id)


def test_a_refresh_grant_answers_a_new_access_token(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("user")
    first_access, refresh_token = token_pair(client)

    answer = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": refresh_token})

    assert answer.status_code == 200
    assert set(answer.json) == {"access_token", "token_type", "expires_in"}
    assert answer.json["access_token"] != first_access
    assert answer.headers["Cache-Control"] == "no-store"
    assert client.get("/account", headers=bearer(answer.json["access_token"])).status_code == 200


@pytest.mark.parametrize(
    "parameters",
    [
        {"grant_type": "password", "username": "user", "password": "wrong-password"},
        {"grant_type": "password", "username": "nobody", "password": PASSWORD},
        {"grant_type": "password", "username": "x" * 300, "password": PASSWORD},
        {"grant_type": "refresh_token", "refresh_token": "not-a-token"},
    ],
    ids=["wrong password", "unknown user", "longer than any name", "not a token"],
)
def test_bad_credentials_are_invalid_grant(client: FlaskClient, make_user: MakeUser, parameters: dict) -> None:
    make_user("user")

    assert_oauth_error(client.post(TOKEN, data=parameters), "invalid_grant")


def test_an_access_token_offered_as_a_refresh_token_is_invalid_grant(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("user")
    access_token, _ = token_pair(client)

    answer = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": access_token})

    assert_oauth_error(answer, "invalid_grant")


def test_a_refresh_token_from_before_a_password_change_is_invalid_grant(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders
) -> None:
    user = make_user("user")
    access_token, refresh_token = token_pair(client)
    assert client.put("/account", headers=bearer(access_token), json={"password": "another-Pass-1"}).status_code == 200

    answer = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": refresh_token})

    assert_oauth_error(answer, "invalid_grant")
    assert client.get("/account", headers=auth_headers(user)).status_code == 200  # new tokens work


@pytest.mark.parametrize(
    "parameters",
    [
        {},
        {"grant_type": ""},
        {"username": "user", "password": PASSWORD},
        {"grant_type": "password", "password": PASSWORD},
        {"grant_type": "password", "username": "", "password": PASSWORD},
        {"grant_type": "password", "username": "user"},
        {"grant_type": "password", "username": "user", "password": ""},
        {"grant_type": "refresh_token"},
        {"grant_type": "refresh_token", "refresh_token": ""},
        {"grant_type": "password", "username": "user\x00", "password": PASSWORD},
    ],
    ids=[
        "nothing",
        "empty grant_type",
        "no grant_type",
        "no username",
        "empty username",
        "no password",
        "empty password",
        "no refresh_token",
        "empty refresh_token",
        "a NUL character",
    ],
)
def test_a_missing_or_empty_parameter_is_invalid_request(
    client: FlaskClient, make_user: MakeUser, parameters: dict
) -> None:
    make_user("user")

    assert_oauth_error(client.post(TOKEN, data=parameters), "invalid_request")


def test_a_repeated_parameter_is_invalid_request(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("user")

    answer = client.post(TOKEN, data={"grant_type": "password", "username": ["user", "user"], "password": PASSWORD})

    assert_oauth_error(answer, "invalid_request")


def test_json_is_invalid_request_the_parameters_are_form_encoded(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("user")

    answer = client.post(TOKEN, json={"grant_type": "password", "username": "user", "password": PASSWORD})

    assert_oauth_error(answer, "invalid_request")


@pytest.mark.parametrize(
    "grant_type", ["client_credentials", "authorization_code", "urn:ietf:params:oauth:x", "Password", '"\\ é\x1b']
)
def test_another_grant_type_is_unsupported_grant_type(client: FlaskClient, grant_type: str) -> None:
    answer = client.post(TOKEN, data={"grant_type": grant_type, "username": "user", "password": PASSWORD})

    assert_oauth_error(answer, "unsupported_grant_type")
    # Never the client's words: a description is printable ASCII without quotes or backslashes (§5.2).
    assert answer.json["error_description"] == "grant_type is password or refresh_token"


def test_other_answers_keep_the_oauth_envelope(client: FlaskClient) -> None:
    assert client.get(TOKEN).status_code == 405
    assert client.get(TOKEN).json["error"] == "invalid_request"
    assert client.get("/oauth/elsewhere").json == {"error": "invalid_request", "error_description": "Not Found"}


def test_tokens_of_every_login_carry_the_issuer_and_audience(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("user", email="user@example.com")
    logins = {
        "oauth": token_pair(client)[0],
        "account": client.post("/auth/login", json={"username": "user", "password": PASSWORD}).json["data"][
            "access_token"
        ],
        "bucketlist": client.post("/auth/login", json={"email": "user@example.com", "password": PASSWORD}).json[
            "access_token"
        ],
        "forum": client.post("/login", json={"username": "user", "password": PASSWORD}).json["access-token"],
    }

    for login, token in logins.items():
        assert {claims_of(token)[name] for name in ("iss", "aud")} == {"https://apiary.localhost", "apiary"}, login


@pytest.mark.parametrize(
    "changes",
    [{"iss": "https://elsewhere.example"}, {"aud": "another-api"}, {"aud": ["another-api"]}],
    ids=["another issuer", "another audience", "another audience list"],
)
def test_a_token_for_another_issuer_or_audience_is_refused(
    app: Flask, client: FlaskClient, make_user: MakeUser, changes: dict
) -> None:
    make_user("user")
    access_token, _ = token_pair(client)
    forged = app.extensions["apiary.tokens"].encode(claims_of(access_token) | changes)  # signed with the right key

    assert client.get("/account", headers=bearer(forged)).status_code == 422
    assert client.get("/account", headers=bearer(access_token)).status_code == 200


def test_a_token_without_issuer_and_audience_is_refused(app: Flask, client: FlaskClient, make_user: MakeUser) -> None:
    """Tokens issued before iss and aud were added stop working."""
    make_user("user")
    access_token, _ = token_pair(client)
    assert client.get("/account", headers=bearer(without_claims(access_token, "iss", "aud"))).status_code == 422


def test_a_refresh_token_without_issuer_is_invalid_grant(client: FlaskClient, make_user: MakeUser) -> None:
    """The decoder's explanation quotes the claim; the answer names the reason alone (no 500 from Authlib)."""
    make_user("user")
    _, refresh_token = token_pair(client)
    old_format = without_claims(refresh_token, "iss")

    answer = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": old_format})

    assert_oauth_error(answer, "invalid_grant")
    assert answer.json["error_description"] == "The refresh token is refused: invalid"


def test_the_issuer_and_audience_are_settings() -> None:
    with sqlite_app(apiary_issuer="https://id.shop.example", apiary_audience="shop") as app:
        from apiary.core.extensions import db
        from apiary.core.users import create_user

        create_user(username="user", email=None, password=PASSWORD)
        db.session.commit()
        client = app.test_client()
        access_token, _ = token_pair(client)

        assert claims_of(access_token)["iss"] == "https://id.shop.example"
        assert claims_of(access_token)["aud"] == "shop"
        assert client.get("/account", headers=bearer(access_token)).status_code == 200


@pytest.fixture
def limited_client() -> Iterator[FlaskClient]:
    """An app that counts failed logins (two a minute) and limits logins per client (four a minute)."""
    with sqlite_app(
        ratelimit_enabled=True, ratelimit_login_failures="2 per minute", ratelimit_auth="4 per minute"
    ) as app:
        create_user(username="user", email=None, password=PASSWORD)
        db.session.commit()
        yield app.test_client()


def test_failed_password_grants_count_against_the_login_limit(limited_client: FlaskClient) -> None:
    assert [password_grant(limited_client, password="wrong").status_code for _ in range(2)] == [400, 400]

    refused = password_grant(limited_client)
    other_login = limited_client.post("/auth/login", json={"username": "user", "password": PASSWORD})

    assert refused.status_code == 429
    assert refused.json["error"] == "invalid_request"
    assert int(refused.headers["Retry-After"]) > 0
    assert other_login.status_code == 429  # the same account's counter, whichever API logs in


def test_the_token_endpoint_has_the_login_rate_limit(limited_client: FlaskClient) -> None:
    statuses = [
        limited_client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": "x"}).status_code
        for _ in range(5)
    ]

    assert statuses == [400, 400, 400, 400, 429]


def test_refreshed_tokens_are_of_the_access_type(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("user")
    _, refresh_token = token_pair(client)

    access_token = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": refresh_token}).json[
        "access_token"
    ]

    assert claims_of(access_token)["type"] == TokenType.ACCESS.value
