"""Swagger UI at /docs, in a real headless Chromium (Debian's), against a live server: no network needed."""

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from apiary.core.extensions import db
from tests.support import make_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "swagger.png"
# Chromium's own background connections are refused on a closed network: switch them off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason="Debian's chromium is not installed")


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    """Apiary served over HTTP on 127.0.0.1 from a thread, on a SQLite file of its own."""
    app = make_app(database_url=f"sqlite:///{tmp_path / 'docs.db'}")
    with app.app_context():
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def test_swagger_ui_renders_every_api_and_tries_an_operation(live_server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    document = make_app(database_url="sqlite://").api_doc
    tags = {
        tag for methods in document["paths"].values() for operation in methods.values() for tag in operation["tags"]
    }
    health_id = document["paths"]["/health"]["get"]["operationId"]

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            page.goto(f"{live_server}/docs")
            expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
            for tag in sorted(tags):
                expect(page.locator(f'.opblock-tag[data-tag="{tag}"]')).to_be_visible()

            health = page.locator(f"#operations-shared-{health_id}")
            health.locator(".opblock-summary").click()
            health.get_by_role("button", name="Try it out").click()
            health.get_by_role("button", name="Execute").click()
            status = health.locator(".live-responses-table tbody .response-col_status").first
            expect(status).to_have_text("200", timeout=10_000)
            expect(health.locator(".live-responses-table .microlight").first).to_contain_text('"ok"')

            # The README's picture: written only when asked (`make docs`), so `make test` leaves the tree alone.
            page.evaluate("window.scrollTo(0, 0)")
            target = SCREENSHOT if os.environ.get("APIARY_WRITE_SCREENSHOTS") else tmp_path / "swagger.png"
            page.screenshot(path=str(target))
            assert target.stat().st_size > 0
        finally:
            browser.close()
