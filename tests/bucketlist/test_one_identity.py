"""One identity (C3, C7): an email user uses the other APIs, and any login's token works here."""

import pytest
from flask.testing import FlaskClient

from apiary.core.identity import Role
from tests.bucketlist.helpers import header, token_of
from tests.support import PASSWORD, MakeUser, bearer


def test_a_user_registered_by_email_uses_the_account_and_store_apis(client: FlaskClient) -> None:
    client.post("/auth/register", data={"email": "ann@example.test", "password": "pw1"})
    auth = bearer(token_of(client, "ann@example.test", "pw1"))

    account = client.get("/account", headers=auth)
    tokens = client.get("/auth/token", headers=auth)
    products = client.get("/products", headers=auth)
    category = client.post("/categories", headers=auth, json={"name": "Garden"})

    assert (account.status_code, account.get_json()["data"]["username"]) == (200, None)
    assert [t["user_identity"] for t in tokens.get_json()["data"]] == ["ann@example.test"]
    assert products.status_code == 200
    # The token is accepted; the user's role (none) grants no store permission.
    assert (category.status_code, category.get_json()["message"]["code"]) == (403, "unauthorized")


def test_a_user_registered_by_username_uses_this_api_with_the_username_logins_token(client: FlaskClient) -> None:
    client.post("/auth/register", json={"username": "bob", "password": "pw1"})
    login = client.post("/auth/login", json={"username": "bob", "password": "pw1"})
    access_token = login.get_json()["data"]["access_token"]

    created = client.post("/bucketlists/", headers=header(access_token, "Token"), data={"name": "Bob's"})
    listed = client.get("/bucketlists/", headers=header(access_token))

    assert created.status_code == 201
    assert [b["name"] for b in listed.get_json()] == ["Bob's"]


REGISTRATIONS = {  # the path and the fields besides username and password
    "forum": ("/register", {}),
    "review": ("/signup", {"usertype": "coder"}),
}
LOGINS = {  # the path, and where its answer holds the access token
    "forum": ("/login", lambda answer: answer["access-token"]),
    "account": ("/auth/login", lambda answer: answer["data"]["access_token"]),
}


@pytest.mark.parametrize("login", list(LOGINS))
@pytest.mark.parametrize("registration", list(REGISTRATIONS))
def test_a_user_registered_at_the_forum_or_review_api_uses_this_api_with_any_logins_token(
    client: FlaskClient, registration: str, login: str
) -> None:
    credentials = {"username": "alice_1", "password": PASSWORD}  # a name and a password forum's rules take
    register_path, extra_fields = REGISTRATIONS[registration]
    login_path, access_token = LOGINS[login]
    registered = client.post(register_path, json={**credentials, **extra_fields})
    logged_in = client.post(login_path, json=credentials)
    assert (registered.status_code, logged_in.status_code) == (200, 200), registered.get_json()
    auth = header(access_token(logged_in.get_json()))

    created = client.post("/bucketlists/", headers=auth, data={"name": "Alice's"})
    item = client.post(f"/bucketlists/{created.get_json()['id']}/items/", headers=auth, json={"name": "Pack"})
    listed = client.get("/bucketlists/", headers=auth)

    assert (created.status_code, item.status_code) == (201, 201)
    assert [b["name"] for b in listed.get_json()] == ["Alice's"]


def test_an_admin_made_with_both_names_keeps_one_set_of_bucketlists_and_its_permissions(
    client: FlaskClient, make_user: MakeUser
) -> None:
    make_user("sam", role=Role.ADMIN, email="sam@example.test")
    by_email = header(token_of(client, "sam@example.test"))
    login = client.post("/auth/login", json={"username": "sam", "password": PASSWORD})
    by_username = header(login.get_json()["data"]["access_token"])

    client.post("/bucketlists/", headers=by_email, data={"name": "Sam's"})
    category = client.post("/categories", headers=by_email, json={"name": "Garden"})

    assert [b["name"] for b in client.get("/bucketlists/", headers=by_username).get_json()] == ["Sam's"]
    assert (category.status_code, category.get_json()["success"]) == (200, True)
