"""The OpenAPI document is valid OpenAPI 3, and /docs works with no network: every asset is local."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

from flask.testing import FlaskClient
from openapi_spec_validator import validate


class _Assets(HTMLParser):
    """The base URL, scripts and stylesheets a page references."""

    def __init__(self) -> None:
        super().__init__()
        self.base = ""
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "base" and named.get("href"):
            self.base = named["href"] or ""
        if tag == "script" and named.get("src"):
            self.urls.append(named["src"] or "")
        if tag == "link" and named.get("href"):
            self.urls.append(named["href"] or "")


def test_the_document_is_valid_openapi_3(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()

    validate(document)
    assert document["openapi"].startswith("3.")


def test_the_document_is_also_at_its_flask_openapi3_address(client: FlaskClient) -> None:
    assert client.get("/openapi/openapi.json").get_json() == client.get("/openapi.json").get_json()


def test_every_route_has_a_one_line_summary_and_a_tag(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()

    operations = [op for methods in document["paths"].values() for op in methods.values()]
    assert operations
    for operation in operations:
        assert operation.get("summary") and "\n" not in operation["summary"], operation["operationId"]
        assert operation.get("tags"), operation["operationId"]


def test_the_docs_page_and_every_asset_it_references_are_served_locally(client: FlaskClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assets = _Assets()
    assets.feed(html)

    assert assets.urls, "the page references no script or stylesheet"
    assert not re.search(r"https?://", html), "the page names an external URL"
    for url in assets.urls:
        address = urlparse(urljoin(urljoin("http://localhost/docs", assets.base), url))
        assert address.netloc == "localhost", url
        with client.get(address.path) as asset:
            assert asset.status_code == 200, address.path
