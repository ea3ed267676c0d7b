"""Structured logs: one JSON line per event in production, readable lines in development."""

import logging
import re
import sys
import time
import uuid

import structlog
from flask import Flask, Response, g, request

from apiary.core.config import Settings
from apiary.core.identity import CONTROL_CHARACTER

log = structlog.get_logger("apiary.request")
REQUEST_ID_HEADER = "X-Request-ID"
# A client's request id is kept only when it is short and harmless in a log line or a header.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def escape_control_characters(
    _logger: object, _method: str, event: structlog.typing.EventDict
) -> structlog.typing.EventDict:
    """Write every control character of a log line's text as an escape (\\x1b), so that no request can
    forge a line or drive the terminal that shows the log; a traceback keeps its line breaks."""
    for key, value in event.items():
        if isinstance(value, str):
            event[key] = CONTROL_CHARACTER.sub(_escaped_in_traceback if key == "exception" else _escaped, value)
    return event


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode()


def _escaped_in_traceback(match: re.Match[str]) -> str:
    return match.group() if match.group() == "\n" else _escaped(match)


def configure_logging(settings: Settings) -> None:
    """Route structlog and the standard library's logging through one renderer."""
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if settings.apiary_env == "production"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            escape_control_characters,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[settings.log_level]),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )


def register_request_logging(app: Flask) -> None:
    """Log one line per request with its status and duration, all of a request's lines under one id."""

    @app.before_request
    def start_request() -> None:
        g.request_started = time.perf_counter()
        # A proxy's id lets its logs and ours be joined; otherwise a new one.
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if SAFE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("request_started", time.perf_counter())
        log.info(
            "request",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )
        request_id = structlog.contextvars.get_contextvars().get("request_id")
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        return response
