"""Store writes by an admin (spec 000): bodies, validation, prices, and what stays unchanged on refusal."""

from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from apiary.core.extensions import db
from apiary.core.identity import MAX_NAME_LENGTH, MAX_TEXT_LENGTH, Role
from apiary.store.models import Category, Product
from tests.store.helpers import (
    BAD_REQUEST,
    BAD_SYNTAX,
    MAX_PRICE,
    NOT_FOUND,
    add_category,
    add_product,
    price_of,
)
from tests.support import AuthHeaders, MakeUser, counted_statements, row_count


@pytest.fixture
def admin(make_user: MakeUser, auth_headers: AuthHeaders) -> dict[str, str]:
    """An admin's Authorization header."""
    return auth_headers(make_user("admin", role=Role.ADMIN))


@pytest.fixture
def electronics() -> Category:
    return add_category("Electronics")


@pytest.fixture
def iphone(electronics: Category) -> Product:
    return add_product(electronics, "iPhone X", price=999, description="256 GB iPhone X")


def product_named(name: str) -> Product:
    product = db.session.scalar(sa.select(Product).where(Product.name == name))
    assert product is not None
    return product


def new_product(category_id: int, /, **changes: Any) -> dict[str, Any]:
    """A valid POST /products body, with `changes` applied."""
    return {
        "name": "Galaxy S10",
        "description": "128 GB Samsung Galaxy S10",
        "price": 799,
        "category_id": category_id,
    } | changes


# --- POST /categories --------------------------------------------------------------------------------


def test_create_category_answers_its_id_and_the_new_total(client: FlaskClient, admin: dict[str, str]) -> None:
    add_category("Electronics")

    response = client.post("/categories", json={"name": "Machinery"}, headers=admin)

    assert response.status_code == 200
    created = db.session.scalar(sa.select(Category.id).where(Category.name == "Machinery"))
    assert response.get_json() == {"success": True, "created": created, "total_categories": 2}


def test_created_category_is_listed(client: FlaskClient, admin: dict[str, str]) -> None:
    created = client.post("/categories", json={"name": "Machinery"}, headers=admin).get_json()["created"]

    assert client.get("/categories").get_json()["categories"] == [{"id": created, "name": "Machinery"}]


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "   "}, {"name": None}, {"label": "Machinery"}])
def test_create_category_without_a_name_is_422_and_writes_nothing(
    client: FlaskClient, admin: dict[str, str], body: dict[str, Any]
) -> None:
    response = client.post("/categories", json=body, headers=admin)

    assert response.status_code == 422
    assert response.get_json() == BAD_REQUEST
    assert row_count(Category) == 0


def test_create_category_with_a_taken_name_is_422_and_writes_nothing(
    client: FlaskClient, admin: dict[str, str], electronics: Category
) -> None:
    response = client.post("/categories", json={"name": "Electronics"}, headers=admin)

    assert response.status_code == 422
    assert response.get_json() == BAD_REQUEST
    assert row_count(Category) == 1


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("name=Machinery", "application/x-www-form-urlencoded"),
        ('{"name": "Machinery"', "application/json"),
        ('["Machinery"]', "application/json"),
        ('{"name": "Machinery"}', "text/plain"),
        ("", None),
    ],
)
def test_create_category_with_a_body_that_is_not_a_json_object_is_400(
    client: FlaskClient, admin: dict[str, str], data: str, content_type: str | None
) -> None:
    response = client.post("/categories", data=data, content_type=content_type, headers=admin)

    assert response.status_code == 400
    assert response.get_json() == BAD_SYNTAX
    assert row_count(Category) == 0


# --- POST /products ----------------------------------------------------------------------------------


def test_create_product_answers_its_id_and_the_new_total(
    client: FlaskClient, admin: dict[str, str], iphone: Product, electronics: Category
) -> None:
    response = client.post("/products", json=new_product(electronics.id), headers=admin)

    assert response.status_code == 200
    galaxy = product_named("Galaxy S10")
    assert response.get_json() == {"success": True, "created": galaxy.id, "total_products": 2}
    assert (galaxy.description, galaxy.price, galaxy.in_stock, galaxy.category_id) == (
        "128 GB Samsung Galaxy S10",
        799,
        True,
        electronics.id,
    )


