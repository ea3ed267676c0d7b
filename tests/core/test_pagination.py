"""The pagination helper every paginated API uses."""

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from apiary.core.extensions import db
from apiary.core.pagination import MAX_PAGE, Page, page_number, paginate
from apiary.store.models import Category, Product


@given(st.text())
def test_page_number_never_fails(raw: str) -> None:
    assert isinstance(page_number(raw), int)


@pytest.mark.parametrize(("raw", "page"), [("3", 3), (" 4 ", 4), ("-2", -2), ("abc", 1), ("1.5", 1), (None, 1)])
def test_page_number_reads_integers_and_defaults_the_rest(raw: str | None, page: int) -> None:
    assert page_number(raw) == page


@given(st.integers(min_value=-5, max_value=50), st.integers(min_value=0, max_value=200))
def test_has_next_means_a_later_page_holds_items(page: int, total: int) -> None:
    has_next = Page(items=[], page=page, per_page=10, total=total).has_next
    assert has_next == (page >= 1 and total > page * 10)


@pytest.fixture
def products(app) -> None:
    category = Category(name="Things")
    db.session.add_all(Product(name=f"p{n:02}", price=n, category=category) for n in range(23))
    db.session.commit()


@pytest.mark.usefixtures("products")
@pytest.mark.parametrize(
    ("page", "names"),
    [
        (1, [f"p{n:02}" for n in range(10)]),
        (3, ["p20", "p21", "p22"]),
        (4, []),
        (0, []),
        (-1, []),
        (MAX_PAGE + 1, []),
    ],
)
def test_paginate_slices_in_order_and_counts_everything(page: int, names: list[str]) -> None:
    result = paginate(sa.select(Product).order_by(Product.id), page=page, per_page=10)
    assert [product.name for product in result.items] == names
    assert (result.page, result.total) == (page, 23)


@pytest.mark.usefixtures("products")
def test_paginate_trusts_a_given_total() -> None:
    assert paginate(sa.select(Product).order_by(Product.id), page=1, per_page=5, total=99).total == 99
