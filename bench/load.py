"""Load benchmark: serves Apiary with gunicorn on 127.0.0.1 and measures a few hot endpoints.

Run from the repository root, with the project's virtualenv (`make test` creates it):

    .venv/bin/python bench/load.py [--products 20000] [--requests 2000] [--concurrency 8] [--workers 2]

It makes its own SQLite database in a temporary folder, seeds it with `apiary seed-demo --products N`,
starts gunicorn on a free loopback port, sends a bounded number of requests per scenario, prints
throughput and latency percentiles, and stops the server. Nothing is sent anywhere but 127.0.0.1.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Scenario:
    name: str
    request: Callable[[int], urllib.request.Request]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=2_000, help="per scenario")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/bench.db",
            "APIARY_INSTANCE_DIR": folder,
            "RATELIMIT_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
        }
        apiary = str(VENV_BIN / "apiary")
        subprocess.run([apiary, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run(
            [apiary, "seed-demo", "--products", str(args.products)], env=env, check=True, capture_output=True
        )
        port = _free_port()
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "apiary:create_app()",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_healthy(base)
            token = _login(base)
            pages = max(args.products // 10, 1)
            scenarios = [
                Scenario("GET /products?page=N", lambda i: _get(f"{base}/products?page={i % pages + 1}")),
                Scenario("GET /products/<id>", lambda i: _get(f"{base}/products/{i % args.products + 1}")),
                Scenario(
                    "GET /categories/<id>/products",
                    lambda i: _get(f"{base}/categories/{i % 3 + 1}/products?page={i % 50 + 1}"),
                ),
                Scenario("GET /account (token check)", lambda i: _get(f"{base}/account", token)),
            ]
            print(
                f"{args.products} products, {args.requests} requests per scenario, "
                f"{args.concurrency} clients, {args.workers} workers"
            )
            for scenario in scenarios:
                _measure(scenario, args.requests, args.concurrency)
        finally:
            server.terminate()
            server.wait(timeout=10)


def _measure(scenario: Scenario, count: int, concurrency: int) -> None:
    def timed(i: int) -> float:
        started = time.perf_counter()
        with urllib.request.urlopen(scenario.request(i), timeout=10) as response:
            response.read()
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = sorted(pool.map(timed, range(count)))
    elapsed = time.perf_counter() - started
    p50, p95, p99 = (latencies[int(len(latencies) * q) - 1] * 1000 for q in (0.5, 0.95, 0.99))
    print(
        f"{scenario.name:32} {count / elapsed:8.0f} req/s   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   "
        f"p99 {p99:6.1f} ms   mean {statistics.fmean(latencies) * 1000:6.1f} ms"
    )


def _get(url: str, token: str | None = None) -> urllib.request.Request:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return urllib.request.Request(url, headers=headers)


def _login(base: str) -> str:
    body = json.dumps({"username": "demo-admin", "password": "Demo-pass-1"}).encode()
    request = urllib.request.Request(f"{base}/auth/login", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["data"]["access_token"]


def _wait_until_healthy(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=1):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise SystemExit("the server did not become healthy")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    main()
