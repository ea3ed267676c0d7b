"""Request bodies (one parser: JSON for a JSON content type, form fields otherwise) and replies."""

from typing import Annotated, Any, TypeAlias, TypeVar

from flask import Flask, request
from pydantic import BaseModel, Field, ValidationError
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response as BaseResponse

from apiary.core.db import MAX_INTEGER
from apiary.core.errors import BadRequest, ValidationFailed

Model = TypeVar("Model", bound=BaseModel)

# What a route returns; spelled out because flask-openapi3 evaluates route annotations at import.
Reply: TypeAlias = BaseResponse | dict[str, Any] | list[Any] | str | tuple[dict[str, Any] | list[Any] | str, int]


RowId = Annotated[int, Field(ge=1, le=MAX_INTEGER)]
"""A row id in a request body: a positive integer that an INTEGER column can hold."""


class IdConverter(IntegerConverter):
    """`<id:name>`: a row id. A number too large for an INTEGER column becomes 0, an id no row has.

    Rejecting it instead would make werkzeug answer 405 for other methods, and before authentication.
    """

    def to_python(self, value: str) -> int:
        number = int(value)
        return number if number <= MAX_INTEGER else 0


def register_converters(app: Flask) -> None:
    """Let routes use `<id:...>`."""
    app.url_map.converters["id"] = IdConverter


def read_body(*, json_only: bool = False) -> dict[str, Any] | None:
    """The body as a dict, or None when there is none, it is malformed, or it is not a JSON object.

    Text holding a NUL character is malformed too: no database column may store one.
    """
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return None
    elif json_only:
        return None
    else:
        data = request.form.to_dict()
        if not data:
            return None
    if _holds_nul(data):
        raise BadRequest()
    return data


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def require_json() -> None:
    """BadRequest unless the request says its body is JSON."""
    if not request.is_json:
        raise BadRequest()


def body_doc(model: type[BaseModel], *, form: bool = False) -> dict[str, Any]:
    """The OpenAPI requestBody for a route that parses its body itself (see `parse_body`)."""
    schema = model.model_json_schema()
    media_types = ["application/json", "application/x-www-form-urlencoded"] if form else ["application/json"]
    return {"requestBody": {"required": True, "content": {media: {"schema": schema} for media in media_types}}}


def validate(model: type[Model], data: dict[str, Any]) -> Model:
    """`data` as a `model`, or ValidationFailed naming each bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed.from_pydantic(error) from None


def parse_body(model: type[Model], *, json_only: bool = False, detailed: bool = True) -> Model:
    """The body as a `model`; BadRequest when there is none (or, unless `detailed`, when a field is bad)."""
    data = read_body(json_only=json_only)
    if data is None:
        raise BadRequest()
    try:
        return validate(model, data)
    except ValidationFailed:
        if detailed:
            raise
        raise BadRequest() from None
