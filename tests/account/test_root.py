"""GET / (Decision 1), the health check, and answers for URLs and methods no route serves (C6)."""

import pytest
from flask.testing import FlaskClient

from tests.account.helpers import (
    NOT_FOUND,
)
from tests.support import make_app

WELCOME = {"success": True, "message": "welcome to funcster."}
SERVER_TEXT = b"The server is runing!"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
AUTH_ENDPOINT = "https://example.test/authorize"


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_root_answers_json_welcome_by_default(client: FlaskClient, accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}

    response = client.get("/", headers=headers)

    assert response.status_code == 200
    assert response.get_json() == WELCOME


@pytest.mark.parametrize("accept", ["text/plain", "text/html"])
def test_root_answers_account_text_to_text_clients(client: FlaskClient, accept: str) -> None:
    response = client.get("/", headers={"Accept": accept})

    assert response.status_code == 200
    assert response.mimetype == accept
    assert response.data == SERVER_TEXT


def test_root_without_auth_endpoint_answers_browsers_with_text(client: FlaskClient) -> None:
    response = client.get("/", headers={"Accept": BROWSER_ACCEPT})

    assert response.status_code == 200
    assert response.data == SERVER_TEXT


def test_root_redirects_browsers_to_configured_auth_endpoint() -> None:
    client = make_app(database_url="sqlite://", auth_endpoint=AUTH_ENDPOINT).test_client()

    response = client.get("/", headers={"Accept": BROWSER_ACCEPT})

    assert response.status_code == 302
    assert response.headers["Location"] == AUTH_ENDPOINT


@pytest.mark.parametrize("accept", [None, "application/json"])
def test_root_with_auth_endpoint_still_answers_json_clients(accept: str | None) -> None:
    client = make_app(database_url="sqlite://", auth_endpoint=AUTH_ENDPOINT).test_client()

    response = client.get("/", headers={"Accept": accept} if accept else {})

    assert response.status_code == 200
    assert response.get_json() == WELCOME


def test_root_with_auth_endpoint_still_answers_plain_text_clients() -> None:
    client = make_app(database_url="sqlite://", auth_endpoint=AUTH_ENDPOINT).test_client()

    response = client.get("/", headers={"Accept": "text/plain"})

    assert response.status_code == 200
    assert response.data == SERVER_TEXT


def test_health_reports_ok(client: FlaskClient) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_unknown_url_answers_account_not_found(client: FlaskClient) -> None:
    response = client.get("/invalid-request")

    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


def test_wrong_method_answers_json_405_with_allow_header(client: FlaskClient) -> None:
    response = client.delete("/auth/login")

    assert response.status_code == 405
    assert response.is_json
    assert response.get_json()["status"] == "fail"
    assert "POST" in response.headers["Allow"]
