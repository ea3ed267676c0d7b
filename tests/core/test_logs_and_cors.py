"""Request ids in logs and responses, and CORS for browser clients."""

import structlog
from structlog.testing import capture_logs

from tests.support import make_app


def test_each_request_is_logged_once_under_its_id(client) -> None:
    with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
        response = client.get("/products")
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    assert [entry for entry in logs if entry["event"] == "request"] == [
        {
            "event": "request",
            "log_level": "info",
            "method": "GET",
            "path": "/products",
            "status": 200,
            "request_id": request_id,
            "duration_ms": logs[0]["duration_ms"],
        }
    ]


def test_a_proxys_request_id_is_kept(client) -> None:
    assert client.get("/health", headers={"X-Request-ID": "edge-42"}).headers["X-Request-ID"] == "edge-42"


def test_browsers_of_any_origin_may_call_by_default(client) -> None:
    response = client.get("/products", headers={"Origin": "https://shop.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://shop.example"


def test_cors_origins_can_be_restricted() -> None:
    client = make_app(database_url="sqlite://", cors_origins=["https://shop.example"]).test_client()
    preflight = {"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"}
    assert "Access-Control-Allow-Origin" not in client.options("/auth/login", headers=preflight).headers
    allowed = client.options("/auth/login", headers={**preflight, "Origin": "https://shop.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://shop.example"
