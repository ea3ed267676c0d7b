"""Token extraction policies and the guard's refusal table, below the HTTP layer."""

from typing import Any

import pytest
from flask import Flask

from apiary.core.auth import BodyToken, Guard, HeaderToken, Refusal
from apiary.core.tokens import Rejection, TokenRejected

STRICT = HeaderToken(scheme="Bearer", case_sensitive=True)
TOLERANT = HeaderToken(scheme="Bearer")
ANY_SCHEME = HeaderToken(scheme=None)


@pytest.mark.parametrize(
    ("source", "header", "outcome"),
    [
        (STRICT, "Bearer abc", "abc"),
        (STRICT, "bearer abc", Rejection.BAD_SCHEME),
        (STRICT, "Bearer", Rejection.NO_TOKEN),
        (STRICT, "Bearer a b", Rejection.EXTRA_PARTS),
        (STRICT, None, Rejection.MISSING),
        (STRICT, "   ", Rejection.MISSING),
        (TOLERANT, "bEaReR abc", "abc"),
        (TOLERANT, "Token abc", Rejection.BAD_SCHEME),
        (ANY_SCHEME, "Token abc", "abc"),
        (ANY_SCHEME, "abc", Rejection.NO_TOKEN),
        (ANY_SCHEME, None, Rejection.MISSING),
    ],
)
def test_header_policies(app: Flask, source: HeaderToken, header: str | None, outcome: str | Rejection) -> None:
    headers = {"Authorization": header} if header is not None else {}
    with app.test_request_context(headers=headers):
        _assert_extracts(source, outcome)


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        ({"access-token": "abc", "title": "t"}, "abc"),
        ({"access-token": ""}, Rejection.MISSING),
        ({"access-token": None}, Rejection.MISSING),
        ({"access-token": 5}, Rejection.UNDECODABLE),
        ({"title": "t"}, Rejection.MISSING),
        ([1, 2], Rejection.NO_BODY),
        (None, Rejection.NO_BODY),
    ],
)
def test_body_field_policy(app: Flask, body: dict[str, Any] | None, outcome: str | Rejection) -> None:
    with app.test_request_context(method="POST", json=body):
        _assert_extracts(BodyToken("access-token"), outcome)


def test_a_refusal_table_must_answer_every_rejection() -> None:
    partial = {reason: Refusal(401) for reason in Rejection if reason is not Rejection.FORBIDDEN}
    with pytest.raises(ValueError, match="forbidden"):
        Guard(source=STRICT, refusals=partial)


def _assert_extracts(source: HeaderToken | BodyToken, outcome: str | Rejection) -> None:
    if isinstance(outcome, Rejection):
        with pytest.raises(TokenRejected) as rejected:
            source.extract()
        assert rejected.value.reason is outcome
    else:
        assert source.extract() == outcome
