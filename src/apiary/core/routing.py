"""Routes declared once: a view's decorators state its auth and body, and the OpenAPI document follows.

    @bp.post("/categories", responses={200: CategoryCreated})
    @guard.permission("post:new-category")
    @takes_body(CategoryCreate, invalid=Unprocessable)
    def create_category(data: CategoryCreate) -> Reply:

The guard runs first (see `core.auth.register_auth`), then flask-openapi3 validates path and query, then
the body is parsed here and handed to the view as `data`.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic, TypeVar, cast

from flask_openapi3 import APIBlueprint
from pydantic import BaseModel

from apiary.core.auth import auth_rule
from apiary.core.errors import ApiError, BadRequest, ValidationFailed
from apiary.core.http import read_body, validate

View = TypeVar("View", bound=Callable[..., Any])
Model = TypeVar("Model", bound=BaseModel)
Responses = dict[str | int, Any]

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class BodyRule(Generic[Model]):
    """What a route's body must be: a `model`, as JSON (or also as form fields when `form`).

    A body that is missing, malformed or not an object is a BadRequest. A field that breaks the model is
    a ValidationFailed naming each problem, or, when `invalid` is given, that error alone.
    """

    model: type[Model]
    form: bool = False
    invalid: type[ApiError] | None = None

    def parse(self) -> Model:
        data = read_body(form=self.form)
        if data is None:
            raise BadRequest()
        try:
            return validate(self.model, data)
        except ValidationFailed:
            if self.invalid is None:
                raise
            raise self.invalid() from None

    @property
    def statuses(self) -> set[int]:
        return {400, 413} | ({self.invalid.status_code} if self.invalid else set())


def request_body(*models: type[BaseModel], form: bool = False) -> dict[str, Any]:
    """The OpenAPI requestBody of a route whose body is one of `models`."""
    schemas = [model.model_json_schema() for model in models]
    schema = schemas[0] if len(schemas) == 1 else {"oneOf": schemas}
    media_types = [JSON, FORM] if form else [JSON]
    return {"requestBody": {"required": True, "content": {media: {"schema": schema} for media in media_types}}}


def takes_body(
    model: type[BaseModel], *, form: bool = False, invalid: type[ApiError] | None = None
) -> Callable[[View], View]:
    """Parse the body as `model` once the caller is authenticated; the view receives it as `data`."""
    rule = BodyRule(model, form=form, invalid=invalid)

    def decorate(view: View) -> View:
        if "data" not in inspect.signature(view).parameters:
            raise TypeError(f"{view.__name__} takes a body, so it needs a `data` parameter")

        @wraps(view)
        def parsed(*args: Any, **kwargs: Any) -> Any:
            return view(*args, data=rule.parse(), **kwargs)

        parsed.apiary_body = rule  # type: ignore[attr-defined]
        return cast(View, parsed)

    return decorate


class ApiBlueprint(APIBlueprint):
    """An API's blueprint. Each route's document takes the security, request body and error answers from
    the view's `guard` and `takes_body` declarations, described by the API's `error_model`."""

    def __init__(self, name: str, import_name: str, *, error_model: type[BaseModel], **options: Any) -> None:
        super().__init__(name, import_name, **options)
        self.error_model = error_model

    def get(self, rule: str, **options: Any) -> Callable[[View], View]:
        return self._declared(super().get, rule, options)

    def post(self, rule: str, **options: Any) -> Callable[[View], View]:
        return self._declared(super().post, rule, options)

    def put(self, rule: str, **options: Any) -> Callable[[View], View]:
        return self._declared(super().put, rule, options)

    def patch(self, rule: str, **options: Any) -> Callable[[View], View]:
        return self._declared(super().patch, rule, options)

    def delete(self, rule: str, **options: Any) -> Callable[[View], View]:
        return self._declared(super().delete, rule, options)

    def _declared(self, register: Callable[..., Any], rule: str, options: dict[str, Any]) -> Callable[[View], View]:
        def decorate(view: View) -> View:
            responses: Responses = dict(options.pop("responses", {}))
            error_statuses: set[int] = {404} if "<" in rule else set()
            if auth := auth_rule(view):
                options["security"] = auth.guard.security
                error_statuses |= auth.guard.statuses | ({403} if auth.permission else set())
            body: BodyRule | None = getattr(view, "apiary_body", None)
            if body is not None:
                options["openapi_extensions"] = request_body(body.model, form=body.form)
                error_statuses |= body.statuses
            for status in sorted(error_statuses):
                responses.setdefault(status, self.error_model)
            return cast(View, register(rule, responses=responses, **options)(view))

        return decorate
