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

from apiary.core.auth import SecuritySchemes, auth_rule, rate_limited
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


@dataclass(frozen=True)
class DocumentedBody:
    """What the document says of a route's body: the models it may be (one of), whether form fields are
    accepted too, and every error status reading it can give."""

    models: tuple[type[BaseModel], ...]
    form: bool
    statuses: frozenset[int]

    @classmethod
    def of(cls, *rules: BodyRule, documented_as: type[BaseModel] | None = None) -> "DocumentedBody":
        models = (documented_as,) if documented_as else tuple(dict.fromkeys(rule.model for rule in rules))
        statuses = frozenset().union(*(rule.statuses for rule in rules))
        return cls(models, form=any(rule.form for rule in rules), statuses=statuses)


def _request_body(*models: type[BaseModel], form: bool = False, token_fields: tuple[str, ...] = ()) -> dict[str, Any]:
    """The OpenAPI requestBody of a route whose body is one of `models`, and which may carry the caller's token
    in `token_fields`. A route with no model takes an object holding the token alone, or no body at all (the
    token may come in a header instead)."""
    schemas = [_with_token_fields(model.model_json_schema(), token_fields) for model in models]
    if not schemas:
        schemas = [_with_token_fields({"type": "object"}, token_fields)]
    schema = schemas[0] if len(schemas) == 1 else {"oneOf": schemas}
    media_types = [JSON, FORM] if form else [JSON]
    content = {media: {"schema": schema} for media in media_types}
    return {"requestBody": {"required": bool(models), "content": content}}


def _with_token_fields(schema: dict[str, Any], token_fields: tuple[str, ...]) -> dict[str, Any]:
    token = {"type": "string", "description": "The caller's access token, if not sent in a header"}
    return {**schema, "properties": {**schema.get("properties", {}), **dict.fromkeys(token_fields, token)}}


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

        parsed.apiary_body = DocumentedBody.of(rule)  # type: ignore[attr-defined]
        return cast(View, parsed)

    return decorate


def reads_body(*rules: BodyRule, documented_as: type[BaseModel] | None = None) -> Callable[[View], View]:
    """Document the body of a view that parses it itself by `rules`: one whose spec orders other checks between
    its fields, or one that hands the body to one of several parsers. The document shows `documented_as`, or
    one of the rules' models."""

    def decorate(view: View) -> View:
        view.apiary_body = DocumentedBody.of(*rules, documented_as=documented_as)  # type: ignore[attr-defined]
        return view

    return decorate


def documented_body(view: Callable[..., Any]) -> DocumentedBody | None:
    """The body a view declares, if any."""
    return getattr(view, "apiary_body", None)


class ApiBlueprint(APIBlueprint):
    """An API's blueprint. Each route's document takes its security, request body and error answers from the
    view's declarations, each error described by the API's `error_model`:

    - its guard: the security schemes, every status the guard refuses with, and 403 for a permission;
    - its body (`takes_body`, `reads_body`): the request body, 400 and 413, and the rules' own statuses;
    - 400 on every route: a query or header no API can take (`core.http.register_request_checks`), or a
      path or query value that breaks the route's model; a path parameter: 404;
    - a rate limit: 429; and 503 when the database is down, unless the route passes `database=False`.

    Statuses the view's services give (a 409, an owner's 403) are the route's own `responses`.
    """

    def __init__(self, name: str, import_name: str, *, error_model: type[BaseModel], **options: Any) -> None:
        super().__init__(name, import_name, **options)
        self.error_model = error_model
        self.security_schemes: SecuritySchemes = {}

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
            error_statuses = _error_statuses(view, rule, database=options.pop("database", True))
            auth = auth_rule(view)
            token_fields = auth.guard.body_fields if auth else ()
            if auth:
                options["security"] = auth.guard.security
                self.security_schemes.update(auth.guard.source.security_schemes)
            body = documented_body(view)
            if body is not None or token_fields:
                models, form = (body.models, body.form) if body else ((), False)
                options["openapi_extensions"] = _request_body(*models, form=form, token_fields=token_fields)
            for status in sorted(error_statuses):
                responses.setdefault(status, self.error_model)
            return cast(View, register(rule, responses=responses, **options)(view))

        return decorate


def _error_statuses(view: Callable[..., Any], rule: str, *, database: bool) -> set[int]:
    """Every error status a route's declarations let it answer (see ApiBlueprint)."""
    statuses: set[int] = {400, 404} if "<" in rule else {400}
    if auth := auth_rule(view):
        statuses |= auth.guard.statuses | ({403} if auth.permission else set())
    if body := documented_body(view):
        statuses |= body.statuses
    if rate_limited(view):
        statuses.add(429)
    if database:
        statuses.add(503)
    return statuses
