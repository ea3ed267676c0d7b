"""Security headers on every response; the docs page's policy lets exactly its own script run."""

import base64
import hashlib

from flask import Flask, Response, request

# JSON answers load nothing and are framed by nobody.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"


def docs_policy(inline_script: str) -> str:
    """The Content-Security-Policy of Swagger UI: local assets, and only the page's own inline script."""
    digest = base64.b64encode(hashlib.sha256(inline_script.encode()).digest()).decode()
    return (
        "default-src 'self'; "
        f"script-src 'self' 'sha256-{digest}'; "
        "style-src 'self' 'unsafe-inline'; "  # Swagger UI sets inline styles as it renders
        "img-src 'self' data:; "
        "connect-src 'self'; "
        "frame-ancestors 'none'; "
        "base-uri 'self'; "
        "form-action 'self'"
    )


def register_security_headers(app: Flask, *, docs_paths: dict[str, str]) -> None:
    """Add the headers to every response; `docs_paths` maps each HTML page's path to its policy."""

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Content-Security-Policy", docs_paths.get(request.path, API_POLICY))
        return response
