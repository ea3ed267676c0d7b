"""Identity use cases every API builds on. They never commit: the calling use case does."""

from typing import Literal

import sqlalchemy as sa

from apiary.core.account_limits import login_limit, refresh_limit
from apiary.core.config import current_settings
from apiary.core.db import utcnow
from apiary.core.errors import ValidationFailed
from apiary.core.extensions import db
from apiary.core.identity import (
    MAX_EMAIL_LENGTH,
    MAX_IDENTITY_LENGTH,
    MAX_PASSWORD_LENGTH,
    MAX_USERNAME_LENGTH,
    Role,
    Token,
    TokenType,
    User,
    text_problem,
)
from apiary.core.passwords import passwords
from apiary.core.tokens import issue_token
from apiary.core.transactions import for_update

LoginField = Literal["username", "email"]
# The name tokens carry: a user's username, or the email of a user registered without one (OAuth's
# `username`, which must name every user).
IDENTITY: Literal["identity"] = "identity"
AccountName = LoginField | Literal["identity"]


def taken_field(*, username: str | None, email: str | None) -> LoginField | None:
    """Which of the two names another user already has, username first."""
    if username is not None and _user_where(User.username == username) is not None:
        return "username"
    if email is not None and _user_where(User.email == email) is not None:
        return "email"
    return None


def create_user(*, username: str | None, email: str | None, password: str, role: Role | None = None) -> User:
    """A new user with a hashed password, added to the session; ValidationFailed for what cannot be stored.

    Each API checks its own rules first, in its own words; this is the floor every API stands on.
    """
    problems = [
        (field, problem)
        for field, value, limit, name in (
            ("username", username, MAX_USERNAME_LENGTH, True),
            ("email", email, MAX_EMAIL_LENGTH, True),
            ("password", password, MAX_PASSWORD_LENGTH, False),
        )
        if value is not None and (problem := text_problem(value, limit=limit, name=name))
    ]
    if problems:
        raise ValidationFailed(problems)
    user = User(username=username, email=email, password_hash=passwords().hash(password), role=role)
    db.session.add(user)
    return user


def authenticate(*, field: AccountName, login: str, password: str) -> User | None:
    """The user whose `field` is `login` if `password` is theirs, else None (unknown user or wrong password).

    Both failures take the same time, and a hash made with older parameters is renewed. An account name
    with too many failures in the login-limit window is TooManyAttempts, whatever the password. Credentials
    longer than any stored one are refused without a look-up: no user has them.
    """
    login_limit().check(login)
    if len(login) > MAX_IDENTITY_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
        return None
    user = _user_where(_named(field, login))
    if not passwords().verify(user.password_hash if user else None, password):
        login_limit().record(login)
        return None
    assert user is not None
    # argon2 ran without a lock, so that logins to one account do not queue behind each other. Now the row
    # is held until the login commits and must still hold the hash just verified: a password change or an
    # account deletion that committed meanwhile wins, and one that comes later waits, then revokes the
    # tokens this login issues; nor can the renewed hash below overwrite a new password.
    verified_hash = user.password_hash
    if not lock_user(user) or user.password_hash != verified_hash:
        return None
    if passwords().needs_rehash(user.password_hash):
        user.password_hash = passwords().hash(password)
    return user


def refresh_access(user: User) -> str:
    """A new access token for the owner of a verified refresh token, wherever it is redeemed; past
    RATELIMIT_REFRESH for this user, TooManyAttempts (the caller's transaction commits the token)."""
    refresh_limit().spend(str(user.id))
    return issue_token(user, TokenType.ACCESS, current_settings().access_token_lifetime)


def change_password(user: User, password: str) -> None:
    """Set a new password; every token issued before the change stops working, for good."""
    if problem := text_problem(password, limit=MAX_PASSWORD_LENGTH):
        raise ValidationFailed([("password", problem)])
    user.password_hash = passwords().hash(password)
    user.password_changed_at = utcnow()
    revoke_all_tokens(user)


def lock_user(user: User) -> bool:
    """Lock the user's row until the commit, so that changes to one account happen one after the other;
    False if a request that ran meanwhile deleted it."""
    return _user_where(User.id == user.id, locked=True) is not None


def revoke_all_tokens(user: User) -> None:
    """Revoke every token ever issued to `user`."""
    db.session.execute(sa.update(Token).where(Token.user_id == user.id).values(revoked=True))


def any_user() -> bool:
    """Whether anybody has registered yet."""
    return db.session.scalar(sa.select(User.id).limit(1)) is not None


def _named(field: AccountName, login: str) -> sa.ColumnElement[bool]:
    if field == IDENTITY:
        return sa.or_(User.username == login, sa.and_(User.username.is_(None), User.email == login))
    return getattr(User, field) == login


def _user_where(condition: sa.ColumnElement[bool], *, locked: bool = False) -> User | None:
    # A username first: one user's username may be another's email, and an identity names the former.
    query = sa.select(User).where(condition).order_by(User.username.is_(None))
    return db.session.scalar(for_update(query) if locked else query)
