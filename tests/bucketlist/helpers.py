"""Small helpers shared by the bucketlist API tests: the spec's bodies, rows, and what a write may change."""

from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.http import http_date, parse_date

from apiary.bucketlist.models import Bucketlist, Item
from apiary.core.extensions import db
from apiary.core.identity import User
from tests.support import PASSWORD

REGISTERED = {"message": "You registered successfully. Please log in."}
EMAIL_TAKEN = {"message": "User already exists. Please login."}
LOGGED_IN = "You logged in successfully."
BAD_CREDENTIALS = {"message": "Invalid email or password, Please try again"}
INVALID_TOKEN = {"message": "Invalid token. Please register or login"}
EXPIRED_TOKEN = {"message": "Expired token. Please login to get a new token"}

BUCKETLIST_KEYS = {"id", "name", "date_created", "date_modified", "created_by"}
ITEM_KEYS = {"id", "name", "done", "date_created", "date_modified", "bucketlist_id"}
FORMATS = ["form", "json"]


def body(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Test-client keyword arguments sending `fields` as a form (as the tutorial's tests do) or as JSON."""
    return {"data": fields} if kind == "form" else {"json": fields}


def token_of(client: FlaskClient, email: str, password: str = PASSWORD) -> str:
    """The access token of a successful email login."""
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["access_token"]


def header(token: str, scheme: str = "Bearer") -> dict[str, str]:
    return {"Authorization": f"{scheme} {token}"}


def add_bucketlist(owner: User, name: str) -> Bucketlist:
    bucketlist = Bucketlist(name=name, created_by=owner.id)
    db.session.add(bucketlist)
    db.session.commit()
    return bucketlist


def add_bucketlists(owner: User, names: list[str]) -> list[Bucketlist]:
    bucketlists = [Bucketlist(name=name, created_by=owner.id) for name in names]
    db.session.add_all(bucketlists)
    db.session.commit()
    return bucketlists


def add_item(bucketlist: Bucketlist, name: str, *, done: bool = False) -> Item:
    item = Item(name=name, done=done, bucketlist_id=bucketlist.id)
    db.session.add(item)
    db.session.commit()
    return item


def is_http_date(value: str) -> bool:
    """Whether `value` is an HTTP-date (`Sat, 21 Nov 2026 05:21:19 GMT`), as Flask's jsonify writes them."""
    moment = parse_date(value)
    return moment is not None and http_date(moment) == value


def moment_of(value: str) -> datetime:
    moment = parse_date(value)
    assert moment is not None
    return moment


class Rows(NamedTuple):
    """Every bucketlist and item as stored: what a refused write must leave alone."""

    bucketlists: list[tuple[Any, ...]]
    items: list[tuple[Any, ...]]


def stored_rows() -> Rows:
    db.session.expire_all()
    bucketlists = db.session.execute(
        sa.select(
            Bucketlist.id, Bucketlist.name, Bucketlist.created_by, Bucketlist.date_created, Bucketlist.date_modified
        ).order_by(Bucketlist.id)
    )
    items = db.session.execute(
        sa.select(Item.id, Item.name, Item.done, Item.bucketlist_id, Item.date_modified).order_by(Item.id)
    )
    return Rows([tuple(row) for row in bucketlists], [tuple(row) for row in items])
