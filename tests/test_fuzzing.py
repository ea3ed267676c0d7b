"""The fuzzing gate: schemathesis sends generated requests, valid and invalid, to every operation of the
OpenAPI document, in-process, as each kind of caller. No answer may be a server error, and each must have a
documented status, content type and schema.

Each caller is a user of one API (each store role, a review coder and mentor, a forum user with its token in
the body or in the header, a bucketlist and an account user) and fuzzes that API's operations with its own
token and a little data of its own; an anonymous caller fuzzes every operation.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from apiary.bucketlist.models import Bucketlist, Item
from apiary.core.extensions import db
from apiary.core.identity import Role, User
from apiary.core.users import create_user
from apiary.forum.models import Article
from apiary.store import services as store
from tests.review.helpers import add_coder, add_mentor, add_snippet
from tests.support import PASSWORD, make_app, own_token

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]
# Per operation and caller, half of them valid requests, half invalid: the whole gate stays within a minute.
EXAMPLES = 10

DOCUMENT = make_app(database_url="sqlite://").api_doc
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)


def _user(username: str | None = None, *, role: Role | None = None, email: str | None = None) -> User:
    user = create_user(username=username, email=email, password=PASSWORD, role=role)
    db.session.commit()
    return user


def _store_user(role: Role) -> Callable[[], User]:
    def make() -> User:
        store.seed_catalogue()
        return _user(role.value, role=role)

    return make


def _review_member(role: Role) -> User:
    mentor = add_mentor("mentor1")
    coder = add_coder("coder1", mentor)
    add_snippet(coder, needs_review=True)
    return (mentor if role is Role.MENTOR else coder).user


def _forum_author() -> User:
    author = _user("author1")
    db.session.add(Article(title="A title", text="Some text", user_id=author.id))
    db.session.commit()
    return author


def _bucketlist_owner() -> User:
    owner = _user(email="owner@example.com")
    bucketlist = Bucketlist(name="Travel", created_by=owner.id)
    db.session.add(bucketlist)
    db.session.flush()
    db.session.add(Item(name="Lisbon", bucketlist_id=bucketlist.id))
    db.session.commit()
    return owner


@dataclass(frozen=True)
class Caller:
    """Who sends the requests: the API whose operations it fuzzes (None: all), how its user and data are
    made, and whether its token travels in the JSON body (forum's way) instead of the Authorization header."""

    tag: str | None
    make_user: Callable[[], User] | None = None
    token_in_body: bool = False


CALLERS: dict[str, Caller] = {
    "anonymous": Caller(None),
    "store admin": Caller("store", _store_user(Role.ADMIN)),
    "store seller": Caller("store", _store_user(Role.SELLER)),
    "store customer": Caller("store", _store_user(Role.CUSTOMER)),
    "account user": Caller("account", lambda: _user("accountuser")),
    "review coder": Caller("review", lambda: _review_member(Role.CODER)),
    "review mentor": Caller("review", lambda: _review_member(Role.MENTOR)),
    "forum user, token in the body": Caller("forum", _forum_author, token_in_body=True),
    "forum user, token in the header": Caller("forum", _forum_author),
    "bucketlist user": Caller("bucketlist", _bucketlist_owner),
}


def _runs() -> list[Any]:
    return [
        pytest.param(caller, method.upper(), path, id=f"{caller}-{method.upper()} {path}")
        for caller, spec in CALLERS.items()
        for path, methods in DOCUMENT["paths"].items()
        for method, operation in methods.items()
        if spec.tag is None or spec.tag in operation["tags"]
    ]


def _with_token(case: schemathesis.Case, token: str, *, in_body: bool) -> dict[str, str]:
    """Put `token` where the caller sends it (a generated body that is no JSON object cannot carry it, so
    then the header does); the headers to send."""
    if in_body and isinstance(case.body, dict):
        case.body["access-token"] = token
        return {}
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(("caller", "method", "path"), _runs())
def test_every_answer_is_documented_and_none_is_a_server_error(app: Flask, caller: str, method: str, path: str) -> None:
    spec = CALLERS[caller]
    token = own_token(spec.make_user()) if spec.make_user else None
    operation = SCHEMA[path][method]
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=cases)
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        headers = _with_token(case, token, in_body=spec.token_in_body) if token else {}
        case.call_and_validate(app=app, headers=headers, checks=CHECKS)

    check()
