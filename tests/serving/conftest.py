"""Real gunicorn servers, started from the repository's gunicorn.conf.py on spare loopback ports."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from tests.support import TEST_CONFIG

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
APIARY = Path(sys.executable).with_name("apiary")

StartServer = Callable[..., str]


def apiary_environment(instance: Path, **settings: str) -> dict[str, str]:
    """The environment of an Apiary process for a test: its own instance folder and SQLite file by default."""
    return {
        **os.environ,
        "APIARY_ENV": "test",
        "SECRET_KEY": TEST_CONFIG["secret_key"],
        "INSTANCE_DIR": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'apiary.db'}",
        "RATELIMIT_ENABLED": "false",
        "WEB_CONCURRENCY": "1",
        **settings,
    }


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[StartServer]:
    """start_server(**settings) -> base URL of a gunicorn serving Apiary; every server stops at the end."""
    servers: list[subprocess.Popen[bytes]] = []

    def start(**settings: str) -> str:
        port = spare_port()
        environment = apiary_environment(tmp_path, PORT=str(port), **settings)
        with (tmp_path / f"gunicorn-{port}.log").open("wb") as log:
            server = subprocess.Popen(
                [str(GUNICORN), "--config", str(REPO / "gunicorn.conf.py"), "apiary:create_app()"],
                cwd=tmp_path,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        servers.append(server)
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, server)
        return url

    yield start
    for server in servers:
        server.terminate()
    for server in servers:
        server.wait(timeout=30)


def _wait_until_up(url: str, server: subprocess.Popen[bytes], *, seconds: float = 30) -> None:
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
