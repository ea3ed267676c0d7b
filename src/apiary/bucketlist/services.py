"""Bucketlist use cases: registration and login by email, and each user's own bucketlists and items."""

from collections.abc import Iterator
from typing import Any, TypeVar, cast

import sqlalchemy as sa

from apiary.bucketlist.models import BUCKETLIST_COLUMNS, Bucketlist, BucketlistRow, Item
from apiary.core.config import current_settings
from apiary.core.db import MAX_INTEGER, utcnow
from apiary.core.errors import ApiError, NotFound
from apiary.core.extensions import db
from apiary.core.identity import TokenType, User
from apiary.core.pagination import Page, paginate
from apiary.core.tokens import issue_token
from apiary.core.transactions import commit, for_update, insert_in_batches
from apiary.core.users import authenticate, create_user, taken_field

Row = TypeVar("Row", Bucketlist, Item)


DEMO_BUCKETLISTS = {
    "Go to Borabora for vacay": ["Book the flights", "Learn to snorkel"],
    "Learn to play the guitar": ["Buy a guitar", "Play a song through"],
}


class EmailTaken(ApiError):
    """The email is registered already (spec 003 answers 202, not an error status: see DIALECT)."""

    message = "User already exists. Please login."


class BadCredentials(ApiError):
    """An unknown email or a wrong password: the same answer, so neither gives the other away."""

    message = "Invalid email or password, Please try again"


class BucketlistNotFound(ApiError):
    """No bucketlist of the caller's has the id (another user's is not theirs to know of)."""

    def __init__(self, bucketlist_id: int) -> None:
        super().__init__(f"bucketlist {bucketlist_id} not found")


class ItemNotFound(ApiError):
    """No item of that bucketlist has the id."""

    def __init__(self, item_id: int) -> None:
        super().__init__(f"item {item_id} not found")


def register(*, email: str, password: str) -> User:
    """A new user known by email."""
    if taken_field(username=None, email=email):
        raise EmailTaken()
    user = create_user(username=None, email=email, password=password)
    commit(on_conflict=EmailTaken())
    return user


def login(*, email: str, password: str) -> str:
    """A short-lived access token for valid email credentials."""
    user = authenticate(field="email", login=email, password=password)
    if user is None:
        raise BadCredentials()
    token = issue_token(user, TokenType.ACCESS, current_settings().email_login_token_lifetime)
    commit()
    return token


def list_bucketlists(*, owner: User, name_contains: str | None = None) -> list[BucketlistRow]:
    """The owner's bucketlists in id order, only those whose name holds `name_contains` (any case) if given.

    All of them, however many (the spec has no paging by default): read as plain rows of the answer's
    columns, since loading an ORM object for each costs more than the rest of the answer."""
    query = _owned_bucketlists(owner, name_contains).with_only_columns(*BUCKETLIST_COLUMNS)
    return cast(list[BucketlistRow], list(db.session.execute(query)))


def page_bucketlists(*, owner: User, name_contains: str | None, page: int, per_page: int) -> Page[Bucketlist]:
    """One page of list_bucketlists, and how many there are in all."""
    return paginate(_owned_bucketlists(owner, name_contains), page=page, per_page=per_page)


def create_bucketlist(*, owner: User, name: str) -> Bucketlist:
    """A new bucketlist of the owner's."""
    bucketlist = Bucketlist(name=name, created_by=owner.id)
    db.session.add(bucketlist)
    commit()
    return bucketlist


def get_owned_bucketlist(*, bucketlist_id: int, owner: User) -> Bucketlist:
    """One of the owner's bucketlists; BucketlistNotFound when there is none, or it is another user's (C9)."""
    query = sa.select(Bucketlist).where(Bucketlist.id == bucketlist_id, Bucketlist.created_by == owner.id)
    bucketlist = _row(query, row_id=bucketlist_id)
    if bucketlist is None:
        raise BucketlistNotFound(bucketlist_id)
    return bucketlist


def rename_bucketlist(*, bucketlist_id: int, owner: User, name: str) -> Bucketlist:
    """Give one of the owner's bucketlists a new name."""
    bucketlist = get_owned_bucketlist(bucketlist_id=bucketlist_id, owner=owner)
    bucketlist.name = name
    commit()
    return bucketlist


