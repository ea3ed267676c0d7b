"""Identity rules below the HTTP layer: timing-safe authentication and password changes."""

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from apiary.core.extensions import db
from apiary.core.identity import Token, TokenType
from apiary.core.passwords import Passwords, passwords
from apiary.core.tokens import issue_token
from apiary.core.users import authenticate, change_password
from tests.support import PASSWORD


@pytest.fixture
def verified_hashes(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The hash each password check compared against (None: the user did not exist)."""
    seen: list[str | None] = []
    original = Passwords.verify

    def spy(self: Passwords, password_hash: str | None, password: str) -> bool:
        seen.append(password_hash)
        return original(self, password_hash, password)

    monkeypatch.setattr(Passwords, "verify", spy)
    return seen


def test_an_unknown_user_still_costs_one_hash_verification(app, verified_hashes) -> None:
    assert authenticate(field="username", login="nobody", password="guess") is None
    assert verified_hashes == [None]


def test_unknown_user_and_wrong_password_look_the_same(app, make_user) -> None:
    make_user("bob")
    assert authenticate(field="username", login="bob", password="wrong") is None
    assert authenticate(field="username", login="nobody", password="wrong") is None
    assert authenticate(field="username", login="bob", password=PASSWORD) is not None


def test_the_dummy_hash_never_matches(app) -> None:
    assert not passwords().verify(None, "")


def test_a_hash_with_old_parameters_is_renewed_and_still_verifies(app, make_user) -> None:
    user = make_user("carol")
    user.password_hash = PasswordHasher(time_cost=3, memory_cost=16, parallelism=1).hash(PASSWORD)
    db.session.commit()
    assert authenticate(field="username", login="carol", password=PASSWORD) is user
    assert not passwords().needs_rehash(user.password_hash)
    assert passwords().verify(user.password_hash, PASSWORD)


def test_a_password_change_revokes_every_older_token(app, make_user) -> None:
    user, other = make_user("dave"), make_user("erin")
    for owner in (user, user, other):
        issue_token(owner, TokenType.ACCESS, app.extensions["apiary.settings"].access_token_lifetime)
    change_password(user, "new-password")
    db.session.commit()
    rows = [tuple(row) for row in db.session.execute(sa.select(Token.user_id, Token.revoked))]
    assert sorted(rows) == sorted([(user.id, True), (user.id, True), (other.id, False)])
