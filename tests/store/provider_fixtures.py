"""An external JWKS provider served on 127.0.0.1, and the settings that make the `app` fixture trust it."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from flask.testing import FlaskClient
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from tests.store.helpers import AUDIENCE, ISSUER, PROVIDER_EC_KID, PROVIDER_KID, Provider

JWKS_PATH = "/.well-known/jwks.json"


@pytest.fixture(scope="session")
def provider_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def stranger_key() -> rsa.RSAPrivateKey:
    """An RSA key the provider does not publish."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def provider(provider_key: rsa.RSAPrivateKey) -> Iterator[Provider]:
    """The provider's JWKS served over HTTP from a daemon thread, shut down at the end."""
    jwk = RSAAlgorithm.to_jwk(provider_key.public_key(), as_dict=True) | {"kid": PROVIDER_KID, "alg": "RS256"}
    # A key of another type, which an RS256 token may name.
    ec_jwk = ECAlgorithm.to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key(), as_dict=True) | {
        "kid": PROVIDER_EC_KID
    }
    body = json.dumps({"keys": [jwk, ec_jwk]}).encode()

    fetches: list[str] = []

    class JwksHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fetches.append(self.path)
            if self.path != JWKS_PATH:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), JwksHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}{JWKS_PATH}"
        yield Provider(key=provider_key, jwks_url=url, fetches=fetches)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def app_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    """A test that uses the provider gets an `app` (on each database, like every other) that trusts it."""
    if "provider" not in request.fixturenames:
        return {}
    trusted: Provider = request.getfixturevalue("provider")
    return {"jwt_jwks_url": trusted.jwks_url, "jwt_issuer": ISSUER, "jwt_audience": AUDIENCE}


@pytest.fixture
def jwks_client(client: FlaskClient, provider: Provider) -> FlaskClient:
    """A client of the `app` fixture's app, which trusts the provider since the test uses it."""
    return client
