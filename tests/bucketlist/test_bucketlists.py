"""Spec 003's bucketlist endpoints through HTTP: the tutorial's flows, statuses, bodies and input rules."""

from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from apiary.bucketlist.models import Bucketlist
from apiary.core.extensions import db
from apiary.core.identity import MAX_TEXT_LENGTH
from tests.bucketlist.helpers import (
    BAD_CREDENTIALS,
    BUCKETLIST_KEYS,
    EMAIL_TAKEN,
    FORMATS,
    REGISTERED,
    add_bucketlist,
    body,
    header,
    is_http_date,
    moment_of,
    stored_rows,
)
from tests.support import AuthHeaders, MakeUser, row_count

CREDENTIALS = {"email": "test@example.com", "password": "test_password"}
BORABORA = {"name": "Go to Borabora for vacay"}
TOO_LONG = "x" * 256
BEYOND_ANY_TEXT = "x" * (MAX_TEXT_LENGTH + 1)  # longer than the core lets any text of a body be


@pytest.mark.parametrize("kind", FORMATS)
def test_the_tutorials_flow(client: FlaskClient, kind: str) -> None:
    """Register, register again, log in, fail a login, then create, list, read, edit and delete."""
    registered = client.post("/auth/register", **body(kind, CREDENTIALS))
    again = client.post("/auth/register", **body(kind, CREDENTIALS))
    wrong = client.post("/auth/login", **body(kind, {**CREDENTIALS, "password": "nope"}))
    logged_in = client.post("/auth/login", **body(kind, CREDENTIALS))
    assert (registered.status_code, registered.get_json()) == (201, REGISTERED)
    assert (again.status_code, again.get_json()) == (202, EMAIL_TAKEN)
    assert (wrong.status_code, wrong.get_json()) == (401, BAD_CREDENTIALS)
    assert logged_in.status_code == 200
    auth = header(logged_in.get_json()["access_token"])

    created = client.post("/bucketlists/", headers=auth, **body(kind, BORABORA))
    assert created.status_code == 201
    bucketlist = created.get_json()
    assert set(bucketlist) == BUCKETLIST_KEYS
    assert bucketlist["name"] == "Go to Borabora for vacay"
    url = f"/bucketlists/{bucketlist['id']}"

    listed = client.get("/bucketlists/", headers=auth)
    assert (listed.status_code, listed.get_json()) == (200, [bucketlist])
    read = client.get(url, headers=auth)
    assert (read.status_code, read.get_json()) == (200, bucketlist)

    edited = client.put(url, headers=auth, **body(kind, {"name": "Dont just eat, but also pray and love :-)"}))
    assert edited.status_code == 200
    assert edited.get_json()["name"] == "Dont just eat, but also pray and love :-)"
    assert client.get(url, headers=auth).get_json()["name"] == "Dont just eat, but also pray and love :-)"

    deleted = client.delete(url, headers=auth)
    assert (deleted.status_code, deleted.get_json()) == (200, {"message": f"bucketlist {bucketlist['id']} deleted"})
    gone = client.get(url, headers=auth)
    assert (gone.status_code, gone.get_json()) == (404, {"message": f"bucketlist {bucketlist['id']} not found"})
    assert row_count(Bucketlist) == 0


@pytest.mark.parametrize("kind", FORMATS)
def test_create_answers_201_with_the_stored_bucketlist(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders, kind: str
) -> None:
    ann = make_user(None, email="ann@example.test")

    response = client.post("/bucketlists/", headers=auth_headers(ann), **body(kind, BORABORA))

    assert response.status_code == 201
    stored = db.session.scalars(sa.select(Bucketlist)).one()
    created = response.get_json()
    assert created == {
        "id": stored.id,
        "name": "Go to Borabora for vacay",
        "date_created": created["date_created"],
        "date_modified": created["date_created"],
        "created_by": ann.id,
    }
    assert is_http_date(created["date_created"])
    assert moment_of(created["date_created"]).replace(tzinfo=None) == stored.date_created.replace(microsecond=0)
    assert stored.date_modified == stored.date_created


