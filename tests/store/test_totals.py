"""The products total comes from the count the database keeps (core.counts): exact after every kind of
write, on every instance, without a scan."""

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command
from flask import Flask, current_app

from apiary.core.extensions import db
from apiary.store import services
from apiary.store.models import Product
from tests.store.helpers import add_category, add_products
from tests.support import BACKENDS, make_app, row_count, temporary_postgres_database


@pytest.fixture(params=BACKENDS)
def shared_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """One database, created by the migrations, that two instances share."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'shared.db'}"
    else:
        database = temporary_postgres_database()
        url = database.__enter__()
        request.addfinalizer(lambda: database.__exit__(None, None, None))
    app = make_app(database_url=url)
    with app.app_context():
        command.upgrade(current_app.extensions["migrate"].migrate.get_config(), "head")
        db.engine.dispose()
    yield url


def total(app: Flask) -> int:
    return app.test_client().get("/products").get_json()["total_products"]


def test_a_write_on_one_instance_is_counted_by_the_next_read_on_another(shared_url: str) -> None:
    writer, reader = make_app(database_url=shared_url), make_app(database_url=shared_url)
    assert total(reader) == 0

    with writer.app_context():
        add_products(add_category("Phones"), 3, prefix="Phone")
        services.delete_product(product_id=db.session.scalar(sa.select(sa.func.min(Product.id))))
        sum(services.generate_products(25))  # one multi-row INSERT per batch
        expected = row_count(Product)
        db.session.remove()
        db.engine.dispose()

    assert expected == 27
    assert total(reader) == 27
    for app in (writer, reader):
        with app.app_context():
            db.engine.dispose()


def test_a_rolled_back_write_is_not_counted(app: Flask) -> None:
    add_products(add_category("Phones"), 2, prefix="Phone")
    db.session.add(
        Product(name="Never", price=1, category_id=db.session.scalar(sa.select(sa.func.min(Product.category_id))))
    )
    db.session.flush()
    db.session.rollback()

    assert app.test_client().get("/products").get_json()["total_products"] == row_count(Product) == 2
