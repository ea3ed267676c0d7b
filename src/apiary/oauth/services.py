"""OAuth 2 use cases: the password and refresh-token grants, revocation, and what the server publishes.

The tokens are Apiary's one format (core.tokens), so they work on every API; a password grant is a login
like any other (core.users.authenticate counts its failures against the login limits).
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from authlib.oauth2.rfc6749.errors import InvalidGrantError
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

from apiary.core.config import current_settings
from apiary.core.identity import TokenType
from apiary.core.tokens import TokenRejected, codec, issue_token, revoke_token, verify_token
from apiary.core.transactions import commit
from apiary.core.users import IDENTITY, authenticate, refresh_access
from apiary.oauth.schemas import OAuthProblem

TOKEN_PATH = "/oauth/token"
REVOCATION_PATH = "/oauth/revoke"
METADATA_PATH = "/.well-known/oauth-authorization-server"
JWKS_PATH = "/.well-known/jwks.json"


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    lifetime: timedelta
    refresh_token: str | None = None


def password_grant(*, username: str, password: str) -> IssuedTokens:
    """An access and a refresh token for a user's name and password; invalid_grant otherwise."""
    user = authenticate(field=IDENTITY, login=username, password=password)
    if user is None:
        raise OAuthProblem(InvalidGrantError("Invalid username or password"))
    settings = current_settings()
    tokens = IssuedTokens(
        issue_token(user, TokenType.ACCESS, settings.access_token_lifetime),
        settings.access_token_lifetime,
        issue_token(user, TokenType.REFRESH, settings.refresh_token_lifetime),
    )
    commit()
    return tokens


def refresh_grant(*, refresh_token: str) -> IssuedTokens:
    """A new access token for a valid refresh token; invalid_grant for anything else (an access token too)."""
    try:
        principal = verify_token(refresh_token, token_type=TokenType.REFRESH, accept_external=False)
    except TokenRejected as rejected:
        # The reason's name, never the decoder's words, which may quote the token (§5.2 allows no quotes).
        raise OAuthProblem(InvalidGrantError(f"The refresh token is refused: {rejected.reason.value}")) from None
    assert principal.user is not None  # Apiary's own tokens always speak for a user
    tokens = IssuedTokens(refresh_access(principal.user), current_settings().access_token_lifetime)
    commit()
    return tokens


def revoke(*, token: str) -> None:
    """RFC 7009: the token is refused everywhere from now on; an unknown or invalid token changes nothing."""
    revoke_token(token)
    commit()


class ApiaryMetadata(AuthorizationServerMetadata):
    """Authlib's RFC 8414 checks, but for one: Apiary has no authorization endpoint, so it supports no
    response type. The RFC still requires the member, and an empty list states that honestly; Authlib's
    own check wants at least one."""

    def validate_response_types_supported(self) -> None:
        if self.get("response_types_supported") != []:
            raise ValueError('"response_types_supported" is [] without an authorization endpoint')


def describe_server() -> dict[str, Any]:
    """RFC 8414 metadata, every URL under the configured issuer (never the request's host), checked by Authlib."""
    issuer = current_settings().apiary_issuer
    base = issuer.rstrip("/")
    metadata = ApiaryMetadata(
        issuer=issuer,
        token_endpoint=base + TOKEN_PATH,
        revocation_endpoint=base + REVOCATION_PATH,
        jwks_uri=base + JWKS_PATH,
        grant_types_supported=["password", "refresh_token"],
        response_types_supported=[],
        # A public client: nobody authenticates to these endpoints but the user, with their password.
        token_endpoint_auth_methods_supported=["none"],
        revocation_endpoint_auth_methods_supported=["none"],
        service_documentation=f"{base}/docs",
    )
    metadata.validate()
    return dict(metadata)


def list_published_keys() -> list[dict[str, Any]]:
    """The public keys Apiary's tokens are verified with: the current one and the retired ones (none with HS256)."""
    return [key.jwk for key in codec().published]