def test_a_numeric_name_is_stored_as_its_text_as_the_original_did(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders
) -> None:
    ann = make_user(None, email="ann@example.test")

    response = client.post("/bucketlists/", headers=auth_headers(ann), json={"name": 2027})

    assert (response.status_code, response.get_json()["name"]) == (201, "2027")


def test_a_name_of_the_columns_full_length_is_kept_whole(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders
) -> None:
    ann = make_user(None, email="ann@example.test")
    name = "é" * 255

    response = client.post("/bucketlists/", headers=auth_headers(ann), json={"name": name})

    assert (response.status_code, response.get_json()["name"]) == (201, name)
    assert db.session.scalar(sa.select(Bucketlist.name)) == name


def test_the_list_is_a_bare_array_in_id_order_without_paging_headers(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders
) -> None:
    ann = make_user(None, email="ann@example.test")
    auth = auth_headers(ann)
    assert client.get("/bucketlists/", headers=auth).get_json() == []
    first, second = add_bucketlist(ann, "first"), add_bucketlist(ann, "second")

    response = client.get("/bucketlists/", headers=auth)

    assert response.status_code == 200
    assert [b["id"] for b in response.get_json()] == [first.id, second.id]
    assert all(set(b) == BUCKETLIST_KEYS and b["created_by"] == ann.id for b in response.get_json())
    assert "Link" not in response.headers and "X-Total-Count" not in response.headers


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_collection_without_its_slash_redirects_with_308(client: FlaskClient, method: str) -> None:
    response = client.open("/bucketlists", method=method)

    assert response.status_code == 308
    assert response.headers["Location"].endswith("/bucketlists/")


def test_rename_advances_date_modified_only(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders
) -> None:
    ann = make_user(None, email="ann@example.test")
    bucketlist = add_bucketlist(ann, "old name")
    bucketlist.date_created = bucketlist.date_modified = datetime(2020, 1, 2, 3, 4, 5)
    db.session.commit()

    response = client.put(f"/bucketlists/{bucketlist.id}", headers=auth_headers(ann), data={"name": "new name"})

    assert response.status_code == 200
    renamed = response.get_json()
    assert renamed["name"] == "new name"
    assert renamed["date_created"] == "Thu, 02 Jan 2020 03:04:05 GMT"
    assert is_http_date(renamed["date_modified"])
    assert moment_of(renamed["date_modified"]).year > 2020


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"other": "field"}, "name is required"),
        ({"name": ""}, "name is required"),
        ({"name": "   "}, "name is required"),
        ({"name": TOO_LONG}, "name must be at most 255 characters"),
        ({"name": BEYOND_ANY_TEXT}, "name must be at most 255 characters"),
        ({"name": "ok", "other": BEYOND_ANY_TEXT}, "Bad Request"),  # no rule of this API's to word it
        ({"name": BEYOND_ANY_TEXT + "\x00"}, "Bad Request"),
    ],
    ids=["no-name", "empty", "blank", "too-long", "beyond-any-text", "other-field-beyond-any-text", "nul"],
)
def test_a_missing_empty_or_too_long_name_is_400_and_changes_nothing(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders, kind: str, fields: dict[str, Any], message: str
) -> None:
    ann = make_user(None, email="ann@example.test")
    auth = auth_headers(ann)
    bucketlist = add_bucketlist(ann, "kept")
    before = stored_rows()

    created = client.post("/bucketlists/", headers=auth, **body(kind, fields))
    renamed = client.put(f"/bucketlists/{bucketlist.id}", headers=auth, **body(kind, fields))

    assert (created.status_code, created.get_json()) == (400, {"message": message})
    assert (renamed.status_code, renamed.get_json()) == (400, {"message": message})
    assert stored_rows() == before


