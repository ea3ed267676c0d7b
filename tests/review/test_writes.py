"""The review API's writes, each documented case of spec 001 and each ownership tightening (C9,
Clarification 3); every refusal leaves the database as it was."""

from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from apiary.review.models import MAX_SNIPPET_NAME_LENGTH
from tests.review.helpers import (
    BAD_REQUEST,
    FORBIDDEN,
    NOT_FOUND,
    add_coder,
    add_mentor,
    add_snippet,
    done,
    mentor_of,
    review_state,
    snippet_row,
)


class World:
    """mentor1 mentors coder1, mentor2 mentors coder2, coder3 has no mentor; s1 is coder1's, s2 coder2's."""

    def __init__(self) -> None:
        self.mentor1, self.mentor2 = add_mentor("mentor1"), add_mentor("mentor2")
        self.coder1 = add_coder("coder1", self.mentor1)
        self.coder2 = add_coder("coder2", self.mentor2)
        self.coder3 = add_coder("coder3")
        self.s1 = add_snippet(self.coder1, "Add a bird", needs_review=True, comments="Looks fine")
        self.s2 = add_snippet(self.coder2, "adasd", code="x = 1")


@pytest.fixture
def world(app: Any) -> World:
    return World()


def assert_refused(response: TestResponse, body: dict[str, Any], before: Any) -> None:
    assert response.status_code == body["error"], response.get_json()
    assert response.get_json() == body
    assert review_state() == before


# --- PATCH /coder/<id>/mentor ---------------------------------------------------------------------------


def test_a_coder_chooses_a_new_mentor(client: FlaskClient, world: World) -> None:
    response = client.patch(
        f"/coder/{world.coder1.id}/mentor", json={"mentorId": world.mentor2.id}, headers=world.coder1.headers()
    )

    assert response.status_code == 200
    assert response.get_json() == done("A new mentor has been selected for this coder.")
    assert mentor_of(world.coder1) == world.mentor2.id


def test_a_mentor_id_may_be_its_digits_as_a_string(client: FlaskClient, world: World) -> None:
    """As the README's deviations say: an id in a body may also be a string of its digits."""
    response = client.patch(
        f"/coder/{world.coder1.id}/mentor", json={"mentorId": str(world.mentor2.id)}, headers=world.coder1.headers()
    )

    assert response.get_json() == done("A new mentor has been selected for this coder.")
    assert mentor_of(world.coder1) == world.mentor2.id


def test_choosing_the_same_mentor_again_says_so(client: FlaskClient, world: World) -> None:
    before = review_state()

    response = client.patch(
        f"/coder/{world.coder1.id}/mentor", json={"mentorId": world.mentor1.id}, headers=world.coder1.headers()
    )

    assert response.get_json() == done("This mentor was already the mentor for this coder.")
    assert review_state() == before


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"mentorId": None},
        {"mentorId": 0},
        {"mentorId": ""},
        {"mentorId": False},
        {"mentorId": "abc"},
        {"mentorId": -1},
    ],
)
def test_choosing_a_mentor_without_a_mentor_id_is_400(client: FlaskClient, world: World, body: dict) -> None:
    before = review_state()

    response = client.patch(f"/coder/{world.coder3.id}/mentor", json=body, headers=world.coder3.headers())

    assert_refused(response, BAD_REQUEST, before)


def test_choosing_a_missing_mentor_is_404_even_for_a_missing_coder(client: FlaskClient, world: World) -> None:
    before = review_state()

    for coder_id in (world.coder3.id, 999999):
        response = client.patch(f"/coder/{coder_id}/mentor", json={"mentorId": 999999}, headers=world.coder3.headers())
        assert_refused(response, NOT_FOUND, before)


def test_choosing_a_mentor_for_a_missing_coder_is_404(client: FlaskClient, world: World) -> None:
    before = review_state()

    response = client.patch("/coder/999999/mentor", json={"mentorId": world.mentor1.id}, headers=world.coder3.headers())

    assert_refused(response, NOT_FOUND, before)


def test_choosing_a_mentor_for_another_coder_is_403(client: FlaskClient, world: World) -> None:
    """Tightened: the original let any coder reassign any other coder."""
    before = review_state()

    response = client.patch(
        f"/coder/{world.coder3.id}/mentor", json={"mentorId": world.mentor1.id}, headers=world.coder1.headers()
    )

    assert_refused(response, FORBIDDEN, before)


# --- PATCH /mentor/<id>/coder ---------------------------------------------------------------------------


