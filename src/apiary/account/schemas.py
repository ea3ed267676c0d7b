"""Account API (spec 004) shapes, plus the email dialect of /auth/register and /auth/login (spec 003)."""

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StrictBool
from pydantic_core import PydanticCustomError
from werkzeug.http import HTTP_STATUS_CODES, http_date

from apiary.core.auth import Refusal
from apiary.core.errors import ApiError, AuthFailure, ValidationFailed
from apiary.core.identity import Token, User
from apiary.core.tokens import Rejection

MIN_PASSWORD_LENGTH = 3
BAD_HEADER = "Bad Authorization header. Expected value 'Bearer <JWT>'"

# Flask-JWT-Extended 3.x's answers, which the original clients were written against.
REFUSALS = {
    Rejection.MISSING: Refusal(401, "Missing Authorization Header"),
    Rejection.BAD_SCHEME: Refusal(422, BAD_HEADER),
    Rejection.NO_TOKEN: Refusal(422, BAD_HEADER),
    Rejection.EXTRA_PARTS: Refusal(422, BAD_HEADER),
    Rejection.UNDECODABLE: Refusal(422),
    Rejection.NO_KID: Refusal(422),
    Rejection.UNKNOWN_KID: Refusal(422),
    Rejection.EXPIRED: Refusal(401, "Token has expired"),
    Rejection.BAD_CLAIMS: Refusal(422),
    Rejection.INVALID: Refusal(422),
    Rejection.REVOKED: Refusal(401, "Token has been revoked"),
    Rejection.WRONG_TYPE: Refusal(422),
    Rejection.NO_PERMISSIONS: Refusal(422),
    Rejection.FORBIDDEN: Refusal(403, "Permission not found"),
}


def _filled(value: Any) -> Any:
    if not value:
        raise PydanticCustomError("must_be_filled", "must be filled")
    return value


def _long_enough(value: str) -> str:
    if len(value) < MIN_PASSWORD_LENGTH:
        raise PydanticCustomError("min_length", "minimum length of {min} characters", {"min": MIN_PASSWORD_LENGTH})
    return value


def _present(value: Any) -> Any:
    if not value:
        raise PydanticCustomError("missing", "is required")
    return value


# A missing field takes the empty default, which these validators then refuse in the original's words
# (models using them validate their defaults). A missing password reports "must be filled" alone.
Filled = Annotated[str, BeforeValidator(_filled)]
NewPassword = Annotated[str, BeforeValidator(_filled), AfterValidator(_long_enough)]
Required = Annotated[str, BeforeValidator(_present)]


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

    username: Filled = ""
    password: NewPassword = ""
    email: str | None = None


class Login(BaseModel):
    """Username and password, both required and non-empty."""

    model_config = ConfigDict(validate_default=True)

    username: Filled = ""
    password: Filled = ""


class EmailCredentials(BaseModel):
    """The email dialect's credentials (spec 003), sent as a form or as JSON."""

    model_config = ConfigDict(validate_default=True)

    email: Required = ""
    password: Required = ""


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


class EmailLoginOut(BaseModel):
    message: str
    access_token: str


class Health(BaseModel):
    status: str


def success(data: Any) -> dict[str, Any]:
    return {"status": "success", "data": data}


def user_out(user: User) -> dict[str, Any]:
    return UserOut(id=str(user.id), username=user.username).model_dump()


def token_out(token: Token) -> dict[str, Any]:
    return TokenOut(
        id=str(token.id),
        jti=token.jti,
        token_type=token.token_type.value,
        user_identity=token.user_identity,
        revoked=token.revoked,
        expires=http_date(token.expires),
    ).model_dump()


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


def render_email_error(error: ApiError) -> tuple[dict[str, Any], int]:
    """Spec 003's envelope: `{"message": ...}`; validation problems name the field."""
    if isinstance(error, ValidationFailed):
        field, problem = error.problems[0]
        return {"message": f"{field} {problem}"}, error.status_code
    text = error.message if error.message is not None else HTTP_STATUS_CODES.get(error.status_code, "error")
    return {"message": text}, error.status_code
