"""Apiary keeps no cookie sessions: nothing reads or writes one, so no request pays for one."""

import pytest
from flask import Flask, session


def test_no_answer_sets_a_cookie(app: Flask) -> None:
    response = app.test_client().get("/health", headers={"Cookie": "session=forged.value"})

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_the_session_is_the_read_only_null_session(app: Flask) -> None:
    with app.test_request_context("/"):
        app.preprocess_request()
        with pytest.raises(RuntimeError, match="session is unavailable"):
            session["user"] = "someone"
