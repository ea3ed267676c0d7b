"""A browser's CORS preflight of a guarded route is answered without a token, as Flask-Cors answered the
originals' (a refused preflight stops the browser from sending the real request at all)."""

import pytest
from flask.testing import FlaskClient

GUARDED = [
    ("GET", "/account"),
    ("GET", "/coders"),
    ("PATCH", "/snippet/1"),
    ("POST", "/categories"),
    ("POST", "/articles/new"),
    ("GET", "/bucketlists/"),
]
ORIGIN = "https://front-end.example"


@pytest.mark.parametrize(("method", "path"), GUARDED)
def test_the_preflight_of_a_guarded_route_is_allowed(client: FlaskClient, method: str, path: str) -> None:
    response = client.options(
        path,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] in ("*", ORIGIN)
    assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()
    assert method in response.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize(("method", "path"), GUARDED)
def test_the_request_itself_still_needs_its_token(client: FlaskClient, method: str, path: str) -> None:
    assert client.open(path, method=method, json={}, headers={"Origin": ORIGIN}).status_code == 401
