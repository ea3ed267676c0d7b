"""The OpenAPI document follows each route's declarations (issues 6 and 11): its guard gives the security
requirement and every status the guard can refuse with, its body rule the request body, its path the 404, its
request line the 400, its rate limit the 429, and the database the 503."""

import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from pydantic import BaseModel

from apiary import shared
from apiary.core.auth import AuthRule, Guard, HeaderToken, Refusal, auth_rule, rate_limited
from apiary.core.routing import FORM, JSON, ApiBlueprint, DocumentedBody, documented_body, takes_body
from apiary.core.tokens import Rejection
from tests.support import make_app

IGNORED_METHODS = {"HEAD", "OPTIONS"}
Operations = list[tuple[str, str, Any, dict[str, Any]]]
"""Each route's rule, method, view and documented operation."""
APIS = ["account", "store", "review", "forum", "bucketlist"]
DOCUMENTATION_BLUEPRINTS = {"openapi", "swagger"}  # the document and its viewer, not part of any API


def _openapi_path(rule: str) -> str:
    """`/products/<id:product_id>` as the document writes it: `/products/{product_id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def _declared_operations(app: Flask) -> Iterator[tuple[str, str, Any, dict[str, Any]]]:
    """Each route's rule, method, view and documented operation."""
    paths = app.api_doc["paths"]
    for rule in app.url_map.iter_rules():
        blueprint, _, _ = rule.endpoint.rpartition(".")
        if not blueprint or blueprint in DOCUMENTATION_BLUEPRINTS:
            continue
        for method in sorted((rule.methods or set()) - IGNORED_METHODS):
            operation = paths[_openapi_path(rule.rule)][method.lower()]
            yield rule.rule, method, app.view_functions[rule.endpoint], operation


@pytest.fixture(scope="module")
def operations() -> Operations:
    return list(_declared_operations(make_app(database_url="sqlite://")))


def _ids(operations: Operations) -> list[str]:
    return [f"{method} {rule}" for rule, method, _, _ in operations]


def test_every_route_is_documented(operations: Operations) -> None:
    assert {"PATCH /products/<id:product_id>", "GET /account", "POST /auth/register"} <= set(_ids(operations))


def test_guarded_routes_declare_their_guards_schemes_and_every_refusal(operations: Operations) -> None:
    schemes = make_app(database_url="sqlite://").api_doc["components"]["securitySchemes"]
    guarded = [(rule, method, auth_rule(view), op) for rule, method, view, op in operations if auth_rule(view)]
    assert len(guarded) >= 10  # account's seven and the store's four

    for rule, method, auth, operation in guarded:
        assert isinstance(auth, AuthRule)
        expected = auth.guard.statuses | ({403} if auth.permission else set())
        assert operation["security"] == auth.guard.security, (method, rule)
        assert all(name in schemes for requirement in operation["security"] for name in requirement)
        assert {str(status) for status in expected} <= set(operation["responses"]), (method, rule)


def test_forums_body_token_has_a_scheme_of_its_own_and_a_field_in_each_request_body(
    operations: Operations,
) -> None:
    document = make_app(database_url="sqlite://").api_doc
    scheme = document["components"]["securitySchemes"]["body.access-token"]
    forum = {
        f"{method} {rule}": op for rule, method, view, op in operations if "forum" in op["tags"] and auth_rule(view)
    }
    assert set(forum) >= {"POST /verify-token", "PUT /articles/<article_id>/edit"}

    assert scheme["x-apiary-body-field"] == "access-token" and "`access-token`" in scheme["description"]
    for name, operation in forum.items():
        # Either the body field or the header.
        assert operation["security"] == [{"body.access-token": []}, {"bearer": []}, {"oauth2": []}], name
        schema = operation["requestBody"]["content"][JSON]["schema"]
        assert schema["properties"]["access-token"]["type"] == "string", name
        assert "access-token" not in schema.get("required", []), name
        assert {"400", "401", "413"} <= set(operation["responses"]), name  # the guard reads the body
    assert forum["POST /verify-token"]["requestBody"]["required"] is False
    assert forum["PUT /articles/<article_id>/edit"]["requestBody"]["required"] is True


