"""Page.has_next at its boundaries (issue 6 item 6): a next page exists exactly when a later page holds items."""

import pytest

from apiary.core.pagination import Page


@pytest.mark.parametrize(
    ("page", "per_page", "total", "has_next"),
    [
        (1, 10, 0, False),  # nothing at all
        (1, 10, 9, False),  # one partial page
        (1, 10, 10, False),  # total == page * per_page: the last page is full
        (1, 10, 11, True),  # total == page * per_page + 1: one item spills over
        (2, 10, 20, False),
        (2, 10, 21, True),
        (3, 10, 23, False),  # the last, partial page
        (2, 10, 30, True),  # a full page before the last full one
        (3, 10, 30, False),  # the last full page
        (4, 10, 30, False),  # past the end
        (1, 1, 2, True),
        (0, 10, 100, False),  # page 0 comes before the first page: no "next" from there
        (-1, 10, 100, False),
        (-5, 10, 0, False),
    ],
)
def test_has_next(page: int, per_page: int, total: int, has_next: bool) -> None:
    assert Page(items=[], page=page, per_page=per_page, total=total).has_next is has_next
