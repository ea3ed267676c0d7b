"""The paths several APIs share (spec README C1-C3): `/`, `/health`, and the dialect switch of
`/auth/register` and `/auth/login`, where a body with an email and no username comes from a spec 003
client and everything else from a spec 004 client."""

from flask import Response, g, redirect, request
from flask_openapi3 import Tag
from pydantic import BaseModel, RootModel
from werkzeug.exceptions import RequestEntityTooLarge

from apiary import bucketlist
from apiary.account import routes as account_routes
from apiary.account import schemas as account_schemas
from apiary.bucketlist import routes as bucketlist_routes
from apiary.bucketlist import schemas as bucketlist_schemas
from apiary.core.auth import auth_rate_limit
from apiary.core.config import current_settings
from apiary.core.errors import use_dialect
from apiary.core.health import database_ready
from apiary.core.http import Reply, body_fields, body_over_size_limit
from apiary.core.routing import ApiBlueprint, reads_body


class SharedError(RootModel[account_schemas.ErrorOut | bucketlist_schemas.ErrorOut]):
    """An error of spec 004's dialect, or of spec 003's when the body has an email and no username."""


bp = ApiBlueprint(
    "shared",
    __name__,
    error_model=SharedError,
    abp_tags=[Tag(name="shared", description="Paths several APIs share")],
)


class Welcome(BaseModel):
    success: bool
    message: str


TEXT = {"schema": {"type": "string"}}
WELCOME_ANSWERS = {
    200: {
        "description": "The welcome, as JSON unless the client prefers text or HTML",
        "content": {"application/json": {"schema": Welcome.model_json_schema()}, "text/plain": TEXT, "text/html": TEXT},
    },
    302: {
        "description": "A browser is sent to the login page, when AUTH_ENDPOINT is set",
        "headers": {"Location": {"schema": {"type": "string"}}},
    },
}


class Health(BaseModel):
    status: str


class LoginAnswer(RootModel[account_schemas.TokenPairEnvelope | bucketlist_schemas.LoginOut]):
    """A token pair for a username login, an access token and a message for an email login."""


@bp.get("/", responses=WELCOME_ANSWERS, database=False)
def home() -> Reply:
    """Welcome: JSON by default, the account text for text clients, the login page for browsers if set."""
    preferred = request.accept_mimetypes.best_match(
        ["application/json", "text/html", "text/plain"], default="application/json"
    )
    if preferred == "application/json":
        return Welcome(success=True, message="welcome to funcster.").model_dump()
    auth_endpoint = current_settings().auth_endpoint
    if preferred == "text/html" and auth_endpoint:
        return redirect(auth_endpoint)
    return Response("The server is runing!", mimetype=preferred)


@bp.get("/health", responses={200: Health, 503: Health})
def health() -> Reply:
    """Whether the service and its database answer."""
    if database_ready():
        return Health(status="ok").model_dump()
    return Health(status="unavailable").model_dump(), 503


@bp.post(
    "/auth/register",
    responses={
        200: account_schemas.UserEnvelope,
        201: bucketlist_schemas.MessageOut,
        202: bucketlist_schemas.MessageOut,
    },
)
@auth_rate_limit
@reads_body(account_routes.REGISTRATION, bucketlist_routes.REGISTRATION)
def register() -> Reply:
    """Register by username (spec 004), or by email when the body has an email and no username (spec 003)."""
    if _speaks_bucketlist():
        return bucketlist_routes.register()
    return account_routes.register()


@bp.post("/auth/login", responses={200: LoginAnswer, 401: SharedError})
@auth_rate_limit
@reads_body(account_routes.LOGIN, bucketlist_routes.LOGIN)
def login() -> Reply:
    """Log in by username for access and refresh tokens (spec 004), or by email for an access token (003)."""
    if _speaks_bucketlist():
        return bucketlist_routes.login()
    return account_routes.login()


@bp.before_request
def choose_dialect() -> None:
    """C2/C3: a body with an email and no username is spec 003's, and so is every answer to it.

    Decided before the view's rate limit is checked, so a 429 is in that dialect too, and on the field names
    alone, so a refusal of a value (a password longer than any column) is too, and so is a 413: the names
    of a body over the size limit are those its first bytes show (see body_fields).
    """
    if request.endpoint in ("shared.register", "shared.login"):
        fields = body_fields(form=True)
        g.apiary_speaks_bucketlist = "email" in fields and "username" not in fields
        if g.apiary_speaks_bucketlist:
            use_dialect(bucketlist.DIALECT)
        if body_over_size_limit():
            # Refused here for both dialects: the account API reads JSON alone, so a form this large would
            # otherwise reach its view unread and be answered 400.
            raise RequestEntityTooLarge()


@bp.teardown_request
def forget_dialect(_error: BaseException | None) -> None:
    """Let the next request choose afresh: `g` outlives a request whose app context was already pushed
    (as in tests)."""
    g.pop("apiary_dialect", None)
    g.pop("apiary_speaks_bucketlist", None)


def _speaks_bucketlist() -> bool:
    return bool(g.get("apiary_speaks_bucketlist"))
