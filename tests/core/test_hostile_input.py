"""Hostile input against what every API inherits from the core: each token source and the body parser.

A probe blueprint, built inside each test, declares a guard on every token source the core offers and a
body in both parser modes, so the APIs still to come are covered by construction. tests/test_hostile_input.py
proves the same refusals route by route on each API.
"""

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from werkzeug.test import TestResponse

from apiary.core.auth import BodyToken, FirstOf, Guard, HeaderToken, Refusal, TokenSource
from apiary.core.extensions import db
from apiary.core.http import MAX_HEADER_LENGTH, MAX_JSON_DEPTH, MAX_QUERY_LENGTH, Reply
from apiary.core.identity import MAX_TEXT_LENGTH, Token, TokenType, User
from apiary.core.routing import FORM, ApiBlueprint, takes_body
from apiary.core.tokens import codec, issue_token
from apiary.core.users import change_password
from tests.support import (
    MakeUser,
    any_text,
    claims_of,
    forged_jwt,
    fuzz,
    json_values,
    jwt_headers,
    jwt_payloads,
    own_token,
    signer,
)

REFUSED = {"msg": "refused"}
BAD_REQUEST = {"status": "fail", "message": "bad request"}

SOURCES: dict[str, TokenSource] = {
    "strict header": HeaderToken(scheme="Bearer", case_sensitive=True),
    "tolerant header": HeaderToken(scheme="Bearer"),
    "any scheme word": HeaderToken(scheme=None),
    "JSON body field": BodyToken("access-token"),
    "body, then header": FirstOf((BodyToken("access-token"), HeaderToken(scheme="Bearer"))),
}
SCHEME_WORD = {"strict header": "Bearer", "tolerant header": "bearer", "any scheme word": "JWT"}


class ErrorOut(BaseModel):
    msg: str | None = None


class Note(BaseModel):
    text: str


class ProbeClient:
    """A client of probe routes: `/probe/<source>` guarded by each source, `/probe/json` and `/probe/form`."""

    def __init__(self, app: Flask) -> None:
        bp = ApiBlueprint("probe", __name__, error_model=ErrorOut, url_prefix="/probe")
        for name, source in SOURCES.items():
            _guarded_route(bp, name, Guard(source=source, refusals={}, default=Refusal(401, "refused")))
        for form in (False, True):

            @bp.post(f"/{'form' if form else 'json'}", endpoint=f"body_{form}")
            @takes_body(Note, form=form)
            def take_note(data: Note) -> Reply:
                """Echo the note's length."""
                return {"length": len(data.text)}

        app.register_api(bp)
        self.client: FlaskClient = app.test_client()

    def with_token(self, source: str, token: str) -> TestResponse:
        """A request carrying `token` the way `source` reads it."""
        path = f"/probe/{source.replace(' ', '-').replace(',', '')}"
        if source in SCHEME_WORD:
            return self.client.post(path, headers={"Authorization": f"{SCHEME_WORD[source]} {token}"})
        return self.client.post(path, json={"access-token": token})

    def with_body(self, mode: str, **request: object) -> TestResponse:
        return self.client.post(f"/probe/{mode}", **request)  # type: ignore[arg-type]


def _guarded_route(bp: ApiBlueprint, name: str, guard: Guard) -> None:
    @bp.post(f"/{name.replace(' ', '-').replace(',', '')}", endpoint=name.replace(" ", "_").replace(",", ""))
    @guard.required()
    def whoami(user: User) -> Reply:
        """The token's user."""
        return {"user": user.id}


@pytest.fixture
def probe(app: Flask) -> ProbeClient:
    return ProbeClient(app)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


every_source = pytest.mark.parametrize("source", list(SOURCES))


# Finding 1: revocation sticks.


