"""Account API routes (spec 004), the shared root `/` (Decision 1) and the health check."""

from typing import Any, TypeGuard

from flask import Response, redirect, request
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel

from apiary.account import schemas, services
from apiary.core.auth import BEARER, Guard, HeaderToken, auth_rate_limit
from apiary.core.config import current_settings
from apiary.core.errors import Envelope, use_envelope
from apiary.core.http import Reply, body_doc, parse_body, read_body, require_json, validate
from apiary.core.identity import TokenType
from apiary.core.tokens import Principal

bp = APIBlueprint("account", __name__, abp_tags=[Tag(name="account", description="Shared identity (spec 004)")])
guard = Guard(source=HeaderToken(scheme="Bearer", case_sensitive=True), refusals=schemas.REFUSALS)
EMAIL_DIALECT = Envelope(render=schemas.render_email_error)
REGISTERED = "You registered successfully. Please log in."
LOGGED_IN = "You logged in successfully."


class TokenPath(BaseModel):
    token_id: int


@bp.get("/", responses={200: {"description": "JSON welcome, or plain text for clients that prefer it"}})
def home() -> Reply:
    """Welcome: JSON by default, the account text for text clients, the login page for browsers if set."""
    preferred = request.accept_mimetypes.best_match(
        ["application/json", "text/html", "text/plain"], default="application/json"
    )
    if preferred == "application/json":
        return {"success": True, "message": "welcome to funcster."}
    auth_endpoint = current_settings().auth_endpoint
    if preferred == "text/html" and auth_endpoint:
        return redirect(auth_endpoint)
    return Response("The server is runing!", mimetype=preferred)


@bp.get("/health", responses={200: schemas.Health, 503: schemas.Health})
def health() -> Reply:
    """Whether the service and its database answer."""
    if services.database_ready():
        return {"status": "ok"}
    return {"status": "unavailable"}, 503


@bp.post(
    "/auth/register",
    responses={200: schemas.UserEnvelope, 201: {"description": "Registered by email (spec 003)"}},
    openapi_extensions=body_doc(schemas.Registration, form=True),
)
@auth_rate_limit
def register() -> Reply:
    """Register by username (spec 004), or by email when the body has an email and no username (spec 003)."""
    body = read_body()
    if _is_email_dialect(body):
        use_envelope(EMAIL_DIALECT)
        credentials = validate(schemas.EmailCredentials, body)
        services.register_by_email(email=credentials.email, password=credentials.password)
        return {"message": REGISTERED}, 201
    data = parse_body(schemas.Registration, json_only=True)
    user = services.register(username=data.username, password=data.password, email=data.email)
    return schemas.success(schemas.user_out(user))


@bp.post(
    "/auth/login",
    responses={200: schemas.TokenPairEnvelope},
    openapi_extensions=body_doc(schemas.Login, form=True),
)
@auth_rate_limit
def login() -> Reply:
    """Log in by username for access and refresh tokens (spec 004), or by email for an access token (003)."""
    body = read_body()
    if _is_email_dialect(body):
        use_envelope(EMAIL_DIALECT)
        credentials = validate(schemas.EmailCredentials, body)
        token = services.login_by_email(email=credentials.email, password=credentials.password)
        return {"message": LOGGED_IN, "access_token": token}
    data = parse_body(schemas.Login, json_only=True, detailed=False)
    access_token, refresh_token = services.login(username=data.username, password=data.password)
    return schemas.success({"access_token": access_token, "refresh_token": refresh_token})


@bp.post("/auth/refresh", responses={200: schemas.AccessTokenEnvelope}, security=BEARER)
@guard.required(TokenType.REFRESH)
def refresh(principal: Principal) -> Reply:
    """A new access token in exchange for a refresh token."""
    return schemas.success({"access_token": services.refresh(principal=principal)})


@bp.get("/auth/token", responses={200: schemas.TokenListEnvelope}, security=BEARER)
@guard.required()
def list_tokens(principal: Principal) -> Reply:
    """Every token issued to the caller, revoked or not."""
    tokens = services.list_tokens(owner=services.account_of(principal))
    return schemas.success([schemas.token_out(token) for token in tokens])


@bp.put(
    "/auth/token/<id:token_id>",
    responses={200: schemas.MessageEnvelope},
    security=BEARER,
    openapi_extensions=body_doc(schemas.TokenRevocation),
)
@guard.required()
def revoke_token(path: TokenPath, principal: Principal) -> Reply:
    """Revoke or restore one of the caller's tokens."""
    data = parse_body(schemas.TokenRevocation, json_only=True, detailed=False)
    services.set_token_revoked(owner=services.account_of(principal), token_id=path.token_id, revoked=data.revoke)
    return {"status": "success", "message": "Token revoked" if data.revoke else "Token unrevoked"}


@bp.get("/account", responses={200: schemas.UserEnvelope}, security=BEARER)
@guard.required()
def get_account(principal: Principal) -> Reply:
    """The caller's account."""
    return schemas.success(schemas.user_out(services.account_of(principal)))


@bp.put(
    "/account",
    responses={200: schemas.UserEnvelope},
    security=BEARER,
    openapi_extensions=body_doc(schemas.AccountPassword),
)
@guard.required()
def replace_account(principal: Principal) -> Reply:
    """Set the caller's password (required); older tokens stop working."""
    return _update_account(principal, schemas.AccountPassword)


@bp.patch(
    "/account",
    responses={200: schemas.UserEnvelope},
    security=BEARER,
    openapi_extensions=body_doc(schemas.AccountPatch),
)
@guard.required()
def patch_account(principal: Principal) -> Reply:
    """Change the caller's password if one is given; no other field is writable."""
    return _update_account(principal, schemas.AccountPatch)


@bp.delete("/account", responses={201: {"description": "Deleted; empty body"}}, security=BEARER)
@guard.required()
def delete_account(principal: Principal) -> Reply:
    """Delete the caller's account and revoke all its tokens."""
    services.delete_account(owner=services.account_of(principal))
    return "", 201


def _update_account(principal: Principal, model: type[schemas.AccountPassword | schemas.AccountPatch]) -> Reply:
    # The original checked the content type, then the account, then the body: keep that order.
    require_json()
    owner = services.account_of(principal)
    data = parse_body(model, json_only=True)
    return schemas.success(schemas.user_out(services.update_password(owner=owner, password=data.password)))


def _is_email_dialect(body: dict[str, Any] | None) -> TypeGuard[dict[str, Any]]:
    """C2/C3: a body with an email and no username comes from a spec 003 client."""
    return body is not None and "email" in body and "username" not in body
