"""Bucketlist API (spec 003) shapes: input rules, the exact success bodies and the error dialect."""

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError
from werkzeug.http import HTTP_STATUS_CODES

from apiary.core.errors import ApiError, ValidationFailed

REGISTERED = "You registered successfully. Please log in."
LOGGED_IN = "You logged in successfully."


def _present(value: Any) -> Any:
    if not value:
        raise PydanticCustomError("missing", "is required")
    return value


# A missing field takes the empty default, which the validator then refuses in this API's words.
Required = Annotated[str, BeforeValidator(_present)]


class EmailCredentials(BaseModel):
    """An email and a password, sent as a form or as JSON."""

    model_config = ConfigDict(validate_default=True)

    email: Required = ""
    password: Required = ""


class MessageOut(BaseModel):
    message: str


class LoginOut(BaseModel):
    message: str
    access_token: str


ErrorOut = MessageOut


def render_error(error: ApiError) -> tuple[dict[str, Any], int]:
    """Spec 003's dialect: `{"message": ...}`; a validation problem names its field."""
    if isinstance(error, ValidationFailed):
        field, problem = error.problems[0]
        return {"message": f"{field} {problem}"}, error.status_code
    text = error.message if error.message is not None else HTTP_STATUS_CODES.get(error.status_code, "error")
    return {"message": text}, error.status_code
