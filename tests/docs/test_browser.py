"""Swagger UI at /docs, in a real headless Chromium (Debian's), against a live server: no network needed."""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from apiary.commands import DEMO_PASSWORD
from apiary.core.extensions import db
from apiary.core.identity import Role
from apiary.core.users import create_user
from tests.support import make_app, served

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

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


DEMO_USER = "demo-customer"


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    """Apiary served over HTTP on 127.0.0.1 from a thread, on a SQLite file of its own, with a demo user."""
    app = make_app(database_url=f"sqlite:///{tmp_path / 'docs.db'}")
    with app.app_context():
        db.create_all()
        create_user(username=DEMO_USER, email=None, password=DEMO_PASSWORD, role=Role.CUSTOMER)
        db.session.commit()
    with served(app) as url:
        yield url


@contextmanager
def docs_page(live_server: str) -> Iterator["Page"]:
    """Swagger UI at /docs in headless Chromium, once its operations are shown."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            page.goto(f"{live_server}/docs")
            expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
            yield page
        finally:
            browser.close()


def try_it_out(page: "Page", blueprint: str, operation_id: str) -> "Locator":
    """Run one operation with "Try it out"; the operation's block, its answer shown."""
    from playwright.sync_api import expect

    operation = page.locator(f"#operations-{blueprint}-{operation_id}")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).not_to_be_empty(timeout=10_000)
    return operation


def status_of(operation: "Locator") -> "Locator":
    return operation.locator(".live-responses-table tbody .response-col_status").first


def test_swagger_ui_renders_every_api_and_tries_an_operation(live_server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    document = make_app(database_url="sqlite://").api_doc
    tags = {
        tag for methods in document["paths"].values() for operation in methods.values() for tag in operation["tags"]
    }
    health_id = document["paths"]["/health"]["get"]["operationId"]

    with docs_page(live_server) as page:
        for tag in sorted(tags):
            expect(page.locator(f'.opblock-tag[data-tag="{tag}"]')).to_be_visible()

        health = try_it_out(page, "shared", health_id)
        expect(status_of(health)).to_have_text("200")
        expect(health.locator(".live-responses-table .microlight").first).to_contain_text('"ok"')

        # The README's picture: written only when asked (`make docs`), so `make test` leaves the tree alone.
        page.evaluate("window.scrollTo(0, 0)")
        target = SCREENSHOT if os.environ.get("APIARY_WRITE_SCREENSHOTS") else tmp_path / "swagger.png"
        page.screenshot(path=str(target))
        assert target.stat().st_size > 0


def test_the_authorize_dialog_logs_in_with_a_password_and_try_it_out_sends_the_token(live_server: str) -> None:
    from playwright.sync_api import expect

    account_id = make_app(database_url="sqlite://").api_doc["paths"]["/account"]["get"]["operationId"]

    with docs_page(live_server) as page:
        before = try_it_out(page, "account", account_id)
        expect(status_of(before)).to_have_text("401")  # no token yet: the 200 below is the dialog's doing

        page.locator(".auth-wrapper .authorize").click()
        dialog = page.locator(".modal-ux")
        dialog.locator("#oauth_username").fill(DEMO_USER)
        dialog.locator("#oauth_password").fill(DEMO_PASSWORD)
        # A public client: client_id and client_secret stay empty.
        dialog.get_by_role("button", name="Apply given OAuth2 credentials").click()
        expect(dialog.get_by_role("button", name="Remove authorization")).to_be_visible(timeout=10_000)
        dialog.locator(".close-modal").click()

        before.get_by_role("button", name="Execute").click()
        expect(status_of(before)).to_have_text("200", timeout=10_000)
        expect(before.locator(".live-responses-table .microlight").first).to_contain_text(DEMO_USER)
