"""The review API's reads: /userinfo, /coders, /coders/available, /mentors, GET /snippet, and its 404s."""

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.review.helpers import (
    FORBIDDEN,
    NOT_FOUND,
    Member,
    add_coder,
    add_mentor,
    add_snippet,
    snippet_row,
)


class Fixture:
    """Mentors 1-3 and coders as in the original's fixture dump: coder1 with mentor3, coder2 and coder3 with
    mentor1, coder4 without a mentor."""

    def __init__(self) -> None:
        self.mentor1, self.mentor2, self.mentor3 = add_mentor("mentor1"), add_mentor("mentor2"), add_mentor("mentor3")
        self.coder1 = add_coder("coder1", self.mentor3)
        self.coder2 = add_coder("coder2", self.mentor1)
        self.coder3 = add_coder("coder3", self.mentor1)
        self.coder4 = add_coder("coder4")
        self.bird = add_snippet(self.coder1, "Add a bird", needs_review=True)
        self.hello = add_snippet(self.coder1, "Hello", code="print('hello')", comments="Fine")
        self.adasd = add_snippet(self.coder2, "adasd", code="x = 1", needs_review=True, comments="Not bad")
        self.done = add_snippet(self.coder2, "done", code="y = 2")


@pytest.fixture
def world(app: Any) -> Fixture:
    return Fixture()


def snippets(*ids: int) -> list[dict[str, Any]]:
    return [snippet_row(i) for i in ids]


def coder_body(coder: Member, mentor: Member | None, *snippet_ids: int) -> dict[str, Any]:
    return {
        "id": coder.id,
        "username": coder.username,
        "snippets": snippets(*snippet_ids),
        "mentor_id": mentor.id if mentor else None,
    }


# --- /userinfo/<username> ---------------------------------------------------------------------------


def test_userinfo_of_a_coder_names_its_mentor_and_every_snippet(client: FlaskClient, world: Fixture) -> None:
    response = client.get("/userinfo/coder1", headers=world.mentor2.headers())

    assert response.status_code == 200
    assert response.get_json() == {
        "success": True,
        "user_id": world.coder1.id,
        "usertype": "Coder",
        "mentor": "mentor3",
        "snippets": snippets(world.bird, world.hello),
    }


def test_userinfo_of_a_coder_without_mentor_or_snippets(client: FlaskClient, world: Fixture) -> None:
    response = client.get("/userinfo/coder4", headers=world.coder4.headers())

    assert response.get_json() == {
        "success": True,
        "user_id": world.coder4.id,
        "usertype": "Coder",
        "mentor": None,
        "snippets": [],
    }


def test_userinfo_of_a_mentor_lists_its_coders_with_only_the_snippets_to_review(
    client: FlaskClient, world: Fixture
) -> None:
    response = client.get("/userinfo/mentor1", headers=world.coder1.headers())

    assert response.status_code == 200
    assert response.get_json() == {
        "success": True,
        "user_id": world.mentor1.id,
        "usertype": "Mentor",
        "coders": [
            {"username": "coder2", "id": world.coder2.id, "snippets": snippets(world.adasd)},
            {"username": "coder3", "id": world.coder3.id, "snippets": []},
        ],
    }


def test_userinfo_of_a_mentor_without_coders(client: FlaskClient, world: Fixture) -> None:
    response = client.get("/userinfo/mentor2", headers=world.mentor2.headers())

    assert response.get_json() == {"success": True, "user_id": world.mentor2.id, "usertype": "Mentor", "coders": []}


@pytest.mark.parametrize("username", ["nobody", "Coder1", "coder1 ", "a" * 300])
def test_userinfo_of_nobody_is_404(client: FlaskClient, world: Fixture, username: str) -> None:
    response = client.get(f"/userinfo/{username}", headers=world.mentor1.headers())

    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


def test_userinfo_of_a_user_without_a_review_profile_is_404(client: FlaskClient, world: Fixture, make_user) -> None:
    make_user("storekeeper")

    assert client.get("/userinfo/storekeeper", headers=world.mentor1.headers()).get_json() == NOT_FOUND


def test_userinfo_with_a_nul_in_the_name_is_400(client: FlaskClient, world: Fixture) -> None:
    response = client.get("/userinfo/coder%001", headers=world.mentor1.headers())

    assert response.status_code == 400


