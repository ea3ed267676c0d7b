"""C9 tightened: only the owner sees, changes or deletes a bucketlist and its items; others get 404."""

from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from apiary.bucketlist.models import Bucketlist, Item
from apiary.core.extensions import db
from apiary.core.identity import User
from tests.bucketlist.helpers import add_bucketlist, add_item, stored_rows
from tests.support import AuthHeaders, MakeUser, row_count

OTHERS_ROWS = [
    ("GET", "/bucketlists/{b}", None),
    ("PUT", "/bucketlists/{b}", {"name": "taken over"}),
    ("DELETE", "/bucketlists/{b}", None),
    ("GET", "/bucketlists/{b}/items/", None),
    ("POST", "/bucketlists/{b}/items/", {"name": "slipped in"}),
    ("GET", "/bucketlists/{b}/items/{i}", None),
    ("PUT", "/bucketlists/{b}/items/{i}", {"name": "taken over", "done": True}),
    ("DELETE", "/bucketlists/{b}/items/{i}", None),
]


@pytest.mark.parametrize("kind", ["form", "json"])
@pytest.mark.parametrize(("method", "path", "fields"), OTHERS_ROWS)
def test_user_b_cannot_read_change_or_delete_user_as_bucketlist_or_items_and_nothing_changes(
    client: FlaskClient,
    make_user: MakeUser,
    auth_headers: AuthHeaders,
    kind: str,
    method: str,
    path: str,
    fields: dict[str, Any] | None,
) -> None:
    ann = make_user(None, email="ann@example.test")
    bob = make_user(None, email="bob@example.test")
    bucketlist = add_bucketlist(ann, "Ann's")
    item = add_item(bucketlist, "Ann's item")
    before = stored_rows()
    sent = {} if fields is None else ({"data": fields} if kind == "form" else {"json": fields})

    response = client.open(path.format(b=bucketlist.id, i=item.id), method=method, headers=auth_headers(bob), **sent)

    assert (response.status_code, response.get_json()) == (404, {"message": f"bucketlist {bucketlist.id} not found"})
    assert stored_rows() == before
    assert "Ann" not in response.get_data(as_text=True)


def test_the_list_shows_only_the_callers_bucketlists(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders
) -> None:
    ann = make_user(None, email="ann@example.test")
    bob = make_user("bob")
    add_bucketlist(ann, "Ann's")
    bobs = add_bucketlist(bob, "Bob's")

    ann_sees = client.get("/bucketlists/", headers=auth_headers(ann)).get_json()
    bob_sees = client.get("/bucketlists/", headers=auth_headers(bob)).get_json()
    searched = client.get("/bucketlists/?q=s&limit=10", headers=auth_headers(bob))

    assert [b["name"] for b in ann_sees] == ["Ann's"]
    assert [b["id"] for b in bob_sees] == [bobs.id]
    assert [b["id"] for b in searched.get_json()] == [bobs.id]
    assert searched.headers["X-Total-Count"] == "1"


def test_an_item_is_reached_only_through_its_own_bucketlist(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders
) -> None:
    ann = make_user(None, email="ann@example.test")
    first, second = add_bucketlist(ann, "first"), add_bucketlist(ann, "second")
    item = add_item(first, "in the first")
    before = stored_rows()

    for method in ("GET", "PUT", "DELETE"):
        response = client.open(
            f"/bucketlists/{second.id}/items/{item.id}", method=method, headers=auth_headers(ann), json={"done": True}
        )
        assert (response.status_code, response.get_json()) == (404, {"message": f"item {item.id} not found"})
    assert stored_rows() == before


def _stored_for(user_id: int) -> tuple[int, int]:
    bucketlists = db.session.scalar(sa.select(sa.func.count()).where(Bucketlist.created_by == user_id)) or 0
    items = (
        db.session.scalar(sa.select(sa.func.count(Item.id)).join(Bucketlist).where(Bucketlist.created_by == user_id))
        or 0
    )
    return bucketlists, items


def test_deleting_an_account_deletes_its_bucketlists_and_items_only(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders
) -> None:
    ann = make_user(None, email="ann@example.test")
    bob = make_user("bob")
    add_item(add_bucketlist(ann, "Ann's"), "Ann's item")
    add_item(add_bucketlist(bob, "Bob's"), "Bob's item")
    ann_id, bob_id = ann.id, bob.id

    response = client.delete("/account", headers=auth_headers(ann))

    assert response.status_code == 201
    assert db.session.get(User, ann_id) is None
    assert _stored_for(ann_id) == (0, 0)
    assert _stored_for(bob_id) == (1, 1)
    assert (row_count(Bucketlist), row_count(Item)) == (1, 1)
