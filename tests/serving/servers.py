"""Helpers for tests that start real Apiary processes: their environment, spare ports, waiting for them."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

from apiary.core.config import Settings
from tests.support import TEST_CONFIG

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
APIARY = Path(sys.executable).with_name("apiary")

StartServer = Callable[..., str]


def apiary_environment(instance: Path, **settings: str) -> dict[str, str]:
    """The environment of an Apiary process for a test: its own instance folder and SQLite file by default.

    None of the developer's own Apiary settings gets through, only the test's."""
    inherited = {name: value for name, value in os.environ.items() if name.lower() not in Settings.model_fields}
    return {
        **inherited,
        "APIARY_ENV": "test",
        "SECRET_KEY": TEST_CONFIG["secret_key"],
        "INSTANCE_DIR": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'apiary.db'}",
        "RATELIMIT_ENABLED": "false",
        "WEB_CONCURRENCY": "1",
        **settings,
    }


def upgrade_database(instance: Path, **settings: str) -> None:
    """Build the schema of the database these settings name, as a deployment does: `apiary db upgrade`."""
    subprocess.run(
        [str(APIARY), "db", "upgrade"],
        env=apiary_environment(instance, **settings),
        check=True,
        capture_output=True,
        timeout=120,
    )


class Servers:
    """gunicorn processes serving Apiary from the repository's gunicorn.conf.py, each on a spare port."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, **settings: str) -> str:
        """The base URL of a new server with these settings, once it answers; its log is in the folder."""
        (url,) = self.start_several(1, **settings)
        return url

    def start_several(self, count: int, **settings: str) -> list[str]:
        """The base URLs of `count` servers with these settings, started side by side, once all answer."""
        started = [self._launch(**settings) for _ in range(count)]
        for url, server in started:
            wait_until_up(url, server)
        return [url for url, _ in started]

    def _launch(self, **settings: str) -> tuple[str, subprocess.Popen[bytes]]:
        port = spare_port()
        environment = apiary_environment(self.folder, PORT=str(port), **settings)
        with (self.folder / f"gunicorn-{port}.log").open("wb") as log:
            server = subprocess.Popen(
                [str(GUNICORN), "--config", str(REPO / "gunicorn.conf.py"), "apiary:create_app()"],
                cwd=self.folder,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(server)
        return f"http://127.0.0.1:{port}", server

    def stop(self) -> None:
        """Stop every server started here, and wait for each to be gone."""
        for server in self.processes:
            server.terminate()
        for server in self.processes:
            server.wait(timeout=30)


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen[bytes], *, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            requests.get(f"{url}/health", timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer at {url} within {seconds} s")
