"""Helpers for tests that start real Apiary processes: their environment, spare ports, waiting for them."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

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