@every_source
def test_a_token_from_before_a_password_change_stays_refused_when_its_row_is_restored(
    probe: ProbeClient, make_user: MakeUser, source: str
) -> None:
    user = make_user("rita")
    old = own_token(user)
    assert probe.with_token(source, old).status_code == 200
    change_password(user, "a-new-password")
    db.session.commit()
    db.session.execute(sa.update(Token).values(revoked=False))  # whatever an API does to the list later
    db.session.commit()
    assert probe.with_token(source, old).json == REFUSED
    new = issue_token(user, TokenType.ACCESS, timedelta(minutes=5))
    db.session.commit()
    assert probe.with_token(source, new).json == {"user": user.id}


@every_source
def test_the_token_stores_own_type_and_expiry_decide(probe: ProbeClient, make_user: MakeUser, source: str) -> None:
    user = make_user("rita")
    retyped, expired = own_token(user), own_token(user)
    db.session.execute(sa.update(Token).where(Token.jti == claims_of(retyped)["jti"]).values(token_type="refresh"))
    row = db.session.scalar(sa.select(Token).where(Token.jti == claims_of(expired)["jti"]))
    assert row is not None
    row.expires -= timedelta(hours=1)
    db.session.commit()
    assert probe.with_token(source, retyped).json == REFUSED
    assert probe.with_token(source, expired).json == REFUSED


# Finding 3: any malformed JWT header is an invalid token.

MALFORMED_HEADERS: dict[str, object] = {
    "a number for kid": {"alg": "HS256", "typ": "JWT", "kid": 123},
    "a list for kid": {"alg": "HS256", "kid": ["a"]},
    "a crit member": {"alg": "HS256", "crit": ["exp"]},
    "an empty crit": {"alg": "HS256", "crit": []},
    "a crit that is not a list": {"alg": "HS256", "crit": "b64"},
    "a number for alg": {"alg": 5},
    "no alg": {"typ": "JWT"},
    "alg none": {"alg": "none"},
    "a list for a header": [1, 2],
    "a header nested past the recursion limit": nested(2_000).encode(),
    "a header that is not JSON": b"\xff\xfe",
}


@every_source
@pytest.mark.parametrize("case", list(MALFORMED_HEADERS))
def test_a_malformed_jwt_header_is_an_invalid_token(probe: ProbeClient, source: str, case: str) -> None:
    assert probe.with_token(source, forged_jwt(MALFORMED_HEADERS[case], {"sub": "1"})).json == REFUSED


@pytest.mark.parametrize("source", ["JSON body field", "body, then header"])
@pytest.mark.parametrize(
    ("token", "answer"),
    [
        ("é.e30.AAAA", REFUSED),
        ("e30.e30.\u2028", REFUSED),
        ("\ud800.e30.AAAA", BAD_REQUEST),
        ("eyJ\udfff", BAD_REQUEST),
    ],
)
def test_a_token_that_is_not_ascii_is_refused(probe: ProbeClient, source: str, token: str, answer: object) -> None:
    """Text that is not UTF-8 makes the whole body unreadable; other text is an invalid token."""
    assert probe.with_token(source, token).json == answer


@every_source
def test_an_own_token_with_a_jti_that_is_not_a_string_is_refused(
    probe: ProbeClient, make_user: MakeUser, source: str
) -> None:
    claims = claims_of(own_token(make_user("rita"))) | {"jti": ["x"]}
    assert probe.with_token(source, codec().encode(claims)).json == REFUSED


# Findings 2 and 4, and bounded text: the body parser in both its modes.

body_modes = pytest.mark.parametrize("mode", ["json", "form"])


@body_modes
@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_deeply_nested_json_is_a_bad_request(probe: ProbeClient, mode: str, depth: int) -> None:
    body = '{"text": ' + nested(depth) + "}"
    response = probe.with_body(mode, data=body, content_type="application/json")
    assert (response.status_code, response.json) == (400, BAD_REQUEST)


@body_modes
def test_nesting_up_to_the_limit_is_parsed(probe: ProbeClient, mode: str) -> None:
    body = {"text": "ok", "extra": json.loads(nested(MAX_JSON_DEPTH - 1))}
    assert probe.with_body(mode, json=body).json == {"length": 2}


