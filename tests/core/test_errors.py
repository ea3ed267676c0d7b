"""One error machinery: every failure answers in the owning API's envelope, and nothing half-written stays."""

import pytest
from flask import Flask
from structlog.testing import capture_logs

from apiary.core.extensions import db
from apiary.core.identity import User
from apiary.core.users import create_user
from tests.support import row_count


def _add_failing_route(app: Flask, rule: str) -> None:
    """A route that writes a user and then fails, as a bug would."""

    def fail_halfway() -> str:
        create_user(username="half-written", email=None, password="pw")
        db.session.flush()
        raise RuntimeError("secret internals")

    app.add_url_rule(rule, view_func=fail_halfway, methods=["POST"])


@pytest.mark.parametrize(
    ("rule", "body"),
    [
        ("/boom", {"status": "error", "message": "internal server error"}),
        ("/categories/boom", {"success": False, "error": 500, "message": "internal server error"}),
    ],
)
def test_an_unexpected_error_is_a_logged_500_without_traceback_or_leftovers(app, client, rule, body) -> None:
    _add_failing_route(app, rule)
    with capture_logs() as logs:
        response = client.post(rule)
    assert response.status_code == 500
    assert response.json == body
    assert b"secret internals" not in response.data and b"Traceback" not in response.data
    assert any(entry["event"] == "unhandled_error" and entry["log_level"] == "error" for entry in logs)
    assert row_count(User) == 0


@pytest.mark.parametrize(
    ("method", "path", "status", "body"),
    [
        ("GET", "/products/", 404, {"success": False, "error": 404, "message": "resource not found"}),
        ("GET", "/categories/x/y", 404, {"success": False, "error": 404, "message": "resource not found"}),
        ("GET", "/welcome/x", 404, {"success": False, "error": 404, "message": "resource not found"}),
        ("PUT", "/products/2", 405, {"success": False, "error": 405, "message": "method not allowed"}),
        ("GET", "/invalid-request", 404, {"status": "error", "message": "not Found"}),
        ("GET", "/auth/nothing", 404, {"status": "error", "message": "not Found"}),
        ("GET", "/productsx", 404, {"status": "error", "message": "not Found"}),
        ("DELETE", "/account/", 404, {"status": "error", "message": "not Found"}),
        ("GET", "/auth/login", 405, {"status": "fail", "message": "method not allowed"}),
    ],
)
def test_unrouted_requests_answer_in_the_envelope_of_their_path(client, method, path, status, body) -> None:
    response = client.open(path, method=method)
    assert (response.status_code, response.json) == (status, body)


def test_405_keeps_the_allow_header(client) -> None:
    response = client.put("/products/2")
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "PATCH", "DELETE"}


def test_a_body_over_the_limit_is_413_in_the_envelope(client) -> None:
    response = client.post("/auth/login", data="x" * (1024 * 1024 + 1), content_type="application/json")
    assert response.status_code == 413
    assert response.json == {"status": "fail", "message": "request entity too large"}


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", None])
def test_a_json_route_answers_400_never_415_for_another_content_type(client, content_type) -> None:
    response = client.post("/auth/login", data="username=bob", content_type=content_type)
    assert (response.status_code, response.json) == (400, {"status": "fail", "message": "bad request"})


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/products/2147483648", {"success": False, "error": 404, "message": "resource not found"}),
        (
            "GET",
            "/categories/99999999999999999999/products",
            {"success": False, "error": 404, "message": "resource not found"},
        ),
    ],
)
def test_an_id_too_large_for_any_row_is_not_found(client, method, path, body) -> None:
    response = client.open(path, method=method)
    assert (response.status_code, response.json) == (404, body)


@pytest.mark.parametrize(
    ("path", "payload", "status", "body"),
    [
        (
            "/auth/register",
            {"username": "nul\x00name", "password": "pw1"},
            400,
            {"status": "fail", "message": "bad request"},
        ),
        # The email dialect is recognised by the field names alone, so the refusal is in its envelope.
        ("/auth/login", {"email": "a@b.c", "password": "p\x00w"}, 400, {"message": "Bad Request"}),
    ],
)
def test_text_with_a_nul_character_is_a_bad_request(client, path, payload, status, body) -> None:
    response = client.post(path, json=payload)
    assert (response.status_code, response.json) == (status, body)
