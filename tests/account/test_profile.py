"""The caller's own account: GET, PUT, PATCH and DELETE /account."""

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from apiary.account import services as account
from apiary.core.extensions import db
from apiary.core.identity import Token, User
from tests.account.helpers import (
    BAD_CREDENTIALS,
    BAD_REQUEST,
    NOT_FOUND,
    REVOKED,
    login,
    login_tokens,
    user_count,
)
from tests.support import PASSWORD, AuthHeaders, MakeUser, bearer

UPDATE_METHODS = ["PUT", "PATCH"]


@pytest.fixture
def bob(make_user: MakeUser) -> User:
    return make_user("bob")


@pytest.fixture
def headers(bob: User, auth_headers: AuthHeaders) -> dict[str, str]:
    return auth_headers(bob)


def bob_body(user: User) -> dict[str, Any]:
    return {"status": "success", "data": {"id": str(user.id), "username": "bob"}}


# --- GET /account ----------------------------------------------------------------------------------


def test_get_account_answers_the_callers_user(client: FlaskClient, bob: User, headers: dict[str, str]) -> None:
    response = client.get("/account", headers=headers)

    assert response.status_code == 200
    assert response.get_json() == bob_body(bob)


# --- PUT and PATCH /account ------------------------------------------------------------------------


@pytest.mark.parametrize("method", UPDATE_METHODS)
def test_update_changes_the_password(client: FlaskClient, bob: User, headers: dict[str, str], method: str) -> None:
    response = client.open("/account", method=method, json={"password": "newpw"}, headers=headers)

    assert response.status_code == 200
    assert response.get_json() == bob_body(bob)
    assert login(client, "bob", PASSWORD).get_json() == BAD_CREDENTIALS
    assert login(client, "bob", "newpw").status_code == 200


@pytest.mark.parametrize("method", UPDATE_METHODS)
def test_update_revokes_every_token_issued_before_it(
    client: FlaskClient, bob: User, headers: dict[str, str], method: str
) -> None:
    _, refresh_token = login_tokens(client, "bob")
    other_access, _ = login_tokens(client, "bob")

    client.open("/account", method=method, json={"password": "newpw"}, headers=headers)

    used = client.get("/account", headers=headers)
    assert (used.status_code, used.get_json()) == (401, REVOKED)
    other = client.get("/account", headers=bearer(other_access))
    assert (other.status_code, other.get_json()) == (401, REVOKED)
    refreshed = client.post("/auth/refresh", headers=bearer(refresh_token))
    assert (refreshed.status_code, refreshed.get_json()) == (401, REVOKED)


@pytest.mark.parametrize("method", UPDATE_METHODS)
def test_tokens_issued_after_a_password_change_work(
    client: FlaskClient, bob: User, headers: dict[str, str], method: str
) -> None:
    client.open("/account", method=method, json={"password": "newpw"}, headers=headers)
    access_token, _ = login_tokens(client, "bob", "newpw")

    assert client.get("/account", headers=bearer(access_token)).status_code == 200


@pytest.mark.parametrize("method", UPDATE_METHODS)
def test_update_ignores_a_username_in_the_body(
    client: FlaskClient, bob: User, headers: dict[str, str], method: str
) -> None:
    response = client.open(
        "/account", method=method, json={"username": "mallory", "password": "newpw"}, headers=headers
    )

    assert response.status_code == 200
    assert response.get_json() == bob_body(bob)
    assert db.session.scalar(sa.select(User.username).where(User.id == bob.id)) == "bob"
    assert login(client, "mallory", "newpw").status_code == 401


@pytest.mark.parametrize("method", UPDATE_METHODS)
def test_update_with_short_password_is_400_and_keeps_the_old_one(
    client: FlaskClient, bob: User, headers: dict[str, str], method: str
) -> None:
    response = client.open("/account", method=method, json={"password": "ab"}, headers=headers)

    assert response.status_code == 400
    assert response.get_json() == {"status": "fail", "data": [{"password": "minimum length of 3 characters"}]}
    assert login(client, "bob", PASSWORD).status_code == 200
    assert client.get("/account", headers=headers).status_code == 200


@pytest.mark.parametrize("method", UPDATE_METHODS)
@pytest.mark.parametrize(
    "request_kwargs",
    [
        pytest.param({"data": {"password": "newpw"}}, id="form-body"),
        pytest.param({"data": '{"password": "newpw"}'}, id="no-content-type"),
        pytest.param({"data": "", "content_type": "application/json"}, id="json-empty-body"),
        pytest.param({"data": '{"password": ', "content_type": "application/json"}, id="invalid-json"),
        pytest.param({"json": ["newpw"]}, id="json-array"),
    ],
)
def test_update_without_a_json_object_is_bad_request(
    client: FlaskClient, bob: User, headers: dict[str, str], method: str, request_kwargs: dict[str, Any]
) -> None:
    response = client.open("/account", method=method, headers=headers, **request_kwargs)

    assert response.status_code == 400
    assert response.get_json() == BAD_REQUEST
    assert login(client, "bob", PASSWORD).status_code == 200


def test_put_requires_a_password(client: FlaskClient, bob: User, headers: dict[str, str]) -> None:
    response = client.put("/account", json={}, headers=headers)

    assert response.status_code == 400
    assert response.get_json() == {"status": "fail", "data": [{"password": "must be filled"}]}


