"""Typed settings, read once from the environment and `.env`."""

import math
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal, Self
from urllib.parse import urlsplit

from flask import current_app
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET_BYTES = 32
MIN_SECRET_DISTINCT_CHARACTERS = 10  # a hex key has 16; "aaaa…" or "abab…" is long and guessable
# An exact browser origin: a scheme, a host and maybe a port. Anything else (flask-cors reads a string
# holding regex characters as a pattern) is refused at start-up.
ORIGIN = re.compile(r"https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?")


class Settings(BaseSettings):
    """Every configuration key of Apiary, with its default."""

    # hide_input_in_errors: a refused setting's error never shows its value (the secret key among them).
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False, hide_input_in_errors=True)

    apiary_env: Literal["development", "production", "test"] = "development"
    secret_key: SecretStr | None = None
    # Where the development database and secret live; DATABASE_URL defaults to a SQLite file in it.
    instance_dir: Path = Path("instance")
    database_url: str = ""
    # How long a request waits for the database (connecting, a pooled connection, one statement).
    database_timeout_seconds: float = Field(default=2.0, gt=0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    # How many reverse proxies stand in front of the app; their X-Forwarded-* headers are trusted.
    proxy_count: int = Field(default=0, ge=0)

    # Token signing. HS256 signs with SECRET_KEY; RS256 with the PEM key pair below.
    jwt_algorithm: Literal["HS256", "RS256"] = "HS256"
    jwt_private_key_file: Path | None = None
    jwt_public_key_file: Path | None = None
    # Public keys of earlier signing keys: their tokens are still accepted and the JWKS still lists
    # them, until they leave this list (a JSON list of file names).
    jwt_retired_public_key_files: list[Path] = []
    # The `iss` and `aud` of every token Apiary issues, checked on every token it accepts. Deployments set
    # the issuer to their public https URL; the default is fixed, never derived from a request or an
    # address, so that every instance agrees on it.
    apiary_issuer: str = "https://apiary.localhost"
    apiary_audience: str = "apiary"
    # An external OpenID provider (Auth0 or any other) whose RS256 tokens are accepted too.
    jwt_jwks_url: str | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    auth0_domain: str | None = None
    api_audience: str | None = None
    jwks_cache_seconds: int = Field(default=300, ge=0)

    access_token_minutes: int = Field(default=15, gt=0)
    refresh_token_days: int = Field(default=30, gt=0)
    email_login_token_minutes: int = Field(default=5, gt=0)
    forum_token_days: int = Field(default=30, gt=0)
    # The token store keeps at most this many tokens per user: a new one pushes out the oldest.
    tokens_per_user: int = Field(default=1000, ge=2)

    # argon2id, OWASP's recommended parameters: 19 MiB, two passes, one lane.
    argon2_memory_kib: int = Field(default=19 * 1024, ge=8)
    argon2_time_cost: int = Field(default=2, ge=1)
    argon2_parallelism: int = Field(default=1, ge=1)

    redis_url: str | None = None
    ratelimit_enabled: bool = True
    ratelimit_auth: str = "10 per minute"
    # Failed logins per account name; past it, every login for the account is refused for the window.
    ratelimit_login_failures: str = "5 per minute"
    # Access tokens one user may get for refresh tokens, on every endpoint that redeems them.
    ratelimit_refresh: str = "30 per hour"
    ratelimit_key_prefix: str = "apiary"

    auth_endpoint: str | None = None
    # Browser origins allowed to call the APIs; the originals allowed every origin. Tokens travel in
    # headers or bodies, never in cookies, so "*" exposes nothing a script could not already send.
    cors_origins: list[str] = ["*"]
    # The Host names the app answers to (Flask's TRUSTED_HOSTS); others are 400. None: any.
    trusted_hosts: list[str] | None = None

    @field_validator("cors_origins")
    @classmethod
    def _exact_origins(cls, origins: list[str]) -> list[str]:
        """Each origin is "*" or exact (https://shop.example:8443); a pattern would match more than meant."""
        for origin in origins:
            if origin != "*" and not ORIGIN.fullmatch(origin):
                raise ValueError(f"CORS_ORIGINS: {origin!r} is not an exact origin such as https://shop.example")
        return origins

    @field_validator("apiary_issuer")
    @classmethod
    def _issuer_is_an_https_url(cls, issuer: str) -> str:
        """RFC 8414: the issuer is an https URL without query or fragment."""
        parts = urlsplit(issuer)
        if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
            raise ValueError(f"APIARY_ISSUER: {issuer!r} is not an https URL without query or fragment")
        return issuer

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case_level(cls, value: Any) -> Any:
        """LOG_LEVEL=debug means DEBUG."""
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _default_database(self) -> Self:
        """Without DATABASE_URL, a SQLite file in the instance folder."""
        if not self.database_url:
            self.database_url = f"sqlite:///{self.instance_dir.resolve() / 'apiary.db'}"
        return self

    @model_validator(mode="after")
    def _fill_provider_shorthand(self) -> Self:
        """Expand AUTH0_DOMAIN + API_AUDIENCE into the generic JWKS settings they stand for."""
        if self.auth0_domain:
            issuer = f"https://{self.auth0_domain}/"
            self.jwt_jwks_url = self.jwt_jwks_url or f"{issuer}.well-known/jwks.json"
            self.jwt_issuer = self.jwt_issuer or issuer
        if self.api_audience:
            self.jwt_audience = self.jwt_audience or self.api_audience
        if self.jwt_jwks_url and not (self.jwt_issuer and self.jwt_audience):
            raise ValueError("JWT_JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE (or AUTH0_DOMAIN + API_AUDIENCE)")
        return self

    @model_validator(mode="after")
    def _check_signing_keys(self) -> Self:
        """RS256 cannot sign without both key files."""
        if self.jwt_algorithm == "RS256" and not (self.jwt_private_key_file and self.jwt_public_key_file):
            raise ValueError("JWT_ALGORITHM=RS256 needs JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE")
        if self.jwt_retired_public_key_files and self.jwt_algorithm != "RS256":
            raise ValueError("JWT_RETIRED_PUBLIC_KEY_FILES are RS256 public keys: they need JWT_ALGORITHM=RS256")
        return self

    @model_validator(mode="after")
    def _enforce_secret(self) -> Self:
        """Refuse a missing, short or guessable secret in production; elsewhere keep a random one per instance.

        The error names what is wrong, never any part of the key.
        """
        secret = self.secret_key.get_secret_value() if self.secret_key else ""
        if self.apiary_env == "production" and not _strong(secret):
            raise ValueError(
                f"SECRET_KEY must be set to at least {MIN_SECRET_BYTES} random bytes in production, with at least "
                f"{MIN_SECRET_DISTINCT_CHARACTERS} different characters "
                '(for example: python -c "import secrets; print(secrets.token_urlsafe(48))")'
            )
        if not secret:
            self.secret_key = SecretStr(_development_secret(self.instance_dir))
        return self

    @property
    def secret(self) -> str:
        """The secret key as plain text (always set after validation)."""
        assert self.secret_key is not None
        return self.secret_key.get_secret_value()

    @property
    def access_token_lifetime(self) -> timedelta:
        return timedelta(minutes=self.access_token_minutes)

    @property
    def refresh_token_lifetime(self) -> timedelta:
        return timedelta(days=self.refresh_token_days)

    @property
    def email_login_token_lifetime(self) -> timedelta:
        return timedelta(minutes=self.email_login_token_minutes)

    @property
    def forum_token_lifetime(self) -> timedelta:
        return timedelta(days=self.forum_token_days)

    def flask_config(self) -> dict[str, Any]:
        """The Flask and extension keys these settings imply."""
        engine_options: dict[str, Any] = {}
        if self.database_url.startswith("postgresql"):
            # While PostgreSQL is unreachable or stuck, requests fail fast with a 503 instead of hanging,
            # and pool_pre_ping replaces dead connections once it is back.
            engine_options = {
                "pool_pre_ping": True,
                "pool_timeout": self.database_timeout_seconds,
                "connect_args": {
                    "connect_timeout": max(2, math.ceil(self.database_timeout_seconds)),  # libpq's minimum
                    "options": f"-c statement_timeout={int(self.database_timeout_seconds * 1000)}",
                },
            }
        return {
            "SECRET_KEY": self.secret,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
            "RATELIMIT_ENABLED": self.ratelimit_enabled,
            "RATELIMIT_STORAGE_URI": self.redis_url or "memory://",
            "RATELIMIT_KEY_PREFIX": self.ratelimit_key_prefix,
            "RATELIMIT_HEADERS_ENABLED": True,
            "RATELIMIT_AUTH": self.ratelimit_auth,
            # Without Redis the limits go on in memory, and never make a request fail.
            "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
            "RATELIMIT_SWALLOW_ERRORS": True,
            "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
            if self.redis_url
            else {},
            "TRUSTED_HOSTS": self.trusted_hosts,
        }


def _strong(secret: str) -> bool:
    """Long enough, and not one character (or a few, or whitespace) repeated."""
    return len(secret.encode()) >= MIN_SECRET_BYTES and len(set(secret.strip())) >= MIN_SECRET_DISTINCT_CHARACTERS


def _development_secret(instance_dir: Path) -> str:
    """A random secret kept in the instance folder, so development tokens survive restarts."""
    path = instance_dir / "dev-secret-key"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        secret = secrets.token_urlsafe(48)
        file.write(secret)
    return secret


def current_settings() -> Settings:
    """The settings the current app was built with."""
    return current_app.extensions["apiary.settings"]