def test_created_product_reads_back_as_sent(client: FlaskClient, admin: dict[str, str], electronics: Category) -> None:
    created = client.post("/products", json=new_product(electronics.id), headers=admin).get_json()["created"]

    assert client.get(f"/products/{created}").get_json()["product"] == {
        "category": "Electronics",
        "description": "128 GB Samsung Galaxy S10",
        "id": created,
        "in_stock": True,
        "name": "Galaxy S10",
        "price": 799,
    }


def test_create_product_ignores_extra_keys_such_as_id(
    client: FlaskClient, admin: dict[str, str], electronics: Category
) -> None:
    response = client.post("/products", json=new_product(electronics.id, id=4242, colour="red"), headers=admin)

    assert response.status_code == 200
    created = response.get_json()["created"]
    assert created == product_named("Galaxy S10").id
    assert created != 4242
    assert db.session.get(Product, 4242) is None


@pytest.mark.parametrize(("sent", "stored"), [(799, 799), ("999", 999), (799.9, 799), (0, 0), (MAX_PRICE, MAX_PRICE)])
def test_create_product_stores_an_integer_price(
    client: FlaskClient, admin: dict[str, str], electronics: Category, sent: Any, stored: int
) -> None:
    response = client.post("/products", json=new_product(electronics.id, price=sent), headers=admin)

    assert response.status_code == 200
    assert price_of(response.get_json()["created"]) == stored


@pytest.mark.parametrize(
    "changes",
    [
        {"name": ""},
        {"name": "  "},
        {"name": None},
        {"name": "iPhone X"},
        {"category_id": 999},
        {"category_id": 0},
        {"category_id": -1},
        {"category_id": 2**31},
        {"category_id": 10**30},
    ],
    ids=[
        "empty name",
        "blank name",
        "null name",
        "taken name",
        "unknown category",
        "category zero",
        "negative category",
        "category over int32",
        "absurd category",
    ],
)
def test_create_product_with_a_bad_name_or_category_is_422_and_writes_nothing(
    client: FlaskClient, admin: dict[str, str], iphone: Product, electronics: Category, changes: dict[str, Any]
) -> None:
    response = client.post("/products", json=new_product(electronics.id, **changes), headers=admin)

    assert response.status_code == 422
    assert response.get_json() == BAD_REQUEST
    assert row_count(Product) == 1


def test_create_product_without_a_name_is_422(
    client: FlaskClient, admin: dict[str, str], electronics: Category
) -> None:
    body = new_product(electronics.id)
    del body["name"]

    response = client.post("/products", json=body, headers=admin)

    assert response.status_code == 422
    assert response.get_json() == BAD_REQUEST
    assert row_count(Product) == 0


BAD_PRICES = [
    pytest.param("99x", id="non-numeric string"),
    pytest.param("799.9", id="decimal string"),
    pytest.param(-1, id="negative"),
    pytest.param("-5", id="negative string"),
    pytest.param(True, id="true"),
    pytest.param(False, id="false"),
    pytest.param(MAX_PRICE + 1, id="over int32"),
    pytest.param(10**30, id="absurdly large"),
    pytest.param(1e300, id="absurdly large float"),
    pytest.param(None, id="null"),
    pytest.param([799], id="list"),
]


@pytest.mark.parametrize("price", BAD_PRICES)
def test_create_product_with_a_bad_price_is_422_and_writes_nothing(
    client: FlaskClient, admin: dict[str, str], electronics: Category, price: Any
) -> None:
    """Spec 000: a price that is not a number is 422 on POST (400 "bad syntax" is PATCH's answer)."""
    response = client.post("/products", json=new_product(electronics.id, price=price), headers=admin)

    assert response.status_code == 422
    assert response.get_json() == BAD_REQUEST
    assert row_count(Product) == 0


