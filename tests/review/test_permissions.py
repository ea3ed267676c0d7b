"""Permission matrix: every protected endpoint x every kind of caller gets its exact status; a refused
write changes nothing, an accepted one changes exactly what it should."""

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from apiary.core.identity import Role
from tests.review.helpers import (
    FORBIDDEN,
    NO_HEADER,
    ReviewState,
    add_coder,
    add_mentor,
    add_snippet,
    review_state,
)
from tests.store.helpers import Provider, add_user
from tests.support import bearer, own_token

ALL_REVIEW_PERMISSIONS = {
    "add:coder",
    "add:mentor",
    "delete:snippet",
    "edit:snippet",
    "get:coders",
    "get:mentors",
    "get:snippets",
    "get:userinfo",
    "post:snippet",
}
PERMISSION = {
    "userinfo": "get:userinfo",
    "coders": "get:coders",
    "available coders": "get:coders",
    "choose mentor": "add:mentor",
    "mentors": "get:mentors",
    "add coder": "add:coder",
    "get snippet": "edit:snippet",
    "post snippet": "post:snippet",
    "edit snippet as coder": "edit:snippet",
    "edit snippet as mentor": "edit:snippet",
    "delete snippet": "delete:snippet",
}
CALLERS = [
    "anonymous",
    "coder",
    "mentor",
    "wrong coder",
    "wrong mentor",
    "store admin",
    "external with permission",
    "external without permission",
]
OWN_CALLERS = CALLERS[:6]
ROLE_MATRIX = {
    #                        anon coder mentor w-coder w-mentor admin ext+ ext-
    "userinfo": (401, 200, 200, 200, 200, 403, 200, 403),
    "coders": (401, 403, 200, 403, 200, 403, 200, 403),
    "available coders": (401, 403, 200, 403, 200, 403, 200, 403),
    "choose mentor": (401, 200, 403, 403, 403, 403, 403, 403),
    "mentors": (401, 200, 403, 200, 403, 403, 200, 403),
    "add coder": (401, 403, 200, 403, 403, 403, 403, 403),
    "get snippet": (401, 200, 200, 200, 200, 403, 200, 403),
    "post snippet": (401, 200, 403, 403, 403, 403, 403, 403),
    "edit snippet as coder": (401, 200, 403, 403, 403, 403, 403, 403),
    "edit snippet as mentor": (401, 403, 200, 403, 403, 403, 403, 403),
    "delete snippet": (401, 200, 403, 403, 403, 403, 403, 403),
}
REFUSALS = {401: NO_HEADER, 403: FORBIDDEN}