@body_modes
@pytest.mark.parametrize("text", ["\ud800", "a\udfffb", "\x00"])
def test_text_that_cannot_be_stored_is_a_bad_request_anywhere_in_the_body(
    probe: ProbeClient, mode: str, text: str
) -> None:
    for body in ({"text": text}, {"text": "ok", "deep": [[{"k": text}]]}, {"text": "ok", text: 1}):
        response = probe.with_body(mode, json=body)
        assert (response.status_code, response.json) == (400, BAD_REQUEST), body


@body_modes
def test_a_text_longer_than_any_column_is_a_bad_request(probe: ProbeClient, mode: str) -> None:
    assert probe.with_body(mode, json={"text": "x" * MAX_TEXT_LENGTH}).json == {"length": MAX_TEXT_LENGTH}
    response = probe.with_body(mode, json={"text": "x" * (MAX_TEXT_LENGTH + 1)})
    assert (response.status_code, response.json) == (400, BAD_REQUEST)


def test_form_fields_are_bounded_and_checked_too(probe: ProbeClient) -> None:
    assert probe.with_body("form", data={"text": "abc"}).json == {"length": 3}
    for text in ("x" * (MAX_TEXT_LENGTH + 1), "a\x00b"):
        response = probe.with_body("form", data={"text": text})
        assert (response.status_code, response.json) == (400, BAD_REQUEST)


# The query and the headers: bounded as gunicorn bounds them, and free of control characters.


def test_a_query_up_to_its_bound_is_read_and_a_longer_one_is_a_bad_request(probe: ProbeClient) -> None:
    at_bound = "t=" + "x" * (MAX_QUERY_LENGTH - 2)
    assert probe.with_body("json", json={"text": "ok"}, query_string=at_bound).json == {"length": 2}
    response = probe.with_body("json", json={"text": "ok"}, query_string=at_bound + "x")
    assert (response.status_code, response.json) == (400, BAD_REQUEST)


def test_a_header_up_to_its_bound_is_read_and_a_longer_one_is_a_bad_request(probe: ProbeClient) -> None:
    at_bound = "x" * MAX_HEADER_LENGTH
    assert probe.with_body("json", json={"text": "ok"}, headers={"X-Note": at_bound}).json == {"length": 2}
    response = probe.with_body("json", json={"text": "ok"}, headers={"X-Note": at_bound + "x"})
    assert (response.status_code, response.json) == (400, BAD_REQUEST)


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1f", "\x7f"])
def test_a_control_character_in_a_query_name_or_value_or_a_header_is_a_bad_request(
    probe: ProbeClient, character: str
) -> None:
    for request in (
        {"query_string": {"t": f"a{character}"}},
        {"query_string": {f"a{character}": "t"}},
        {"headers": {"X-Note": f"a{character}"}},
    ):
        response = probe.with_body("json", json={"text": "ok"}, **request)
        assert (response.status_code, response.json) == (400, BAD_REQUEST), request


def test_a_tab_in_a_header_is_read(probe: ProbeClient) -> None:
    assert probe.with_body("json", json={"text": "ok"}, headers={"X-Note": "a\tb"}).json == {"length": 2}


# The fuzz: arbitrary nesting and Unicode (surrogates included, escaped or raw) in bodies of both modes, and
# arbitrary JWT headers on tokens that reach past the signature check. Each takes a second or two.

form_bytes = st.binary(max_size=16) | any_text.map(lambda text: text.encode("utf-8", "surrogatepass"))


def nest(text: str, levels: list[bool]) -> str:
    """The JSON `text` inside an array, or an object where `levels` says True, per level, outermost first."""
    opening = "".join('{"k": ' if is_object else "[" for is_object in levels)
    return opening + text + "".join("}" if is_object else "]" for is_object in reversed(levels))


@st.composite
def nestings(draw: st.DrawFn) -> list[bool]:
    """A few levels, about the parser's limit, or past Python's recursion limit (1,000): a short pattern,
    repeated. Fifty thousand levels at most, so that twice that stays within the body size limit."""
    pattern = draw(st.lists(st.booleans(), min_size=1, max_size=4))
    depth = draw(st.integers(0, 3) | st.integers(MAX_JSON_DEPTH - 3, MAX_JSON_DEPTH + 1) | st.integers(1_000, 50_000))
    return [pattern[level % len(pattern)] for level in range(depth)]


