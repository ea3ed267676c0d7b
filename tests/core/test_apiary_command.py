"""The `apiary` command builds its app from the environment alone, as an operator runs it."""

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from apiary.cli import cli
from tests.support import TEST_CONFIG


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An operator's environment: every setting from variables, run from a directory of its own (so that
    neither a developer's `.env` nor the working tree is involved)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.setenv("SECRET_KEY", TEST_CONFIG["secret_key"])
    monkeypatch.setenv("ARGON2_MEMORY_KIB", "8")
    monkeypatch.setenv("ARGON2_TIME_COST", "1")
    monkeypatch.setenv("FLASK_SKIP_DOTENV", "1")
    return tmp_path / "instance"


def test_apiary_migrates_and_creates_a_user_in_the_configured_instance_dir(environment: Path) -> None:
    environment.mkdir()
    runner = CliRunner()

    upgraded = runner.invoke(cli, ["db", "upgrade"], catch_exceptions=False)
    created = runner.invoke(cli, ["create-user", "carol", "--password", "pw-carol"], catch_exceptions=False)
    again = runner.invoke(cli, ["create-user", "carol", "--password", "pw-carol"], catch_exceptions=False)

    assert upgraded.exit_code == 0, upgraded.output
    assert (created.exit_code, again.exit_code) == (0, 2), created.output
    assert "Created user carol" in created.output
    assert "username is already in use." in again.output  # the first run's user was stored
    # The database and its write-ahead log, all as private as the database file.
    files = {path.name: stat.S_IMODE(path.stat().st_mode) for path in environment.iterdir()}
    assert set(files) <= {"apiary.db", "apiary.db-wal", "apiary.db-shm"} and "apiary.db" in files
    assert set(files.values()) == {0o600}
