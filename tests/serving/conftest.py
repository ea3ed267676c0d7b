"""Real gunicorn servers, started from the repository's gunicorn.conf.py on spare loopback ports."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serving.servers import Servers, StartServer


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[StartServer]:
    """start_server(**settings) -> base URL of a gunicorn serving Apiary; every server stops at the end."""
    servers = Servers(tmp_path)
    yield servers.start
    servers.stop()
