"""The guard (issue 6 item 2): default refusals, body and combined token sources, a vanished user, and
views that receive the principal or the user only when they ask."""

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from pydantic import BaseModel

from apiary.core.auth import BodyToken, FirstOf, Guard, HeaderToken, Refusal
from apiary.core.errors import AuthFailure
from apiary.core.extensions import db
from apiary.core.identity import Role, TokenType, User
from apiary.core.routing import ApiBlueprint
from apiary.core.tokens import Principal, Rejection, TokenRejected, verify_token
from apiary.store.models import Category
from tests.account.helpers import NOT_FOUND as ACCOUNT_NOT_FOUND
from tests.store.helpers import auth_failure
from tests.support import MakeUser, bearer, own_token, row_count

HEADER = HeaderToken(scheme="Bearer")
LISTED = Refusal(401, "no token")
DEFAULT = Refusal(418, "refused")

# --- refusal tables -----------------------------------------------------------------------------------


def test_a_default_answers_every_reason_the_table_does_not_list() -> None:
    guard = Guard(source=HEADER, refusals={Rejection.MISSING: LISTED}, default=DEFAULT)

    assert guard.refusal(Rejection.MISSING) == LISTED
    assert {guard.refusal(reason) for reason in Rejection if reason is not Rejection.MISSING} == {DEFAULT}
    assert guard.statuses == {401, 418}


def test_a_partial_table_without_a_default_fails_naming_what_it_lacks() -> None:
    with pytest.raises(ValueError, match="expired.*user_gone"):
        Guard(source=HEADER, refusals={Rejection.MISSING: LISTED, Rejection.FORBIDDEN: Refusal(403)})


@pytest.mark.parametrize("refusals", [{}, {Rejection.MISSING: LISTED}], ids=["empty", "partial"])
def test_a_partial_or_empty_table_with_a_default_is_complete(refusals: dict[Rejection, Refusal]) -> None:
    guard = Guard(source=HEADER, refusals=refusals, default=DEFAULT)

    assert guard.refusal(Rejection.USER_GONE) == DEFAULT


@pytest.mark.parametrize(
    ("headers", "status", "message"),
    [
        ({}, 401, "no token"),
        ({"Authorization": "Bearer not-a-jwt"}, 418, "refused"),
        ({"Authorization": "Basic abc"}, 418, "refused"),
    ],
)
def test_the_guard_raises_the_listed_or_the_default_refusal(
    app: Flask, headers: dict[str, str], status: int, message: str
) -> None:
    guard = Guard(source=HEADER, refusals={Rejection.MISSING: LISTED}, default=DEFAULT)

    with app.test_request_context(headers=headers), pytest.raises(AuthFailure) as refused:
        guard.authenticate(token_type=TokenType.ACCESS, permission=None)

    assert (refused.value.status_code, refused.value.message) == (status, message)


def test_a_refusal_without_a_message_carries_the_decoders_words(app: Flask) -> None:
    guard = Guard(source=HEADER, refusals={}, default=Refusal(422))

    with app.test_request_context(headers={"Authorization": "Bearer abc"}), pytest.raises(AuthFailure) as refused:
        guard.authenticate(token_type=TokenType.ACCESS, permission=None)

    assert (refused.value.status_code, refused.value.message) == (422, "Not enough segments")


# --- token sources ------------------------------------------------------------------------------------

FIELD = "access-token"


@pytest.mark.parametrize(
    "request_kwargs",
    [
        pytest.param({}, id="no-body"),
        pytest.param({"data": {FIELD: "abc"}}, id="form-body"),
        pytest.param({"data": f'{{"{FIELD}": "abc"}}'}, id="json-text-without-content-type"),
        pytest.param({"data": f'{{"{FIELD}": "abc"', "content_type": "application/json"}, id="malformed-json"),
        pytest.param({"json": "abc"}, id="json-string"),
        pytest.param({"json": [{FIELD: "abc"}]}, id="json-array"),
    ],
)
def test_body_token_without_a_json_object_is_no_body(app: Flask, request_kwargs: dict[str, Any]) -> None:
    with app.test_request_context(method="POST", **request_kwargs):
        assert _reason(BodyToken(FIELD)) is Rejection.NO_BODY