def test_put_with_empty_password_is_must_be_filled(client: FlaskClient, bob: User, headers: dict[str, str]) -> None:
    response = client.put("/account", json={"password": ""}, headers=headers)

    assert response.status_code == 400
    assert response.get_json() == {"status": "fail", "data": [{"password": "must be filled"}]}


def test_patch_without_password_changes_nothing(client: FlaskClient, bob: User, headers: dict[str, str]) -> None:
    hash_before = bob.password_hash

    response = client.patch("/account", json={}, headers=headers)

    assert response.status_code == 200
    assert response.get_json() == bob_body(bob)
    db.session.expire_all()
    assert db.session.scalar(sa.select(User.password_hash).where(User.id == bob.id)) == hash_before


def test_patch_without_password_keeps_the_old_login(client: FlaskClient, bob: User, headers: dict[str, str]) -> None:
    # The original re-hashed the stored hash here, after which nobody could log in.
    client.patch("/account", json={}, headers=headers)

    assert login(client, "bob", PASSWORD).status_code == 200
    assert client.get("/account", headers=headers).status_code == 200


def test_patch_cannot_change_the_id(client: FlaskClient, bob: User, headers: dict[str, str]) -> None:
    bob_id = bob.id

    response = client.patch("/account", json={"id": 99, "password": "newpw"}, headers=headers)

    assert response.status_code == 200
    assert response.get_json() == {"status": "success", "data": {"id": str(bob_id), "username": "bob"}}
    assert db.session.scalar(sa.select(User.id).where(User.username == "bob")) == bob_id
    assert db.session.get(User, 99) is None
    assert login(client, "bob", "newpw").status_code == 200


def test_patch_ignores_unknown_keys(client: FlaskClient, bob: User, headers: dict[str, str]) -> None:
    response = client.patch("/account", json={"role": "admin", "email": "x@example.test"}, headers=headers)

    assert response.status_code == 200
    assert response.get_json() == bob_body(bob)
    db.session.expire_all()
    user = db.session.get(User, bob.id)
    assert user is not None
    assert (user.role, user.email) == (None, None)


# --- DELETE /account -------------------------------------------------------------------------------


def test_delete_account_answers_201_with_empty_body(client: FlaskClient, bob: User, headers: dict[str, str]) -> None:
    response = client.delete("/account", headers=headers)

    assert response.status_code == 201
    assert response.data == b""
    assert user_count() == 0


def test_deleted_accounts_token_is_revoked(client: FlaskClient, bob: User, headers: dict[str, str]) -> None:
    client.delete("/account", headers=headers)

    response = client.get("/account", headers=headers)

    assert response.status_code == 401
    assert response.get_json() == REVOKED


def test_deleted_account_cannot_log_in(client: FlaskClient, bob: User, headers: dict[str, str]) -> None:
    client.delete("/account", headers=headers)

    response = login(client, "bob")

    assert response.status_code == 401
    assert response.get_json() == BAD_CREDENTIALS


def test_delete_account_revokes_all_its_tokens(
    client: FlaskClient, make_user: MakeUser, bob: User, headers: dict[str, str]
) -> None:
    login_tokens(client, "bob")
    make_user("alice")
    alice_token, _ = login_tokens(client, "alice")

    client.delete("/account", headers=headers)

    revoked = db.session.scalars(sa.select(Token.revoked).where(Token.user_identity == "bob")).all()
    assert revoked == [True, True, True]
    assert client.get("/account", headers=bearer(alice_token)).status_code == 200


# --- the user row is gone but its token is still valid ---------------------------------------------


@pytest.fixture
def orphan_headers(bob: User, headers: dict[str, str]) -> dict[str, str]:
    """A valid, unrevoked token whose user was deleted behind the API's back."""
    db.session.delete(bob)
    db.session.commit()
    return headers


@pytest.mark.parametrize(
    ("method", "request_kwargs"),
    [
        ("GET", {}),
        ("DELETE", {}),
        ("PUT", {"json": {"password": "newpw"}}),
        ("PATCH", {"json": {"password": "newpw"}}),
        ("PUT", {"data": "", "content_type": "application/json"}),
        ("PATCH", {"data": "", "content_type": "application/json"}),
    ],
    ids=["get", "delete", "put", "patch", "put-json-no-body", "patch-json-no-body"],
)
def test_account_of_deleted_user_is_not_found(
    client: FlaskClient, orphan_headers: dict[str, str], method: str, request_kwargs: dict[str, Any]
) -> None:
    response = client.open("/account", method=method, headers=orphan_headers, **request_kwargs)

    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


@pytest.mark.parametrize("method", UPDATE_METHODS)
def test_update_of_deleted_user_is_not_found_before_the_content_type_is_checked(
    client: FlaskClient, orphan_headers: dict[str, str], method: str
) -> None:
    """The guard checks the token's user with the token, before anything else (a README deviation)."""
    response = client.open("/account", method=method, data={"password": "newpw"}, headers=orphan_headers)

    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


@pytest.mark.parametrize(
    "change",
    [
        lambda owner: account.update_password(owner=owner, password="newpw"),
        lambda owner: account.delete_account(owner=owner),
    ],
    ids=["password-change", "deletion"],
)
def test_an_account_deleted_by_a_request_that_ran_meanwhile_is_not_found(
    bob: User, change: Callable[[User], object]
) -> None:
    """The guard found the user, then another request deleted it: 404, as for any missing user, not a 500."""
    db.session.execute(sa.delete(User).where(User.id == bob.id), execution_options={"synchronize_session": False})

    with pytest.raises(account.AccountGone):
        change(bob)
