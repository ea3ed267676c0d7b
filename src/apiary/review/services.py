"""Review use cases: signing up as a mentor or coder, choosing each other, and posting and reviewing snippets.

The original trusted the ids a request body names. Here the token's user must also be the coder or mentor
named (spec README C9 and Clarification 3), which the `get_owned_*` fetch helpers check: NotFound, then
Forbidden.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
import sqlalchemy.orm as so

from apiary.core.errors import ApiError, Forbidden, NotFound, ValidationFailed
from apiary.core.extensions import db
from apiary.core.identity import Role, User
from apiary.core.transactions import commit, insert_in_batches
from apiary.core.users import create_user, taken_field
from apiary.review.models import MAX_USERNAME_LENGTH, Coder, Mentor, Snippet

Profile = TypeVar("Profile", Mentor, Coder)
Row = TypeVar("Row", Mentor, Coder, Snippet)
Usertype = Literal["Coder", "Mentor"]
GENERATED_MENTOR = "gen-mentor-"
GENERATED_CODER = "gen-coder-"

PROFILES: dict[Role, type[Mentor] | type[Coder]] = {Role.MENTOR: Mentor, Role.CODER: Coder}
MEMBER_ROLES = frozenset(PROFILES)

DEMO_SNIPPETS = [
    ("Add a bird", 'def add_a_bird(s):\n  return s + " bird"', True, None),
    ("Reverse a string", "def reverse(s):\n  return s[::-1]", False, "Neat."),
    ("FizzBuzz", 'for n in range(1, 16):\n  print("Fizz" * (n % 3 == 0) + "Buzz" * (n % 5 == 0) or n)', True, None),
]


class UsernameTaken(ApiError):
    """Somebody in Apiary already has this username (or this email)."""


class UnknownCoder(ApiError):
    """A mentor's edit names a coder that does not exist."""


@dataclass(frozen=True)
class SnippetContent:
    """What a coder writes and a mentor comments on; an edit replaces all four."""

    name: str
    code: str
    needs_review: bool
    comments: str | None


@dataclass(frozen=True)
class EditorClaim:
    """Who an edit's body says its sender is: coder `coder_id` itself, or mentor `user_id` of that coder."""

    usertype: Usertype
    user_id: int | None
    coder_id: int | None


def sign_up(*, username: str, password: str, email: str | None, role: Role) -> tuple[User, Mentor | Coder]:
    """A new user and its mentor or coder profile, in one transaction; UsernameTaken if the name is in use,
    by a user or by a profile (generated ones have no user)."""
    if len(username) > MAX_USERNAME_LENGTH:
        raise ValidationFailed([("username", f"must be at most {MAX_USERNAME_LENGTH} characters")])
    if taken_field(username=username, email=email) or _profile_named(username):
        raise UsernameTaken()
    user = create_user(username=username, email=email, password=password, role=role)
    profile = PROFILES[role](username=username, user=user)
    db.session.add(profile)
    commit(on_conflict=UsernameTaken())
    return user, profile


def find_member(*, username: str) -> Coder | Mentor:
    """The coder with this username, else the mentor, ready to show; NotFound if neither exists."""
    coder_stmt = sa.select(Coder).options(so.joinedload(Coder.mentor), so.joinedload(Coder.snippets))
    coder = _one_or_none(coder_stmt.where(Coder.username == username))
    if coder is not None:
        return coder
    mentor = _one_or_none(_mentors_with_snippets().where(Mentor.username == username))
    if mentor is None:
        raise NotFound()
    return mentor


def list_coders(*, available_only: bool = False) -> list[Coder]:
    """Every coder (or only those without a mentor), with their snippets, in id order."""
    stmt = sa.select(Coder).options(so.joinedload(Coder.snippets)).order_by(Coder.id)
    if available_only:
        stmt = stmt.where(Coder.mentor_id.is_(None))
    return list(db.session.scalars(stmt).unique())