@pytest.mark.parametrize("literal", ["Infinity", "-Infinity", "NaN"])
def test_create_product_with_a_non_finite_price_is_malformed_json_400(
    client: FlaskClient, admin: dict[str, str], electronics: Category, literal: str
) -> None:
    raw = f'{{"name": "Galaxy S10", "price": {literal}, "category_id": {electronics.id}}}'

    response = client.post("/products", data=raw, content_type="application/json", headers=admin)

    assert response.status_code == 400
    assert response.get_json() == BAD_SYNTAX
    assert row_count(Product) == 0


@pytest.mark.parametrize(
    ("data", "content_type"),
    [("name=Galaxy&price=799&category_id=1", "application/x-www-form-urlencoded"), ("{", "application/json")],
)
def test_create_product_with_a_body_that_is_not_json_is_400(
    client: FlaskClient, admin: dict[str, str], electronics: Category, data: str, content_type: str
) -> None:
    response = client.post("/products", data=data, content_type=content_type, headers=admin)

    assert response.status_code == 400
    assert response.get_json() == BAD_SYNTAX
    assert row_count(Product) == 0


# --- PATCH /products/<id> ----------------------------------------------------------------------------


@pytest.mark.parametrize(("sent", "stored"), [(599, 599), ("799", 799), (799.9, 799), (0, 0)])
def test_patch_changes_the_price(
    client: FlaskClient, admin: dict[str, str], iphone: Product, sent: Any, stored: int
) -> None:
    response = client.patch(f"/products/{iphone.id}", json={"price": sent}, headers=admin)

    assert response.status_code == 200
    assert response.get_json() == {"success": True, "updated": iphone.id}
    assert price_of(iphone.id) == stored


def test_patch_changes_nothing_but_the_price(
    client: FlaskClient, admin: dict[str, str], iphone: Product, electronics: Category
) -> None:
    other = add_category("Other")
    changes = {"price": 5, "name": "Renamed", "description": "Changed", "in_stock": False, "category_id": other.id}

    response = client.patch(f"/products/{iphone.id}", json=changes, headers=admin)

    assert response.status_code == 200
    assert client.get(f"/products/{iphone.id}").get_json()["product"] == {
        "category": "Electronics",
        "description": "256 GB iPhone X",
        "id": iphone.id,
        "in_stock": True,
        "name": "iPhone X",
        "price": 5,
    }


def test_patch_reads_the_product_once(client: FlaskClient, admin: dict[str, str], iphone: Product) -> None:
    """The route fetches the product and hands it to the update (issue 6 item 4); besides the token's lookup,
    one statement reads products, and none reads it again after the commit."""
    path = f"/products/{iphone.id}"
    db.session.remove()  # start with an empty session, as a real request does
    with counted_statements() as statements:
        response = client.patch(path, json={"price": 5}, headers=admin)

    assert response.status_code == 200
    product_reads = [statement for statement in statements if "FROM products" in statement]
    assert len(product_reads) == 1, product_reads


@pytest.mark.parametrize("price", BAD_PRICES)
def test_patch_with_a_bad_price_is_400_and_keeps_the_price(
    client: FlaskClient, admin: dict[str, str], iphone: Product, price: Any
) -> None:
    response = client.patch(f"/products/{iphone.id}", json={"price": price}, headers=admin)

    assert response.status_code == 400
    assert response.get_json() == BAD_SYNTAX
    assert price_of(iphone.id) == 999


@pytest.mark.parametrize("literal", ["Infinity", "NaN"])
def test_patch_with_a_non_finite_price_is_400(
    client: FlaskClient, admin: dict[str, str], iphone: Product, literal: str
) -> None:
    response = client.patch(
        f"/products/{iphone.id}", data=f'{{"price": {literal}}}', content_type="application/json", headers=admin
    )

    assert response.status_code == 400
    assert response.get_json() == BAD_SYNTAX
    assert price_of(iphone.id) == 999


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("{}", "application/json"),
        ('{"name": "Renamed"}', "application/json"),
        ("price=5", "application/x-www-form-urlencoded"),
        ('{"price": 5', "application/json"),
        ("", None),
    ],
    ids=["empty object", "no price", "form", "malformed json", "no body"],
)
def test_patch_without_a_json_price_is_400(
    client: FlaskClient, admin: dict[str, str], iphone: Product, data: str, content_type: str | None
) -> None:
    response = client.patch(f"/products/{iphone.id}", data=data, content_type=content_type, headers=admin)

    assert response.status_code == 400
    assert response.get_json() == BAD_SYNTAX
    assert price_of(iphone.id) == 999