@pytest.mark.parametrize("coder", ["coder3", "coder2"], ids=["available coder", "another mentor's coder"])
def test_a_mentor_adds_a_coder_taking_it_from_any_other_mentor(client: FlaskClient, world: World, coder: str) -> None:
    added = getattr(world, coder)

    response = client.patch(
        f"/mentor/{world.mentor1.id}/coder", json={"coderId": added.id}, headers=world.mentor1.headers()
    )

    assert response.status_code == 200
    assert response.get_json() == done("A new coder has been added to your list of coders.")
    assert mentor_of(added) == world.mentor1.id


def test_adding_a_coder_the_mentor_already_has_says_the_same(client: FlaskClient, world: World) -> None:
    response = client.patch(
        f"/mentor/{world.mentor1.id}/coder", json={"coderId": world.coder1.id}, headers=world.mentor1.headers()
    )

    assert response.get_json() == done("A new coder has been added to your list of coders.")


@pytest.mark.parametrize("body", [{}, {"coderId": None}, {"coderId": 0}, {"coderId": True}, {"coderId": 1.5}])
def test_adding_a_coder_without_a_coder_id_is_400(client: FlaskClient, world: World, body: dict) -> None:
    before = review_state()

    response = client.patch(f"/mentor/{world.mentor1.id}/coder", json=body, headers=world.mentor1.headers())

    assert_refused(response, BAD_REQUEST, before)


def test_adding_a_missing_coder_is_404_even_for_a_missing_mentor(client: FlaskClient, world: World) -> None:
    before = review_state()

    for mentor_id in (world.mentor1.id, 999999):
        response = client.patch(f"/mentor/{mentor_id}/coder", json={"coderId": 999999}, headers=world.mentor1.headers())
        assert_refused(response, NOT_FOUND, before)


def test_adding_a_coder_to_a_missing_mentor_is_404(client: FlaskClient, world: World) -> None:
    before = review_state()

    response = client.patch("/mentor/999999/coder", json={"coderId": world.coder3.id}, headers=world.mentor1.headers())

    assert_refused(response, NOT_FOUND, before)


def test_adding_a_coder_to_another_mentor_is_403(client: FlaskClient, world: World) -> None:
    """Tightened: the original let any mentor fill any other mentor's list."""
    before = review_state()

    response = client.patch(
        f"/mentor/{world.mentor2.id}/coder", json={"coderId": world.coder3.id}, headers=world.mentor1.headers()
    )

    assert_refused(response, FORBIDDEN, before)


# --- POST /snippet --------------------------------------------------------------------------------------


def new_snippet(world: World, **fields: Any) -> dict[str, Any]:
    return {"coderId": world.coder1.id, "name": "Fizz", "code": "print('fizz')", **fields}


def last_snippet() -> dict[str, Any] | None:
    return snippet_row(review_state().snippets[-1][0])


def test_a_coder_saves_a_snippet_with_defaults(client: FlaskClient, world: World) -> None:
    response = client.post("/snippet", json=new_snippet(world), headers=world.coder1.headers())

    assert response.status_code == 200
    assert response.get_json() == done("Snippet has been successfully saved to database")
    saved = last_snippet()
    assert saved is not None and saved["id"] not in (world.s1, world.s2)
    assert {k: v for k, v in saved.items() if k != "id"} == {
        "snippet_name": "Fizz",
        "code": "print('fizz')",
        "needs_review": False,
        "comments": "",
        "coder_id": world.coder1.id,
    }


def test_a_snippet_may_ask_for_review_and_carry_comments(client: FlaskClient, world: World) -> None:
    body = new_snippet(world, needsReview=True, comments="Please look", blah="blah")

    assert client.post("/snippet", json=body, headers=world.coder1.headers()).status_code == 200
    saved = last_snippet()
    assert saved is not None and (saved["needs_review"], saved["comments"]) == (True, "Please look")


@pytest.mark.parametrize(
    "coder_id", [None, 999999, "abc", 0, True, [1]], ids=["missing", "unknown", "text", "zero", "boolean", "list"]
)
def test_a_snippet_for_a_missing_coder_is_404_before_its_fields_are_checked(
    client: FlaskClient, world: World, coder_id: Any
) -> None:
    before = review_state()
    body = {"name": "", "code": ""} if coder_id is None else {"coderId": coder_id, "name": "", "code": ""}

    response = client.post("/snippet", json=body, headers=world.coder1.headers())

    assert_refused(response, NOT_FOUND, before)


@pytest.mark.parametrize(
    "fields",
    [
        {"name": ""},
        {"code": ""},
        {"name": None},
        {"code": 5},
        {"name": "n" * (MAX_SNIPPET_NAME_LENGTH + 1)},
        {"needsReview": "yes"},
        {"comments": 7},
    ],
)
def test_a_snippet_without_name_or_code_is_400(client: FlaskClient, world: World, fields: dict) -> None:
    before = review_state()

    response = client.post("/snippet", json=new_snippet(world, **fields), headers=world.coder1.headers())

    assert_refused(response, BAD_REQUEST, before)