# --- /coders and /coders/available --------------------------------------------------------------------


def test_coders_lists_every_coder_with_all_its_snippets(client: FlaskClient, world: Fixture) -> None:
    response = client.get("/coders", headers=world.mentor2.headers())

    assert response.status_code == 200
    assert response.get_json() == {
        "success": True,
        "coders": [
            coder_body(world.coder1, world.mentor3, world.bird, world.hello),
            coder_body(world.coder2, world.mentor1, world.adasd, world.done),
            coder_body(world.coder3, world.mentor1),
            coder_body(world.coder4, None),
        ],
    }


def test_available_coders_are_those_without_a_mentor(client: FlaskClient, world: Fixture) -> None:
    response = client.get("/coders/available", headers=world.mentor2.headers())

    assert response.get_json() == {"success": True, "coders": [coder_body(world.coder4, None)]}


@pytest.mark.parametrize("path", ["/coders", "/coders/available"])
def test_coders_are_for_mentors_only(client: FlaskClient, world: Fixture, path: str) -> None:
    response = client.get(path, headers=world.coder1.headers())

    assert response.status_code == 403
    assert response.get_json() == FORBIDDEN


# --- /mentors -------------------------------------------------------------------------------------------


def test_mentors_lists_every_mentor_with_its_coders_in_full(client: FlaskClient, world: Fixture) -> None:
    response = client.get("/mentors", headers=world.coder4.headers())

    assert response.status_code == 200
    assert response.get_json() == {
        "success": True,
        "mentors": [
            {
                "id": world.mentor1.id,
                "username": "mentor1",
                "coders": [
                    coder_body(world.coder2, world.mentor1, world.adasd, world.done),
                    coder_body(world.coder3, world.mentor1),
                ],
            },
            {"id": world.mentor2.id, "username": "mentor2", "coders": []},
            {
                "id": world.mentor3.id,
                "username": "mentor3",
                "coders": [coder_body(world.coder1, world.mentor3, world.bird, world.hello)],
            },
        ],
    }


def test_mentors_are_for_coders_only(client: FlaskClient, world: Fixture) -> None:
    """Spec 001, contradiction 5: the seed's "Mentor token" is a typo; get:mentors is a coder's permission."""
    assert client.get("/mentors", headers=world.mentor1.headers()).get_json() == FORBIDDEN


def test_lists_of_an_empty_database_are_empty(client: FlaskClient) -> None:
    mentor, coder = add_mentor("mentor1"), add_coder("coder1")

    assert client.get("/mentors", headers=coder.headers()).get_json() == {
        "success": True,
        "mentors": [{"id": mentor.id, "username": "mentor1", "coders": []}],
    }
    assert client.get("/coders/available", headers=mentor.headers()).get_json()["coders"] == [coder_body(coder, None)]


# --- GET /snippet/<id> ----------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["coder1", "coder2", "mentor2"])
def test_a_snippet_is_flat_with_success(client: FlaskClient, world: Fixture, reader: str) -> None:
    response = client.get(f"/snippet/{world.bird}", headers=getattr(world, reader).headers())

    assert response.status_code == 200
    assert response.get_json() == {
        "code": 'def add_a_bird(s):\n  return s + " bird"',
        "coder_id": world.coder1.id,
        "comments": None,
        "id": world.bird,
        "needs_review": True,
        "snippet_name": "Add a bird",
        "success": True,
    }


@pytest.mark.parametrize("snippet_id", ["999999", "0", "99999999999999999999"])
def test_a_missing_snippet_is_404(client: FlaskClient, world: Fixture, snippet_id: str) -> None:
    response = client.get(f"/snippet/{snippet_id}", headers=world.coder1.headers())

    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


# --- URLs no route matches ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/favicon.ico", "/snippet/x", "/coder/1", "/mentor/1", "/userinfo"])
def test_unrouted_review_urls_are_the_review_404(client: FlaskClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert response.get_json() == NOT_FOUND


def test_a_method_a_route_does_not_take_is_405_in_the_review_envelope(client: FlaskClient) -> None:
    response = client.put("/snippet/1")

    assert response.status_code == 405
    assert response.get_json() == {"success": False, "error": 405, "message": "method not allowed"}
