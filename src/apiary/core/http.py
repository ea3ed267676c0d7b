"""Request bodies (one parser: JSON for a JSON content type, form fields otherwise) and replies."""

from typing import Any, TypeAlias, TypeVar

from flask import Response, request
from pydantic import BaseModel, ValidationError

from apiary.core.errors import BadRequest, ValidationFailed

Model = TypeVar("Model", bound=BaseModel)

# What a route returns; spelled out because flask-openapi3 evaluates route annotations at import.
Reply: TypeAlias = Response | dict[str, Any] | list[Any] | str | tuple[dict[str, Any] | list[Any] | str, int]


def read_body(*, json_only: bool = False) -> dict[str, Any] | None:
    """The body as a dict, or None when there is none, it is malformed, or it is not a JSON object."""
    if request.is_json:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else None
    if json_only:
        return None
    return request.form.to_dict() or None


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
