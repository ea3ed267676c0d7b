"""The review profiles and the shared identity: the CLI makes them (Clarification 1), seed-demo fills them,
and deleting an account (account API) takes its profile along."""

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from apiary.commands import DEMO_PASSWORD
from apiary.core.extensions import db
from apiary.core.identity import User
from apiary.review.models import Coder, Mentor, Snippet
from tests.review.helpers import add_coder, add_mentor, add_snippet, mentor_of, review_state
from tests.support import PASSWORD, bearer, row_count


@pytest.mark.parametrize(("role", "model", "usertype"), [("mentor", Mentor, "Mentor"), ("coder", Coder, "Coder")])
def test_create_user_with_a_review_role_makes_the_profile(
    app: Flask, client: FlaskClient, role: str, model: type, usertype: str
) -> None:
    result = app.test_cli_runner().invoke(args=["create-user", "carol", "--password", "pw-carol", "--role", role])

    assert result.exit_code == 0, result.output
    profile = db.session.scalar(sa.select(model))
    assert profile.username == "carol"
    assert profile.user_id == db.session.scalar(sa.select(User.id).where(User.username == "carol"))
    token = client.post("/auth/login", json={"username": "carol", "password": "pw-carol"}).get_json()
    info = client.get("/userinfo/carol", headers=bearer(token["data"]["access_token"])).get_json()
    assert (info["usertype"], info["user_id"]) == (usertype, profile.id)


@pytest.mark.parametrize(
    ("username", "complaint"),
    [("taken", "username or email is already in use."), ("x" * 25, "username must be at most 24 characters")],
)
def test_create_user_refuses_a_review_user_it_cannot_make(app: Flask, username: str, complaint: str) -> None:
    add_coder("taken")
    before = review_state()

    result = app.test_cli_runner().invoke(args=["create-user", username, "--password", "pw-1", "--role", "mentor"])

    assert result.exit_code == 2
    assert complaint in result.output
    assert review_state() == before


def test_create_user_without_a_review_role_makes_no_profile(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["create-user", "dave", "--password", "pw-dave", "--role", "admin"])

    assert result.exit_code == 0
    assert (row_count(Mentor), row_count(Coder)) == (0, 0)


def test_seed_demo_gives_the_demo_coder_a_mentor_and_snippets_once(app: Flask, client: FlaskClient) -> None:
    runner = app.test_cli_runner()

    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "review: 3 demo snippets added" in first.output
    mentor = db.session.scalar(sa.select(Mentor).where(Mentor.username == "demo-mentor"))
    coder = db.session.scalar(sa.select(Coder).where(Coder.username == "demo-coder"))
    assert coder.mentor_id == mentor.id
    assert [s.needs_review for s in db.session.scalars(sa.select(Snippet).order_by(Snippet.id))] == [True, False, True]

    second = runner.invoke(args=["seed-demo"])
    assert "review: 0 demo snippets added" in second.output
    assert row_count(Snippet) == 3

    login = client.post("/auth/login", json={"username": "demo-mentor", "password": DEMO_PASSWORD}).get_json()
    headers = bearer(login["data"]["access_token"])
    info = client.get("/userinfo/demo-mentor", headers=headers).get_json()
    assert [len(c["snippets"]) for c in info["coders"]] == [2]
    # A second demo coder waits for a mentor, so the available list shows somebody.
    available = client.get("/coders/available", headers=headers).get_json()["coders"]
    assert [(c["username"], c["snippets"]) for c in available] == [("demo-coder-2", [])]
    assert row_count(Coder) == 2


def test_mentors_and_coders_sign_up_after_generated_ones(app: Flask, client: FlaskClient) -> None:
    """Generated profiles take the ids the database gives, so the next sign-up (a demo mentor came first
    here) gets one of its own instead of a clash that reads as a taken username."""
    runner = app.test_cli_runner()
    seeded = runner.invoke(args=["seed-demo", "--mentors", "2", "--coders-per-mentor", "2"])
    assert seeded.exit_code == 0, seeded.output
    mentors, coders = row_count(Mentor), row_count(Coder)

    for username, usertype in (("ada", "mentor"), ("cat", "coder")):
        signup = client.post("/signup", json={"username": username, "usertype": usertype, "password": PASSWORD})
        assert signup.status_code == 200, signup.get_json()
    created = runner.invoke(args=["create-user", "bob", "--password", PASSWORD, "--role", "mentor"])

    assert created.exit_code == 0, created.output
    assert (row_count(Mentor), row_count(Coder)) == (mentors + 2, coders + 1)


def test_deleting_a_coders_account_deletes_its_profile_and_snippets(client: FlaskClient) -> None:
    mentor = add_mentor("mentor1")
    coder, other = add_coder("coder1", mentor), add_coder("coder2", mentor)
    add_snippet(coder)
    kept = add_snippet(other)

    response = client.delete("/account", headers=coder.headers())

    assert response.status_code == 201
    assert db.session.scalars(sa.select(Coder.username)).all() == ["coder2"]
    assert db.session.scalars(sa.select(Snippet.id)).all() == [kept]


def test_deleting_a_mentors_account_makes_its_coders_available(client: FlaskClient) -> None:
    mentor = add_mentor("mentor1")
    coder = add_coder("coder1", mentor)

    assert client.delete("/account", headers=mentor.headers()).status_code == 201

    assert row_count(Mentor) == 0
    assert mentor_of(coder) is None
    available = client.get("/coders/available", headers=add_mentor("mentor2").headers()).get_json()["coders"]
    assert [c["username"] for c in available] == ["coder1"]
