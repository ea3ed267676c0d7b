"""Small helpers shared by the account API tests."""

import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from apiary.core.extensions import db
from apiary.core.identity import Token, User
from tests.support import PASSWORD, claims_of, row_count

BAD_REQUEST = {"status": "fail", "message": "bad request"}
NOT_FOUND = {"status": "error", "message": "not Found"}
BAD_CREDENTIALS = {"status": "fail", "message": "Username or Password not valid"}
REVOKED = {"msg": "Token has been revoked"}


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> TestResponse:
    return client.post("/auth/login", json={"username": username, "password": password})


def login_tokens(client: FlaskClient, username: str, password: str = PASSWORD) -> tuple[str, str]:
    """The access and refresh tokens of a successful username login."""
    response = login(client, username, password)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["data"]
    return data["access_token"], data["refresh_token"]


def user_count() -> int:
    return row_count(User)


def token_count() -> int:
    return row_count(Token)


def token_row(token: str) -> Token:
    """The token-store row of an issued token."""
    row = db.session.scalar(sa.select(Token).where(Token.jti == claims_of(token)["jti"]))
    assert row is not None
    return row
