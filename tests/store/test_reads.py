"""Public store reads (spec 000): /welcome, categories, products, and the envelope of unrouted URLs."""

import pytest
from flask.testing import FlaskClient

from tests.store.helpers import (
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    PRODUCT_KEYS,
    add_category,
    add_product,
)


def test_welcome_is_the_exact_html_greeting(client: FlaskClient) -> None:
    response = client.get("/welcome")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.data == b"<h1>Welcome!</h1>"


def test_categories_lists_every_category_in_id_order(client: FlaskClient) -> None:
    electronics, appliances, machinery = (add_category(n) for n in ("Electronics", "Home Appliances", "Machinery"))

    response = client.get("/categories")

    assert response.status_code == 200
    assert response.get_json() == {
        "success": True,
        "categories": [
            {"id": electronics.id, "name": "Electronics"},
            {"id": appliances.id, "name": "Home Appliances"},
            {"id": machinery.id, "name": "Machinery"},
        ],
    }
    assert electronics.id < appliances.id < machinery.id


def test_categories_of_an_empty_store_is_an_empty_list(client: FlaskClient) -> None:
    response = client.get("/categories")

    assert response.status_code == 200
    assert response.get_json() == {"success": True, "categories": []}


def test_product_detail_names_its_category(client: FlaskClient) -> None:
    electronics = add_category("Electronics")
    iphone = add_product(electronics, "iPhone X", price=999, description="256 GB iPhone X")

    response = client.get(f"/products/{iphone.id}")

    assert response.status_code == 200
    assert response.get_json() == {
        "success": True,
        "current_category": {"id": electronics.id, "name": "Electronics"},
        "product": {
            "category": "Electronics",
            "description": "256 GB iPhone X",
            "id": iphone.id,
            "in_stock": True,
            "name": "iPhone X",
            "price": 999,
        },
    }


def test_product_bodies_have_exactly_the_spec_keys_everywhere(client: FlaskClient) -> None:
    category = add_category("Electronics")
    product = add_product(category, "iPhone X")

    bodies = [
        client.get(f"/products/{product.id}").get_json()["product"],
        client.get("/products").get_json()["products"][0],
        client.get(f"/categories/{category.id}/products").get_json()["products"][0],
    ]

    for body in bodies:
        assert set(body) == PRODUCT_KEYS
        assert body["category"] == "Electronics"


@pytest.mark.parametrize("product_id", [999, 0, 2**31, 2**63, 10**30])
def test_missing_product_is_404(client: FlaskClient, product_id: int) -> None:
    response = client.get(f"/products/{product_id}")

    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


@pytest.mark.parametrize("category_id", [999, 0, 2**31, 2**63])
def test_category_products_of_a_missing_category_is_404(client: FlaskClient, category_id: int) -> None:
    response = client.get(f"/categories/{category_id}/products")

    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


def test_category_products_of_a_category_without_products_is_404(client: FlaskClient) -> None:
    add_product(add_category("Electronics"), "iPhone X")
    empty = add_category("Machinery")

    response = client.get(f"/categories/{empty.id}/products")

    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


@pytest.mark.parametrize(
    "url",
    [
        "/products/",
        "/products/?page=1000",
        "/products/abc",
        "/products/1/extra",
        "/categories/",
        "/categories/abc/products",
        "/categories/1/products/",
        "/categories/1",
    ],
)
def test_unknown_store_urls_are_404_in_the_store_envelope(client: FlaskClient, url: str) -> None:
    add_product(add_category("Electronics"), "iPhone X")

    response = client.get(url)

    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


@pytest.mark.parametrize(
    ("method", "url"),
    [("PUT", "/products/2"), ("DELETE", "/products"), ("PATCH", "/categories"), ("POST", "/products/1")],
)
def test_wrong_method_is_405_in_the_store_envelope(client: FlaskClient, method: str, url: str) -> None:
    response = client.open(url, method=method)

    assert response.status_code == 405
    assert response.get_json() == METHOD_NOT_ALLOWED
