"""Identity use cases every API builds on. They never commit: the calling use case does."""

from typing import Literal

import sqlalchemy as sa

from apiary.core.extensions import db
from apiary.core.identity import Role, Token, User
from apiary.core.login_limits import login_limits
from apiary.core.passwords import passwords

LoginField = Literal["username", "email"]


def taken_field(*, username: str | None, email: str | None) -> LoginField | None:
    """Which of the two names another user already has, username first."""
    if username is not None and _user_where(User.username == username) is not None:
        return "username"
    if email is not None and _user_where(User.email == email) is not None:
        return "email"
    return None


def create_user(*, username: str | None, email: str | None, password: str, role: Role | None = None) -> User:
    """A new user with a hashed password, added to the session."""
    user = User(username=username, email=email, password_hash=passwords().hash(password), role=role)
    db.session.add(user)
    return user


def authenticate(*, field: LoginField, login: str, password: str) -> User | None:
    """The user whose `field` is `login` if `password` is theirs, else None (unknown user or wrong password).

    Both failures take the same time, and a hash made with older parameters is renewed. An account name
    with too many failures in the login-limit window is TooManyAttempts, whatever the password.
    """
    login_limits().check(login)
    user = _user_where(getattr(User, field) == login)
    if not passwords().verify(user.password_hash if user else None, password):
        login_limits().record_failure(login)
        return None
    assert user is not None
    if passwords().needs_rehash(user.password_hash):
        user.password_hash = passwords().hash(password)
    return user


def change_password(user: User, password: str) -> None:
    """Set a new password; every token issued before the change stops working."""
    user.password_hash = passwords().hash(password)
    revoke_all_tokens(user)


def revoke_all_tokens(user: User) -> None:
    """Revoke every token ever issued to `user`."""
    db.session.execute(sa.update(Token).where(Token.user_id == user.id).values(revoked=True))


def any_user() -> bool:
    """Whether anybody has registered yet."""
    return db.session.scalar(sa.select(User.id).limit(1)) is not None


def _user_where(condition: sa.ColumnElement[bool]) -> User | None:
    return db.session.scalar(sa.select(User).where(condition))
