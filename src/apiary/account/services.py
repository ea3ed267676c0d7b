"""Account use cases: registration, login, the token store and the caller's own account."""

import sqlalchemy as sa

from apiary.core.config import current_settings
from apiary.core.errors import ApiError, NotFound, Unauthorized, ValidationFailed
from apiary.core.extensions import db
from apiary.core.identity import Role, Token, TokenType, User
from apiary.core.tokens import Principal, issue_token
from apiary.core.transactions import commit
from apiary.core.users import authenticate, change_password, create_user, revoke_all_tokens, taken_field

BAD_CREDENTIALS = "Username or Password not valid"
BAD_EMAIL_CREDENTIALS = "Invalid email or password, Please try again"
EMAIL_TAKEN = "User already exists. Please login."


class EmailTaken(ApiError):
    """Spec 003 answers a second registration of an email with 202, not an error status."""

    status_code = 202
    message = EMAIL_TAKEN


def register(*, username: str | None, password: str, email: str | None = None, role: Role | None = None) -> User:
    """A new user; a taken username or email is reported as spec 004's validation problem."""
    if field := taken_field(username=username, email=email):
        raise _in_use(field)
    user = create_user(username=username, email=email, password=password, role=role)
    commit(on_conflict=_in_use("username" if username else "email"))
    return user


def register_by_email(*, email: str, password: str) -> User:
    """A new user known by email (spec 003)."""
    if taken_field(username=None, email=email):
        raise EmailTaken()
    user = create_user(username=None, email=email, password=password)
    commit(on_conflict=EmailTaken())
    return user


def login(*, username: str, password: str) -> tuple[str, str]:
    """A fresh access and refresh token pair for valid credentials."""
    user = authenticate(field="username", login=username, password=password)
    if user is None:
        raise Unauthorized(BAD_CREDENTIALS)
    tokens = (
        issue_token(user, TokenType.ACCESS, current_settings().access_token_lifetime),
        issue_token(user, TokenType.REFRESH, current_settings().refresh_token_lifetime),
    )
    commit()
    return tokens


def login_by_email(*, email: str, password: str) -> str:
    """A short-lived access token for valid email credentials (spec 003)."""
    user = authenticate(field="email", login=email, password=password)
    if user is None:
        raise Unauthorized(BAD_EMAIL_CREDENTIALS)
    token = issue_token(user, TokenType.ACCESS, current_settings().email_login_token_lifetime)
    commit()
    return token


def refresh(*, principal: Principal) -> str:
    """A new access token for the owner of a valid refresh token."""
    user = account_of(principal)
    token = issue_token(user, TokenType.ACCESS, current_settings().access_token_lifetime)
    commit()
    return token


def account_of(principal: Principal) -> User:
    """The caller's own user; NotFound when it no longer exists."""
    if principal.user is None:
        raise NotFound()
    return principal.user


def list_tokens(*, owner: User) -> list[Token]:
    """Every token issued to `owner`, revoked or not, oldest first."""
    return list(db.session.scalars(sa.select(Token).where(Token.user_id == owner.id).order_by(Token.id)))


def set_token_revoked(*, owner: User, token_id: int, revoked: bool) -> Token:
    """Revoke or restore one of the owner's tokens; another user's token is not found."""
    token = db.session.scalar(sa.select(Token).where(Token.id == token_id, Token.user_id == owner.id))
    if token is None:
        raise NotFound("The specified token was not found")
    token.revoked = revoked
    commit()
    return token


def update_password(*, owner: User, password: str | None) -> User:
    """Change the owner's password when one is given; older tokens stop working."""
    if password is not None:
        change_password(owner, password)
        commit()
    return owner


def delete_account(*, owner: User) -> None:
    """Delete the owner and revoke every token they hold."""
    revoke_all_tokens(owner)
    db.session.delete(owner)
    commit()


def database_ready() -> bool:
    """Whether the database answers a trivial query."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return False
    return True


def _in_use(field: str) -> ValidationFailed:
    return ValidationFailed([(field, "is already in use.")])
