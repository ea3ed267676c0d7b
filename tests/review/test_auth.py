"""The review API's 401 table for Apiary's own tokens (spec 001, C14), and the check order 401 -> 403 -> body."""

from datetime import timedelta
from typing import Any

import jwt
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from apiary.core.extensions import db
from apiary.core.identity import Role, Token, TokenType
from tests.review.helpers import (
    BAD_REQUEST,
    FORBIDDEN,
    NO_HEADER,
    NOT_FOUND,
    UNPARSABLE,
    add_coder,
    add_mentor,
    envelope,
    review_state,
)
from tests.store.helpers import Provider
from tests.support import MakeUser, bearer, claims_of, own_token

OTHER_SECRET = "another-secret-key-that-is-long-enough-9876543210"


@pytest.fixture
def mentor_token() -> str:
    return own_token(add_mentor("mentor1").user)


def test_no_authorization_header_is_401(client: FlaskClient) -> None:
    response = client.get("/coders")

    assert response.status_code == 401
    assert response.get_json() == NO_HEADER


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Token {token}", "Authorization header must start with Bearer"),
        ("{token}", "Authorization header must start with Bearer"),
        ("Bearer: {token}", "Authorization header must start with Bearer"),
        ("Bearer", "Token not found"),
        ("bearer", "Token not found"),
        ("Bearer {token} extra", "Authorization header must be Bearer token"),
        ("Bearer {token} {token} {token}", "Authorization header must be Bearer token"),
        ("Bearer abc.def.ghi", "Invalid header. Use an RS256 signed JWT Access Token"),
        ("Bearer not-a-jwt", "Invalid header. Use an RS256 signed JWT Access Token"),
    ],
    ids=[
        "other scheme",
        "token only",
        "scheme with colon",
        "scheme only",
        "lower-case scheme only",
        "three words",
        "four words",
        "undecodable header",
        "not a jwt",
    ],
)
def test_header_table(client: FlaskClient, mentor_token: str, header: str, message: str) -> None:
    response = client.get("/coders", headers={"Authorization": header.format(token=mentor_token)})

    assert response.status_code == 401
    assert response.get_json() == envelope(401, message)


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER", "beArer"])
def test_bearer_is_case_insensitive(client: FlaskClient, mentor_token: str, scheme: str) -> None:
    response = client.get("/coders", headers={"Authorization": f"{scheme} {mentor_token}"})

    assert response.status_code == 200


def test_an_expired_token_is_401_token_is_expired(client: FlaskClient) -> None:
    token = own_token(add_mentor("mentor1").user, lifetime=timedelta(minutes=-1))

    assert client.get("/coders", headers=bearer(token)).get_json() == envelope(401, "token is expired")


@pytest.mark.parametrize("kid", ["same", "other"])
def test_a_token_signed_with_another_key_is_401_unparsable(client: FlaskClient, mentor_token: str, kid: str) -> None:
    own_kid = jwt.get_unverified_header(mentor_token)["kid"]
    forged = jwt.encode(
        claims_of(mentor_token), OTHER_SECRET, algorithm="HS256", headers={"kid": own_kid if kid == "same" else kid}
    )

    assert client.get("/coders", headers=bearer(forged)).get_json() == UNPARSABLE


def test_a_revoked_token_is_401(client: FlaskClient, mentor_token: str) -> None:
    db.session.execute(sa.update(Token).values(revoked=True))
    db.session.commit()

    assert client.get("/coders", headers=bearer(mentor_token)).get_json() == envelope(401, "token has been revoked")


def test_a_token_never_recorded_is_401_revoked(client: FlaskClient) -> None:
    token = own_token(add_mentor("mentor1").user, stored=False)

    assert client.get("/coders", headers=bearer(token)).get_json() == envelope(401, "token has been revoked")


def test_a_refresh_token_is_401(client: FlaskClient) -> None:
    token = own_token(add_mentor("mentor1").user, TokenType.REFRESH)

    assert client.get("/coders", headers=bearer(token)).get_json() == envelope(401, "token is not an access token")


def test_a_token_of_an_hs256_issuer_is_accepted(app: Flask, client: FlaskClient, mentor_token: str) -> None:
    """Decision 5: Apiary's own HS256 tokens work here; the original's RS256-only rule is dropped."""
    assert jwt.get_unverified_header(mentor_token)["alg"] == "HS256"
    assert client.get("/coders", headers=bearer(mentor_token)).status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"), [(Role.MENTOR, 200), (Role.CODER, 403), (Role.ADMIN, 403), (Role.CUSTOMER, 403), (None, 403)]
)
def test_permissions_come_from_the_role(
    client: FlaskClient, make_user: MakeUser, role: Role | None, expected: int
) -> None:
    response = client.get("/coders", headers=bearer(own_token(make_user("someone", role=role))))

    assert response.status_code == expected


def test_a_role_change_takes_effect_on_the_next_request(client: FlaskClient, mentor_token: str) -> None:
    from apiary.core.identity import User

    db.session.execute(sa.update(User).values(role=Role.CODER))
    db.session.commit()

    assert client.get("/coders", headers=bearer(mentor_token)).get_json() == FORBIDDEN


# --- an external provider's tokens (the app trusts the provider in the tests that use it) -----------------


@pytest.mark.parametrize(
    "claims",
    [{"aud": "another-api"}, {"aud": ["another-api"]}, {"iss": "https://elsewhere.test/"}],
    ids=["other audience", "other audience list", "other issuer"],
)
def test_an_external_token_for_another_audience_or_issuer_is_401(
    client: FlaskClient, provider: Provider, claims: dict[str, Any]
) -> None:
    token = provider.token(permissions=["get:coders"], **claims)

    response = client.get("/coders", headers=bearer(token))

    assert response.get_json() == envelope(401, "incorrect claims, please check the audience and issuer")


@pytest.mark.parametrize("kid", ["unpublished-key", None], ids=["unknown kid", "no kid"])
def test_an_external_token_of_no_published_key_is_401(client: FlaskClient, provider: Provider, kid: str | None) -> None:
    response = client.get("/coders", headers=bearer(provider.token(permissions=["get:coders"], kid=kid)))

    assert response.get_json() == envelope(401, "Unable to find appropriate key")


# --- check order: token (401), then permission (403), then body and lookups ------------------------------


def test_a_missing_token_is_401_before_a_bad_body_or_a_missing_row(client: FlaskClient) -> None:
    for response in (
        client.patch("/coder/999/mentor", data="not json"),
        client.post("/snippet", json={}),
        client.delete("/snippet/999"),
        client.patch("/snippet/999", json={"name": ""}),
        client.get("/userinfo/nobody"),
    ):
        assert response.get_json() == NO_HEADER


def test_a_missing_permission_is_403_before_a_bad_body_or_a_missing_row(client: FlaskClient, mentor_token: str) -> None:
    headers = bearer(mentor_token)
    before = review_state()

    for response in (
        client.patch("/coder/999/mentor", data="not json", headers=headers),
        client.post("/snippet", json={}, headers=headers),
        client.delete("/snippet/999", headers=headers),
        client.get("/mentors", headers=headers),
    ):
        assert response.get_json() == FORBIDDEN
    assert review_state() == before


def test_with_the_permission_the_body_is_checked_then_the_rows(client: FlaskClient) -> None:
    coder = add_coder("coder1")

    assert client.patch(f"/coder/{coder.id}/mentor", data="x", headers=coder.headers()).get_json() == BAD_REQUEST
    response = client.patch(f"/coder/{coder.id}/mentor", json={"mentorId": 999}, headers=coder.headers())
    assert response.get_json() == NOT_FOUND