def list_mentors() -> list[sa.Row[Any]]:
    """Every mentor with its coders and their snippets, in id order: one row per snippet (or per coder
    without snippets, or mentor without coders), only the columns the listing shows, in one statement.

    No ORM objects: at thousands of snippets, building them cost more than the query."""
    stmt = (
        sa.select(
            Mentor.id.label("mentor_id"),
            Mentor.username.label("mentor_username"),
            Coder.id.label("coder_id"),
            Coder.username.label("coder_username"),
            Snippet.id.label("snippet_id"),
            Snippet.snippet_name,
            Snippet.code,
            Snippet.needs_review,
            Snippet.comments,
        )
        .outerjoin(Coder, Coder.mentor_id == Mentor.id)
        .outerjoin(Snippet, Snippet.coder_id == Coder.id)
        .order_by(Mentor.id, Coder.id, Snippet.id)
    )
    return list(db.session.execute(stmt))


def get_owned_coder(*, coder_id: int, actor: User | None) -> Coder:
    """Coder `coder_id` if the actor is that coder: NotFound, then Forbidden."""
    return _get_owned(Coder, coder_id, actor)


def get_owned_mentor(*, mentor_id: int, actor: User | None) -> Mentor:
    """Mentor `mentor_id` if the actor is that mentor: NotFound, then Forbidden."""
    return _get_owned(Mentor, mentor_id, actor)


def get_owned_snippet(*, snippet_id: int, actor: User | None, coder_id: int | None, as_mentor: bool) -> Snippet:
    """Snippet `snippet_id` if coder `coder_id` wrote it and the actor is that coder (or, `as_mentor`, its
    mentor): NotFound, then Forbidden."""
    snippet = db.session.scalar(
        sa.select(Snippet)
        .options(so.joinedload(Snippet.coder).joinedload(Coder.mentor))
        .where(Snippet.id == snippet_id)
    )
    if snippet is None:
        raise NotFound()
    if snippet.coder_id != coder_id or not _is_own(snippet.coder.mentor if as_mentor else snippet.coder, actor):
        raise Forbidden()
    return snippet


def get_snippet(*, snippet_id: int) -> Snippet:
    """A snippet; NotFound if there is none."""
    return _get(Snippet, snippet_id)


def get_mentor(*, mentor_id: int) -> Mentor:
    """A mentor; NotFound if there is none."""
    return _get(Mentor, mentor_id)


def get_coder(*, coder_id: int) -> Coder:
    """A coder; NotFound if there is none."""
    return _get(Coder, coder_id)


def choose_mentor(*, coder: Coder, mentor: Mentor) -> bool:
    """Make `mentor` the coder's mentor; whether it was a change."""
    if coder.mentor_id == mentor.id:
        return False
    coder.mentor_id = mentor.id
    commit()
    return True


def create_snippet(*, coder: Coder, content: SnippetContent) -> Snippet:
    """A new snippet of `coder`'s."""
    snippet = Snippet(coder_id=coder.id)
    _write(snippet, content)
    db.session.add(snippet)
    commit()
    return snippet


def edit_snippet(*, snippet_id: int, actor: User | None, claim: EditorClaim, content: SnippetContent) -> Snippet:
    """Replace a snippet's content, as its coder or as that coder's mentor.

    The body's claim is checked first, as the original did (Forbidden, or UnknownCoder for a mentor naming
    no coder); then the snippet must be the claimed coder's, and the actor the claimed coder or mentor.
    """
    if claim.usertype == "Coder":
        if claim.user_id != claim.coder_id:
            raise Forbidden()
    else:
        coder = db.session.get(Coder, claim.coder_id) if claim.coder_id is not None else None
        if coder is None:
            raise UnknownCoder()
        if coder.mentor_id != claim.user_id:
            raise Forbidden()
    snippet = get_owned_snippet(
        snippet_id=snippet_id, actor=actor, coder_id=claim.coder_id, as_mentor=claim.usertype == "Mentor"
    )
    _write(snippet, content)
    commit()
    return snippet


def delete_snippet(*, snippet_id: int, actor: User | None, coder_id: int) -> None:
    """Delete one of the actor's snippets, which must be coder `coder_id`'s."""
    db.session.delete(get_owned_snippet(snippet_id=snippet_id, actor=actor, coder_id=coder_id, as_mentor=False))
    commit()