def test_patch_of_a_missing_product_is_404(client: FlaskClient, admin: dict[str, str]) -> None:
    response = client.patch("/products/999", json={"price": 5}, headers=admin)

    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


def test_patch_of_a_missing_product_validates_the_body_before_the_lookup(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    """Check order: token, permission, path, query and body, then lookups."""
    response = client.patch("/products/999", json={"price": "99x"}, headers=admin)

    assert response.status_code == 400
    assert response.get_json() == BAD_SYNTAX


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
@pytest.mark.parametrize("product_id", [0, 2**31, 2**63])
def test_write_to_an_id_no_product_can_have_is_404(
    client: FlaskClient, admin: dict[str, str], method: str, product_id: int
) -> None:
    response = client.open(f"/products/{product_id}", method=method, json={"price": 5}, headers=admin)

    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


# --- DELETE /products/<id> ---------------------------------------------------------------------------


def test_delete_removes_the_product(client: FlaskClient, admin: dict[str, str], iphone: Product) -> None:
    product_id = iphone.id

    response = client.delete(f"/products/{product_id}", headers=admin)

    assert response.status_code == 200
    assert response.get_json() == {"success": True, "deleted": product_id}
    assert row_count(Product) == 0
    assert client.get(f"/products/{product_id}").status_code == 404


def test_delete_keeps_the_category_and_the_other_products(
    client: FlaskClient, admin: dict[str, str], iphone: Product, electronics: Category
) -> None:
    galaxy = add_product(electronics, "Galaxy S10")

    client.delete(f"/products/{iphone.id}", headers=admin)

    assert row_count(Category) == 1
    assert [p["id"] for p in client.get("/products").get_json()["products"]] == [galaxy.id]


def test_delete_of_a_missing_product_is_404(client: FlaskClient, admin: dict[str, str], iphone: Product) -> None:
    response = client.delete("/products/999", headers=admin)

    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND
    assert row_count(Product) == 1


def test_delete_twice_is_404_the_second_time(client: FlaskClient, admin: dict[str, str], iphone: Product) -> None:
    product_id = iphone.id
    client.delete(f"/products/{product_id}", headers=admin)

    response = client.delete(f"/products/{product_id}", headers=admin)

    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


def test_auth_comes_before_the_lookup_of_an_id_no_product_can_have(client: FlaskClient) -> None:
    response = client.patch(f"/products/{2**40}", json={"price": 5})

    assert response.status_code == 401


# --- bounded storage (issue 7): names fit their column, and no text of a body is longer than any column ---


def test_a_name_longer_than_its_column_is_refused_like_a_blank_one(
    client: FlaskClient, admin: dict[str, str], electronics: Category
) -> None:
    too_long = "n" * (MAX_NAME_LENGTH + 1)
    assert client.post("/categories", json={"name": too_long}, headers=admin).get_json() == BAD_REQUEST
    product = {"name": too_long, "price": 1, "category_id": electronics.id}
    assert client.post("/products", json=product, headers=admin).get_json() == BAD_REQUEST
    assert (row_count(Category), row_count(Product)) == (1, 0)
    fitting = {"name": "n" * MAX_NAME_LENGTH, "price": 1, "category_id": electronics.id}
    assert client.post("/products", json=fitting, headers=admin).status_code == 200


def test_a_description_longer_than_any_column_is_bad_syntax(
    client: FlaskClient, admin: dict[str, str], electronics: Category
) -> None:
    product = {"name": "Tome", "price": 1, "category_id": electronics.id, "description": "d" * (MAX_TEXT_LENGTH + 1)}
    response = client.post("/products", json=product, headers=admin)
    assert (response.status_code, response.get_json()) == (400, BAD_SYNTAX)
    assert row_count(Product) == 0
