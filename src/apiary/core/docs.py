"""The OpenAPI document at /openapi.json and Swagger UI at /docs, every asset served from installed packages."""

from flask import Flask, render_template_string
from flask_openapi3 import OpenAPI
from flask_openapi3_swagger.templates import swagger_html_string

# flask-openapi3 serves the document and Swagger UI's assets under /openapi/; the page's links are
# relative, so /docs names that folder as its base.
DOCS_PAGE = swagger_html_string.replace("<head>", '<head>\n    <base href="/openapi/">', 1)


def register_docs(app: OpenAPI) -> None:
    """Serve the document at /openapi.json (it is also at /openapi/openapi.json) and Swagger UI at /docs."""
    app.add_url_rule("/openapi.json", "openapi_document", lambda: app.api_doc)
    app.add_url_rule("/docs", "docs", lambda: _docs_page(app))


def _docs_page(app: Flask) -> str:
    return render_template_string(DOCS_PAGE, doc_url="/openapi.json", swagger_config=None, oauth_config=None)