@st.composite
def json_bodies(draw: st.DrawFn) -> bytes:
    """An object whose `text` is any value and which holds another value nested deep (under `text` at times);
    the whole object nested deep too at times; or bytes that need not be UTF-8."""
    ascii_only = draw(st.booleans())  # else texts go raw, lone surrogates as the bytes UTF-8 forbids

    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=ascii_only)

    text = dumps(draw(any_text | json_values))
    deep_key, deep_value = dumps(draw(st.sampled_from(["text", "extra"]) | any_text)), dumps(draw(json_values))
    body = f'{{"text": {text}, {deep_key}: {nest(deep_value, draw(nestings()))}}}'
    shape = draw(st.sampled_from(["object", "nested object", "any bytes"]))
    if shape == "any bytes":
        return draw(st.binary(max_size=64))
    return (nest(body, draw(nestings())) if shape == "nested object" else body).encode("utf-8", "surrogatepass")


@st.composite
def form_bodies(draw: st.DrawFn) -> bytes:
    """Form fields of any bytes, percent-encoded (UTF-8 or not, encoded surrogates included), `text` among them
    at times; or bytes that are no form encoding at all."""
    fields = draw(st.lists(st.tuples(st.just(b"text") | form_bytes, form_bytes), max_size=4))
    encoded = "&".join(f"{quote_from_bytes(name)}={quote_from_bytes(value)}" for name, value in fields)
    return draw(st.just(encoded.encode()) | st.binary(max_size=64))


def _answered(response: TestResponse) -> bool:
    """A body route answers with the note's length or a 400 of its dialect, in JSON; never a server error."""
    return response.status_code in {200, 400} and response.is_json


@fuzz
@given(mode=st.sampled_from(["json", "form"]), body=json_bodies())
def test_no_json_body_is_a_server_error(probe: ProbeClient, mode: str, body: bytes) -> None:
    assert _answered(probe.with_body(mode, data=body, content_type="application/json"))


@fuzz
@given(body=form_bodies())
def test_no_form_body_is_a_server_error(probe: ProbeClient, body: bytes) -> None:
    assert _answered(probe.with_body("form", data=body, content_type=FORM))


@dataclass(frozen=True)
class Issued:
    """An access token the app issued and stored: its user's id and its claims."""

    user_id: int
    claims: dict[str, Any]


@pytest.fixture
def issued(make_user: MakeUser) -> Issued:
    user = make_user("rita")
    return Issued(user.id, claims_of(own_token(user)))


@settings(fuzz, max_examples=100)  # a few in a hundred are accepted, which the last assertion needs
@given(source=st.sampled_from(list(SOURCES)), data=st.data())
def test_no_jwt_is_a_server_error(probe: ProbeClient, issued: Issued, source: str, data: st.DataObject) -> None:
    """Tokens signed with the app's own key, half of them, reach the header checks past the signature's."""
    key = codec().key
    header = data.draw(jwt_headers(key.algorithm, key.kid), label="header")
    payload = data.draw(jwt_payloads(issued.claims), label="payload")
    signed = data.draw(st.booleans(), label="signed with the app's key")

    answer = probe.with_token(
        source, forged_jwt(header, payload, signer(key.algorithm, key.private) if signed else None)
    )

    assert answer.json in (REFUSED, {"user": issued.user_id})
    if answer.json != REFUSED:  # accepted: only for the app's signature, by its algorithm
        assert signed and isinstance(header, dict) and header.get("alg") == key.algorithm


@fuzz
@given(source=st.sampled_from(["JSON body field", "body, then header"]), token=any_text)
def test_no_text_as_a_token_is_a_server_error(probe: ProbeClient, source: str, token: str) -> None:
    assert probe.with_token(source, token).json in (REFUSED, BAD_REQUEST)
