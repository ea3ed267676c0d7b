"""JSON Web Tokens: the one format Apiary issues, and the external provider's tokens it accepts."""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import jwt
import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Flask, Response, current_app, g, has_request_context
from joserfc.jwk import RSAKey

from apiary.core.config import Settings, current_settings
from apiary.core.db import as_stored, utcnow
from apiary.core.extensions import db
from apiary.core.identity import Token, TokenType, User

OWN_CLAIMS = ["exp", "iat", "nbf", "jti", "sub", "type", "iss", "aud"]

# What PyJWT raises for a malformed token: its own errors, and those of the JSON parser and key
# handling beneath it (a header nested too deeply, a key of another type).
MALFORMED = (jwt.InvalidTokenError, ValueError, TypeError, KeyError, RecursionError)


class Rejection(StrEnum):
    """Why a credential was refused; each API answers each reason in its own words."""

    MISSING = "missing"  # no header, or no token field
    NO_BODY = "no_body"  # the token belongs in a JSON body, and the request has none
    BAD_SCHEME = "bad_scheme"  # the header's first word is not the one expected
    NO_TOKEN = "no_token"  # the header is the scheme alone
    EXTRA_PARTS = "extra_parts"  # the header has more than two words
    UNDECODABLE = "undecodable"  # not a JWT at all
    NO_KID = "no_kid"  # an external token without a key id
    UNKNOWN_KID = "unknown_kid"  # an external token whose key the provider does not publish
    EXPIRED = "expired"
    BAD_CLAIMS = "bad_claims"  # wrong audience or issuer
    INVALID = "invalid"  # any other decoding failure: signature, required claim, ...
    REVOKED = "revoked"  # revoked, or never issued here
    USER_GONE = "user_gone"  # the token's user no longer exists
    WRONG_TYPE = "wrong_type"  # a refresh token where an access token belongs, or the reverse
    NO_PERMISSIONS = "no_permissions"  # an external token without a permissions claim
    FORBIDDEN = "forbidden"  # the permission the route needs is not granted


class TokenRejected(Exception):
    """A token was refused for `reason`; `detail` is the decoder's own explanation."""

    def __init__(self, reason: Rejection, detail: str = "") -> None:
        super().__init__(detail or reason.value)
        self.reason = reason
        self.detail = detail or reason.value


@dataclass(frozen=True)
class Principal:
    """Who a verified token speaks for."""

    permissions: frozenset[str]
    user: User | None = None  # the local user; None for an external provider's tokens


@dataclass(frozen=True)
class PublicKey:
    """An RSA public key Apiary's tokens are verified with, named by its RFC 7638 thumbprint."""

    kid: str
    pem: bytes

    @classmethod
    def from_file(cls, path: Path) -> "PublicKey":
        pem = path.read_bytes()
        return cls(_thumbprint(pem), pem)

    @property
    def jwk(self) -> dict[str, Any]:
        """The key as published in the JWKS: its public members only, whatever the file holds."""
        public = RSAKey.import_key(self.pem).as_dict(private=False)
        return {"kty": "RSA", "n": public["n"], "e": public["e"], "use": "sig", "alg": "RS256", "kid": self.kid}


@dataclass(frozen=True)
class SigningKey:
    """The key Apiary signs its tokens with, named by `kid` so that keys can rotate."""

    algorithm: str
    kid: str
    private: Any
    public: Any
    published: PublicKey | None = None  # the RS256 public key; an HS256 secret is never published

    @classmethod
    def from_settings(cls, settings: Settings) -> "SigningKey":
        if settings.jwt_algorithm == "RS256":
            assert settings.jwt_private_key_file and settings.jwt_public_key_file
            private = settings.jwt_private_key_file.read_bytes()
            public = PublicKey.from_file(settings.jwt_public_key_file)
            if _thumbprint(private) != public.kid:
                raise ValueError("JWT_PUBLIC_KEY_FILE is not the public key of JWT_PRIVATE_KEY_FILE")
            return cls("RS256", public.kid, private, public.pem, public)
        secret = settings.secret
        # A digest of the secret, never the secret: it names the key without revealing it.
        kid = hashlib.sha256(b"apiary-kid:" + secret.encode()).hexdigest()[:16]
        return cls("HS256", kid, secret, secret)


