"""Security headers on every response, and Prometheus metrics at /metrics."""

import re

import pytest
from flask.testing import FlaskClient

from tests.support import make_app


@pytest.mark.parametrize("path", ["/health", "/products", "/no-such-path"])
def test_every_answer_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


def test_the_docs_page_may_run_exactly_its_own_inline_script(client: FlaskClient) -> None:
    response = client.get("/docs")
    policy = response.headers["Content-Security-Policy"]

    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/=]+';", policy)
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_metrics_count_requests_per_endpoint_and_status(client: FlaskClient) -> None:
    for _ in range(3):
        client.get("/health")
    client.get("/products/999")

    metrics = client.get("/metrics").get_data(as_text=True)

    assert (
        'flask_http_request_duration_seconds_count{endpoint="shared.health",method="GET",status="200"} 3.0' in metrics
    )
    assert (
        'flask_http_request_duration_seconds_count{endpoint="store.get_product",method="GET",status="404"} 1.0'
        in metrics
    )


def test_each_app_has_metrics_of_its_own() -> None:
    first, second = make_app(database_url="sqlite://"), make_app(database_url="sqlite://")
    first.test_client().get("/health")

    assert 'endpoint="shared.health"' not in second.test_client().get("/metrics").get_data(as_text=True)
