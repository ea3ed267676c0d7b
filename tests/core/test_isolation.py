"""Each test starts from an empty database, on every backend, whatever the previous test committed."""

import pytest

from apiary.core.identity import User
from tests.support import row_count


@pytest.mark.parametrize("attempt", [1, 2])
def test_rows_committed_by_one_test_are_gone_in_the_next(make_user, client, attempt: int) -> None:
    assert row_count(User) == 0
    make_user("committed-by-a-test")
    assert (
        client.post("/auth/register", json={"username": "committed-by-a-request", "password": "pw1"}).status_code == 200
    )
    assert row_count(User) == 2
