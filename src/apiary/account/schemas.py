"""Account API (spec 004) shapes: input rules, the exact success bodies and the error dialect."""

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StrictBool
from pydantic_core import PydanticCustomError
from werkzeug.http import HTTP_STATUS_CODES

from apiary.core.auth import Refusal
from apiary.core.errors import ApiError, AuthFailure, NotFound, ValidationFailed
from apiary.core.http import bounded, http_date
from apiary.core.identity import MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH, Token, User
from apiary.core.tokens import Rejection

MIN_PASSWORD_LENGTH = 3
BAD_HEADER = "Bad Authorization header. Expected value 'Bearer <JWT>'"

# Flask-JWT-Extended 3.x's answers, which the original clients were written against; every other
# rejection is its 422 in the decoder's own words.
REFUSALS = {
    Rejection.MISSING: Refusal(401, "Missing Authorization Header"),
    Rejection.BAD_SCHEME: Refusal(422, BAD_HEADER),
    Rejection.NO_TOKEN: Refusal(422, BAD_HEADER),
    Rejection.EXTRA_PARTS: Refusal(422, BAD_HEADER),
    Rejection.EXPIRED: Refusal(401, "Token has expired"),
    Rejection.REVOKED: Refusal(401, "Token has been revoked"),
    Rejection.USER_GONE: Refusal(404, error=NotFound),
    Rejection.FORBIDDEN: Refusal(403, "Permission not found"),
}
OTHER_REFUSAL = Refusal(422)


def _filled(value: Any) -> Any:
    if not value:
        raise PydanticCustomError("must_be_filled", "must be filled")
    return value


def _long_enough(value: str) -> str:
    if len(value) < MIN_PASSWORD_LENGTH:
        raise PydanticCustomError("min_length", "minimum length of {min} characters", {"min": MIN_PASSWORD_LENGTH})
    return value


# A missing field takes the empty default, which these validators then refuse in the original's words
# (models using them validate their defaults). A missing password reports "must be filled" alone.
Filled = Annotated[str, BeforeValidator(_filled)]
NewPassword = Annotated[str, BeforeValidator(_filled), AfterValidator(_long_enough), bounded(MAX_PASSWORD_LENGTH)]
# A deliberate deviation: names have a maximum length and hold no control characters.
Username = Annotated[Filled, bounded(MAX_USERNAME_LENGTH, name=True)]
Email = Annotated[str, bounded(MAX_EMAIL_LENGTH, name=True)]


class AccountPassword(BaseModel):
    """A new password for the caller's account."""

    model_config = ConfigDict(validate_default=True)

    password: NewPassword = ""


class AccountPatch(BaseModel):
    """Only the password is writable; leaving it out changes nothing."""

    password: NewPassword | None = None


class Registration(BaseModel):
    """Username and password, in the order the original reported their problems; an email optionally."""

    model_config = ConfigDict(validate_default=True)

    username: Username = ""
    password: NewPassword = ""
    email: Email | None = None


class Login(BaseModel):
    """Username and password, both required and non-empty."""

    model_config = ConfigDict(validate_default=True)

    username: Filled = ""
    password: Filled = ""


class TokenRevocation(BaseModel):
    revoke: StrictBool


class UserOut(BaseModel):
    id: str
    username: str | None


class TokenOut(BaseModel):
    id: str
    jti: str
    token_type: str
    user_identity: str
    revoked: bool
    expires: str


class UserEnvelope(BaseModel):
    status: Literal["success"] = "success"
    data: UserOut


class TokenListEnvelope(BaseModel):
    status: Literal["success"] = "success"
    data: list[TokenOut]


class TokenPairOut(BaseModel):
    access_token: str
    refresh_token: str


class TokenPairEnvelope(BaseModel):
    status: Literal["success"] = "success"
    data: TokenPairOut


class AccessTokenOut(BaseModel):
    access_token: str


class AccessTokenEnvelope(BaseModel):
    status: Literal["success"] = "success"
    data: AccessTokenOut


class MessageEnvelope(BaseModel):
    status: Literal["success"] = "success"
    message: str


class ErrorOut(BaseModel):
    """Any of spec 004's error bodies: `{"msg"}`, `{"status", "message"}` or `{"status", "data"}`."""

    model_config = ConfigDict(title="AccountError")  # the document names schemas by title; every API has an ErrorOut

    msg: str | None = None
    status: Literal["fail", "error"] | None = None
    message: str | None = None
    data: list[dict[str, str]] | None = None


def user_envelope(user: User) -> dict[str, Any]:
    return UserEnvelope(data=UserOut(id=str(user.id), username=user.username)).model_dump()


def token_pair_envelope(access_token: str, refresh_token: str) -> dict[str, Any]:
    return TokenPairEnvelope(data=TokenPairOut(access_token=access_token, refresh_token=refresh_token)).model_dump()


def access_token_envelope(access_token: str) -> dict[str, Any]:
    return AccessTokenEnvelope(data=AccessTokenOut(access_token=access_token)).model_dump()


def token_list_envelope(tokens: list[Token]) -> dict[str, Any]:
    return TokenListEnvelope(data=[_token_out(token) for token in tokens]).model_dump()


def _token_out(token: Token) -> TokenOut:
    return TokenOut(
        id=str(token.id),
        jti=token.jti,
        token_type=token.token_type.value,
        user_identity=token.user_identity,
        revoked=token.revoked or token.superseded,
        expires=http_date(token.expires),
    )


# Texts the original's handlers used; other statuses fall back to their standard reason phrase.
DEFAULT_ERRORS = {
    400: ("fail", "bad request"),
    404: ("error", "not Found"),
    500: ("error", "internal server error"),
}


def render_error(error: ApiError) -> tuple[dict[str, Any], int]:
    """Spec 004's three error families: JWT `msg`, validation `data` lists, and status messages."""
    status = error.status_code
    if isinstance(error, AuthFailure):
        return {"msg": error.message}, status
    if isinstance(error, ValidationFailed):
        return {"status": "fail", "data": [{field: message} for field, message in error.problems]}, status
    if error.message is not None:
        return {"status": "fail", "message": error.message}, status
    kind, text = DEFAULT_ERRORS.get(
        status, ("fail" if status < 500 else "error", HTTP_STATUS_CODES.get(status, "error").lower())
    )
    return {"status": kind, "message": text}, status
