"""Bucketlist use cases: registration and login by email."""

from apiary.core.config import current_settings
from apiary.core.errors import ApiError, Unauthorized
from apiary.core.identity import TokenType, User
from apiary.core.tokens import issue_token
from apiary.core.transactions import commit
from apiary.core.users import authenticate, create_user, taken_field

BAD_CREDENTIALS = "Invalid email or password, Please try again"
EMAIL_TAKEN = "User already exists. Please login."


class EmailTaken(ApiError):
    """Spec 003 answers a second registration of an email with 202, not an error status."""

    status_code = 202
    message = EMAIL_TAKEN


def register(*, email: str, password: str) -> User:
    """A new user known by email."""
    if taken_field(username=None, email=email):
        raise EmailTaken()
    user = create_user(username=None, email=email, password=password)
    commit(on_conflict=EmailTaken())
    return user


def login(*, email: str, password: str) -> str:
    """A short-lived access token for valid email credentials."""
    user = authenticate(field="email", login=email, password=password)
    if user is None:
        raise Unauthorized(BAD_CREDENTIALS)
    token = issue_token(user, TokenType.ACCESS, current_settings().email_login_token_lifetime)
    commit()
    return token
