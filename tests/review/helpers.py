"""Small helpers shared by the review API tests: members, snippets, tokens, the spec's error bodies."""

from dataclasses import dataclass
from typing import Any, NamedTuple

import sqlalchemy as sa

from apiary.core.extensions import db
from apiary.core.identity import Role, User
from apiary.review import services
from apiary.review.models import Coder, Mentor, Snippet
from tests.support import PASSWORD, bearer, own_token

MENTOR_PERMISSIONS = ["add:coder", "edit:snippet", "get:coders", "get:snippets", "get:userinfo"]
CODER_PERMISSIONS = ["add:mentor", "delete:snippet", "edit:snippet", "get:mentors", "get:snippets", "get:userinfo"]
SNIPPET_KEYS = {"id", "snippet_name", "code", "needs_review", "comments", "coder_id"}


def envelope(status: int, message: str) -> dict[str, Any]:
    """The review API's error body."""
    return {"success": False, "error": status, "message": message}


BAD_REQUEST = envelope(400, "bad request")
FORBIDDEN = envelope(403, "You can't go there.")
NOT_FOUND = envelope(
    404,
    "You may have to come to terms with the very real possibility that the resource you are seeking does not exist.",
)
CONFLICT = envelope(
    409,
    "I feel conflicted. There is already a user by that name in my database, and so I must regretfully decline "
    "to honor your request.",
)
NO_HEADER = envelope(401, "Authorization header is expected")
UNPARSABLE = envelope(401, "Unable to parse authentication token.")


def done(message: str) -> dict[str, Any]:
    return {"success": True, "message": message}


@dataclass(frozen=True)
class Member:
    """A signed-up mentor or coder: its profile id (what the API exposes) and its user."""

    id: int
    username: str
    user: User

    def headers(self) -> dict[str, str]:
        """Authorization headers with a fresh access token of this member's."""
        return bearer(own_token(self.user))


def add_member(username: str, role: Role) -> Member:
    user, profile = services.sign_up(username=username, password=PASSWORD, email=None, role=role)
    return Member(profile.id, username, user)


def add_mentor(username: str) -> Member:
    return add_member(username, Role.MENTOR)


def add_coder(username: str, mentor: Member | None = None) -> Member:
    coder = add_member(username, Role.CODER)
    if mentor is not None:
        set_mentor(coder, mentor)
    return coder


def set_mentor(coder: Member, mentor: Member) -> None:
    db.session.execute(sa.update(Coder).where(Coder.id == coder.id).values(mentor_id=mentor.id))
    db.session.commit()


def add_snippet(
    coder: Member | int,
    name: str = "Add a bird",
    *,
    code: str = 'def add_a_bird(s):\n  return s + " bird"',
    needs_review: bool = False,
    comments: str | None = None,
) -> int:
    """A committed snippet of `coder`'s; its id."""
    coder_id = coder if isinstance(coder, int) else coder.id
    snippet = Snippet(coder_id=coder_id, snippet_name=name, code=code, needs_review=needs_review, comments=comments)
    db.session.add(snippet)
    db.session.commit()
    return snippet.id


def snippet_row(snippet_id: int) -> dict[str, Any] | None:
    """The snippet as stored (serialised like the API does), None when it is gone."""
    row = db.session.execute(sa.select(Snippet.__table__).where(Snippet.id == snippet_id)).mappings().one_or_none()
    return dict(row) if row is not None else None


def mentor_of(coder: Member) -> int | None:
    return db.session.scalar(sa.select(Coder.mentor_id).where(Coder.id == coder.id))


class ReviewState(NamedTuple):
    """Every review row and the user count: what a refused request must leave as it was."""

    users: int
    mentors: list[tuple[Any, ...]]
    coders: list[tuple[Any, ...]]
    snippets: list[tuple[Any, ...]]


def review_state() -> ReviewState:
    def rows(model: type[Any]) -> list[tuple[Any, ...]]:
        table = model.__table__
        return [tuple(row) for row in db.session.execute(sa.select(table).order_by(table.c.id))]

    users = db.session.scalar(sa.select(sa.func.count()).select_from(User)) or 0
    return ReviewState(users, rows(Mentor), rows(Coder), rows(Snippet))