@pytest.mark.parametrize(
    "request_kwargs",
    [
        pytest.param({"json": {}}, id="empty-json-object"),
        pytest.param({"data": {}, "content_type": "application/x-www-form-urlencoded"}, id="empty-form"),
        pytest.param({"data": {}, "content_type": "multipart/form-data"}, id="empty-multipart-form"),
        pytest.param({}, id="no-body"),
    ],
)
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_an_empty_body_lacks_the_name(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders, method: str, request_kwargs: dict[str, Any]
) -> None:
    ann = make_user(None, email="ann@example.test")
    url = "/bucketlists/" if method == "POST" else f"/bucketlists/{add_bucketlist(ann, 'kept').id}"
    before = stored_rows()

    response = client.open(url, method=method, headers=auth_headers(ann), **request_kwargs)

    assert (response.status_code, response.get_json()) == (400, {"message": "name is required"})
    assert stored_rows() == before


@pytest.mark.parametrize("name", [None, True, ["a list"], {"an": "object"}], ids=["null", "bool", "list", "object"])
def test_a_name_that_is_not_text_is_400(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders, name: Any
) -> None:
    ann = make_user(None, email="ann@example.test")

    response = client.post("/bucketlists/", headers=auth_headers(ann), json={"name": name})

    assert (response.status_code, response.get_json()) == (400, {"message": "name must be text"})
    assert row_count(Bucketlist) == 0


@pytest.mark.parametrize(
    "request_kwargs",
    [
        pytest.param({"data": "name=x", "content_type": "text/plain"}, id="text"),
        pytest.param({"data": "{oops", "content_type": "application/json"}, id="invalid-json"),
        pytest.param({"json": ["a list"]}, id="json-array"),
        pytest.param({"json": {"name": "nul\x00"}}, id="nul-character"),
    ],
)
def test_a_body_that_is_no_object_is_400_with_a_message(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders, request_kwargs: dict[str, Any]
) -> None:
    ann = make_user(None, email="ann@example.test")

    response = client.post("/bucketlists/", headers=auth_headers(ann), **request_kwargs)

    assert (response.status_code, response.get_json()) == (400, {"message": "Bad Request"})
    assert row_count(Bucketlist) == 0


@pytest.mark.parametrize(
    ("method", "kwargs"), [("GET", {}), ("PUT", {"data": {"name": "x"}}), ("DELETE", {})], ids=["get", "put", "delete"]
)
@pytest.mark.parametrize(
    ("missing_id", "named"),
    [("99", "99"), ("007", "7"), ("2147483648", "2147483648"), ("9" * 23, "9" * 23)],
    ids=["no-row", "leading-zeros", "beyond-integer", "beyond-any-integer"],
)
def test_a_missing_bucketlist_is_404_naming_the_id_asked_for(
    client: FlaskClient,
    make_user: MakeUser,
    auth_headers: AuthHeaders,
    method: str,
    kwargs: dict[str, Any],
    missing_id: str,
    named: str,
) -> None:
    ann = make_user(None, email="ann@example.test")
    add_bucketlist(ann, "there")
    before = stored_rows()

    response = client.open(f"/bucketlists/{missing_id}", method=method, headers=auth_headers(ann), **kwargs)

    assert (response.status_code, response.get_json()) == (404, {"message": f"bucketlist {named} not found"})
    assert stored_rows() == before


@pytest.mark.parametrize(
    ("method", "path", "status", "message"),
    [
        ("PATCH", "/bucketlists/1", 405, "Method Not Allowed"),
        ("DELETE", "/bucketlists/", 405, "Method Not Allowed"),
        ("GET", "/bucketlists/1/nothing", 404, "Not Found"),
        ("GET", "/bucketlists/abc", 404, "Not Found"),
    ],
)
def test_unrouted_requests_answer_in_the_dialect(
    client: FlaskClient, method: str, path: str, status: int, message: str
) -> None:
    response = client.open(path, method=method)

    assert (response.status_code, response.get_json()) == (status, {"message": message})
