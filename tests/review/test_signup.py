"""POST /signup: a user and its mentor or coder profile, made in one transaction; its 400s and 409."""

from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from apiary.core.extensions import db
from apiary.core.identity import Role, User
from apiary.review import services
from apiary.review.models import Coder, Mentor
from tests.review.helpers import BAD_REQUEST, CONFLICT, add_coder, add_mentor, review_state
from tests.support import MakeUser, bearer, claims_of, row_count, sqlite_app


def signup(client: FlaskClient, **body: Any) -> Any:
    return client.post("/signup", json={"password": "pw-1", **body})


@pytest.mark.parametrize(
    ("usertype", "role", "model"),
    [
        ("coder", Role.CODER, Coder),
        ("mentor", Role.MENTOR, Mentor),
        ("Coder", Role.CODER, Coder),
        ("MENTOR", Role.MENTOR, Mentor),
    ],
)
def test_signup_creates_the_user_and_its_profile(client: FlaskClient, usertype: str, role: Role, model: type) -> None:
    response = signup(client, username="ada", usertype=usertype, email="ada@example.com")

    assert response.status_code == 200
    profile = db.session.scalar(sa.select(model).where(model.username == "ada"))
    assert response.get_json() == {
        "success": True,
        "message": "You have signed up successfully.",
        "user_id": profile.id,
    }
    user = db.session.get(User, profile.user_id)
    assert (user.username, user.email, user.role) == ("ada", "ada@example.com", role)
    assert "pw-1" not in user.password_hash and "pw-1" not in response.get_data(as_text=True)


def test_mentor_and_coder_ids_are_separate_sequences(client: FlaskClient) -> None:
    mentor = signup(client, username="mentor1", usertype="mentor").get_json()["user_id"]
    coder = signup(client, username="coder1", usertype="coder").get_json()["user_id"]
    second_coder = signup(client, username="coder2", usertype="coder").get_json()["user_id"]

    assert mentor == db.session.scalar(sa.select(Mentor.id))
    assert [coder, second_coder] == list(db.session.scalars(sa.select(Coder.id).order_by(Coder.id)))
    assert second_coder == coder + 1


def test_a_signed_up_user_logs_in_and_the_token_works_here(client: FlaskClient) -> None:
    signup(client, username="grace", usertype="coder")

    login = client.post("/auth/login", json={"username": "grace", "password": "pw-1"})
    token = login.get_json()["data"]["access_token"]

    assert claims_of(token)["permissions"] == sorted(
        ["add:mentor", "delete:snippet", "edit:snippet", "get:mentors", "get:snippets", "get:userinfo", "post:snippet"]
    )
    response = client.get("/userinfo/grace", headers=bearer(token))
    assert response.status_code == 200
    assert response.get_json()["usertype"] == "Coder"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"usertype": "coder", "password": "pw-1"},
        {"username": "", "usertype": "coder", "password": "pw-1"},
        {"username": "ada", "password": "pw-1"},
        {"username": "ada", "usertype": "", "password": "pw-1"},
        {"username": "ada", "usertype": "admin", "password": "pw-1"},
        {"username": "ada", "usertype": "Coders", "password": "pw-1"},
        {"username": "ada", "usertype": 1, "password": "pw-1"},
        {"username": "ada", "usertype": "coder"},
        {"username": "ada", "usertype": "coder", "password": ""},
        {"username": 7, "usertype": "coder", "password": "pw-1"},
        {"username": "a" * 25, "usertype": "coder", "password": "pw-1"},
        {"username": "ada", "usertype": "coder", "password": "pw-1", "email": 5},
    ],
    ids=[
        "empty body",
        "no username",
        "empty username",
        "no usertype",
        "empty usertype",
        "another role",
        "unknown usertype",
        "usertype not text",
        "no password",
        "empty password",
        "username not text",
        "username over 24 characters",
        "email not text",
    ],
)
def test_bad_signups_are_400_in_the_envelope_and_write_nothing(client: FlaskClient, body: dict[str, Any]) -> None:
    before = review_state()

    response = client.post("/signup", json=body)

    assert response.status_code == 400
    assert response.get_json() == BAD_REQUEST
    assert review_state() == before


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"data": "username=ada"},
        {"data": "[1]", "content_type": "application/json"},
        {"data": "{", "content_type": "application/json"},
    ],
)
def test_a_missing_or_malformed_body_is_400(client: FlaskClient, kwargs: dict[str, Any]) -> None:
    response = client.post("/signup", **kwargs)

    assert response.status_code == 400
    assert response.get_json() == BAD_REQUEST


