"""Password hashing: verifying for a user who does not exist still runs a real argon2 verification."""

import secrets
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from apiary.core.passwords import Passwords
from tests.support import PASSWORD, MakeUser


class SpyHasher(PasswordHasher):
    """A real argon2 hasher that records each hash it makes and each verification it runs."""

    def __init__(self, **parameters: Any) -> None:
        super().__init__(**parameters)
        self.made: list[str] = []
        self.verified: list[tuple[str, str]] = []

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        made = super().hash(password, salt=salt)
        self.made.append(made)
        return made

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified.append((str(hash), str(password)))
        return super().verify(hash, password)


@pytest.fixture
def spy() -> SpyHasher:
    return SpyHasher(time_cost=1, memory_cost=8, parallelism=1)


def test_no_hash_verifies_against_the_dummy_hash_and_says_no(spy: SpyHasher) -> None:
    passwords = Passwords(spy)
    (dummy,) = spy.made  # the one hash made at construction

    assert passwords.verify(None, "any-password") is False
    assert spy.verified == [(dummy, "any-password")]
    assert dummy.startswith("$argon2id$")


def test_no_hash_says_no_even_when_the_password_matches_the_dummy_hash(
    spy: SpyHasher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dummy hash is of a random secret; were it guessed, a user without a hash still could not log in."""
    monkeypatch.setattr(secrets, "token_urlsafe", lambda _length: "guessed-dummy-secret")
    passwords = Passwords(spy)

    assert spy.verify(spy.made[0], "guessed-dummy-secret")  # the dummy hash does match this password
    assert passwords.verify(None, "guessed-dummy-secret") is False


def test_a_real_hash_is_verified_against_itself(spy: SpyHasher) -> None:
    passwords = Passwords(spy)
    stored = passwords.hash("right")

    assert (passwords.verify(stored, "right"), passwords.verify(stored, "wrong")) == (True, False)
    assert [hashed for hashed, _ in spy.verified] == [stored, stored]


def test_a_broken_hash_says_no(spy: SpyHasher) -> None:
    assert Passwords(spy).verify("not-an-argon2-hash", "right") is False


def test_a_login_for_an_unknown_user_spends_a_verification_like_a_known_one(
    app: Flask, client: FlaskClient, make_user: MakeUser, spy: SpyHasher
) -> None:
    make_user("bob")
    app.extensions["apiary.passwords"] = Passwords(spy)
    (dummy,) = spy.made

    unknown = client.post("/auth/login", json={"username": "nobody", "password": PASSWORD})
    wrong = client.post("/auth/login", json={"username": "bob", "password": "wrong-password"})

    assert unknown.get_json() == wrong.get_json() == {"status": "fail", "message": "Username or Password not valid"}
    assert [hashed == dummy for hashed, _ in spy.verified] == [True, False]
