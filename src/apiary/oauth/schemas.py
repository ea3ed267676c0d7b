"""OAuth 2 shapes: the token endpoint's grants and answers (RFC 6749), revocation (RFC 7009), the server's
metadata (RFC 8414), its key set, and the error dialect of RFC 6749 §5.2 in Authlib's words."""

from datetime import timedelta
from typing import Any, Literal, TypeVar

from authlib.oauth2.rfc6749.errors import InvalidRequestError, OAuth2Error, UnsupportedGrantTypeError
from pydantic import BaseModel, ConfigDict, Field
from werkzeug.http import HTTP_STATUS_CODES

from apiary.core.errors import ApiError, ValidationFailed
from apiary.core.http import validate
from apiary.core.routing import FORM

Filled = Field(min_length=1)
Model = TypeVar("Model", bound=BaseModel)


class PasswordGrant(BaseModel):
    """RFC 6749 §4.3: a user's name (their username, or the email of a user without one) and password."""

    grant_type: Literal["password"]
    username: str = Filled
    password: str = Filled


class RefreshGrant(BaseModel):
    """RFC 6749 §6: a refresh token for a new access token."""

    grant_type: Literal["refresh_token"]
    refresh_token: str = Filled


GRANTS: dict[str, type[PasswordGrant | RefreshGrant]] = {"password": PasswordGrant, "refresh_token": RefreshGrant}
UNSUPPORTED = "grant_type is password or refresh_token"


class Revocation(BaseModel):
    """RFC 7009 §2.1: the token to revoke; the hint is optional, and every token type is looked up anyway."""

    token: str = Filled
    token_type_hint: str | None = None


class OAuthTokens(BaseModel):
    """RFC 6749 §5.1; a refresh grant answers without a new refresh token."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int
    refresh_token: str | None = None


class OAuthErrorOut(BaseModel):
    """RFC 6749 §5.2."""

    model_config = ConfigDict(title="OAuthError")

    error: str
    error_description: str


class ServerMetadata(BaseModel):
    """RFC 8414 §2: what this authorization server does, and where."""

    issuer: str
    token_endpoint: str
    revocation_endpoint: str
    jwks_uri: str
    grant_types_supported: list[str]
    response_types_supported: list[str]
    token_endpoint_auth_methods_supported: list[str]
    revocation_endpoint_auth_methods_supported: list[str]
    service_documentation: str


class PublicJwk(BaseModel):
    """An RSA public key (RFC 7517); the model has no private member, so none can ever be published."""

    kty: Literal["RSA"]
    use: Literal["sig"]
    alg: Literal["RS256"]
    kid: str
    n: str
    e: str


class KeySet(BaseModel):
    keys: list[PublicJwk]


class OAuthProblem(ApiError):
    """An RFC 6749 §5.2 error, as Authlib states it."""

    def __init__(self, problem: OAuth2Error) -> None:
        super().__init__(problem.description, status_code=problem.status_code)
        self.problem = problem


def invalid_request(description: str) -> OAuthProblem:
    return OAuthProblem(InvalidRequestError(description))


def parse_grant(parameters: dict[str, Any]) -> PasswordGrant | RefreshGrant:
    """The grant the parameters ask for; a missing or empty parameter is invalid_request, another grant
    type unsupported_grant_type."""
    grant_type = parameters.get("grant_type")
    if not grant_type:
        raise invalid_request("grant_type is missing")
    if grant_type not in GRANTS:
        # Never the client's own words: an error description is limited to printable ASCII (§5.2).
        raise OAuthProblem(OAuth2Error(UNSUPPORTED, error=UnsupportedGrantTypeError.error))
    return parse(GRANTS[grant_type], parameters)


def parse(model: type[Model], parameters: dict[str, Any]) -> Model:
    """The parameters as `model`; invalid_request naming each missing or empty one."""
    try:
        return validate(model, parameters)
    except ValidationFailed as failed:
        raise invalid_request(_described(failed)) from None


def token_answer(access_token: str, lifetime: timedelta, refresh_token: str | None = None) -> dict[str, Any]:
    answer = OAuthTokens(
        access_token=access_token, expires_in=int(lifetime.total_seconds()), refresh_token=refresh_token
    )
    return answer.model_dump(exclude_none=True)


def form_body(*models: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI requestBody of an OAuth endpoint: form parameters only, as RFC 6749 requires."""
    schemas = [model.model_json_schema() for model in models]
    schema = schemas[0] if len(schemas) == 1 else {"oneOf": schemas}
    return {"requestBody": {"required": True, "content": {FORM: {"schema": schema}}}}


def render_error(error: ApiError) -> tuple[dict[str, Any], int]:
    """RFC 6749 §5.2's envelope for every answer that is not a success; what the RFC has no code for (a
    405, a 429, a 503) is invalid_request when the client is at fault, else server_error, described by its
    status alone."""
    status = error.status_code
    if isinstance(error, OAuthProblem):
        return {"error": error.problem.error, "error_description": error.problem.description}, status
    description = HTTP_STATUS_CODES.get(status, "Error")
    return {"error": "server_error" if status >= 500 else "invalid_request", "error_description": description}, status


def _described(failed: ValidationFailed) -> str:
    return "; ".join(f"{field}: {problem}" for field, problem in failed.problems)
