"""Lists cost a constant number of SQL statements, however many rows they show."""

import pytest
from flask.testing import FlaskClient

from apiary.core.identity import User
from tests.bucketlist.helpers import add_bucketlist, add_bucketlists, add_item
from tests.support import AuthHeaders, MakeUser, counted_statements


def statements_for(client: FlaskClient, url: str, headers: dict[str, str]) -> int:
    with counted_statements() as statements:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/bucketlists/", 2),  # the token, the list
        ("/bucketlists/?q=list", 2),
        ("/bucketlists/?limit=50&page=1", 3),  # the token, the count, the page
    ],
)
def test_the_bucketlist_list_costs_the_same_for_few_rows_and_many(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders, url: str, expected: int
) -> None:
    ann: User = make_user(None, email="ann@example.test")
    headers = auth_headers(ann)
    add_bucketlists(ann, ["list 1", "list 2"])
    few = statements_for(client, url, headers)
    add_bucketlists(ann, [f"list {n}" for n in range(3, 41)])

    many = statements_for(client, url, headers)

    assert few == many == expected


def test_the_item_list_costs_the_same_for_few_rows_and_many(
    client: FlaskClient, make_user: MakeUser, auth_headers: AuthHeaders
) -> None:
    ann = make_user(None, email="ann@example.test")
    headers = auth_headers(ann)
    bucketlist = add_bucketlist(ann, "full")
    add_item(bucketlist, "item 1")
    url = f"/bucketlists/{bucketlist.id}/items/"
    few = statements_for(client, url, headers)
    for number in range(2, 31):
        add_item(bucketlist, f"item {number}")

    many = statements_for(client, url, headers)

    assert few == many == 3  # the token, the bucketlist, its items
