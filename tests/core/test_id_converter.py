"""`<id:...>` in a URL: any run of digits is an id, however long; one past an INTEGER column names no row."""

import pytest
from flask.testing import FlaskClient

from apiary.core.db import MAX_INTEGER

# Python refuses to read more than 4,300 digits as an int; a URL may hold more.
DIGIT_RUNS = {
    "past INTEGER": str(MAX_INTEGER + 1),
    "as many digits as INTEGER's largest": "9" * len(str(MAX_INTEGER)),
    "5,000 nines": "9" * 5000,
    "5,000 zeros": "0" * 5000,
    "5,000 zeros then a one": "0" * 5000 + "1",
}


@pytest.mark.parametrize("digits", DIGIT_RUNS.values(), ids=DIGIT_RUNS.keys())
def test_any_run_of_digits_is_an_id_no_row_has(client: FlaskClient, digits: str) -> None:
    response = client.get(f"/products/{digits}")

    assert (response.status_code, response.get_json()["message"]) == (404, "resource not found")