def test_a_snippet_naming_only_its_coder_is_400(client: FlaskClient, world: World) -> None:
    before = review_state()

    response = client.post("/snippet", json={"coderId": world.coder1.id}, headers=world.coder1.headers())

    assert_refused(response, BAD_REQUEST, before)


def test_a_snippet_with_no_body_at_all_is_400(client: FlaskClient, world: World) -> None:
    before = review_state()

    assert_refused(client.post("/snippet", headers=world.coder1.headers()), BAD_REQUEST, before)


def test_a_snippet_for_another_coder_is_403(client: FlaskClient, world: World) -> None:
    """Tightened: the original saved it under whichever coder the body named."""
    before = review_state()

    response = client.post("/snippet", json=new_snippet(world), headers=world.coder2.headers())

    assert_refused(response, FORBIDDEN, before)


# --- PATCH /snippet/<id> --------------------------------------------------------------------------------


def edit(usertype: str, user_id: Any, coder_id: Any, **fields: Any) -> dict[str, Any]:
    return {"name": "Add a duck", "code": "def duck(): pass", "usertype": usertype, "userId": user_id,
            "coderId": coder_id, **fields}  # fmt: skip


def test_a_coder_edits_its_snippet_and_omitted_fields_are_erased(client: FlaskClient, world: World) -> None:
    body = edit("Coder", world.coder1.id, world.coder1.id)

    response = client.patch(f"/snippet/{world.s1}", json=body, headers=world.coder1.headers())

    assert response.status_code == 200
    assert response.get_json() == done("Snippet has been successfully updated in database")
    assert snippet_row(world.s1) == {
        "id": world.s1,
        "snippet_name": "Add a duck",
        "code": "def duck(): pass",
        "needs_review": False,
        "comments": "",
        "coder_id": world.coder1.id,
    }


def test_its_mentor_comments_on_a_snippet(client: FlaskClient, world: World) -> None:
    body = edit("Mentor", world.mentor1.id, world.coder1.id, needsReview=False, comments="Ship it")

    response = client.patch(f"/snippet/{world.s1}", json=body, headers=world.mentor1.headers())

    assert response.status_code == 200
    row = snippet_row(world.s1)
    assert row is not None and (row["comments"], row["needs_review"]) == ("Ship it", False)


@pytest.mark.parametrize(
    "fields",
    [
        {"name": ""},
        {"code": None},
        {"usertype": "coder"},
        {"usertype": "mentor"},
        {"usertype": "admin"},
        {"usertype": None},
        {"userId": "abc"},
        {"needsReview": "no"},
    ],
)
def test_an_edit_with_a_bad_field_or_usertype_is_400(client: FlaskClient, world: World, fields: dict) -> None:
    before = review_state()
    body = edit("Coder", world.coder1.id, world.coder1.id) | fields

    response = client.patch(f"/snippet/{world.s1}", json=body, headers=world.coder1.headers())

    assert_refused(response, BAD_REQUEST, before)


def test_an_edit_with_a_bad_name_is_400_before_a_refused_claim(client: FlaskClient, world: World) -> None:
    body = edit("Coder", world.coder1.id, world.coder2.id, name="")

    assert client.patch(f"/snippet/{world.s1}", json=body, headers=world.coder1.headers()).get_json() == BAD_REQUEST


def test_a_coder_claiming_another_coder_id_is_403(client: FlaskClient, world: World) -> None:
    before = review_state()
    body = edit("Coder", world.coder1.id, world.coder2.id)

    assert_refused(client.patch(f"/snippet/{world.s1}", json=body, headers=world.coder1.headers()), FORBIDDEN, before)


def test_a_mentor_naming_a_missing_coder_is_400(client: FlaskClient, world: World) -> None:
    before = review_state()

    for coder_id in (999999, None):
        body = edit("Mentor", world.mentor1.id, coder_id)
        response = client.patch(f"/snippet/{world.s1}", json=body, headers=world.mentor1.headers())
        assert_refused(response, BAD_REQUEST, before)


def test_a_mentor_naming_a_coder_it_does_not_mentor_is_403(client: FlaskClient, world: World) -> None:
    before = review_state()
    body = edit("Mentor", world.mentor1.id, world.coder2.id)

    assert_refused(client.patch(f"/snippet/{world.s2}", json=body, headers=world.mentor1.headers()), FORBIDDEN, before)


def test_the_claim_is_checked_before_the_snippet_is_looked_up(client: FlaskClient, world: World) -> None:
    body = edit("Coder", world.coder1.id, world.coder2.id)

    assert client.patch("/snippet/999999", json=body, headers=world.coder1.headers()).get_json() == FORBIDDEN


