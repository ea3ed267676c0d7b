"""OAuth 2 routes: RFC 6749's token endpoint, RFC 7009's revocation, RFC 8414's metadata and the key set."""

from typing import Any

from flask import Response, request
from flask_openapi3 import Tag

from apiary.core.auth import auth_rate_limit
from apiary.core.http import Reply, read_body
from apiary.core.routing import ApiBlueprint
from apiary.oauth import schemas, services

bp = ApiBlueprint(
    "oauth",
    __name__,
    error_model=schemas.OAuthErrorOut,
    abp_tags=[Tag(name="oauth", description="OAuth 2 token endpoint, revocation, metadata and keys")],
)


@bp.post(
    services.TOKEN_PATH,
    responses={200: schemas.OAuthTokens, 400: schemas.OAuthErrorOut, 429: schemas.OAuthErrorOut},
    openapi_extensions=schemas.form_body(schemas.PasswordGrant, schemas.RefreshGrant),
)
@auth_rate_limit
def token() -> Reply:
    """Tokens for a password grant, or an access token for a refresh_token grant (RFC 6749)."""
    grant = schemas.parse_grant(_form_parameters())
    if isinstance(grant, schemas.PasswordGrant):
        issued = services.password_grant(username=grant.username, password=grant.password)
    else:
        issued = services.refresh_grant(refresh_token=grant.refresh_token)
    return schemas.token_answer(issued.access_token, issued.lifetime, issued.refresh_token)


@bp.post(
    services.REVOCATION_PATH,
    responses={200: {"description": "Revoked, or not a valid token; empty body"}, 400: schemas.OAuthErrorOut},
    openapi_extensions=schemas.form_body(schemas.Revocation),
)
def revoke() -> Reply:
    """Revoke an access or refresh token; an unknown token is answered the same (RFC 7009)."""
    data = schemas.parse(schemas.Revocation, _form_parameters())
    services.revoke(token=data.token)
    return ""


@bp.get(services.METADATA_PATH, responses={200: schemas.ServerMetadata})
def metadata() -> Reply:
    """This authorization server's metadata (RFC 8414)."""
    return schemas.ServerMetadata.model_validate(services.describe_server()).model_dump()


@bp.get(services.JWKS_PATH, responses={200: schemas.KeySet})
def jwks() -> Reply:
    """The public keys of Apiary's RS256 tokens, current and retired (RFC 7517); empty with HS256."""
    return schemas.KeySet.model_validate({"keys": services.list_published_keys()}).model_dump()


@bp.after_request
def never_cache(response: Response) -> Response:
    """RFC 6749 §5.1: no answer of the token or revocation endpoint is cached, its errors included (Pragma
    for HTTP/1.0 caches)."""
    if request.endpoint in ("oauth.token", "oauth.revoke"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def _form_parameters() -> dict[str, Any]:
    """The form-encoded parameters, each at most once (RFC 6749 §3.2); none is read from a JSON body."""
    if request.is_json:
        raise schemas.invalid_request("The parameters are form-encoded (application/x-www-form-urlencoded)")
    if any(len(values) > 1 for values in request.form.listvalues()):
        raise schemas.invalid_request("A parameter is given more than once")
    return read_body(form=True) or {}
