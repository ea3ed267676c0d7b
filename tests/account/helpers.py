"""Small helpers shared by the account API tests."""

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from apiary.core.extensions import db
from apiary.core.identity import Token, TokenType, User
from apiary.core.tokens import record_token, token_claims
from tests.conftest import (
    PASSWORD,
)

BAD_REQUEST = {"status": "fail", "message": "bad request"}
NOT_FOUND = {"status": "error", "message": "not Found"}
BAD_CREDENTIALS = {"status": "fail", "message": "Username or Password not valid"}
REVOKED = {"msg": "Token has been revoked"}


def claims_of(token: str) -> dict[str, Any]:
    """The token's claims, read without checking the signature."""
    return jwt.decode(token, options={"verify_signature": False})


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> TestResponse:
    return client.post("/auth/login", json={"username": username, "password": password})


def login_tokens(client: FlaskClient, username: str, password: str = PASSWORD) -> tuple[str, str]:
    """The access and refresh tokens of a successful username login."""
    response = login(client, username, password)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["data"]
    return data["access_token"], data["refresh_token"]


def user_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def token_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Token))


def token_row(token: str) -> Token:
    """The token-store row of an issued token."""
    row = db.session.scalar(sa.select(Token).where(Token.jti == claims_of(token)["jti"]))
    assert row is not None
    return row


def own_token(
    app: Flask,
    user: User,
    *,
    token_type: TokenType = TokenType.ACCESS,
    lifetime: timedelta = timedelta(minutes=15),
    stored: bool = True,
) -> str:
    """A token with the claim set Apiary issues, signed with the app's key; recorded only if `stored`."""
    now = datetime.now(UTC)
    issued = min(now, now + lifetime) - timedelta(seconds=1)  # an already-expired token was issued earlier
    claims = token_claims(user, token_type, issued_at=issued, expires_at=now + lifetime)
    if stored:
        record_token(user, claims)
        db.session.commit()
    return app.extensions["apiary.tokens"].encode(claims)
