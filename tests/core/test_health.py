"""GET /health says whether the database answers."""

import pytest

from tests.support import make_app


def test_health_is_ok_when_the_database_answers(client) -> None:
    assert (client.get("/health").status_code, client.get("/health").json) == (200, {"status": "ok"})


@pytest.mark.parametrize(
    "unreachable_url",
    [
        "sqlite:////nonexistent-directory/apiary.db",
        "postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2",
    ],
)
def test_health_is_503_when_the_database_does_not_answer(unreachable_url: str) -> None:
    app = make_app(database_url=unreachable_url)
    response = app.test_client().get("/health")
    assert (response.status_code, response.json) == (503, {"status": "unavailable"})
    with app.app_context():
        from apiary.core.extensions import db

        db.engine.dispose()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/products", {"success": False, "error": 503, "message": "service unavailable"}),
        ("/auth/login", {"status": "error", "message": "service unavailable"}),
    ],
)
def test_a_request_while_the_database_is_unreachable_is_503_in_the_apis_dialect(
    path: str, body: dict[str, object]
) -> None:
    app = make_app(database_url="postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    method = "POST" if path == "/auth/login" else "GET"
    response = app.test_client().open(path, method=method, json={"username": "bob", "password": "secret"})

    assert (response.status_code, response.json) == (503, body)
    assert response.headers["Retry-After"] == "2"
    with app.app_context():
        from apiary.core.extensions import db

        db.engine.dispose()
