"""Request bodies (one parser: JSON for a JSON content type, form fields where an API takes them) and replies."""

import json
import math
from typing import Annotated, Any, TypeAlias, TypeVar

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
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


class StrictJSONProvider(DefaultJSONProvider):
    """Standard JSON only: NaN, Infinity and numbers too large for a float (1e999) are malformed."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return json.loads(s, parse_constant=_refuse_constant, parse_float=_finite_float, **kwargs)


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is too large for a number")
    return number


def register_converters(app: Flask) -> None:
    """Let routes use `<id:...>`."""
    app.url_map.converters["id"] = IdConverter


def read_body(*, form: bool) -> dict[str, Any] | None:
    """The body as a dict: JSON for a JSON content type, else form fields when `form`; None when there is
    none, it is malformed, or it is not a JSON object.

    Text holding a NUL character is malformed too: no database column may store one.
    """
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return None
    elif not form:
        return None
    else:
        data = request.form.to_dict()
        if not data:
            return None
    if _holds_nul(data):
        raise BadRequest()
    return data


def read_json() -> dict[str, Any] | None:
    """The JSON object the request carries, or None."""
    return read_body(form=False)


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def validate(model: type[Model], data: dict[str, Any]) -> Model:
    """`data` as a `model`, or ValidationFailed naming each bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed.from_pydantic(error) from None
