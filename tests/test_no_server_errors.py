"""Property test over the OpenAPI document: no generated request, however odd, is a server error, and every
answer has a documented status and matches its documented schema (issue 6 item 3)."""

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from apiary.core.identity import Role
from apiary.store import services as store
from tests.support import make_app


def _operations() -> list[tuple[str, str]]:
    paths = make_app(database_url="sqlite://").api_doc["paths"]
    return [(method.upper(), path) for path, methods in paths.items() for method in methods]


@pytest.mark.parametrize(("method", "path"), _operations())
def test_no_request_is_a_server_error(app: Flask, make_user, auth_headers, method: str, path: str) -> None:
    store.seed_catalogue()
    headers = auth_headers(make_user("admin", role=Role.ADMIN))
    operation = schemathesis.openapi.from_wsgi("/openapi/openapi.json", app)[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(
            checks=[not_a_server_error, status_code_conformance, response_schema_conformance], headers=headers
        )

    check()
