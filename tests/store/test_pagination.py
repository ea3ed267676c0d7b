"""?page= on GET /products and GET /categories/<id>/products: 10 per page, id order, and a constant query count."""

from typing import Any, NamedTuple

import pytest
from flask.testing import FlaskClient

from apiary.core.extensions import db
from apiary.store.models import Category, Product
from tests.store.helpers import (
    add_category,
    add_products,
)
from tests.support import counted_statements


def ids_of(products: list[Product]) -> list[int]:
    return [p.id for p in products]


def page_ids(body: dict[str, Any]) -> list[int]:
    return [p["id"] for p in body["products"]]


class Shop(NamedTuple):
    phones_category: Category
    phones: list[Product]
    tools_category: Category
    tools: list[Product]


@pytest.fixture
def shop() -> Shop:
    """25 products: 15 phones, then 10 tools."""
    phones, tools = add_category("Phones"), add_category("Tools")
    return Shop(phones, add_products(phones, 15, prefix="Phone"), tools, add_products(tools, 10, prefix="Tool"))


def test_products_first_page_is_the_first_ten_by_id(client: FlaskClient, shop: Shop) -> None:
    body = client.get("/products").get_json()

    assert body["success"] is True
    assert body["page"] == 1
    assert body["total_products"] == 25
    assert page_ids(body) == ids_of(shop.phones)[:10]
    assert body["products"][0] == {
        "category": "Phones",
        "description": None,
        "id": shop.phones[0].id,
        "in_stock": True,
        "name": "Phone 1",
        "price": 1,
    }


@pytest.mark.parametrize(("page", "first", "last"), [(1, 0, 10), (2, 10, 20), (3, 20, 25)])
def test_products_pages_slice_all_products_in_id_order(
    client: FlaskClient, shop: Shop, page: int, first: int, last: int
) -> None:
    everything = ids_of(shop.phones) + ids_of(shop.tools)

    response = client.get(f"/products?page={page}")

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"success", "page", "products", "total_products"}
    assert (body["success"], body["page"], body["total_products"]) == (True, page, 25)
    assert page_ids(body) == everything[first:last]


@pytest.mark.parametrize("raw", ["abc", "1.5", "", "%20"])
def test_products_page_that_is_not_an_integer_is_page_one(client: FlaskClient, shop: Shop, raw: str) -> None:
    body = client.get(f"/products?page={raw}").get_json()

    assert body["page"] == 1
    assert page_ids(body) == ids_of(shop.phones)[:10]


@pytest.mark.parametrize("page", [4, 99, 10**30])
def test_products_page_past_the_end_is_200_and_empty(client: FlaskClient, shop: Shop, page: int) -> None:
    response = client.get(f"/products?page={page}")

    assert response.status_code == 200
    assert response.get_json() == {"success": True, "page": page, "products": [], "total_products": 25}


@pytest.mark.parametrize("page", [0, -1, -3])
def test_products_page_below_one_echoes_the_page_with_no_products(client: FlaskClient, shop: Shop, page: int) -> None:
    response = client.get(f"/products?page={page}")

    assert response.status_code == 200
    assert response.get_json() == {"success": True, "page": page, "products": [], "total_products": 25}


def test_products_of_an_empty_store_is_an_empty_first_page(client: FlaskClient) -> None:
    response = client.get("/products")

    assert response.status_code == 200
    assert response.get_json() == {"success": True, "page": 1, "products": [], "total_products": 0}


@pytest.mark.parametrize(("page", "first", "last"), [(1, 0, 10), (2, 10, 15)])
def test_category_products_pages_hold_only_that_category(
    client: FlaskClient, shop: Shop, page: int, first: int, last: int
) -> None:
    response = client.get(f"/categories/{shop.phones_category.id}/products?page={page}")

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"success", "current_category", "page", "products", "total_category_products"}
    assert body["current_category"] == {"id": shop.phones_category.id, "name": "Phones"}
    assert (body["success"], body["page"], body["total_category_products"]) == (True, page, 15)
    assert page_ids(body) == ids_of(shop.phones)[first:last]
    assert {p["category"] for p in body["products"]} == {"Phones"}


@pytest.mark.parametrize("query", ["?page=3", "?page=99", "?page=0"])
def test_category_products_page_out_of_range_is_200_and_empty(client: FlaskClient, shop: Shop, query: str) -> None:
    response = client.get(f"/categories/{shop.tools_category.id}/products{query}")

    assert response.status_code == 200
    assert response.get_json()["products"] == []
    assert response.get_json()["total_category_products"] == 10


def test_category_products_page_that_is_not_an_integer_is_page_one(client: FlaskClient, shop: Shop) -> None:
    body = client.get(f"/categories/{shop.tools_category.id}/products?page=two").get_json()

    assert body["page"] == 1
    assert page_ids(body) == ids_of(shop.tools)


@pytest.mark.parametrize("path", ["/products", "/categories/{phones}/products"])
def test_a_page_costs_the_same_few_statements_whatever_it_holds(client: FlaskClient, shop: Shop, path: str) -> None:
    url = path.format(phones=shop.phones_category.id)
    counts = []
    for page in (1, 2, 3, 99):
        db.session.remove()  # start each request with an empty session, as a real request does
        with counted_statements() as statements:
            response = client.get(f"{url}?page={page}")
        assert response.status_code == 200
        counts.append(len(statements))

    assert counts[0] <= 2
    assert len(set(counts)) == 1, counts