class World:
    """The owners ("coder" is coder1, "mentor" its mentor1), the wrong ones, and the rows the writes aim at."""

    def __init__(self) -> None:
        self.mentor, self.wrong_mentor = add_mentor("mentor1"), add_mentor("mentor2")
        self.coder = add_coder("coder1", self.mentor)
        self.wrong_coder = add_coder("coder2", self.wrong_mentor)
        self.snippet = add_snippet(self.coder, "Add a bird", needs_review=True)
        add_snippet(self.wrong_coder, "adasd")

    def headers_for(self, caller: str, permission: str, provider: Provider | None) -> dict[str, str]:
        if caller == "anonymous":
            return {}
        if caller.startswith("external"):
            assert provider is not None
            granted = [permission] if caller == "external with permission" else ALL_REVIEW_PERMISSIONS - {permission}
            return bearer(provider.token(permissions=sorted(granted)))
        if caller == "store admin":
            return bearer(own_token(add_user("storekeeper", Role.ADMIN)))
        return getattr(self, caller.replace(" ", "_")).headers()

    def send(self, client: FlaskClient, endpoint: str, headers: dict[str, str]) -> TestResponse:
        coder, mentor = self.coder.id, self.mentor.id
        content = {"name": "Add a duck", "code": "def duck(): pass", "comments": "Reviewed"}
        match endpoint:
            case "userinfo":
                return client.get("/userinfo/coder1", headers=headers)
            case "coders":
                return client.get("/coders", headers=headers)
            case "available coders":
                return client.get("/coders/available", headers=headers)
            case "choose mentor":
                return client.patch(f"/coder/{coder}/mentor", json={"mentorId": self.wrong_mentor.id}, headers=headers)
            case "mentors":
                return client.get("/mentors", headers=headers)
            case "add coder":
                return client.patch(f"/mentor/{mentor}/coder", json={"coderId": self.wrong_coder.id}, headers=headers)
            case "get snippet":
                return client.get(f"/snippet/{self.snippet}", headers=headers)
            case "post snippet":
                return client.post("/snippet", json={"coderId": coder, **content}, headers=headers)
            case "edit snippet as coder":
                body = {"usertype": "Coder", "userId": coder, "coderId": coder, **content}
                return client.patch(f"/snippet/{self.snippet}", json=body, headers=headers)
            case "edit snippet as mentor":
                body = {"usertype": "Mentor", "userId": mentor, "coderId": coder, **content}
                return client.patch(f"/snippet/{self.snippet}", json=body, headers=headers)
            case "delete snippet":
                return client.delete(f"/snippet/{self.snippet}", json={"coderId": coder}, headers=headers)
        raise AssertionError(endpoint)

    def after_success(self, endpoint: str, before: ReviewState) -> Callable[[ReviewState], bool]:
        """Whether a state is what a permitted call of `endpoint` leaves behind."""

        def with_mentor(coder_id: int, mentor_id: int) -> list[tuple[Any, ...]]:
            return [(*row[:3], mentor_id) if row[0] == coder_id else row for row in before.coders]

        edited = [
            (row[0], "Add a duck", "def duck(): pass", False, "Reviewed", row[5]) if row[0] == self.snippet else row
            for row in before.snippets
        ]
        match endpoint:
            case "choose mentor":
                return lambda after: after == before._replace(coders=with_mentor(self.coder.id, self.wrong_mentor.id))
            case "add coder":
                return lambda after: after == before._replace(coders=with_mentor(self.wrong_coder.id, self.mentor.id))
            case "post snippet":
                added = ("Add a duck", "def duck(): pass", False, "Reviewed", self.coder.id)
                return lambda after: after.snippets[:-1] == before.snippets and after.snippets[-1][1:] == added
            case "edit snippet as coder" | "edit snippet as mentor":
                return lambda after: after == before._replace(snippets=edited)
            case "delete snippet":
                remaining = [row for row in before.snippets if row[0] != self.snippet]
                return lambda after: after == before._replace(snippets=remaining)
        return lambda after: after == before


def cases(callers: list[str]) -> list[tuple[str, str, int]]:
    return [
        (endpoint, caller, ROLE_MATRIX[endpoint][CALLERS.index(caller)])
        for endpoint in ROLE_MATRIX
        for caller in callers
    ]


def check(client: FlaskClient, endpoint: str, caller: str, expected: int, provider: Provider | None = None) -> None:
    world = World()
    headers = world.headers_for(caller, PERMISSION[endpoint], provider)
    before = review_state()

    response = world.send(client, endpoint, headers)

    assert response.status_code == expected, response.get_json()
    if expected == 200:
        assert response.get_json()["success"] is True
        assert world.after_success(endpoint, before)(review_state())
    else:
        assert response.get_json() == REFUSALS[expected]
        assert review_state() == before


def test_the_matrix_covers_every_protected_review_route(client: FlaskClient) -> None:
    rules = {
        (method, rule.rule)
        for rule in client.application.url_map.iter_rules()
        if rule.endpoint.startswith("review.") and rule.endpoint != "review.signup"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }

    assert len(rules) == len(ROLE_MATRIX) - 1  # the snippet edit appears twice, once per usertype


@pytest.mark.parametrize(("endpoint", "caller", "expected"), cases(OWN_CALLERS))
def test_role_matrix_with_own_tokens_on_each_database(
    client: FlaskClient, endpoint: str, caller: str, expected: int
) -> None:
    check(client, endpoint, caller, expected)


@pytest.mark.parametrize(("endpoint", "caller", "expected"), cases(CALLERS[6:]))
def test_role_matrix_with_external_tokens_on_each_database(
    client: FlaskClient, provider: Provider, endpoint: str, caller: str, expected: int
) -> None:
    check(client, endpoint, caller, expected, provider)


@pytest.mark.usefixtures("provider")
def test_own_tokens_keep_working_next_to_the_provider(client: FlaskClient) -> None:
    check(client, "edit snippet as mentor", "mentor", 200)


def test_an_external_token_without_a_permissions_claim_is_403(client: FlaskClient, provider: Provider) -> None:
    response = client.get("/coders", headers=bearer(provider.token(permissions=None)))

    assert response.get_json() == FORBIDDEN
