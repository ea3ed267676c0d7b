"""Account validation lists hold every problem at once, in the spec's order (issue 6 item 9)."""

from typing import Any

import pytest
from flask.testing import FlaskClient

from apiary.core.identity import User
from tests.account.helpers import login, token_count, user_count
from tests.support import PASSWORD, AuthHeaders, MakeUser

IN_USE = {"username": "is already in use."}
SHORT = {"password": "minimum length of 3 characters"}
BLANK = {"password": "must be filled"}


@pytest.fixture
def bob(make_user: MakeUser) -> User:
    return make_user("bob")


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        ({"username": "bob", "password": "ab"}, [SHORT, IN_USE]),
        ({"username": "bob", "password": ""}, [BLANK, IN_USE]),
        ({"username": "bob"}, [BLANK, IN_USE]),
        ({"username": "bob", "password": "good-password"}, [IN_USE]),
        ({"username": "alice", "password": "ab"}, [SHORT]),
        ({"username": "", "password": "ab"}, [{"username": "must be filled"}, SHORT]),
    ],
    ids=["taken-short", "taken-blank", "taken-missing", "taken-only", "free-short", "blank-username-short"],
)
def test_register_lists_the_password_problem_then_the_taken_username(
    client: FlaskClient, bob: User, body: dict[str, Any], problems: list[dict[str, str]]
) -> None:
    response = client.post("/auth/register", json=body)

    assert (response.status_code, response.get_json()) == (400, {"status": "fail", "data": problems})
    assert user_count() == 1
    assert login(client, "bob", PASSWORD).status_code == 200


@pytest.mark.parametrize(
    ("method", "body", "problems"),
    [
        ("PUT", {"password": "ab"}, [SHORT]),
        ("PUT", {"password": ""}, [BLANK]),
        ("PUT", {}, [BLANK]),
        ("PATCH", {"password": "ab"}, [SHORT]),
        ("PATCH", {"password": ""}, [BLANK]),
    ],
    ids=["put-short", "put-blank", "put-missing", "patch-short", "patch-blank"],
)
def test_account_update_lists_the_password_problem_and_changes_nothing(
    client: FlaskClient, bob: User, auth_headers: AuthHeaders, method: str, body: dict[str, Any], problems: Any
) -> None:
    headers = auth_headers(bob)

    response = client.open("/account", method=method, json=body, headers=headers)

    assert (response.status_code, response.get_json()) == (400, {"status": "fail", "data": problems})
    assert client.get("/account", headers=headers).status_code == 200  # no token was revoked
    assert login(client, "bob", PASSWORD).status_code == 200
    assert token_count() == 3
