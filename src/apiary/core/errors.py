"""One exception hierarchy, rendered by one handler in the error dialect of the API that owns the request."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import structlog
from flask import Flask, Response, current_app, g, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from apiary.core.extensions import rollback

log = structlog.get_logger(__name__)

FieldProblem = tuple[str, str]
"""A field name and what is wrong with it."""


class ApiError(Exception):
    """An error with an HTTP status. `message=None` lets the owning API choose its text for the status."""

    status_code: int = 500
    message: Any = None
    headers: Mapping[str, str] = {}

    def __init__(self, message: Any = None, *, status_code: int | None = None) -> None:
        super().__init__(message)
        if message is not None:
            self.message = message
        if status_code is not None:
            self.status_code = status_code


class BadRequest(ApiError):
    status_code = 400


class Unauthorized(ApiError):
    status_code = 401


class Forbidden(ApiError):
    status_code = 403


class NotFound(ApiError):
    status_code = 404


class Conflict(ApiError):
    status_code = 409


class Unprocessable(ApiError):
    status_code = 422


class Unavailable(ApiError):
    """The database cannot be reached or did not answer in time; the client may retry shortly."""

    status_code = 503
    headers = {"Retry-After": "2"}


class ValidationFailed(ApiError):
    """Input that parsed but broke a rule, with one problem per field."""

    status_code = 400

    def __init__(self, problems: list[FieldProblem], *, status_code: int | None = None) -> None:
        super().__init__(status_code=status_code)
        self.problems = problems

    @classmethod
    def from_pydantic(cls, error: ValidationError) -> "ValidationFailed":
        """Translate pydantic's errors, keeping their order."""
        return cls([(".".join(str(part) for part in item["loc"]) or "body", item["msg"]) for item in error.errors()])


class AuthFailure(ApiError):
    """A refused credential; its status and message come from the owning API's failure table."""

    status_code = 401


Renderer = Callable[[ApiError], tuple[dict[str, Any], int]]


@dataclass(frozen=True)
class ErrorDialect:
    """How one API writes its errors, and which unrouted URLs (404/405) belong to it.

    `statuses` gives the status this API answers each of its services' named errors with.
    """

    render: Renderer
    url_prefixes: tuple[str, ...]
    statuses: Mapping[type[ApiError], int] = field(default_factory=dict)

    def answer(self, error: ApiError) -> tuple[dict[str, Any], int]:
        if (status := self.statuses.get(type(error))) is not None:
            error.status_code = status
        return self.render(error)


def register_dialect(app: Flask, blueprint: str, dialect: ErrorDialect) -> None:
    """Make `dialect` render the errors raised inside `blueprint`."""
    app.extensions.setdefault("apiary.dialects", {})[blueprint] = dialect


def use_dialect(dialect: ErrorDialect) -> None:
    """Answer this request's errors in `dialect`: for a shared path that speaks one API's dialect."""
    g.apiary_dialect = dialect


def register_error_handlers(app: Flask, *, fallback_blueprint: str) -> None:
    """Send every error, expected or not, through the owning API's dialect."""
    app.config["APIARY_FALLBACK_DIALECT"] = fallback_blueprint
    app.register_error_handler(Exception, handle_error)


def handle_error(error: Exception) -> Response:
    """Roll back, log what is unexpected, and answer in the owning API's dialect."""
    rollback()
    api_error = _as_api_error(error)
    body, status = _dialect_for_request().answer(api_error)
    if isinstance(api_error, Unavailable):
        log.warning("database_unavailable", path=request.path, method=request.method, error=type(error).__name__)
    elif status >= 500:
        log.exception("unhandled_error", path=request.path, method=request.method, exc_info=error)
    response = jsonify(body)
    response.status_code = status
    response.headers.update(api_error.headers)
    if isinstance(error, HTTPException):
        # Keep what the status promises the client, such as Allow on 405 and Retry-After on 429.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
    return response


def raise_validation_failed(error: ValidationError) -> None:
    """flask-openapi3's hook for path and query models: answer in the API's dialect, not its own."""
    raise ValidationFailed.from_pydantic(error)


def _as_api_error(error: Exception) -> ApiError:
    if isinstance(error, ApiError):
        return error
    if isinstance(error, HTTPException) and error.code is not None:
        return ApiError(status_code=error.code)
    # Connection failures, timeouts and a full pool: the database, not the request, is at fault.
    if isinstance(error, sa.exc.OperationalError | sa.exc.TimeoutError | sa.exc.InterfaceError):
        return Unavailable()
    return ApiError()


def _dialect_for_request() -> ErrorDialect:
    """The blueprint's dialect; for a URL no route matched (or a shared path), the one whose prefix it is under."""
    if "apiary_dialect" in g:
        return g.apiary_dialect
    dialects: dict[str, ErrorDialect] = current_app.extensions["apiary.dialects"]
    if request.blueprint in dialects:
        return dialects[request.blueprint]
    for dialect in dialects.values():
        if any(_under(request.path, prefix) for prefix in dialect.url_prefixes):
            return dialect
    return dialects[current_app.config["APIARY_FALLBACK_DIALECT"]]


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")