def delete_bucketlist(*, bucketlist_id: int, owner: User) -> None:
    """Delete one of the owner's bucketlists, and its items with it."""
    db.session.delete(get_owned_bucketlist(bucketlist_id=bucketlist_id, owner=owner))
    commit()


def list_items(*, bucketlist_id: int, owner: User) -> list[Item]:
    """The items of one of the owner's bucketlists, in id order."""
    bucketlist = get_owned_bucketlist(bucketlist_id=bucketlist_id, owner=owner)
    return list(db.session.scalars(bucketlist.items.select().order_by(Item.id)))


def add_item(*, bucketlist_id: int, owner: User, name: str, done: bool) -> Item:
    """A new item in one of the owner's bucketlists."""
    bucketlist = get_owned_bucketlist(bucketlist_id=bucketlist_id, owner=owner)
    item = Item(name=name, done=done, bucketlist=bucketlist)
    db.session.add(item)
    commit()
    return item


def get_owned_item(*, bucketlist_id: int, item_id: int, owner: User, locked: bool = False) -> Item:
    """An item of one of the owner's bucketlists; BucketlistNotFound or ItemNotFound for either missing, or
    another user's.

    A `locked` item's row is held until the commit (on PostgreSQL), so that an edit reads what the edit
    before it wrote."""
    bucketlist = get_owned_bucketlist(bucketlist_id=bucketlist_id, owner=owner)
    query = sa.select(Item).where(Item.id == item_id, Item.bucketlist_id == bucketlist.id)
    item = _row(for_update(query) if locked else query, row_id=item_id)
    if item is None:
        raise ItemNotFound(item_id)
    return item


def update_item(*, bucketlist_id: int, item_id: int, owner: User, name: str | None, done: bool | None) -> Item:
    """Change an item's name, its done state, or both; None leaves that one as it is.

    Locked, so that two edits at once answer one after the other: the second answer shows both changes."""
    item = get_owned_item(bucketlist_id=bucketlist_id, item_id=item_id, owner=owner, locked=True)
    if name is not None:
        item.name = name
    if done is not None:
        item.done = done
    commit()
    return item


def delete_item(*, bucketlist_id: int, item_id: int, owner: User) -> None:
    """Delete an item of one of the owner's bucketlists."""
    db.session.delete(get_owned_item(bucketlist_id=bucketlist_id, item_id=item_id, owner=owner))
    commit()


def seed_bucketlists(*, email: str) -> int:
    """Give the user with `email` the demo bucketlists (with their items) they lack; how many rows were added."""
    owner = db.session.scalar(sa.select(User).where(User.email == email))
    if owner is None:
        return 0
    added = 0
    for name, item_names in DEMO_BUCKETLISTS.items():
        existing = sa.select(Bucketlist.id).where(Bucketlist.created_by == owner.id, Bucketlist.name == name)
        if db.session.scalar(existing) is not None:
            continue
        bucketlist = Bucketlist(name=name, created_by=owner.id)
        bucketlist.items.add_all(Item(name=item_name) for item_name in item_names)
        db.session.add(bucketlist)
        added += 1 + len(item_names)
    commit()
    return added


def generate_bucketlists(count: int, *, email: str) -> Iterator[int]:
    """Add `count` generated (empty) bucketlists for the user with `email`, yielding each batch's size."""
    owner = db.session.scalar(sa.select(User.id).where(User.email == email))
    if owner is None:
        raise NotFound(f"no user with email {email} to own the bucketlists")
    created = utcnow()

    def bucketlist(n: int) -> dict[str, Any]:
        return {"name": f"Generated bucketlist {n + 1}", "created_by": owner, "date_created": created}

    return insert_in_batches(Bucketlist, count, bucketlist)


def _row(query: sa.Select[Row], *, row_id: int) -> Row | None:
    """The row `query` finds by `row_id`; None, without asking, for an id beyond any INTEGER column (the URL's
    id as asked for, which SQLite could not even compare)."""
    return db.session.scalar(query) if row_id <= MAX_INTEGER else None


def _owned_bucketlists(owner: User, name_contains: str | None) -> sa.Select[Bucketlist]:
    stmt = sa.select(Bucketlist).where(Bucketlist.created_by == owner.id).order_by(Bucketlist.id)
    if name_contains is not None:
        stmt = stmt.where(Bucketlist.name.icontains(name_contains, autoescape=True))
    return stmt
