"""GET /bucketlists/ extensions (C15, Decision 7): ?q= filters, ?limit= and ?page= page the same bare array."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from apiary.core.identity import User
from tests.bucketlist.helpers import add_bucketlists
from tests.support import AuthHeaders, MakeUser


@pytest.fixture
def ann(make_user: MakeUser) -> User:
    return make_user(None, email="ann@example.test")


@pytest.fixture
def auth(ann: User, auth_headers: AuthHeaders) -> dict[str, str]:
    return auth_headers(ann)


def names(response: TestResponse) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [bucketlist["name"] for bucketlist in response.get_json()]


def links(response: TestResponse) -> dict[str, str]:
    """The Link header's targets by relation (RFC 8288)."""
    return {rel: url for url, rel in re.findall(r'<([^>]*)>; rel="([^"]*)"', response.headers.get("Link", ""))}


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


NAMES = [
    "Go to Borabora",
    "learn the guitar",
    "BORA BORA again",
    "100% fun",
    "snake_case",
    "Éclair",
    "eclair",
    "Straße",
]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("bora", ["Go to Borabora", "BORA BORA again"]),
        ("GUITAR", ["learn the guitar"]),
        ("", NAMES),
        ("%", ["100% fun"]),
        ("_", ["snake_case"]),
        ("nothing like it", []),
        ("é", ["Éclair"]),  # letters beyond ASCII too, on SQLite as on PostgreSQL
        ("éCLAIR", ["Éclair"]),
        ("STRAßE", ["Straße"]),  # in lower case, as PostgreSQL's lower() has it, not folded to "strasse"
    ],
)
def test_q_keeps_names_holding_the_text_in_any_case(
    client: FlaskClient, ann: User, auth: dict[str, str], q: str, expected: list[str]
) -> None:
    add_bucketlists(ann, NAMES)

    response = client.get("/bucketlists/", query_string={"q": q}, headers=auth)

    assert names(response) == expected
    assert "Link" not in response.headers and "X-Total-Count" not in response.headers


def test_pages_walk_the_list_with_links_and_a_total(client: FlaskClient, ann: User, auth: dict[str, str]) -> None:
    add_bucketlists(ann, [f"list {n}" for n in range(1, 6)])

    first = client.get("/bucketlists/?limit=2", headers=auth)
    second = client.get(links(first)["next"], headers=auth)
    third = client.get(links(second)["next"], headers=auth)
    back = client.get(links(third)["prev"], headers=auth)

    assert [names(r) for r in (first, second, third)] == [["list 1", "list 2"], ["list 3", "list 4"], ["list 5"]]
    assert {r.headers["X-Total-Count"] for r in (first, second, third)} == {"5"}
    assert set(links(first)) == {"next"}
    assert set(links(second)) == {"next", "prev"}
    assert set(links(third)) == {"prev"}
    assert query_of(links(second)["prev"]) == {"limit": ["2"], "page": ["1"]}
    assert names(back) == names(second)


def test_page_alone_takes_twenty_per_page(client: FlaskClient, ann: User, auth: dict[str, str]) -> None:
    add_bucketlists(ann, [f"list {n:02}" for n in range(1, 23)])

    response = client.get("/bucketlists/?page=2", headers=auth)

    assert names(response) == ["list 21", "list 22"]
    assert response.headers["X-Total-Count"] == "22"
    assert query_of(links(response)["prev"]) == {"limit": ["20"], "page": ["1"]}


@pytest.mark.parametrize("page", ["4", "999999999"])
def test_a_page_past_the_end_is_empty_and_links_back_to_the_last_page(
    client: FlaskClient, ann: User, auth: dict[str, str], page: str
) -> None:
    add_bucketlists(ann, [f"list {n}" for n in range(1, 8)])

    response = client.get(f"/bucketlists/?limit=5&page={page}", headers=auth)

    assert names(response) == []
    assert response.headers["X-Total-Count"] == "7"
    assert set(links(response)) == {"prev"}
    assert query_of(links(response)["prev"]) == {"limit": ["5"], "page": ["2"]}
    assert names(client.get(links(response)["prev"], headers=auth)) == ["list 6", "list 7"]


def test_search_and_paging_combine_and_links_keep_the_search(
    client: FlaskClient, ann: User, auth: dict[str, str]
) -> None:
    add_bucketlists(ann, ["trip 1", "chore", "Trip 2", "trip 3"])

    response = client.get("/bucketlists/?q=trip&limit=2", headers=auth)

    assert names(response) == ["trip 1", "Trip 2"]
    assert response.headers["X-Total-Count"] == "3"
    assert query_of(links(response)["next"]) == {"q": ["trip"], "limit": ["2"], "page": ["2"]}
    assert names(client.get(links(response)["next"], headers=auth)) == ["trip 3"]


@pytest.mark.parametrize("query", ["limit=10", "limit=10&page=2", "page=999999999"])
def test_an_empty_paged_list_has_a_zero_total_and_no_links(
    client: FlaskClient, auth: dict[str, str], query: str
) -> None:
    response = client.get(f"/bucketlists/?{query}", headers=auth)

    assert (names(response), response.headers["X-Total-Count"], links(response)) == ([], "0", {})


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=0", "limit must be a whole number from 1 to 100"),
        ("limit=101", "limit must be a whole number from 1 to 100"),
        ("limit=ten", "limit must be a whole number from 1 to 100"),
        ("limit=2.5", "limit must be a whole number from 1 to 100"),
        ("page=0", "page must be a whole number from 1 to 1099511627776"),
        ("page=-1", "page must be a whole number from 1 to 1099511627776"),
        ("page=", "page must be a whole number from 1 to 1099511627776"),
        ("q=a%00b", "Bad Request"),  # a control character in any query value is the core's bad request
    ],
)
def test_bad_query_values_are_400_with_a_message(
    client: FlaskClient, auth: dict[str, str], query: str, message: str
) -> None:
    response = client.get(f"/bucketlists/?{query}", headers=auth)

    assert (response.status_code, response.get_json()) == (400, {"message": message})


def test_browsers_may_read_the_paging_headers(client: FlaskClient, auth: dict[str, str]) -> None:
    response = client.get("/bucketlists/?limit=1", headers={**auth, "Origin": "https://app.example.test"})

    exposed = {name.strip() for name in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"Link", "X-Total-Count"} <= exposed
