"""OAuth test helpers: key pairs made by `apiary keys generate`, and the endpoints' requests."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from click.testing import CliRunner
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from apiary.commands import keys
from tests.support import PASSWORD, TEST_CONFIG, claims_of

TOKEN = "/oauth/token"
REVOKE = "/oauth/revoke"
METADATA = "/.well-known/oauth-authorization-server"
JWKS = "/.well-known/jwks.json"
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

# A guarded route of each API; a mentor may call every one but the store's, which answers 403 (the token
# was accepted, the permission is missing) where a refused token is 401.
EVERY_API = [
    ("get", "/account", 200),
    ("get", "/bucketlists/", 200),
    ("post", "/verify-token", 200),
    ("get", "/coders", 200),
    ("post", "/categories", 403),
]


def assert_oauth_error(answer: TestResponse, error: str) -> None:
    assert answer.status_code == 400, answer.json
    assert set(answer.json) == {"error", "error_description"}
    assert answer.json["error"] == error
    assert answer.json["error_description"]
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Pragma"] == "no-cache"


@dataclass(frozen=True)
class KeyPair:
    private: Path
    public: Path
    output: str  # what the command printed

    def signing(self, *retired: "KeyPair") -> dict[str, Any]:
        """The settings of an app that signs with this key and still accepts the `retired` ones' tokens."""
        return {
            "jwt_algorithm": "RS256",
            "jwt_private_key_file": self.private,
            "jwt_public_key_file": self.public,
            "jwt_retired_public_key_files": [key.public for key in retired],
        }


def generate_key_pair(directory: Path) -> KeyPair:
    result = CliRunner().invoke(keys, ["generate", str(directory)])
    assert result.exit_code == 0, result.output
    return KeyPair(directory / "private.pem", directory / "public.pem", result.output)


def password_grant(client: FlaskClient, username: str = "user", password: str = PASSWORD) -> TestResponse:
    return client.post(TOKEN, data={"grant_type": "password", "username": username, "password": password})


def token_pair(client: FlaskClient, username: str = "user") -> tuple[str, str]:
    """The access and refresh token of a successful password grant."""
    answer = password_grant(client, username)
    assert answer.status_code == 200, answer.json
    return answer.json["access_token"], answer.json["refresh_token"]


def without_claims(token: str, *names: str) -> str:
    """An HS256 test token re-signed with the right key and kid but without the claims `names`, as tokens
    issued before iss and aud were added."""
    claims = {name: value for name, value in claims_of(token).items() if name not in names}
    kid = jwt.get_unverified_header(token)["kid"]
    return jwt.encode(claims, TEST_CONFIG["secret_key"], algorithm="HS256", headers={"kid": kid})