class TokenCodec:
    """Encodes Apiary's tokens and decodes those of Apiary (current or retired key) and of the provider."""

    def __init__(self, settings: Settings) -> None:
        self.key = SigningKey.from_settings(settings)
        retired = [PublicKey.from_file(path) for path in settings.jwt_retired_public_key_files]
        # The keys the JWKS lists, current first; new tokens are signed with the current one only.
        self.published = ([self.key.published] if self.key.published else []) + retired
        self._own_keys: dict[str, Any] = {key.kid: key.pem for key in retired} | {self.key.kid: self.key.public}
        self._own_claims = {"iss": settings.apiary_issuer, "aud": settings.apiary_audience}
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self._provider = (
            jwt.PyJWKClient(settings.jwt_jwks_url, cache_keys=True, lifespan=max(settings.jwks_cache_seconds, 1))
            if settings.jwt_jwks_url
            else None
        )

    def encode(self, claims: dict[str, Any]) -> str:
        """`claims` signed with the current key, with Apiary's issuer and audience unless they say otherwise."""
        return jwt.encode(
            self._own_claims | claims, self.key.private, algorithm=self.key.algorithm, headers={"kid": self.key.kid}
        )

    def decode(self, token: str, *, accept_external: bool) -> tuple[dict[str, Any], bool]:
        """The verified claims, and whether Apiary issued the token; TokenRejected otherwise.

        A token of another issuer is checked against the provider only when `accept_external`: where it
        would be refused anyway, nothing is fetched for it.
        """
        if not token.isascii():  # a JWT is base64url and dots; anything else cannot even be encoded
            raise TokenRejected(Rejection.UNDECODABLE, "Invalid token: a JWT is ASCII")
        try:
            header = jwt.get_unverified_header(token)
        except MALFORMED as error:
            raise TokenRejected(Rejection.UNDECODABLE, _reason(error)) from None
        kid = header.get("kid")
        own_key = self._own_keys.get(kid) if isinstance(kid, str) else None
        if own_key is None and self._provider is not None:
            if not accept_external:
                raise TokenRejected(Rejection.INVALID, "Tokens of the external provider are not accepted here")
            return self._decode_external(token, kid), False
        claims = self._verify(
            token,
            self.key.public if own_key is None else own_key,
            [self.key.algorithm],
            require=OWN_CLAIMS,
            issuer=self._own_claims["iss"],
            audience=self._own_claims["aud"],
        )
        return claims, True

    def _decode_external(self, token: str, kid: str | None) -> dict[str, Any]:
        assert self._provider is not None
        if not kid:
            raise TokenRejected(Rejection.NO_KID)
        try:
            signing_key = self._provider.get_signing_key(kid)
        except jwt.PyJWKClientError as error:
            raise TokenRejected(Rejection.UNKNOWN_KID, str(error)) from None
        except (jwt.PyJWTError, *MALFORMED):  # a key set that is no key set: empty, not JSON, unusable keys
            raise TokenRejected(Rejection.UNKNOWN_KID, "The provider publishes no usable key set") from None
        if signing_key.key_type != "RSA":  # the provider names a key the token's algorithm cannot use
            raise TokenRejected(Rejection.INVALID, "The key is not an RSA key")
        claims = self._verify(
            token,
            signing_key.key,
            ["RS256"],
            require=["exp", "iss", "aud"],
            audience=self._audience,
            issuer=self._issuer,
        )
        permissions = claims.get("permissions")
        if not isinstance(permissions, list) or not all(isinstance(name, str) for name in permissions):
            raise TokenRejected(Rejection.NO_PERMISSIONS)
        return claims

    @staticmethod
    def _verify(token: str, key: Any, algorithms: list[str], *, require: list[str], **checks: Any) -> dict[str, Any]:
        try:
            return jwt.decode(token, key, algorithms=algorithms, options={"require": require}, **checks)
        except jwt.ExpiredSignatureError as error:
            raise TokenRejected(Rejection.EXPIRED, str(error)) from None
        except (jwt.InvalidAudienceError, jwt.InvalidIssuerError) as error:
            raise TokenRejected(Rejection.BAD_CLAIMS, str(error)) from None
        except MALFORMED as error:
            raise TokenRejected(Rejection.INVALID, _reason(error)) from None


def init_tokens(app: Flask, settings: Settings) -> None:
    """Give the app its token codec."""
    app.extensions["apiary.tokens"] = TokenCodec(settings)


def codec() -> TokenCodec:
    """The current app's token codec."""
    return current_app.extensions["apiary.tokens"]


def token_claims(user: User, token_type: TokenType, *, issued_at: datetime, expires_at: datetime) -> dict[str, Any]:
    """The claims of a new token for `user`: every claim any API reads (spec README, C7), with a new jti."""
    claims: dict[str, Any] = {
        "sub": str(user.id),
        "identity": user.identity,
        "username": user.username,
        "jti": str(uuid.uuid4()),
        "type": token_type.value,
        "iat": issued_at,
        "nbf": issued_at,
        "exp": expires_at,
        "permissions": sorted(user.permissions),
    }
    if token_type is TokenType.ACCESS:
        claims["fresh"] = False
    return claims


