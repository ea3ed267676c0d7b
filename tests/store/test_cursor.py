"""GET /products?after=<cursor>: the products after a cursor, in id order, at one query whatever the depth."""

import pytest
from flask.testing import FlaskClient

from apiary.core.extensions import db
from apiary.core.pagination import encode_cursor
from apiary.store.models import Product
from tests.store.helpers import BAD_SYNTAX, add_category, add_products
from tests.support import counted_statements, follow_cursors


@pytest.fixture
def products() -> list[Product]:
    """25 products in two categories."""
    return add_products(add_category("Phones"), 15, prefix="Phone") + add_products(
        add_category("Tools"), 10, prefix="Tool"
    )


def test_following_the_cursors_lists_every_product_once_by_id(client: FlaskClient, products: list[Product]) -> None:
    answers = follow_cursors(client, "/products")

    assert [p["id"] for answer in answers for p in answer["products"]] == [p.id for p in products]
    assert [len(a["products"]) for a in answers] == [10, 10, 5]
    assert all(a["total_products"] == 25 and a["success"] is True for a in answers)
    assert set(answers[0]) == {"success", "products", "total_products", "next_cursor"}


def test_a_cursor_answer_lists_what_the_page_by_number_does(client: FlaskClient, products: list[Product]) -> None:
    first = client.get("/products?after=").get_json()
    second = client.get(f"/products?after={first['next_cursor']}").get_json()

    assert second["products"] == client.get("/products?page=2").get_json()["products"]


def test_a_deleted_product_does_not_shift_a_walk_in_progress(client: FlaskClient, products: list[Product]) -> None:
    first = client.get("/products?after=").get_json()
    db.session.delete(products[0])
    db.session.commit()

    second = client.get(f"/products?after={first['next_cursor']}").get_json()

    assert [p["id"] for p in second["products"]] == [p.id for p in products[10:20]]
    assert second["total_products"] == 24


def test_a_deep_cursor_costs_what_the_first_rows_do(client: FlaskClient, products: list[Product]) -> None:
    ids = [p.id for p in products]
    cursor = encode_cursor([ids[19]])
    with counted_statements() as first:
        client.get("/products?after=")
    with counted_statements() as deep:
        response = client.get(f"/products?after={cursor}")

    assert [p["id"] for p in response.get_json()["products"]] == ids[20:]
    assert response.get_json()["next_cursor"] is None
    assert len(deep) == len(first) == 2  # the page, and the total the database keeps


@pytest.mark.parametrize("cursor", ["%%%", "WyJhIl0", "WzEsMl0", "bnVsbA"])
def test_a_cursor_it_did_not_make_is_refused(client: FlaskClient, products: list[Product], cursor: str) -> None:
    """Not base64, a text for the id, two values, JSON null."""
    response = client.get(f"/products?after={cursor}")

    assert (response.status_code, response.get_json()) == (400, BAD_SYNTAX)


def test_page_numbers_answer_as_before(client: FlaskClient, products: list[Product]) -> None:
    assert set(client.get("/products?page=3").get_json()) == {"success", "page", "products", "total_products"}
