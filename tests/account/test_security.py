"""Issue 7 on the account API's real routes: sticky revocation, bounded and printable names, token answers."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from apiary.core.db import utcnow
from apiary.core.extensions import db
from apiary.core.identity import (
    MAX_EMAIL_LENGTH,
    MAX_PASSWORD_LENGTH,
    MAX_USERNAME_LENGTH,
    Token,
    TokenType,
)
from tests.account.helpers import BAD_CREDENTIALS, BAD_REQUEST, REVOKED, login_tokens, token_row, user_count
from tests.support import PASSWORD, MakeUser, bearer, own_token, row_count


def _validation(field: str, problem: str) -> dict[str, object]:
    return {"status": "fail", "data": [{field: problem}]}


# Finding 1: a password change's revocation cannot be undone.


@pytest.mark.parametrize("method", ["put", "patch"])
def test_restoring_a_token_revoked_by_a_password_change_does_not_revive_it(
    client: FlaskClient, make_user: MakeUser, method: str
) -> None:
    make_user("bob")
    old_access, old_refresh = login_tokens(client, "bob")
    changed = getattr(client, method)("/account", json={"password": "brand-new"}, headers=bearer(old_access))
    assert changed.status_code == 200
    new_access, _ = login_tokens(client, "bob", "brand-new")
    for old in (old_access, old_refresh):
        restored = client.put(f"/auth/token/{token_row(old).id}", json={"revoke": False}, headers=bearer(new_access))
        assert restored.json == {"status": "success", "message": "Token unrevoked"}
    assert client.post("/auth/refresh", headers=bearer(old_refresh)).json == REVOKED
    assert client.get("/account", headers=bearer(old_access)).json == REVOKED
    assert client.get("/account", headers=bearer(new_access)).status_code == 200
    listed = client.get("/auth/token", headers=bearer(new_access)).json["data"]
    assert [token["revoked"] for token in listed] == [True, True, False, False]  # the list says so too


def test_tokens_of_a_deleted_account_stay_refused_whatever_the_list_says(
    client: FlaskClient, make_user: MakeUser
) -> None:
    make_user("bob")
    access, refresh = login_tokens(client, "bob")
    assert client.delete("/account", headers=bearer(access)).status_code == 201
    make_user("bob")  # the name is taken again, by someone else
    db.session.execute(sa.update(Token).values(revoked=False))
    db.session.commit()
    assert client.get("/account", headers=bearer(access)).status_code in (401, 404)
    assert client.post("/auth/refresh", headers=bearer(refresh)).status_code in (401, 404)


# Finding 3 on the real route: account's "other decode failure" answer.


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("eyJhbGciOiJIUzI1NiIsImtpZCI6MTIzfQ.e30.AAAA", "Key ID header parameter must be a string"),
        ("eyJhbGciOiJIUzI1NiIsImNyaXQiOlsiZXhwIl19.e30.AAAA", "Unsupported critical extension: exp"),
    ],
)
def test_a_malformed_jwt_header_is_422_not_500(client: FlaskClient, token: str, message: str) -> None:
    response = client.get("/account", headers=bearer(token))
    assert (response.status_code, response.json) == (422, {"msg": message})


# Finding 4: text that is not UTF-8 is a bad request, before any authentication.


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/auth/register", {"username": "\ud800", "password": PASSWORD}),
        ("/auth/register", {"username": "eve", "password": "pass\udfff"}),
        ("/auth/register", {"username": "eve", "password": PASSWORD, "email": "\ud800@example.com"}),
        ("/auth/login", {"username": "\ud800", "password": PASSWORD}),
        ("/auth/login", {"email": "\ud800@example.com", "password": PASSWORD}),
    ],
)
def test_a_lone_surrogate_is_a_bad_request(client: FlaskClient, path: str, body: dict[str, str]) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 400
    assert user_count() == 0


def test_a_lone_surrogate_in_a_new_password_is_a_bad_request(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("bob")
    access, _ = login_tokens(client, "bob")
    response = client.patch("/account", json={"password": [[["\ud800"]]]}, headers=bearer(access))
    assert (response.status_code, response.json) == (400, BAD_REQUEST)
    assert login_tokens(client, "bob")  # the password did not change


# Finding 2 on the real route: the NUL check no longer recurses.


@pytest.mark.parametrize("depth", [325, 1_000, 100_000])
def test_a_deeply_nested_password_is_a_bad_request(client: FlaskClient, make_user: MakeUser, depth: int) -> None:
    make_user("bob")
    access, _ = login_tokens(client, "bob")
    body = '{"password": ' + "[" * depth + "]" * depth + "}"
    response = client.patch("/account", data=body, content_type="application/json", headers=bearer(access))
    assert (response.status_code, response.json) == (400, BAD_REQUEST)


# Findings 6 and 7: bounded names, passwords and emails; no control characters in names.


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        (
            {"username": "u" * (MAX_USERNAME_LENGTH + 1)},
            "username",
            f"maximum length of {MAX_USERNAME_LENGTH} characters",
        ),
        (
            {"password": "p" * (MAX_PASSWORD_LENGTH + 1)},
            "password",
            f"maximum length of {MAX_PASSWORD_LENGTH} characters",
        ),
        ({"email": "e" * MAX_EMAIL_LENGTH + "@x"}, "email", f"maximum length of {MAX_EMAIL_LENGTH} characters"),
        ({"username": "evil\nCreated user admin"}, "username", "must not contain control characters"),
        ({"username": "clear\x1b[2J"}, "username", "must not contain control characters"),
        ({"username": "bell\x07"}, "username", "must not contain control characters"),
        ({"email": "tab\t@example.com"}, "email", "must not contain control characters"),
    ],
)
def test_registration_refuses_names_that_are_too_long_or_hold_control_characters(
    client: FlaskClient, body: dict[str, str], field: str, problem: str
) -> None:
    response = client.post("/auth/register", json={"username": "eve", "password": PASSWORD} | body)
    assert (response.status_code, response.json) == (400, _validation(field, problem))
    assert user_count() == 0


def test_names_and_passwords_of_the_maximum_length_are_accepted(client: FlaskClient) -> None:
    username, password = "u" * MAX_USERNAME_LENGTH, "p" * MAX_PASSWORD_LENGTH
    body = {"username": username, "password": password, "email": "e" * (MAX_EMAIL_LENGTH - 2) + "@x"}
    assert client.post("/auth/register", json=body).status_code == 200
    assert login_tokens(client, username, password)


def test_a_new_password_that_is_too_long_is_refused(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("bob")
    access, _ = login_tokens(client, "bob")
    for method in ("put", "patch"):
        response = getattr(client, method)(
            "/account", json={"password": "p" * (MAX_PASSWORD_LENGTH + 1)}, headers=bearer(access)
        )
        assert (response.status_code, response.json) == (
            400,
            _validation("password", f"maximum length of {MAX_PASSWORD_LENGTH} characters"),
        )
    assert client.get("/account", headers=bearer(access)).status_code == 200  # nothing was revoked


def test_a_login_with_an_oversized_name_is_refused_without_a_lookup(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("bob")
    response = client.post("/auth/login", json={"username": "b" * 500_000, "password": PASSWORD})
    assert (response.status_code, response.json) == (400, BAD_REQUEST)  # longer than any text of a body
    response = client.post("/auth/login", json={"username": "bob", "password": "p" * (MAX_PASSWORD_LENGTH + 1)})
    assert (response.status_code, response.json) == (401, BAD_CREDENTIALS)


def test_the_email_dialect_is_bounded_by_the_core_too(client: FlaskClient) -> None:
    """The bucketlist API words its email's length rule itself; the core's floor (no control characters)
    answers in its dialect."""
    response = client.post("/auth/register", data={"email": "e" * MAX_EMAIL_LENGTH + "@x", "password": PASSWORD})
    assert (response.status_code, response.json) == (
        400,
        {"message": f"email must be at most {MAX_EMAIL_LENGTH} characters"},
    )
    response = client.post("/auth/register", data={"email": "two\nlines@example.com", "password": PASSWORD})
    assert (response.status_code, response.json) == (400, {"message": "email must not contain control characters"})
    assert user_count() == 0


# Finding 6: the token store is pruned by the app itself.


def test_logging_in_deletes_the_users_expired_tokens_only(client: FlaskClient, make_user: MakeUser) -> None:
    bob, carol = make_user("bob"), make_user("carol")
    for user in (bob, carol):
        own_token(user, lifetime=-timedelta(minutes=1))
        own_token(user, TokenType.REFRESH, lifetime=-timedelta(days=1))
    alive = own_token(bob)
    access, refresh = login_tokens(client, "bob")
    bob_jtis = {row.jti for row in db.session.scalars(sa.select(Token).where(Token.user_id == bob.id))}
    assert bob_jtis == {token_row(token).jti for token in (alive, access, refresh)}
    assert row_count(Token) == 3 + 2


def test_refreshing_deletes_the_users_expired_tokens(client: FlaskClient, make_user: MakeUser) -> None:
    bob = make_user("bob")
    _, refresh = login_tokens(client, "bob")
    own_token(bob, lifetime=-timedelta(minutes=1))
    assert client.post("/auth/refresh", headers=bearer(refresh)).status_code == 200
    assert db.session.scalars(sa.select(Token).where(Token.expires < utcnow())).all() == []
    assert row_count(Token) == 3


def test_the_store_keeps_at_most_tokens_per_user_for_each_user(
    app: Flask, client: FlaskClient, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.extensions["apiary.settings"], "tokens_per_user", 3)
    bob, carol = make_user("bob"), make_user("carol")
    oldest, older = own_token(bob), own_token(bob)
    carols = own_token(carol)

    access, refresh = login_tokens(client, "bob")  # two more of bob's: the oldest one goes

    bob_jtis = {row.jti for row in db.session.scalars(sa.select(Token).where(Token.user_id == bob.id))}
    assert bob_jtis == {token_row(token).jti for token in (older, access, refresh)}
    assert client.get("/account", headers=bearer(oldest)).status_code == 401
    assert client.get("/account", headers=bearer(carols)).status_code == 200
    assert row_count(Token) == 3 + 1


# Hardening: token answers are never cached.


def test_every_token_answer_is_marked_no_store(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("bob", email="bob@example.com")
    login = client.post("/auth/login", json={"username": "bob", "password": PASSWORD})
    email_login = client.post("/auth/login", data={"email": "bob@example.com", "password": PASSWORD})
    refresh = client.post("/auth/refresh", headers=bearer(login.json["data"]["refresh_token"]))
    for response in (login, email_login, refresh):
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
    account = client.get("/account", headers=bearer(login.json["data"]["access_token"]))
    assert "Cache-Control" not in account.headers
