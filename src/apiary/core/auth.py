"""Authentication on every protected request: where the token is, how it is checked, how refusals read.

A route states its auth once, with `@guard.required()` or `@guard.permission(...)`. The app's
`before_request` hook (see `register_auth`) then checks it before anything else about the request is
looked at, so a missing token is a 401 even when the path, query or body is wrong too.
"""

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, ClassVar, TypeVar, cast

from flask import Flask, current_app, g, request
from flask.typing import RouteCallable
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from apiary.core.errors import ApiError, AuthFailure
from apiary.core.http import read_json
from apiary.core.identity import TokenType
from apiary.core.tokens import Principal, Rejection, TokenRejected, verify_token

View = TypeVar("View", bound=Callable[..., Any])

SecuritySchemes = dict[str, dict[str, Any]]
"""OpenAPI security schemes by name."""

# A token in the Authorization header: one in hand, or one that Swagger UI's "Authorize" dialog gets from the
# token endpoint for a username and password.
BEARER: SecuritySchemes = {
    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
    "oauth2": {
        "type": "oauth2",
        "flows": {"password": {"tokenUrl": "/oauth/token", "refreshUrl": "/oauth/token", "scopes": {}}},
    },
}


@dataclass(frozen=True)
class HeaderToken:
    """The token is the second word of the Authorization header.

    `scheme=None` accepts any first word; `case_sensitive` decides whether `bearer` counts as `Bearer`.
    """

    scheme: str | None = "Bearer"
    case_sensitive: bool = False
    # Reading a header cannot fail in a way of its own.
    statuses: ClassVar[frozenset[int]] = frozenset()

    body_fields: ClassVar[tuple[str, ...]] = ()

    @property
    def security_schemes(self) -> SecuritySchemes:
        return BEARER

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
    """The token is a string field of the JSON request body."""

    field: str
    # Reading the body: too large (413), or holding text no column can store (400).
    statuses: ClassVar[frozenset[int]] = frozenset({400, 413})

    @property
    def security_schemes(self) -> SecuritySchemes:
        """A scheme named after the field. OpenAPI has no scheme type for a body field, so it is typed as a
        bearer token and its description says where the token really goes."""
        description = (
            f"The token in the `{self.field}` string field of the JSON request body; each operation's request "
            "body lists the field. OpenAPI has no scheme type for a body field, so this scheme is typed as a "
            "bearer token, and tools that apply it send an `Authorization: Bearer` header: the operations that "
            "also list the `bearer` scheme accept that too."
        )
        return {
            f"body.{self.field}": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": description,
                "x-apiary-body-field": self.field,
            }
        }

    @property
    def body_fields(self) -> tuple[str, ...]:
        return (self.field,)

    def extract(self) -> str:
        body = read_json()
        if body is None:
            raise TokenRejected(Rejection.NO_BODY)
        token = body.get(self.field)
        if not token:
            raise TokenRejected(Rejection.MISSING)
        if not isinstance(token, str):  # a number or an object is there, and is no token
            raise TokenRejected(Rejection.UNDECODABLE, "Invalid token: not a string")
        return token


@dataclass(frozen=True)
class FirstOf:
    """The token from the first source that has one; when none has, the first source's reason."""

    sources: tuple["HeaderToken | BodyToken", ...]

    @property
    def statuses(self) -> frozenset[int]:
        return frozenset().union(*(source.statuses for source in self.sources))

    @property
    def security_schemes(self) -> SecuritySchemes:
        """Each source's scheme, first source first: a client may use any of them."""
        return {name: scheme for source in self.sources for name, scheme in source.security_schemes.items()}

    @property
    def body_fields(self) -> tuple[str, ...]:
        return tuple(name for source in self.sources for name in source.body_fields)

    def extract(self) -> str:
        first_refusal: TokenRejected | None = None
        for source in self.sources:
            try:
                return source.extract()
            except TokenRejected as rejected:
                first_refusal = first_refusal or rejected
        assert first_refusal is not None, "FirstOf needs at least one source"
        raise first_refusal


TokenSource = HeaderToken | BodyToken | FirstOf


@dataclass(frozen=True)
class Refusal:
    """How an API answers one rejection: a status, a message (None: the decoder's own words) and the error
    raised (an AuthFailure, unless the API answers this reason like any other error of its status)."""

    status: int
    message: Any = None
    error: type[ApiError] = AuthFailure


