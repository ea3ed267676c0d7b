"""Store use cases: the catalogue's queries and changes."""

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from apiary.core.counts import row_count
from apiary.core.errors import ApiError, NotFound
from apiary.core.extensions import db
from apiary.core.pagination import CursorPage, Page, paginate, paginate_after
from apiary.core.transactions import commit, insert_in_batches
from apiary.store.models import Category, Product

PER_PAGE = 10

DEMO_CATALOGUE = {
    "Electronics": [
        ("iPhone X", "256 GB iPhone X", 999),
        ("Galaxy S10", "128 GB Samsung Galaxy S10", 799),
        ("MacBook Pro", "13-inch MacBook Pro", 1299),
    ],
    "Home Appliances": [
        ("Washing Machine", "20K Washing Machine", 1499),
        ("Refrigerator", "No-frost refrigerator", 899),
        ("Microwave", "800 W microwave oven", 149),
    ],
    "Machinery": [
        ("Drill", "Cordless drill", 89),
        ("Lawn Mower", "Electric lawn mower", 249),
    ],
}
GENERATED_PREFIX = "Generated product"
GENERATED_CATEGORY = "Generated category"


class NameTaken(ApiError):
    """Another category, or another product, already has this name."""


class UnknownCategory(ApiError):
    """A product names a category that does not exist."""


def list_categories() -> list[Category]:
    """Every category, in id order."""
    return list(db.session.scalars(sa.select(Category).order_by(Category.id)))


def create_category(*, name: str) -> tuple[Category, int]:
    """A new category and how many there are now; NameTaken if another category has the name."""
    if db.session.scalar(sa.select(Category.id).where(Category.name == name)) is not None:
        raise NameTaken()
    category = Category(name=name)
    db.session.add(category)
    commit(on_conflict=NameTaken())
    return category, _count(Category)


def list_category_products(*, category_id: int, page: int) -> tuple[Category, Page[Product]]:
    """One page of a category's products; NotFound for a missing category or one with no products."""
    product_count = sa.select(sa.func.count(Product.id)).where(Product.category_id == Category.id).scalar_subquery()
    row = db.session.execute(sa.select(Category, product_count).where(Category.id == category_id)).one_or_none()
    if row is None or row[1] == 0:
        raise NotFound()
    category, total = row
    # Each product's category is already in the session, so serialising them costs no further query.
    stmt = sa.select(Product).where(Product.category_id == category_id).order_by(Product.id)
    return category, paginate(stmt, page=page, per_page=PER_PAGE, total=total, key=Product.id)


def list_products(*, page: int) -> Page[Product]:
    """One page of all products, in id order, with their categories."""
    stmt = sa.select(Product).options(so.joinedload(Product.category)).order_by(Product.id)
    return paginate(stmt, page=page, per_page=PER_PAGE, total=_product_total(), key=Product.id)


def list_products_after(*, after: str) -> tuple[CursorPage[Product], int]:
    """The products after a cursor, in id order, with their categories; and how many there are in all."""
    stmt = sa.select(Product).options(so.joinedload(Product.category))
    page = paginate_after(stmt, keys=(Product.id,), descending=False, after=after, per_page=PER_PAGE)
    return page, _product_total()


def get_product(*, product_id: int) -> Product:
    """A product with its category; NotFound if there is none."""
    product = db.session.scalar(
        sa.select(Product).options(so.joinedload(Product.category)).where(Product.id == product_id)
    )
    if product is None:
        raise NotFound()
    return product


def create_product(
    *, name: str, description: str | None, price: int, category_id: int, in_stock: bool
) -> tuple[Product, int]:
    """A new product and how many there are now; NameTaken or UnknownCategory when it cannot be."""
    if db.session.scalar(sa.select(Product.id).where(Product.name == name)) is not None:
        raise NameTaken()
    if db.session.get(Category, category_id) is None:
        raise UnknownCategory()
    product = Product(name=name, description=description, price=price, category_id=category_id, in_stock=in_stock)
    db.session.add(product)
    commit(on_conflict=NameTaken())
    return product, _product_total()


def update_price(*, product: Product, price: int) -> Product:
    """Change a product's price, its only writable field."""
    product.price = price
    commit()
    return product


def delete_product(*, product_id: int) -> None:
    """Delete a product; NotFound if there is none."""
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound()
    db.session.delete(product)
    commit()


def seed_catalogue() -> int:
    """Add the demo categories and products that are missing; how many rows were added."""
    added = 0
    for category_name, items in DEMO_CATALOGUE.items():
        category = db.session.scalar(sa.select(Category).where(Category.name == category_name))
        if category is None:
            category = Category(name=category_name)
            db.session.add(category)
            added += 1
        for name, description, price in items:
            if db.session.scalar(sa.select(Product.id).where(Product.name == name)) is None:
                db.session.add(Product(name=name, description=description, price=price, category=category))
                added += 1
    commit()
    return added


def generate_categories(total: int) -> int:
    """Add generated categories until there are `total` in all; how many were added."""
    existing = _count(Category)
    start = db.session.scalar(sa.select(sa.func.max(Category.id))) or 0

    def category(n: int) -> dict[str, Any]:
        # Each generated name's number is past the largest id, so it is unique.
        return {"name": f"{GENERATED_CATEGORY} {start + n + 1}"}

    return sum(insert_in_batches(Category, max(total - existing, 0), category))


def generate_products(count: int) -> Iterator[int]:
    """Add `count` generated products, spread over every category, yielding each batch's size."""
    categories = list(db.session.scalars(sa.select(Category.id).order_by(Category.id)))
    if not categories:
        raise NotFound("no category to put products in: seed the catalogue first")
    # Each generated name's number is past the largest id, so it is unique.
    start = db.session.scalar(sa.select(sa.func.max(Product.id))) or 0
    return insert_in_batches(
        Product,
        count,
        lambda n: {
            "name": f"{GENERATED_PREFIX} {start + n + 1}",
            "description": "Made by apiary seed-demo --products",
            "price": (start + n) % 1000 + 1,
            "in_stock": True,
            "category_id": categories[n % len(categories)],
        },
    )


def _product_total() -> int:
    return row_count(Product.__tablename__)  # kept by the database, not counted (core.counts)


def _count(model: type[Category]) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
