"""Password hashing with argon2id."""

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app

from apiary.core.config import Settings


class Passwords:
    """Hashes and verifies passwords with one set of argon2id parameters."""

    def __init__(self, hasher: PasswordHasher) -> None:
        self._hasher = hasher
        # Verified against when the user does not exist, so a login costs the same either way.
        self._dummy_hash = hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether `password` matches; with no hash it still spends the time and says no."""
        try:
            return self._hasher.verify(password_hash or self._dummy_hash, password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether the hash was made with other parameters than today's."""
        return self._hasher.check_needs_rehash(password_hash)


def argon2_hasher(settings: Settings) -> PasswordHasher:
    """argon2id with the configured parameters (the benchmark measures its raw rate too)."""
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )


def init_passwords(app: Flask, settings: Settings) -> None:
    """Give the app its password hasher."""
    app.extensions["apiary.passwords"] = Passwords(argon2_hasher(settings))


def passwords() -> Passwords:
    """The current app's password hasher."""
    return current_app.extensions["apiary.passwords"]