@dataclass(frozen=True)
class Guard:
    """One API's authentication policy: where its tokens are and how each refusal is answered.

    `default` answers every reason that `refusals` does not list; without one, the table must be complete.
    """

    source: TokenSource
    refusals: Mapping[Rejection, Refusal]
    default: Refusal | None = None
    accept_external: bool = False

    def __post_init__(self) -> None:
        if self.default is None and (missing := set(Rejection) - set(self.refusals)):
            raise ValueError(f"the refusal table has no answer for {sorted(missing)}")

    def refusal(self, reason: Rejection) -> Refusal:
        """This API's answer to `reason`."""
        refusal = self.refusals.get(reason, self.default)
        assert refusal is not None  # __post_init__ made sure
        return refusal

    @property
    def statuses(self) -> set[int]:
        """Every status this guard can refuse a request with, reading its token included."""
        return {self.refusal(reason).status for reason in Rejection} | self.source.statuses

    @property
    def security(self) -> list[dict[str, list[str]]]:
        """The OpenAPI security requirement: any one of the source's schemes."""
        return [{name: []} for name in self.source.security_schemes]

    @property
    def body_fields(self) -> tuple[str, ...]:
        """The request body fields the token may be in."""
        return self.source.body_fields

    def required(self, token_type: TokenType = TokenType.ACCESS) -> Callable[[View], View]:
        """Require a valid token of `token_type`."""
        return _requiring(AuthRule(self, token_type, permission=None))

    def permission(self, permission: str) -> Callable[[View], View]:
        """Require a valid access token that grants `permission`, checked on every request."""
        return _requiring(AuthRule(self, TokenType.ACCESS, permission=permission))

    def authenticate(self, *, token_type: TokenType, permission: str | None) -> Principal:
        """The request's principal, or this API's error for the reason it was refused."""
        try:
            principal = verify_token(self.source.extract(), token_type=token_type, accept_external=self.accept_external)
            if permission is not None and permission not in principal.permissions:
                raise TokenRejected(Rejection.FORBIDDEN)
        except TokenRejected as rejected:
            refusal = self.refusal(rejected.reason)
            message = rejected.detail if refusal.message is None and refusal.error is AuthFailure else refusal.message
            raise refusal.error(message, status_code=refusal.status) from None
        return principal


@dataclass(frozen=True)
class AuthRule:
    """What one route requires of its caller."""

    guard: Guard
    token_type: TokenType
    permission: str | None

    def check(self) -> Principal:
        return self.guard.authenticate(token_type=self.token_type, permission=self.permission)


def auth_rule(view: Callable[..., Any]) -> AuthRule | None:
    """The auth a view requires, if any (its decorators record it on the function)."""
    return getattr(view, "apiary_auth", None)


def _requiring(rule: AuthRule) -> Callable[[View], View]:
    """Record `rule` on the view; hand the view `principal` or `user` only when its signature asks."""

    def decorate(view: View) -> View:
        wanted = inspect.signature(view).parameters
        if "user" in wanted and rule.guard.accept_external:
            raise TypeError(f"{view.__name__}: external tokens have no local user; ask for `principal` instead")

        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            principal: Principal = g.apiary_principal
            if "principal" in wanted:
                kwargs["principal"] = principal
            if "user" in wanted:
                kwargs["user"] = principal.user
            return view(*args, **kwargs)

        guarded.apiary_auth = rule  # type: ignore[attr-defined]
        return cast(View, guarded)

    return decorate


def register_auth(app: Flask) -> None:
    """Check each guarded route's token before the request's path, query and body are validated."""

    @app.before_request
    def authenticate_request() -> None:
        view = app.view_functions.get(request.endpoint or "")
        rule = auth_rule(view) if view is not None else None
        # A browser's CORS preflight carries no credentials by design; Flask answers it without the view.
        if rule is not None and request.method != "OPTIONS":
            g.apiary_principal = rule.check()


def auth_rate_limit(view: View) -> View:
    """Mark a login or register view: one client may call it RATELIMIT_AUTH times (see register_rate_limits)."""
    view.auth_rate_limited = True  # type: ignore[attr-defined]
    return view


def rate_limited(view: Callable[..., Any]) -> bool:
    """Whether a view is marked for a rate limit, so it may answer 429."""
    return bool(getattr(view, "auth_rate_limited", False))


def register_rate_limits(app: Flask) -> None:
    """Give the app a limiter of its own and apply RATELIMIT_AUTH to the marked views (each client's logins
    and registrations; refreshes are counted per user, see core.account_limits).

    Flask-Limiter keeps its storage and key prefix on the instance, so each app needs its own.
    """
    limiter = Limiter(get_remote_address, app=app)
    app.extensions["apiary.limiter"] = limiter  # Flask-Limiter itself holds it only weakly
    limit = limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"])
    for endpoint, view in app.view_functions.items():
        if rate_limited(view):
            app.view_functions[endpoint] = cast(RouteCallable, limit(view))
