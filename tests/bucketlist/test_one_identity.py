"""One identity (C3, C7): an email user uses the other APIs, and any login's token works here."""

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