def record_token(user: User, claims: dict[str, Any]) -> None:
    """Add the token to the token store (the caller's transaction commits it)."""
    issued_at: datetime = claims["iat"]
    expires_at: datetime = claims["exp"]
    db.session.add(
        Token(
            jti=claims["jti"],
            token_type=TokenType(claims["type"]),
            user_identity=user.identity,
            user_id=user.id,
            issued_at=as_stored(issued_at),
            expires=as_stored(expires_at),
        )
    )


def issue_token(user: User, token_type: TokenType, lifetime: timedelta) -> str:
    """A signed token for `user`, recorded in the token store (the caller's transaction commits it).

    The user's expired tokens leave the store at the same time, and so do their oldest ones past
    TOKENS_PER_USER, so that the store stays bounded however often one user logs in; the answer that
    carries the token is marked uncacheable (see `register_token_answers`).
    """
    now = datetime.now(UTC)
    newest = (
        sa.select(Token.id)
        .where(Token.user_id == user.id)
        .order_by(Token.id.desc())
        .limit(current_settings().tokens_per_user - 1)
    )
    db.session.execute(
        sa.delete(Token).where(
            Token.user_id == user.id, sa.or_(Token.expires < as_stored(now), Token.id.not_in(newest.scalar_subquery()))
        )
    )
    claims = token_claims(user, token_type, issued_at=now, expires_at=now + lifetime)
    record_token(user, claims)
    if has_request_context():
        g.apiary_issued_token = True
    return codec().encode(claims)


def revoke_token(token: str) -> None:
    """RFC 7009: revoke one of Apiary's tokens (the caller's transaction commits it). A token that is not
    Apiary's, or no longer valid anyway, is left alone without a word: revocation never tells which it was."""
    try:
        claims, own = codec().decode(token, accept_external=False)
    except TokenRejected:
        return
    if own and isinstance(claims["jti"], str):
        db.session.execute(sa.update(Token).where(Token.jti == claims["jti"]).values(revoked=True))


def prune_tokens(*, expired_before: datetime) -> int:
    """Delete the token-store rows of tokens that expired before `expired_before`; how many went."""
    result = db.session.execute(sa.delete(Token).where(Token.expires < as_stored(expired_before)))
    return int(result.rowcount)  # type: ignore[attr-defined]


def register_token_answers(app: Flask) -> None:
    """Mark every answer that carries a newly issued token uncacheable, whichever API issued it."""

    @app.after_request
    def forbid_caching(response: Response) -> Response:
        if g.pop("apiary_issued_token", False):
            response.headers["Cache-Control"] = "no-store"
        return response


def verify_token(token: str, *, token_type: TokenType, accept_external: bool) -> Principal:
    """The principal a token speaks for, checked against the token store; TokenRejected otherwise.

    The store's row is the authority: its type and expiry, its revocation, and the user's last password
    change, which no later change to the row can undo.
    """
    claims, own = codec().decode(token, accept_external=accept_external)
    if not own:
        return Principal(permissions=frozenset(claims["permissions"]))
    if claims["type"] != token_type.value:
        raise TokenRejected(Rejection.WRONG_TYPE, f"Only {token_type.value} tokens are allowed")
    jti = claims["jti"]
    stored = (
        db.session.scalar(sa.select(Token).options(so.joinedload(Token.user)).where(Token.jti == jti))
        if isinstance(jti, str)
        else None
    )
    if stored is None or stored.revoked:
        raise TokenRejected(Rejection.REVOKED, "Token has been revoked")
    if stored.token_type is not token_type:
        raise TokenRejected(Rejection.WRONG_TYPE, f"Only {token_type.value} tokens are allowed")
    if stored.expires <= utcnow():
        raise TokenRejected(Rejection.EXPIRED, "Signature has expired")
    if stored.user is None:
        raise TokenRejected(Rejection.USER_GONE, "The token's user no longer exists")
    if stored.superseded:
        raise TokenRejected(Rejection.REVOKED, "Token has been revoked")
    return Principal(permissions=stored.user.permissions, user=stored.user)


def _reason(error: Exception) -> str:
    """The decoder's explanation; PyJWT's own words, a generic one for what lies beneath it."""
    return str(error) if isinstance(error, jwt.InvalidTokenError) else "Invalid token"


def _thumbprint(pem: bytes) -> str:
    """The RFC 7638 thumbprint of an RSA key's public part (a PEM of either half), a stable name for it."""
    return RSAKey.import_key(pem).thumbprint()