def test_open_routes_declare_no_security(operations: Operations) -> None:
    open_routes = [(rule, method, op) for rule, method, view, op in operations if auth_rule(view) is None]
    assert ("/products", "GET") in {(rule, method) for rule, method, _ in open_routes}

    for rule, method, operation in open_routes:
        assert "security" not in operation, (method, rule)


def test_routes_taking_a_body_document_it_and_its_400(operations: Operations) -> None:
    with_body = [(rule, method, _body(view), op) for rule, method, view, op in operations if _body(view)]
    assert len(with_body) >= 6  # PUT /auth/token/<id>, PUT|PATCH /account, POST /categories|/products, PATCH

    for rule, method, body, operation in with_body:
        assert isinstance(body, DocumentedBody)
        content = operation["requestBody"]["content"]
        assert list(content) == ([JSON, FORM] if body.form else [JSON]), (method, rule)
        schema = content[JSON]["schema"]
        titles = [option["title"] for option in schema.get("oneOf", [schema])]
        assert titles == [model.__name__ for model in body.models], (method, rule)
        assert {str(status) for status in body.statuses} <= set(operation["responses"]), (method, rule)
        assert {"400", "413"} <= set(operation["responses"]), (method, rule)


def test_the_shared_paths_document_both_dialects_bodies(operations: Operations) -> None:
    by_id = dict(zip(_ids(operations), operations, strict=True))

    for name, titles in {
        "POST /auth/register": ["Registration", "EmailRegistration"],
        "POST /auth/login": ["Login", "EmailCredentials"],
    }.items():
        operation = by_id[name][3]
        content = operation["requestBody"]["content"]
        assert list(content) == [JSON, FORM]
        assert [option["title"] for option in content[JSON]["schema"]["oneOf"]] == titles
        assert {"200", "400", "413", "429", "503"} <= set(operation["responses"])
        assert operation["responses"]["400"]["content"][JSON]["schema"] == {"$ref": "#/components/schemas/SharedError"}
    assert {"201", "202"} <= set(by_id["POST /auth/register"][3]["responses"])
    home = by_id["GET /"][3]["responses"]
    assert sorted(home) == ["200", "302", "400"]
    assert list(home["200"]["content"]) == [JSON, "text/plain", "text/html"]


def test_no_operation_documents_an_answer_the_app_never_gives(operations: Operations) -> None:
    """flask-openapi3 adds a 422 of its own shape to every operation; Apiary answers such values with a 400."""
    document = make_app(database_url="sqlite://").api_doc

    assert "ValidationErrorModel" not in document["components"]["schemas"]
    for rule, method, _, operation in operations:
        for status, answer in operation["responses"].items():
            assert "ValidationErrorModel" not in str(answer), (method, rule, status)


REDEEM_REFRESH_TOKENS = {"/auth/refresh", "/oauth/token"}


def test_every_route_documents_400_rate_limits_429_and_the_database_503(operations: Operations) -> None:
    """Any route refuses a query or header no API can take; each route's model may refuse a value too."""
    for rule, method, view, operation in operations:
        responses = set(operation["responses"])
        assert "400" in responses, (method, rule)
        # A refresh answers 429 too, past its user's RATELIMIT_REFRESH (a limit per user, not per client).
        assert ("429" in responses) == (rate_limited(view) or rule in REDEEM_REFRESH_TOKENS), (method, rule)
        if rule not in ("/", "/welcome"):  # they never touch the database
            assert "503" in responses, (method, rule)
    by_id = dict(zip(_ids(operations), operations, strict=True))
    assert "503" not in by_id["GET /welcome"][3]["responses"]
    assert "429" in by_id["POST /auth/refresh"][3]["responses"]


def test_routes_with_a_path_parameter_document_404(operations: Operations) -> None:
    with_parameter = [(rule, method, op) for rule, method, _, op in operations if "<" in rule]
    assert len(with_parameter) >= 5

    for rule, method, operation in with_parameter:
        assert "404" in operation["responses"], (method, rule)


