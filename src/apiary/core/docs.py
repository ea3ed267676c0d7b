"""The OpenAPI document at /openapi.json and Swagger UI at /docs, every asset served from installed packages."""

import re
from typing import Any

from flask_openapi3 import APIBlueprint, OpenAPI
from flask_openapi3_swagger.templates import swagger_html_string

from apiary.core.headers import docs_policy

# flask-openapi3 serves the document and Swagger UI's assets under /openapi/; the page's links are
# relative, so /docs names that folder as its base.
DOCS_PAGE = swagger_html_string.replace("<head>", '<head>\n    <base href="/openapi/">', 1)
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


class DocumentedApp(OpenAPI):
    """The app and its document: each API blueprint adds the security schemes its guards use, and the document
    shows only the answers the app really gives.

    flask-openapi3 writes a 422 of its own shape into every operation that does not declare one. Apiary never
    answers it: an invalid path or query value is the owning API's 400 (see `raise_validation_failed`), which
    each route documents (see `core.routing.ApiBlueprint`). So those 422s, and their model, are dropped.
    """

    def register_api(self, api: APIBlueprint, **options: Any) -> None:
        super().register_api(api, **options)
        self.security_schemes = {**(self.security_schemes or {}), **getattr(api, "security_schemes", {})}

    def generate_spec_json(self) -> None:
        super().generate_spec_json()
        name = self.validation_error_model.__name__
        own_answer = {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}}
        for path_item in self.spec_json["paths"].values():
            for operation in path_item.values():
                answer = operation["responses"].get(self.validation_error_status, {})
                if answer.get("content", {}).get("application/json", {}).get("schema") == own_answer:
                    del operation["responses"][self.validation_error_status]
        self.spec_json["components"]["schemas"].pop(name, None)


def register_docs(app: OpenAPI) -> dict[str, str]:
    """Serve the document at /openapi.json (it is also at /openapi/openapi.json) and Swagger UI at /docs.

    Returns the Content-Security-Policy of each Swagger UI page: it allows that page's inline script only.
    """
    with app.app_context():
        docs_page = _render(app, DOCS_PAGE, doc_url="/openapi.json")
        library_page = _render(app, swagger_html_string, doc_url="openapi.json")
    app.add_url_rule("/openapi.json", "openapi_document", lambda: app.api_doc)
    app.add_url_rule("/docs", "docs", lambda: docs_page)
    return {"/docs": _policy_of(docs_page), "/openapi/swagger": _policy_of(library_page)}


def _render(app: OpenAPI, template: str, *, doc_url: str) -> str:
    return app.jinja_env.from_string(template).render(doc_url=doc_url, swagger_config=None, oauth_config=None)


def _policy_of(page: str) -> str:
    match = INLINE_SCRIPT.search(page)
    assert match is not None, "Swagger UI's page has an inline script"
    return docs_policy(match.group(1))