@pytest.mark.parametrize(
    "body",
    [
        r'{"username": "\ud800", "usertype": "coder", "password": "pw-1"}',
        r'{"username": "ada", "usertype": "coder", "password": "pw\ud800-1"}',
    ],
    ids=["username", "password"],
)
def test_a_lone_surrogate_is_400_in_the_envelope(client: FlaskClient, body: str) -> None:
    """JSON's escape can name half a UTF-16 pair, which is no text any column can store."""
    before = review_state()

    response = client.post("/signup", data=body, content_type="application/json")

    assert response.get_json() == BAD_REQUEST
    assert review_state() == before


def test_a_24_character_username_is_accepted(client: FlaskClient) -> None:
    assert signup(client, username="a" * 24, usertype="mentor").status_code == 200


@pytest.mark.parametrize("usertype", ["coder", "mentor"])
def test_a_username_of_a_mentor_or_coder_is_409(client: FlaskClient, usertype: str) -> None:
    add_mentor("taken-mentor")
    add_coder("taken-coder")
    before = review_state()

    for name in ("taken-mentor", "taken-coder"):
        response = signup(client, username=name, usertype=usertype)
        assert response.status_code == 409
        assert response.get_json() == CONFLICT
    assert review_state() == before


@pytest.mark.parametrize("usertype", ["coder", "mentor"])
def test_a_username_of_a_generated_mentor_or_coder_is_409(client: FlaskClient, usertype: str) -> None:
    """Generated profiles have no account: the profile tables are checked too, or a new user would shadow one."""
    sum(services.generate_mentors(1, coders_per_mentor=1, snippets_per_coder=0))
    names = [db.session.scalar(sa.select(model.username)) for model in (Mentor, Coder)]
    before = review_state()

    for name in names:
        response = signup(client, username=name, usertype=usertype)
        assert response.get_json() == CONFLICT
    assert review_state() == before


def test_a_username_taken_anywhere_in_apiary_is_409(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("storekeeper", role=Role.ADMIN)
    before = review_state()

    response = signup(client, username="storekeeper", usertype="coder")

    assert response.status_code == 409
    assert response.get_json() == CONFLICT
    assert review_state() == before


def test_a_taken_email_is_409_too(client: FlaskClient, make_user: MakeUser) -> None:
    make_user("someone", email="ada@example.com")
    before = review_state()

    response = signup(client, username="ada", usertype="coder", email="ada@example.com")

    assert response.get_json() == CONFLICT
    assert review_state() == before


def test_a_blank_email_is_left_out(client: FlaskClient) -> None:
    for name in ("ada", "bob"):
        assert signup(client, username=name, usertype="coder", email="").status_code == 200

    assert db.session.scalars(sa.select(User.email)).all() == [None, None]


def test_missing_fields_are_400_before_a_taken_username_is_409(client: FlaskClient) -> None:
    add_coder("taken")

    assert client.post("/signup", json={"username": "taken", "usertype": "coder"}).get_json() == BAD_REQUEST


def test_the_fourth_signup_in_a_minute_is_429_in_the_envelope() -> None:
    with sqlite_app(ratelimit_enabled=True, ratelimit_auth="3 per minute") as app:
        client = app.test_client()
        statuses = [client.post("/signup", json={}).status_code for _ in range(3)]
        response = client.post("/signup", json={"username": "ada", "usertype": "coder", "password": "pw-1"})

        assert statuses == [400, 400, 400]
        assert response.status_code == 429
        assert response.get_json() == {"success": False, "error": 429, "message": "too many requests"}
        assert row_count(Coder) == 0