def test_an_open_route_without_a_path_parameter_documents_no_404(
    operations: Operations,
) -> None:
    by_id = dict(zip(_ids(operations), operations, strict=True))

    assert "404" not in by_id["GET /categories"][3]["responses"]
    assert "404" not in by_id["GET /products"][3]["responses"]


def test_the_store_product_update_documents_exactly_its_declarations(
    operations: Operations,
) -> None:
    operation = dict(zip(_ids(operations), operations, strict=True))["PATCH /products/<id:product_id>"][3]

    # 200 declared; 400/401/403 the guard's; 403 the permission; 400/413 the body; 400 the path model, 404 the
    # path; 503 the database.
    assert sorted(operation["responses"]) == ["200", "400", "401", "403", "404", "413", "503"]
    assert operation["security"] == [{"bearer": []}, {"oauth2": []}]
    assert list(operation["requestBody"]["content"]) == [JSON]


def _body(view: Any) -> DocumentedBody | None:
    return documented_body(view)


# --- a probe API, for the declarations no route of the APIs built so far combines --------------------


class Probe(BaseModel):
    text: str


def test_a_form_body_documents_both_media_types_and_a_custom_guard_its_own_statuses() -> None:
    bp = ApiBlueprint("probe", __name__, error_model=Probe)
    guard = Guard(
        source=HeaderToken(),
        refusals={Rejection.MISSING: Refusal(401), Rejection.FORBIDDEN: Refusal(403)},
        default=Refusal(418),
    )

    @bp.post("/probe", responses={200: Probe})
    @guard.required()
    @takes_body(Probe, form=True)
    def probe(data: Probe) -> dict[str, Any]:
        """Echo the text."""
        return data.model_dump()

    app = make_app(database_url="sqlite://")
    app.register_api(bp)
    operation = app.api_doc["paths"]["/probe"]["post"]

    assert list(operation["requestBody"]["content"]) == [JSON, FORM]
    assert operation["requestBody"]["content"][FORM]["schema"]["title"] == "Probe"
    assert {"400", "401", "403", "413", "418"} <= set(operation["responses"])
    assert "404" not in operation["responses"]
    assert operation["responses"]["418"]["content"][JSON]["schema"] == {"$ref": "#/components/schemas/Probe"}


# --- the error model each API documents -----------------------------------------------------------------


@pytest.mark.parametrize("api", APIS)
def test_error_responses_describe_the_apis_own_error_model(operations: Operations, api: str) -> None:
    app = make_app(database_url="sqlite://")
    components = app.api_doc["components"]["schemas"]
    error_model = app.blueprints[api].error_model
    guarded = [op for rule, method, view, op in operations if auth_rule(view) and _api_of(app, rule, method) == api]
    assert guarded

    for operation in guarded:
        reference = operation["responses"]["401"]["content"][JSON]["schema"]["$ref"]
        documented = components[reference.removeprefix("#/components/schemas/")]
        assert set(documented["properties"]) == set(error_model.model_fields)


def _api_of(app: Flask, rule: str, method: str) -> str:
    endpoint = next(r.endpoint for r in app.url_map.iter_rules() if r.rule == rule and method in (r.methods or ()))
    return endpoint.split(".")[0]


def test_no_two_models_share_a_name_in_the_document() -> None:
    # The document names a schema by its model's title, so a second model of one title would silently
    # replace the first everywhere it is referenced (forum's and bucketlist's LoginOut once did).
    owners: dict[str, set[str]] = {}
    for module in (*(importlib.import_module(f"apiary.{api}.schemas") for api in [*APIS, "oauth"]), shared):
        for model in vars(module).values():
            if isinstance(model, type) and issubclass(model, BaseModel) and model.__module__ == module.__name__:
                owners.setdefault(model.model_json_schema()["title"], set()).add(f"{module.__name__}.{model.__name__}")
    components = make_app(database_url="sqlite://").api_doc["components"]["schemas"]

    assert {title: names for title, names in owners.items() if len(names) > 1 and title in components} == {}
