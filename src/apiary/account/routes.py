"""Account API routes (spec 004). Its halves of /auth/register and /auth/login are mounted in apiary.shared."""

from flask_openapi3 import Tag
from pydantic import BaseModel

from apiary.account import schemas, services
from apiary.core.auth import Guard, HeaderToken
from apiary.core.errors import BadRequest, ValidationFailed
from apiary.core.http import Reply, read_json
from apiary.core.identity import TokenType, User
from apiary.core.routing import ApiBlueprint, BodyRule, takes_body

bp = ApiBlueprint(
    "account",
    __name__,
    error_model=schemas.ErrorOut,
    abp_tags=[Tag(name="account", description="Shared identity (spec 004)")],
)
guard = Guard(
    source=HeaderToken(scheme="Bearer", case_sensitive=True), refusals=schemas.REFUSALS, default=schemas.OTHER_REFUSAL
)
REGISTRATION = BodyRule(schemas.Registration)
LOGIN = BodyRule(schemas.Login, invalid=BadRequest)


class TokenPath(BaseModel):
    token_id: int


def register() -> Reply:
    """Spec 004's registration: username and password, every problem reported at once."""
    try:
        data = REGISTRATION.parse()
    except ValidationFailed as invalid:
        username = (read_json() or {}).get("username")
        services.refuse_registration(invalid.problems, username=username if isinstance(username, str) else None)
    user = services.register(username=data.username, password=data.password, email=data.email)
    return schemas.user_envelope(user)


def login() -> Reply:
    """Spec 004's login: an access and a refresh token."""
    data = LOGIN.parse()
    access_token, refresh_token = services.login(username=data.username, password=data.password)
    return schemas.token_pair_envelope(access_token, refresh_token)


@bp.post("/auth/refresh", responses={200: schemas.AccessTokenEnvelope, 429: schemas.ErrorOut})
@guard.required(TokenType.REFRESH)
def refresh(user: User) -> Reply:
    """A new access token in exchange for a refresh token."""
    return schemas.access_token_envelope(services.refresh(user=user))


@bp.get("/auth/token", responses={200: schemas.TokenListEnvelope})
@guard.required()
def list_tokens(user: User) -> Reply:
    """Every token issued to the caller, revoked or not."""
    return schemas.token_list_envelope(services.list_tokens(owner=user))


@bp.put("/auth/token/<id:token_id>", responses={200: schemas.MessageEnvelope})
@guard.required()
@takes_body(schemas.TokenRevocation, invalid=BadRequest)
def revoke_token(path: TokenPath, user: User, data: schemas.TokenRevocation) -> Reply:
    """Revoke or restore one of the caller's tokens."""
    services.set_token_revoked(owner=user, token_id=path.token_id, revoked=data.revoke)
    return schemas.MessageEnvelope(message="Token revoked" if data.revoke else "Token unrevoked").model_dump()


@bp.get("/account", responses={200: schemas.UserEnvelope})
@guard.required()
def get_account(user: User) -> Reply:
    """The caller's account."""
    return schemas.user_envelope(user)


@bp.put("/account", responses={200: schemas.UserEnvelope})
@guard.required()
@takes_body(schemas.AccountPassword)
def replace_account(user: User, data: schemas.AccountPassword) -> Reply:
    """Set the caller's password (required); older tokens stop working."""
    return schemas.user_envelope(services.update_password(owner=user, password=data.password))


@bp.patch("/account", responses={200: schemas.UserEnvelope})
@guard.required()
@takes_body(schemas.AccountPatch)
def patch_account(user: User, data: schemas.AccountPatch) -> Reply:
    """Change the caller's password if one is given; no other field is writable."""
    return schemas.user_envelope(services.update_password(owner=user, password=data.password))


@bp.delete("/account", responses={201: {"description": "Deleted; empty body"}})
@guard.required()
def delete_account(user: User) -> Reply:
    """Delete the caller's account and revoke all its tokens."""
    services.delete_account(owner=user)
    return "", 201
