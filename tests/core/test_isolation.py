"""Each test starts from an empty database, on every backend, whatever the previous test committed."""

import pytest
import sqlalchemy as sa

from apiary.core.extensions import db
from apiary.core.identity import User


@pytest.mark.parametrize("attempt", [1, 2])
def test_rows_committed_by_one_test_are_gone_in_the_next(make_user, client, attempt: int) -> None:
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    make_user("committed-by-a-test")
    assert (
        client.post("/auth/register", json={"username": "committed-by-a-request", "password": "pw1"}).status_code == 200
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2
