"""Items, an extension (C15): the same style as bucketlists, owner only; a bucketlist takes its items along."""

from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from apiary.bucketlist.models import Bucketlist, Item
from apiary.core.extensions import db
from apiary.core.identity import MAX_TEXT_LENGTH, User
from tests.bucketlist.helpers import (
    BUCKETLIST_KEYS,
    FORMATS,
    ITEM_KEYS,
    add_bucketlist,
    add_item,
    body,
    is_http_date,
    moment_of,
    stored_rows,
)
from tests.support import AuthHeaders, MakeUser, row_count


@pytest.fixture
def ann(make_user: MakeUser) -> User:
    return make_user(None, email="ann@example.test")


@pytest.fixture
def auth(ann: User, auth_headers: AuthHeaders) -> dict[str, str]:
    return auth_headers(ann)


@pytest.fixture
def bucketlist(ann: User) -> Bucketlist:
    return add_bucketlist(ann, "Go to Borabora for vacay")


@pytest.mark.parametrize("kind", FORMATS)
def test_add_an_item_answers_201_not_done_by_default(
    client: FlaskClient, auth: dict[str, str], bucketlist: Bucketlist, kind: str
) -> None:
    response = client.post(f"/bucketlists/{bucketlist.id}/items/", headers=auth, **body(kind, {"name": "Book flights"}))

    assert response.status_code == 201
    item = response.get_json()
    stored = db.session.scalars(sa.select(Item)).one()
    assert item == {
        "id": stored.id,
        "name": "Book flights",
        "done": False,
        "date_created": item["date_created"],
        "date_modified": item["date_created"],
        "bucketlist_id": bucketlist.id,
    }
    assert is_http_date(item["date_created"])


@pytest.mark.parametrize(
    ("kind", "done", "stored"),
    [
        ("form", "true", True),
        ("form", "TRUE", True),
        ("form", "1", True),
        ("form", "False", False),
        ("form", "0", False),
        ("json", True, True),
        ("json", False, False),
    ],
)
def test_an_item_can_be_added_done_or_not(
    client: FlaskClient, auth: dict[str, str], bucketlist: Bucketlist, kind: str, done: Any, stored: bool
) -> None:
    response = client.post(
        f"/bucketlists/{bucketlist.id}/items/", headers=auth, **body(kind, {"name": "x", "done": done})
    )

    assert (response.status_code, response.get_json()["done"]) == (201, stored)
    assert db.session.scalars(sa.select(Item.done)).all() == [stored]


@pytest.mark.parametrize(
    ("kind", "done"),
    [
        ("json", "true"),  # JSON has booleans of its own: text is not one
        ("json", "yes"),
        ("json", 1),
        ("json", 1.0),
        ("json", 0),
        ("form", "yes"),  # a form's booleans are the four spellings above, in any case
        ("form", "on"),
        ("form", ""),
    ],
)
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_done_is_a_boolean_in_json_and_one_of_its_spellings_in_a_form(
    client: FlaskClient, auth: dict[str, str], bucketlist: Bucketlist, kind: str, done: Any, method: str
) -> None:
    item = add_item(bucketlist, "kept")
    url = f"/bucketlists/{bucketlist.id}/items/" + (str(item.id) if method == "PUT" else "")
    before = stored_rows()

    response = client.open(url, method=method, headers=auth, **body(kind, {"name": "x", "done": done}))

    assert (response.status_code, response.get_json()) == (400, {"message": "done must be true or false"})
    assert stored_rows() == before


def test_list_and_read_items(client: FlaskClient, auth: dict[str, str], bucketlist: Bucketlist) -> None:
    first, second = add_item(bucketlist, "first"), add_item(bucketlist, "second", done=True)
    url = f"/bucketlists/{bucketlist.id}/items/"

    listed = client.get(url, headers=auth)
    read = client.get(f"{url}{second.id}", headers=auth)

    assert listed.status_code == 200
    assert [(i["id"], i["name"], i["done"]) for i in listed.get_json()] == [
        (first.id, "first", False),
        (second.id, "second", True),
    ]
    assert all(set(i) == ITEM_KEYS for i in listed.get_json())
    assert (read.status_code, read.get_json()) == (200, listed.get_json()[1])
    assert client.get(f"/bucketlists/{bucketlist.id}/items", headers=auth).status_code == 308


def test_an_empty_bucketlist_has_an_empty_item_list(
    client: FlaskClient, auth: dict[str, str], bucketlist: Bucketlist
) -> None:
    assert client.get(f"/bucketlists/{bucketlist.id}/items/", headers=auth).get_json() == []


def test_the_bucketlist_itself_keeps_the_specs_shape(
    client: FlaskClient, auth: dict[str, str], bucketlist: Bucketlist
) -> None:
    add_item(bucketlist, "an item")

    response = client.get(f"/bucketlists/{bucketlist.id}", headers=auth)

    assert set(response.get_json()) == BUCKETLIST_KEYS


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"name": "renamed"}, ("renamed", False)),
        ({"done": True}, ("first", True)),  # a form sends it as "True"
        ({"name": "renamed", "done": True}, ("renamed", True)),
    ],
    ids=["name", "done", "both"],
)
def test_update_changes_what_is_given_and_keeps_the_rest(
    client: FlaskClient,
    auth: dict[str, str],
    bucketlist: Bucketlist,
    kind: str,
    fields: dict[str, Any],
    expected: tuple[str, bool],
) -> None:
    item = add_item(bucketlist, "first")
    item.date_created = item.date_modified = datetime(2020, 1, 2, 3, 4, 5)
    db.session.commit()

    response = client.put(f"/bucketlists/{bucketlist.id}/items/{item.id}", headers=auth, **body(kind, fields))

    assert response.status_code == 200
    updated = response.get_json()
    assert (updated["name"], updated["done"]) == expected
    assert updated["date_created"] == "Thu, 02 Jan 2020 03:04:05 GMT"
    assert moment_of(updated["date_modified"]).year > 2020
    db.session.expire_all()
    assert (item.name, item.done) == expected