@pytest.mark.parametrize("body", [{}, {"title": "t"}, {FIELD: ""}, {FIELD: None}])
def test_body_token_in_a_json_object_without_the_field_is_missing(app: Flask, body: dict[str, Any]) -> None:
    with app.test_request_context(method="POST", json=body):
        assert _reason(BodyToken(FIELD)) is Rejection.MISSING


@pytest.mark.parametrize("token", [["abc"], {"a": 1}, 5, True])
def test_a_body_token_that_is_not_a_string_is_undecodable(app: Flask, token: Any) -> None:
    with app.test_request_context(method="POST", json={FIELD: token}):
        assert _reason(BodyToken(FIELD)) is Rejection.UNDECODABLE


BODY_THEN_HEADER = FirstOf((BodyToken(FIELD), HEADER))
HEADER_THEN_BODY = FirstOf((HEADER, BodyToken(FIELD)))


@pytest.mark.parametrize(
    ("source", "body", "header", "token"),
    [
        (BODY_THEN_HEADER, {FIELD: "from-body"}, "Bearer from-header", "from-body"),
        (HEADER_THEN_BODY, {FIELD: "from-body"}, "Bearer from-header", "from-header"),
        (BODY_THEN_HEADER, {"title": "t"}, "Bearer from-header", "from-header"),
        (BODY_THEN_HEADER, None, "Bearer from-header", "from-header"),
        (HEADER_THEN_BODY, {FIELD: "from-body"}, None, "from-body"),
        (HEADER_THEN_BODY, {FIELD: "from-body"}, "Token from-header", "from-body"),
    ],
    ids=["both-body-first", "both-header-first", "no-field", "no-body", "no-header", "bad-header"],
)
def test_first_of_takes_the_first_source_that_has_a_token(
    app: Flask, source: FirstOf, body: dict[str, Any] | None, header: str | None, token: str
) -> None:
    headers = {"Authorization": header} if header else {}
    with app.test_request_context(method="POST", json=body, headers=headers):
        assert source.extract() == token


@pytest.mark.parametrize(
    ("source", "body", "header", "reason"),
    [
        (BODY_THEN_HEADER, None, None, Rejection.NO_BODY),
        (BODY_THEN_HEADER, {"title": "t"}, "Token x", Rejection.MISSING),
        (HEADER_THEN_BODY, None, None, Rejection.MISSING),
        (HEADER_THEN_BODY, {"title": "t"}, "Token x", Rejection.BAD_SCHEME),
        (HEADER_THEN_BODY, None, "Bearer", Rejection.NO_TOKEN),
    ],
)
def test_first_of_without_any_token_raises_the_first_sources_reason(
    app: Flask, source: FirstOf, body: dict[str, Any] | None, header: str | None, reason: Rejection
) -> None:
    headers = {"Authorization": header} if header else {}
    with app.test_request_context(method="POST", json=body, headers=headers):
        assert _reason(source) is reason


def _reason(source: HeaderToken | BodyToken | FirstOf) -> Rejection:
    with pytest.raises(TokenRejected) as rejected:
        source.extract()
    return rejected.value.reason


# --- a token whose user is gone -----------------------------------------------------------------------


def _delete_behind_the_apis_back(user: User) -> None:
    """Remove the user row with plain SQL: no service revokes its tokens first."""
    db.session.execute(sa.delete(User).where(User.id == user.id))
    db.session.commit()


def test_a_stored_token_of_a_deleted_user_is_rejected_as_user_gone(make_user: MakeUser) -> None:
    user = make_user("bob")
    token = own_token(user)
    _delete_behind_the_apis_back(user)

    with pytest.raises(TokenRejected) as rejected:
        verify_token(token, token_type=TokenType.ACCESS, accept_external=False)

    assert rejected.value.reason is Rejection.USER_GONE


def test_account_answers_a_token_of_a_deleted_user_with_its_404(client: FlaskClient, make_user: MakeUser) -> None:
    token = own_token(make_user("bob"))
    assert client.get("/account", headers=bearer(token)).status_code == 200

    _delete_behind_the_apis_back(db.session.scalars(sa.select(User)).one())
    response = client.get("/account", headers=bearer(token))

    assert (response.status_code, response.get_json()) == (404, ACCOUNT_NOT_FOUND)


