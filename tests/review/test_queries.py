"""The nested listings cost the same few SQL statements (the token's check included) however many rows they show."""

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from apiary.core.extensions import db
from apiary.review.models import Coder, Mentor, Snippet
from tests.review.helpers import Member, add_coder, add_mentor, add_snippet
from tests.support import counted_statements

MAX_STATEMENTS = 3
LISTINGS = ["/mentors", "/coders", "/coders/available", "/userinfo/mentor1", "/userinfo/coder1"]


def grow(mentor: Member, tag: str, *, mentors: int, coders_each: int, snippets_each: int) -> None:
    """Add profiles without users (the API never asks for their users), in bulk: `mentors` more mentors, and
    `coders_each` coders with `snippets_each` snippets for mentor1 and each new mentor, a quarter of them
    unmentored; usernames start with `tag`."""
    mentor_ids = [mentor.id] + list(
        db.session.scalars(sa.insert(Mentor).returning(Mentor.id), [{"username": f"{tag}m{n}"} for n in range(mentors)])
    )
    coder_rows = [
        {"username": f"{tag}c{m}-{n}", "mentor_id": mentor_id if n % 4 else None}
        for m, mentor_id in enumerate(mentor_ids)
        for n in range(coders_each)
    ]
    coder_ids = list(db.session.scalars(sa.insert(Coder).returning(Coder.id), coder_rows))
    snippet_rows = [
        {"snippet_name": f"s{n}", "code": "pass", "needs_review": n % 2 == 0, "comments": None, "coder_id": coder_id}
        for coder_id in coder_ids
        for n in range(snippets_each)
    ]
    db.session.execute(sa.insert(Snippet), snippet_rows)
    db.session.commit()


def statements_of(client: FlaskClient, path: str, headers: dict[str, str]) -> int:
    db.session.remove()  # start with an empty session, as a real request does
    with counted_statements() as statements:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_json()
    return len(statements)


@pytest.mark.parametrize("path", LISTINGS)
def test_a_listing_costs_the_same_few_statements_whatever_it_holds(client: FlaskClient, path: str) -> None:
    mentor = add_mentor("mentor1")
    coder = add_coder("coder1", mentor)
    add_snippet(coder, needs_review=True)
    headers = (coder if path == "/mentors" else mentor).headers()
    counts = [statements_of(client, path, headers)]

    grow(mentor, "a", mentors=3, coders_each=8, snippets_each=3)
    counts.append(statements_of(client, path, headers))
    # Past 500 parents, selectinload would split its IN list into a further statement.
    grow(mentor, "b", mentors=2, coders_each=260, snippets_each=2)
    counts.append(statements_of(client, path, headers))

    assert counts[0] <= MAX_STATEMENTS
    assert len(set(counts)) == 1, counts


def test_the_big_listing_shows_every_row(client: FlaskClient) -> None:
    mentor = add_mentor("mentor1")
    grow(mentor, "a", mentors=2, coders_each=260, snippets_each=2)

    body = client.get("/coders", headers=mentor.headers()).get_json()

    assert len(body["coders"]) == 3 * 260
    assert sum(len(coder["snippets"]) for coder in body["coders"]) == 3 * 260 * 2
