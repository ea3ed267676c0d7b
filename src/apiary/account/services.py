"""Account use cases: registration, login, the token store and the caller's own account."""

from typing import NoReturn

import sqlalchemy as sa

from apiary.core.config import current_settings
from apiary.core.errors import ApiError, FieldProblem, ValidationFailed
from apiary.core.extensions import db
from apiary.core.identity import Role, Token, TokenType, User
from apiary.core.tokens import issue_token
from apiary.core.transactions import commit
from apiary.core.users import (
    authenticate,
    change_password,
    create_user,
    lock_user,
    refresh_access,
    revoke_all_tokens,
    taken_field,
)

IN_USE = "is already in use."


class BadCredentials(ApiError):
    """An unknown username or a wrong password: the same answer, so neither gives the other away."""

    message = "Username or Password not valid"


class TokenNotFound(ApiError):
    """No token of the caller's has the id."""

    message = "The specified token was not found"


class AccountGone(ApiError):
    """The caller's account was deleted by a request that ran meanwhile."""


def register(*, username: str, password: str, email: str | None = None, role: Role | None = None) -> User:
    """A new user; a taken username or email is reported as spec 004's validation problem."""
    if field := taken_field(username=username, email=email):
        raise ValidationFailed([(field, IN_USE)])
    user = create_user(username=username, email=email, password=password, role=role)
    commit(on_conflict=ValidationFailed([("username", IN_USE)]))
    return user


def refuse_registration(problems: list[FieldProblem], *, username: str | None) -> NoReturn:
    """Refuse a registration whose fields have `problems`: those, then a taken username (spec order)."""
    if username and taken_field(username=username, email=None):
        problems = [*problems, ("username", IN_USE)]
    raise ValidationFailed(problems) from None


def login(*, username: str, password: str) -> tuple[str, str]:
    """A fresh access and refresh token pair for valid credentials."""
    user = authenticate(field="username", login=username, password=password)
    if user is None:
        raise BadCredentials()
    tokens = (
        issue_token(user, TokenType.ACCESS, current_settings().access_token_lifetime),
        issue_token(user, TokenType.REFRESH, current_settings().refresh_token_lifetime),
    )
    commit()
    return tokens


def refresh(*, user: User) -> str:
    """A new access token for the owner of a valid refresh token."""
    token = refresh_access(user)
    commit()
    return token


def list_tokens(*, owner: User) -> list[Token]:
    """Every token issued to `owner`, revoked or not, oldest first."""
    return list(db.session.scalars(sa.select(Token).where(Token.user_id == owner.id).order_by(Token.id)))


def set_token_revoked(*, owner: User, token_id: int, revoked: bool) -> Token:
    """Revoke or restore one of the owner's tokens; another user's token is not found."""
    token = db.session.scalar(sa.select(Token).where(Token.id == token_id, Token.user_id == owner.id))
    if token is None:
        raise TokenNotFound()
    token.revoked = revoked
    commit()
    return token


def update_password(*, owner: User, password: str | None) -> User:
    """Change the owner's password when one is given; older tokens stop working."""
    if password is not None:
        _lock_account(owner)
        change_password(owner, password)
        commit()
    return owner


def delete_account(*, owner: User) -> None:
    """Delete the owner and revoke every token they hold."""
    _lock_account(owner)
    revoke_all_tokens(owner)
    db.session.delete(owner)
    commit()


def _lock_account(owner: User) -> None:
    """Hold the owner's row until the commit; an account deleted meanwhile is missing, as spec 004 answers."""
    if not lock_user(owner):
        raise AccountGone()