@pytest.mark.parametrize("usertype", ["Coder", "Mentor"])
def test_editing_a_missing_snippet_is_404(client: FlaskClient, world: World, usertype: str) -> None:
    before = review_state()
    sender = world.coder1 if usertype == "Coder" else world.mentor1
    body = edit(usertype, sender.id, world.coder1.id)

    assert_refused(client.patch("/snippet/999999", json=body, headers=sender.headers()), NOT_FOUND, before)


def test_a_coder_editing_another_coders_snippet_is_403(client: FlaskClient, world: World) -> None:
    """Tightened (Decision 6): the original let any coder edit any snippet by naming itself."""
    before = review_state()
    body = edit("Coder", world.coder1.id, world.coder1.id)

    assert_refused(client.patch(f"/snippet/{world.s2}", json=body, headers=world.coder1.headers()), FORBIDDEN, before)


def test_a_mentor_editing_a_snippet_of_a_coder_it_does_not_name_is_403(client: FlaskClient, world: World) -> None:
    before = review_state()
    body = edit("Mentor", world.mentor1.id, world.coder1.id)

    assert_refused(client.patch(f"/snippet/{world.s2}", json=body, headers=world.mentor1.headers()), FORBIDDEN, before)


@pytest.mark.parametrize(
    ("sender", "usertype", "claimed"),
    [
        ("coder2", "Coder", "coder1"),
        ("mentor2", "Mentor", "mentor1"),
        ("mentor1", "Coder", "coder1"),
        ("coder1", "Mentor", "mentor1"),
    ],
    ids=["coder as another coder", "mentor as another mentor", "mentor as its coder", "coder as its mentor"],
)
def test_sending_someone_elses_ids_is_403(
    client: FlaskClient, world: World, sender: str, usertype: str, claimed: str
) -> None:
    """Tightened (Clarification 3): the token's user must be the coder or mentor the body names."""
    before = review_state()
    body = edit(usertype, getattr(world, claimed).id, world.coder1.id)

    response = client.patch(f"/snippet/{world.s1}", json=body, headers=getattr(world, sender).headers())

    assert_refused(response, FORBIDDEN, before)


def test_a_mentor_of_a_coder_without_mentor_naming_no_user_is_403(client: FlaskClient, world: World) -> None:
    """The original's claim check passes (no mentor equals no userId); the caller is still nobody's mentor."""
    s3 = add_snippet(world.coder3, "mine")
    before = review_state()
    body = edit("Mentor", None, world.coder3.id)

    assert_refused(client.patch(f"/snippet/{s3}", json=body, headers=world.mentor1.headers()), FORBIDDEN, before)


# --- DELETE /snippet/<id> -------------------------------------------------------------------------------


def test_a_coder_deletes_its_snippet(client: FlaskClient, world: World) -> None:
    response = client.delete(
        f"/snippet/{world.s1}", json={"coderId": world.coder1.id, "blah": "blah"}, headers=world.coder1.headers()
    )

    assert response.status_code == 200
    assert response.get_json() == done("Snippet has been deleted.")
    assert snippet_row(world.s1) is None
    assert snippet_row(world.s2) is not None


@pytest.mark.parametrize("body", [{}, {"coderId": None}, {"coderId": 0}, {"coderId": ""}, {"blah": "blah"}])
def test_deleting_without_a_coder_id_is_400(client: FlaskClient, world: World, body: dict) -> None:
    before = review_state()

    assert_refused(
        client.delete(f"/snippet/{world.s1}", json=body, headers=world.coder1.headers()), BAD_REQUEST, before
    )


def test_deleting_with_no_body_is_400(client: FlaskClient, world: World) -> None:
    before = review_state()

    assert_refused(client.delete(f"/snippet/{world.s1}", headers=world.coder1.headers()), BAD_REQUEST, before)


def test_deleting_a_missing_snippet_is_404(client: FlaskClient, world: World) -> None:
    before = review_state()

    response = client.delete("/snippet/999999", json={"coderId": world.coder1.id}, headers=world.coder1.headers())

    assert_refused(response, NOT_FOUND, before)


def test_deleting_a_snippet_of_another_coder_id_is_403(client: FlaskClient, world: World) -> None:
    before = review_state()

    response = client.delete(f"/snippet/{world.s1}", json={"coderId": world.coder2.id}, headers=world.coder2.headers())

    assert_refused(response, FORBIDDEN, before)


def test_deleting_another_coders_snippet_by_naming_that_coder_is_403(client: FlaskClient, world: World) -> None:
    """Tightened (Clarification 3): the original trusted the coderId of the body."""
    before = review_state()

    response = client.delete(f"/snippet/{world.s1}", json={"coderId": world.coder1.id}, headers=world.coder2.headers())

    assert_refused(response, FORBIDDEN, before)
