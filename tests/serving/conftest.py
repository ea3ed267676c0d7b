"""Real gunicorn servers, started from the repository's gunicorn.conf.py on spare loopback ports."""

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serving.servers import GUNICORN, REPO, StartServer, apiary_environment, spare_port, wait_until_up


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
        wait_until_up(url, server)
        return url

    yield start
    for server in servers:
        server.terminate()
    for server in servers:
        server.wait(timeout=30)