def test_an_item_can_be_marked_not_done_again(
    client: FlaskClient, auth: dict[str, str], bucketlist: Bucketlist
) -> None:
    item = add_item(bucketlist, "first", done=True)

    response = client.put(f"/bucketlists/{bucketlist.id}/items/{item.id}", headers=auth, json={"done": False})

    assert response.get_json()["done"] is False


@pytest.mark.parametrize(
    ("method", "fields", "message"),
    [
        ("POST", {"done": True}, "name is required"),
        ("POST", {"name": ""}, "name is required"),
        ("POST", {"name": "x" * 256}, "name must be at most 255 characters"),
        ("POST", {"name": "x" * (MAX_TEXT_LENGTH + 1)}, "name must be at most 255 characters"),
        ("PUT", {"name": "x" * (MAX_TEXT_LENGTH + 1)}, "name must be at most 255 characters"),
        ("POST", {"name": "x", "done": "maybe"}, "done must be true or false"),
        ("PUT", {}, "name or done is required"),
        ("PUT", {"name": " "}, "name is required"),
        ("PUT", {"name": None}, "name must be text"),
        ("PUT", {"done": None}, "done must be true or false"),
        ("PUT", {"done": [True]}, "done must be true or false"),
    ],
)
def test_bad_item_input_is_400_with_a_message_and_changes_nothing(
    client: FlaskClient, auth: dict[str, str], bucketlist: Bucketlist, method: str, fields: dict[str, Any], message: str
) -> None:
    item = add_item(bucketlist, "kept")
    url = f"/bucketlists/{bucketlist.id}/items/" + (str(item.id) if method == "PUT" else "")
    before = stored_rows()

    response = client.open(url, method=method, headers=auth, json=fields)

    assert (response.status_code, response.get_json()) == (400, {"message": message})
    assert stored_rows() == before


@pytest.mark.parametrize(
    "request_kwargs",
    [
        pytest.param({"data": {}, "content_type": "application/x-www-form-urlencoded"}, id="empty-form"),
        pytest.param({}, id="no-body"),
    ],
)
@pytest.mark.parametrize(("method", "message"), [("POST", "name is required"), ("PUT", "name or done is required")])
def test_an_empty_form_or_no_body_names_what_is_required(
    client: FlaskClient,
    auth: dict[str, str],
    bucketlist: Bucketlist,
    method: str,
    message: str,
    request_kwargs: dict[str, Any],
) -> None:
    item = add_item(bucketlist, "kept")
    url = f"/bucketlists/{bucketlist.id}/items/" + (str(item.id) if method == "PUT" else "")
    before = stored_rows()

    response = client.open(url, method=method, headers=auth, **request_kwargs)

    assert (response.status_code, response.get_json()) == (400, {"message": message})
    assert stored_rows() == before


def test_delete_an_item(client: FlaskClient, auth: dict[str, str], bucketlist: Bucketlist) -> None:
    gone, kept = add_item(bucketlist, "gone"), add_item(bucketlist, "kept")
    gone_id = gone.id

    response = client.delete(f"/bucketlists/{bucketlist.id}/items/{gone_id}", headers=auth)

    assert (response.status_code, response.get_json()) == (200, {"message": f"item {gone_id} deleted"})
    assert db.session.scalars(sa.select(Item.id)).all() == [kept.id]
    again = client.delete(f"/bucketlists/{bucketlist.id}/items/{gone_id}", headers=auth)
    assert (again.status_code, again.get_json()) == (404, {"message": f"item {gone_id} not found"})


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
@pytest.mark.parametrize("missing_id", ["99", "9" * 23], ids=["no-row", "beyond-any-integer"])
def test_a_missing_item_is_404_naming_the_id_asked_for(
    client: FlaskClient, auth: dict[str, str], bucketlist: Bucketlist, method: str, missing_id: str
) -> None:
    url = f"/bucketlists/{bucketlist.id}/items/{missing_id}"

    response = client.open(url, method=method, headers=auth, json={"done": True})

    assert (response.status_code, response.get_json()) == (404, {"message": f"item {missing_id} not found"})


@pytest.mark.parametrize("missing_id", ["99", "9" * 23], ids=["no-row", "beyond-any-integer"])
def test_items_of_a_missing_bucketlist_are_404(client: FlaskClient, auth: dict[str, str], missing_id: str) -> None:
    listed = client.get(f"/bucketlists/{missing_id}/items/", headers=auth)
    added = client.post(f"/bucketlists/{missing_id}/items/", headers=auth, json={"name": "x"})
    got = client.get(f"/bucketlists/{missing_id}/items/1", headers=auth)

    assert (listed.status_code, listed.get_json()) == (404, {"message": f"bucketlist {missing_id} not found"})
    assert (added.status_code, row_count(Item)) == (404, 0)
    assert (got.status_code, got.get_json()) == (404, {"message": f"bucketlist {missing_id} not found"})


def test_deleting_a_bucketlist_deletes_its_items_only(
    client: FlaskClient, ann: User, auth: dict[str, str], bucketlist: Bucketlist
) -> None:
    add_item(bucketlist, "one")
    add_item(bucketlist, "two")
    other = add_bucketlist(ann, "other")
    kept = add_item(other, "kept")

    response = client.delete(f"/bucketlists/{bucketlist.id}", headers=auth)

    assert response.status_code == 200
    assert db.session.scalars(sa.select(Item.id)).all() == [kept.id]
    assert row_count(Bucketlist) == 1
