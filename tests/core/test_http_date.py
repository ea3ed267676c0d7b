"""core.http.http_date writes what werkzeug's http_date writes, for every time a column can hold."""

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st
from werkzeug.http import http_date as werkzeugs_http_date

from apiary.core.http import http_date


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59, 999_999)))
def test_http_date_is_werkzeugs_to_the_character(moment: datetime) -> None:
    assert http_date(moment) == werkzeugs_http_date(moment)
