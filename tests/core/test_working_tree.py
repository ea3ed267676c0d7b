"""The suite never writes into the working tree (issue 6 item 6): an app built from the test configuration
alone keeps its database and its development secret in the test instance directory, outside the repo."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from apiary import create_app
from apiary.core.extensions import db
from tests.support import TEST_CONFIG

REPO_ROOT = Path(__file__).resolve().parents[2]
INSTANCE_DIR: Path = TEST_CONFIG["instance_dir"]


def _snapshot(root: Path) -> dict[str, Any]:
    """The repo root's entries, and everything under instance/ if a developer has one."""
    instance = root / "instance"
    return {
        "entries": sorted(path.name for path in root.iterdir()),
        "instance": sorted((str(p), p.stat().st_mtime_ns) for p in instance.rglob("*")) if instance.exists() else None,
    }


@pytest.fixture
def default_app(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """An app from TEST_CONFIG with no database or directory overrides, run from the repo root (where a
    relative default would land); without a secret too, when the test's parameter says so. The files it
    creates in the test instance directory are removed afterwards."""
    monkeypatch.chdir(REPO_ROOT)
    config = dict(TEST_CONFIG)
    if getattr(request, "param", "") == "no-secret":
        del config["secret_key"]
    existing = set(INSTANCE_DIR.iterdir())
    app = create_app(config)
    yield app
    with app.app_context():
        db.engine.dispose()
    for path in set(INSTANCE_DIR.iterdir()) - existing:
        path.unlink()


@pytest.mark.parametrize("default_app", ["with-secret", "no-secret"], indirect=True)
def test_a_request_and_cli_commands_write_only_into_the_test_instance_dir(default_app: Flask) -> None:
    before = _snapshot(REPO_ROOT)
    settings = default_app.extensions["apiary.settings"]

    runner = default_app.test_cli_runner()
    upgraded = runner.invoke(args=["db", "upgrade"])
    response = default_app.test_client().get("/products")
    pruned = runner.invoke(args=["prune-tokens"])

    assert upgraded.exit_code == 0, upgraded.output
    assert (response.status_code, pruned.exit_code) == (200, 0), pruned.output
    assert settings.instance_dir == INSTANCE_DIR
    assert not INSTANCE_DIR.resolve().is_relative_to(REPO_ROOT)
    assert settings.database_url == f"sqlite:///{INSTANCE_DIR.resolve() / 'apiary.db'}"
    assert (INSTANCE_DIR / "apiary.db").exists()
    assert _snapshot(REPO_ROOT) == before


def test_without_a_secret_the_development_secret_is_kept_in_the_test_instance_dir() -> None:
    config = {name: value for name, value in TEST_CONFIG.items() if name != "secret_key"}
    secret = INSTANCE_DIR / "dev-secret-key"
    existed = secret.exists()
    try:
        app = create_app({**config, "database_url": "sqlite://"})
        assert app.config["SECRET_KEY"] == secret.read_text().strip()
    finally:
        if not existed:
            secret.unlink(missing_ok=True)