def test_store_answers_a_token_of_a_deleted_user_as_revoked(client: FlaskClient, make_user: MakeUser) -> None:
    token = own_token(make_user("admin", role=Role.ADMIN))
    _delete_behind_the_apis_back(db.session.scalars(sa.select(User)).one())

    response = client.post("/categories", json={"name": "Machinery"}, headers=bearer(token))

    assert response.get_json() == auth_failure(401, "token_revoked", "Token has been revoked.")
    assert row_count(Category) == 0


# --- what a guarded view receives ---------------------------------------------------------------------


class Echo(BaseModel):
    received: dict[str, Any]


def _register_probe(app: Flask, guard: Guard) -> FlaskClient:
    """Mount views that echo the guard's arguments they were handed; any unasked one would be a TypeError."""
    bp = ApiBlueprint("probe", __name__, error_model=Echo)

    @bp.get("/probe/nothing", responses={200: Echo})
    @guard.required()
    def nothing() -> dict[str, Any]:
        """Asks for nothing."""
        return {"received": {}}

    @bp.get("/probe/principal", responses={200: Echo})
    @guard.permission("post:new-product")
    def principal_only(principal: Principal) -> dict[str, Any]:
        """Asks for the principal."""
        return {"received": {"principal": sorted(principal.permissions), "user": principal.user.username}}

    @bp.get("/probe/user", responses={200: Echo})
    @guard.required()
    def user_only(user: User) -> dict[str, Any]:
        """Asks for the user."""
        return {"received": {"user": user.username}}

    @bp.get("/probe/both", responses={200: Echo})
    @guard.required()
    def both(user: User, principal: Principal) -> dict[str, Any]:
        """Asks for both."""
        return {"received": {"same": principal.user is user, "user": user.username}}

    app.register_api(bp)
    return app.test_client()


@pytest.fixture
def probe(app: Flask) -> FlaskClient:
    return _register_probe(app, Guard(source=HEADER, refusals={}, default=Refusal(401, "refused")))


@pytest.mark.parametrize(
    ("url", "received"),
    [
        ("/probe/nothing", {}),
        ("/probe/principal", {"principal": ["post:new-product"], "user": "sam"}),
        ("/probe/user", {"user": "sam"}),
        ("/probe/both", {"same": True, "user": "sam"}),
    ],
)
def test_a_view_receives_the_principal_or_the_user_only_when_it_asks(
    probe: FlaskClient, make_user: MakeUser, url: str, received: dict[str, Any]
) -> None:
    token = own_token(make_user("sam", role=Role.SELLER))

    response = probe.get(url, headers=bearer(token))

    assert (response.status_code, response.get_json()) == (200, {"received": received})


def test_the_probe_views_are_guarded(probe: FlaskClient, make_user: MakeUser) -> None:
    customer = own_token(make_user("carl", role=Role.CUSTOMER))

    assert probe.get("/probe/user").get_json() == {"msg": "refused"}
    assert probe.get("/probe/principal", headers=bearer(customer)).get_json() == {"msg": "refused"}


@pytest.mark.parametrize("decorate", [lambda guard: guard.required(), lambda guard: guard.permission("patch:products")])
def test_a_view_asking_for_the_user_of_a_guard_taking_external_tokens_is_a_type_error(
    decorate: Callable[[Guard], Callable[..., Any]],
) -> None:
    guard = Guard(source=HEADER, refusals={}, default=DEFAULT, accept_external=True)

    def view(user: User) -> None:
        """Wants a local user that an external token does not have."""

    with pytest.raises(TypeError, match="view: external tokens have no local user"):
        decorate(guard)(view)


def test_a_view_asking_for_the_principal_of_a_guard_taking_external_tokens_is_fine() -> None:
    guard = Guard(source=HEADER, refusals={}, default=DEFAULT, accept_external=True)

    def view(principal: Principal) -> None:
        """Reads permissions only."""

    assert guard.permission("patch:products")(view).__wrapped__ is view
