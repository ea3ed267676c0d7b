"""Authentication on every protected request: where the token is, how it is checked, how refusals read."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, current_app, request
from flask.typing import RouteCallable
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_openapi3 import SecurityScheme

from apiary.core.errors import AuthFailure
from apiary.core.http import read_body
from apiary.core.identity import TokenType
from apiary.core.tokens import Principal, Rejection, TokenRejected, verify_token

View = TypeVar("View", bound=Callable[..., Any])

# OpenAPI: the scheme of the routes that take a bearer token, and their `security` requirement.
SECURITY_SCHEMES: dict[str, SecurityScheme | dict[str, Any]] = {
    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
}
BEARER: list[dict[str, list[Any]]] = [{"bearer": []}]


@dataclass(frozen=True)
class HeaderToken:
    """The token is the second word of the Authorization header.

    `scheme=None` accepts any first word; `case_sensitive` decides whether `bearer` counts as `Bearer`.
    """

    scheme: str | None = "Bearer"
    case_sensitive: bool = False

    def extract(self) -> str:
        words = request.headers.get("Authorization", "").split()
        if not words:
            raise TokenRejected(Rejection.MISSING)
        if self.scheme is not None and not self._is_scheme(words[0]):
            raise TokenRejected(Rejection.BAD_SCHEME)
        if len(words) == 1:
            raise TokenRejected(Rejection.NO_TOKEN)
        if len(words) > 2:
            raise TokenRejected(Rejection.EXTRA_PARTS)
        return words[1]

    def _is_scheme(self, word: str) -> bool:
        assert self.scheme is not None
        return word == self.scheme if self.case_sensitive else word.lower() == self.scheme.lower()


@dataclass(frozen=True)
class BodyToken:
    """The token is a string field of the request body."""

    field: str

    def extract(self) -> str:
        token = (read_body() or {}).get(self.field)
        if not token or not isinstance(token, str):
            raise TokenRejected(Rejection.MISSING)
        return token


TokenSource = HeaderToken | BodyToken


@dataclass(frozen=True)
class Refusal:
    """How an API answers one rejection: a status and a message (None: the decoder's own words)."""

    status: int
    message: Any = None


@dataclass(frozen=True)
class Guard:
    """One API's authentication policy: where its tokens are and how each refusal is answered."""

    source: TokenSource
    refusals: Mapping[Rejection, Refusal]
    accept_external: bool = False

    def __post_init__(self) -> None:
        if missing := set(Rejection) - set(self.refusals):
            raise ValueError(f"the refusal table has no answer for {sorted(missing)}")

    def required(self, token_type: TokenType = TokenType.ACCESS) -> Callable[[View], View]:
        """Require a valid token of `token_type`; the view receives it as `principal`."""
        return self._decorator(token_type=token_type, permission=None)

    def permission(self, permission: str) -> Callable[[View], View]:
        """Require a valid access token that grants `permission`, checked on every request."""
        return self._decorator(token_type=TokenType.ACCESS, permission=permission)

    def authenticate(self, *, token_type: TokenType = TokenType.ACCESS, permission: str | None = None) -> Principal:
        """The request's principal, or AuthFailure in this API's words."""
        try:
            principal = verify_token(self.source.extract(), token_type=token_type, accept_external=self.accept_external)
            if permission is not None and permission not in principal.permissions:
                raise TokenRejected(Rejection.FORBIDDEN)
        except TokenRejected as rejected:
            refusal = self.refusals[rejected.reason]
            message = rejected.detail if refusal.message is None else refusal.message
            raise AuthFailure(message, status_code=refusal.status) from None
        return principal

    def _decorator(self, *, token_type: TokenType, permission: str | None) -> Callable[[View], View]:
        def decorate(view: View) -> View:
            @wraps(view)
            def guarded(*args: Any, **kwargs: Any) -> Any:
                principal = self.authenticate(token_type=token_type, permission=permission)
                return view(*args, principal=principal, **kwargs)

            return guarded  # type: ignore[return-value]

        return decorate


def auth_rate_limit(view: View) -> View:
    """Mark a login or register view: one client may call it RATELIMIT_AUTH times (see register_rate_limits)."""
    view.auth_rate_limited = True  # type: ignore[attr-defined]
    return view


def register_rate_limits(app: Flask) -> None:
    """Give the app a limiter of its own and apply RATELIMIT_AUTH to every marked view.

    Flask-Limiter keeps its storage and key prefix on the instance, so each app needs its own.
    """
    limiter = Limiter(get_remote_address, app=app)
    app.extensions["apiary.limiter"] = limiter  # Flask-Limiter itself holds it only weakly
    limit = limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"])
    for endpoint, view in app.view_functions.items():
        if getattr(view, "auth_rate_limited", False):
            app.view_functions[endpoint] = cast(RouteCallable, limit(view))
