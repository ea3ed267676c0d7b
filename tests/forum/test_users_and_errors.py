"""GET /users/<id> for users of every API, and the forum's envelope for URLs and methods it has no route for."""

from typing import Any

import pytest
from flask.testing import FlaskClient

from apiary.core.identity import Role, User
from tests.forum.helpers import BAD_BODY, NOT_FOUND, TIMESTAMP, USER_KEYS, error, register, user_missing
from tests.support import PASSWORD, MakeUser


def test_a_forum_users_profile(client: FlaskClient) -> None:
    registered = register(client, "alice_1").get_json()

    response = client.get(f"/users/{registered['id']}")

    assert (response.status_code, response.get_json()) == (200, registered)


def test_a_user_of_another_api_has_a_forum_profile(client: FlaskClient, make_user: MakeUser) -> None:
    admin = make_user("store-admin", role=Role.ADMIN, email="admin@example.com")

    body = client.get(f"/users/{admin.id}").get_json()

    assert set(body) == USER_KEYS
    assert (body["id"], body["username"]) == (admin.id, "store-admin")
    assert TIMESTAMP.fullmatch(body["date_registered"])


def test_an_email_only_user_shows_a_null_username_and_no_email(client: FlaskClient, make_user: MakeUser) -> None:
    eve = make_user(None, email="eve@example.com")

    body = client.get(f"/users/{eve.id}").get_json()

    assert (body["id"], body["username"]) == (eve.id, None)
    assert "eve@example.com" not in str(body)


@pytest.mark.parametrize("given", ["999", "abc", "0", "-1", "2147483648"])
def test_a_missing_user_is_404_naming_the_id_as_given(client: FlaskClient, make_user: MakeUser, given: str) -> None:
    make_user("alice_1")

    response = client.get(f"/users/{given}")

    assert (response.status_code, response.get_json()) == (404, user_missing(given))


def test_a_profile_never_shows_the_password(client: FlaskClient, make_user: MakeUser) -> None:
    alice: User = make_user("alice_1")

    text = client.get(f"/users/{alice.id}").get_data(as_text=True)

    assert PASSWORD not in text
    assert "password" not in text


# --- URLs and methods without a route, under the forum's prefixes ----------------------------------------


@pytest.mark.parametrize(
    "path", ["/articles/1/nothing", "/articles/", "/users", "/users/1/articles/2", "/register/more", "/login/x"]
)
def test_an_unknown_url_is_404_in_the_forum_envelope(client: FlaskClient, path: str) -> None:
    response = client.get(path)

    assert (response.status_code, response.get_json()) == (404, NOT_FOUND)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/register", {"POST"}),
        ("GET", "/login", {"POST"}),
        ("GET", "/verify-token", {"POST"}),
        ("POST", "/articles", {"GET"}),
        ("DELETE", "/articles/1", {"GET"}),
        ("POST", "/articles/1/edit", {"PUT"}),
        ("GET", "/articles/1/delete", {"DELETE"}),
        ("PUT", "/users/1", {"GET"}),
    ],
)
def test_a_wrong_method_is_405_in_the_forum_envelope(
    client: FlaskClient, method: str, path: str, allowed: set[str]
) -> None:
    response = client.open(path, method=method)

    assert (response.status_code, response.get_json()) == (405, error("Method Not Allowed"))
    assert allowed <= set(response.headers["Allow"].replace(" ", "").split(","))


def test_a_body_over_a_mebibyte_is_413_in_the_forum_envelope(client: FlaskClient) -> None:
    response = client.post("/register", json={"username": "alice_1", "password": "x" * (1024 * 1024)})

    assert (response.status_code, response.get_json()) == (413, error("Request Entity Too Large"))


@pytest.mark.parametrize("body", [{"username": "ali\x00ce", "password": PASSWORD}, {"username": {"a": "\x00"}}])
def test_text_holding_nul_is_400(client: FlaskClient, body: dict[str, Any]) -> None:
    assert client.post("/register", json=body).get_json() == BAD_BODY