def seed_demo(*, mentor: str, coder: str) -> int:
    """Give the demo coder the demo mentor and, if it has none, a few snippets (some needing review);
    how many snippets were added. Demo users without a profile are left alone."""
    mentor_profile = db.session.scalar(sa.select(Mentor).where(Mentor.username == mentor))
    coder_profile = db.session.scalar(
        sa.select(Coder).options(so.selectinload(Coder.snippets)).where(Coder.username == coder)
    )
    if mentor_profile is None or coder_profile is None:
        return 0
    coder_profile.mentor_id = coder_profile.mentor_id or mentor_profile.id
    added = 0
    if not coder_profile.snippets:
        for name, code, needs_review, comments in DEMO_SNIPPETS:
            snippet = Snippet(coder_id=coder_profile.id)
            _write(snippet, SnippetContent(name=name, code=code, needs_review=needs_review, comments=comments))
            db.session.add(snippet)
            added += 1
    commit()
    return added


def generate_mentors(mentors: int, *, coders_per_mentor: int, snippets_per_coder: int) -> Iterator[int]:
    """Add `mentors` generated mentors, each with its coders and their snippets, yielding each batch's size.

    The profiles have no account (nobody logs in as them): they are volume for the listings. The database
    numbers them; each coder's mentor and each snippet's coder come from the ids it gave.
    """
    # Past the largest id, so a generated username is new.
    first_mentor = (db.session.scalar(sa.select(sa.func.max(Mentor.id))) or 0) + 1
    first_coder = (db.session.scalar(sa.select(sa.func.max(Coder.id))) or 0) + 1
    coders = mentors * coders_per_mentor
    mentor_ids: list[int] = []
    coder_ids: list[int] = []

    def mentor(n: int) -> dict[str, Any]:
        return {"username": f"{GENERATED_MENTOR}{first_mentor + n}"}

    def coder(n: int) -> dict[str, Any]:
        return {"username": f"{GENERATED_CODER}{first_coder + n}", "mentor_id": mentor_ids[n // coders_per_mentor]}

    def snippet(n: int) -> dict[str, Any]:
        return {
            "snippet_name": f"Generated snippet {n + 1}",
            "code": "def generated():\n  return 42",
            "needs_review": n % 2 == 0,
            "coder_id": coder_ids[n // snippets_per_coder],
        }

    yield from insert_in_batches(Mentor, mentors, mentor, new_ids=mentor_ids)
    yield from insert_in_batches(Coder, coders, coder, new_ids=coder_ids)
    yield from insert_in_batches(Snippet, coders * snippets_per_coder, snippet)


def _profile_named(username: str) -> bool:
    """Whether a mentor or a coder has this username (one statement for both tables)."""
    named = (sa.exists().where(model.username == username) for model in PROFILES.values())
    return bool(db.session.scalar(sa.select(sa.or_(*named))))


def _mentors_with_snippets() -> sa.Select[Mentor]:
    # One statement whatever the size (selectinload would batch its IN lists 500 ids at a time).
    return sa.select(Mentor).options(so.joinedload(Mentor.coders).joinedload(Coder.snippets))


def _get(model: type[Row], row_id: int) -> Row:
    row = db.session.get(model, row_id)
    if row is None:
        raise NotFound()
    return row


def _one_or_none(stmt: sa.Select[Row]) -> Row | None:
    """The one row `stmt` finds, its joined collections complete (every joined row read)."""
    return db.session.execute(stmt).unique().scalar_one_or_none()


def _get_owned(model: type[Profile], profile_id: int, actor: User | None) -> Profile:
    profile = _get(model, profile_id)
    if not _is_own(profile, actor):
        raise Forbidden()
    return profile


def _is_own(profile: Mentor | Coder | None, actor: User | None) -> bool:
    """Whether `profile` is the actor's; never for an external token's caller, who has no local profile."""
    return profile is not None and actor is not None and profile.user_id == actor.id


def _write(snippet: Snippet, content: SnippetContent) -> None:
    snippet.snippet_name = content.name
    snippet.code = content.code
    snippet.needs_review = content.needs_review
    snippet.comments = content.comments
