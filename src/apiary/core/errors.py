"""One exception hierarchy, rendered by one handler into the envelope of the API that owns the request."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog
from flask import Flask, Response, current_app, g, jsonify, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from apiary.core.extensions import db

log = structlog.get_logger(__name__)

FieldProblem = tuple[str, str]
"""A field name and what is wrong with it."""


class ApiError(Exception):
    """An error with an HTTP status. `message=None` lets the owning API choose its text for the status."""

    status_code: int = 500
    message: Any = None

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
class Envelope:
    """How one API writes its errors, and which unrouted URLs (404/405) belong to it."""

    render: Renderer
    url_prefixes: tuple[str, ...] = ()


def register_envelope(app: Flask, blueprint: str, envelope: Envelope) -> None:
    """Make `envelope` render the errors raised inside `blueprint`."""
    app.extensions.setdefault("apiary.envelopes", {})[blueprint] = envelope


def use_envelope(envelope: Envelope) -> None:
    """Answer this request's errors in `envelope`: for a route that speaks another API's dialect."""
    g.apiary_envelope = envelope


def register_error_handlers(app: Flask, *, fallback_blueprint: str) -> None:
    """Send every error, expected or not, through the owning API's envelope."""
    app.config["APIARY_FALLBACK_ENVELOPE"] = fallback_blueprint
    app.register_error_handler(Exception, handle_error)


def handle_error(error: Exception) -> Response:
    """Roll back, log what is unexpected, and answer in the owning API's envelope."""
    db.session.rollback()
    api_error = _as_api_error(error)
    if api_error.status_code >= 500:
        log.exception("unhandled_error", path=request.path, method=request.method, exc_info=error)
    body, status = _envelope_for_request().render(api_error)
    response = jsonify(body)
    response.status_code = status
    if isinstance(error, HTTPException):
        # Keep what the status promises the client, such as Allow on 405 and Retry-After on 429.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
    return response


def raise_validation_failed(error: ValidationError) -> None:
    """flask-openapi3's hook for path and query models: answer in the API's envelope, not its own."""
    raise ValidationFailed.from_pydantic(error)


def _as_api_error(error: Exception) -> ApiError:
    if isinstance(error, ApiError):
        return error
    if isinstance(error, HTTPException) and error.code is not None:
        return ApiError(status_code=error.code)
    return ApiError()


def _envelope_for_request() -> Envelope:
    """The blueprint's envelope; for a URL no route matched, the one whose prefix it starts with."""
    if "apiary_envelope" in g:
        return g.apiary_envelope
    envelopes: dict[str, Envelope] = current_app.extensions["apiary.envelopes"]
    if request.blueprint in envelopes:
        return envelopes[request.blueprint]
    for envelope in envelopes.values():
        if any(_under(request.path, prefix) for prefix in envelope.url_prefixes):
            return envelope
    return envelopes[current_app.config["APIARY_FALLBACK_ENVELOPE"]]


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")
