"""Apiary under gunicorn with the repository's configuration, as `make run` and the image serve it."""

import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import requests

from tests.serving.servers import GUNICORN, REPO, StartServer, apiary_environment, spare_port


def test_one_slow_client_does_not_stall_a_single_worker(start_server: StartServer) -> None:
    url = start_server(WEB_CONCURRENCY="1")
    address = urlparse(url)
    with socket.create_connection((address.hostname, address.port)) as slow_client:
        slow_client.sendall(b"GET /health HTTP/1.1\r\nHost: apiary\r\n")  # and never the end of the headers
        time.sleep(0.5)

        started = time.monotonic()
        response = requests.get(f"{url}/health", timeout=5)

    assert response.status_code == 200
    assert time.monotonic() - started < 5


def test_an_overlong_request_line_is_refused_by_gunicorn(start_server: StartServer) -> None:
    url = start_server()

    response = requests.get(f"{url}/{'x' * 5000}", timeout=5)

    assert response.status_code == 414


def test_metrics_add_up_every_workers_requests(start_server: StartServer) -> None:
    url = start_server(WEB_CONCURRENCY="2")
    before = _health_count(requests.get(f"{url}/metrics", timeout=5).text)  # the start-up probe's requests
    with requests.Session() as session:
        for _ in range(20):
            assert session.get(f"{url}/health", timeout=5).status_code == 200

    # Whichever worker answers /metrics, it reports both workers' requests.
    counts = set()
    for _ in range(6):
        metrics = requests.get(f"{url}/metrics", timeout=5).text
        counts.add(_health_count(metrics))
    assert counts == {before + 20}


def _health_count(metrics: str) -> float:
    prefix = 'flask_http_request_duration_seconds_count{endpoint="shared.health",method="GET",status="200"} '
    lines = [line for line in metrics.splitlines() if line.startswith(prefix)]
    assert len(lines) == 1, metrics
    return float(lines[0].removeprefix(prefix))


def test_production_refuses_several_workers_without_redis(tmp_path: Path) -> None:
    environment = apiary_environment(tmp_path, APIARY_ENV="production", WEB_CONCURRENCY="2", PORT=str(spare_port()))
    environment.pop("REDIS_URL", None)

    finished = subprocess.run(
        [str(GUNICORN), "--config", str(REPO / "gunicorn.conf.py"), "apiary:create_app()"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert finished.returncode != 0
    assert "without REDIS_URL in production" in finished.stdout + finished.stderr
