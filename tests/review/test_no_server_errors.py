"""Property test over the review API's part of the OpenAPI document, sent by a mentor and by a coder (the
app-wide one sends a store admin's token, which the review API refuses before reading anything)."""

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.review.helpers import add_coder, add_mentor, add_snippet
from tests.support import make_app


def _operations() -> list[tuple[str, str]]:
    paths = make_app(database_url="sqlite://").api_doc["paths"]
    return [
        (method.upper(), path)
        for path, methods in paths.items()
        for method, operation in methods.items()
        if "review" in operation.get("tags", [])
    ]


@pytest.mark.parametrize("caller", ["mentor", "coder"])
@pytest.mark.parametrize(("method", "path"), _operations())
def test_no_request_of_a_member_is_a_server_error(app: Flask, caller: str, method: str, path: str) -> None:
    mentor = add_mentor("mentor1")
    coder = add_coder("coder1", mentor)
    add_snippet(coder, needs_review=True)
    headers = (mentor if caller == "mentor" else coder).headers()
    operation = schemathesis.openapi.from_wsgi("/openapi/openapi.json", app)[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=[not_a_server_error], headers=headers)

    check()
