"""`make bench`: Apiary against a bare Flask app, on 127.0.0.1, at the volumes of issue 14.

For each database (SQLite in a temporary folder; also PostgreSQL when BENCH_DATABASE_URL is set, a
database this run empties) it migrates and seeds two databases with `apiary seed-demo` (the main one,
and one with ten times the review data for the second `GET /mentors`), serves each with gunicorn from
gunicorn.conf.py (2 workers), serves bench/bare.py with the same settings, counts the SQL statements
each request sends (one request in process), then drives every scenario with wrk (a Python load
generator when wrk is missing) for a few bounded, interleaved repetitions. It writes bench/RESULTS.md
and docs/bench.png and prints the table. Settings come from the environment, see SETTINGS below.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
WORKERS = 2
DEMO_PASSWORD = "Demo-pass-1"  # apiary.commands.DEMO_PASSWORD, kept as text so the file reads alone


def _setting(name: str, default: str) -> str:
    return os.environ.get(f"BENCH_{name}", default)


# BENCH_DURATION seconds per measure, BENCH_REPEATS measures per scenario, BENCH_SCALE times issue 14's volumes.
SETTINGS = {
    "duration": int(_setting("DURATION", "4")),
    "repeats": int(_setting("REPEATS", "3")),
    "connections": int(_setting("CONNECTIONS", "16")),
    "threads": int(_setting("THREADS", "2")),
    "scale": float(_setting("SCALE", "1")),
}
RESULTS = Path(_setting("RESULTS", str(ROOT / "bench" / "RESULTS.md")))
CHART = Path(_setting("CHART", str(ROOT / "docs" / "bench.png")))
# One key for every server and the in-process apps, so that a token one issues the others accept.
SECRET_KEY = secrets.token_urlsafe(48)


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    server: str = "apiary"  # or "bare", or "large" (ten times the review data)
    token: str | None = None  # whose token (from the same server): "customer" or "coder"
    body: dict[str, str] | None = None  # a POST's JSON body
    # Connections of the load generator; fewer for answers that take long, so that each measure ends
    # with answers, not a queue.
    connections: int | None = None


@dataclass
class Measure:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    failures: int  # answers that were not 2xx


@dataclass
class Row:
    scenario: Scenario
    measures: list[Measure] = field(default_factory=list)
    statements: int | None = None

    @property
    def median(self) -> float:
        """The median rate, never quite 0 (a ratio divides by it)."""
        return max(statistics.median(m.requests_per_second for m in self.measures), 1e-9)


def volumes() -> dict[str, int]:
    def scaled(count: int) -> int:
        return max(int(count * SETTINGS["scale"]), 1)

    return {
        "products": scaled(100_000),
        "categories": 100,
        "articles": scaled(100_000),
        "authors": scaled(1_000),
        "mentors": scaled(100),
        "coders-per-mentor": 10,
        "snippets-per-coder": 5,
        "bucketlists": scaled(1_000),
    }


def depth() -> int:
    """How many rows in the cursor scenarios start: halfway (50,000 of 100,000)."""
    return volumes()["products"] // 2


def scenarios(cursors: dict[str, str]) -> list[Scenario]:
    deep = max(depth() // 10, 1)  # page 5,000: the same rows
    mentors = volumes()["mentors"]
    return [
        Scenario("bare Flask (fixed JSON)", "/", server="bare"),
        Scenario("GET /health", "/health"),
        Scenario("GET /products?page=1", "/products?page=1"),
        Scenario(f"GET /products?page={deep}", f"/products?page={deep}"),
        Scenario(f"GET /products?after= (depth {depth():,})", f"/products?after={cursors['products']}"),
        Scenario("GET /articles?page=1", "/articles?page=1"),
        Scenario(f"GET /articles?page={deep}", f"/articles?page={deep}"),
        Scenario(f"GET /articles?after= (depth {depth():,})", f"/articles?after={cursors['articles']}"),
        Scenario(f"GET /mentors ({mentors:,} mentors)", "/mentors", token="coder", connections=WORKERS),
        Scenario(f"GET /mentors ({mentors * 10:,} mentors)", "/mentors", "large", "coder", connections=WORKERS),
        Scenario("GET /bucketlists/", "/bucketlists/", token="customer"),
        Scenario("GET /account", "/account", token="customer"),
        Scenario("POST /articles/new", "/articles/new", token="customer", body={"title": "Bench", "text": "Load"}),
        Scenario(
            "POST /auth/login",
            "/auth/login",
            server="apiary",
            body={"username": "demo-admin", "password": DEMO_PASSWORD},
        ),
    ]


# --- databases and servers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backend:
    name: str
    main_url: str
    large_url: str


def sqlite_backend(folder: Path) -> Backend:
    return Backend("SQLite", f"sqlite:///{folder}/bench.db", f"sqlite:///{folder}/bench-large.db")


def postgres_backend(url: str) -> Backend:
    """The database at `url` and one named after it with `_large`, created when missing, emptied."""
    import sqlalchemy as sa

    main = sa.make_url(url)
    large = main.set(database=f"{main.database}_large")
    server = sa.create_engine(main.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        for target in (main, large):
            if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}):
                connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()
    for target in (main, large):
        engine = sa.create_engine(target, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    urls = (target.render_as_string(hide_password=False) for target in (main, large))
    return Backend("PostgreSQL", *urls)


def server_env(database_url: str, folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "INSTANCE_DIR": str(folder),
        "SECRET_KEY": SECRET_KEY,
        # Logins and registrations are rate limited per client, and every request here is one client.
        "RATELIMIT_ENABLED": "false",
        "WEB_CONCURRENCY": str(WORKERS),
        "HOST": "127.0.0.1",
    }


def prepare(database_url: str, folder: Path, seed: list[str]) -> None:
    env = server_env(database_url, folder)
    apiary = str(VENV_BIN / "apiary")
    subprocess.run([apiary, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([apiary, "seed-demo", *seed], env=env, check=True, capture_output=True)
    # What autovacuum (or an operator) soon does to a freshly filled database: fresh statistics for the
    # planner and, on PostgreSQL, the visibility map that lets a deep page skip over the index alone.
    import sqlalchemy as sa

    engine = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    engine.dispose()


@contextmanager
def gunicorn(app: str, env: dict[str, str], log: Path, *extra: str) -> Iterator[tuple[str, int]]:
    """Serve `app` with gunicorn.conf.py on a free port; yields its address and the master's pid."""
    port = _free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), *extra, app],
            env={**env, "PORT": str(port)},
            cwd=ROOT,
            stdout=output,
            stderr=output,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)  # gunicorn lets busy workers finish for graceful_timeout
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{base} did not come up")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_memory_kib(master: int) -> int:
    """The resident memory of the master's workers, added up."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for child in children:
        status = Path(f"/proc/{child}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return total


def login(base: str, username: str) -> str:
    body = json.dumps({"username": username, "password": DEMO_PASSWORD}).encode()
    request = urllib.request.Request(f"{base}/auth/login", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["data"]["access_token"]


# --- in process: SQL statements per request, the deep cursors, the raw argon2 rate ----------------------


def _apps(backend: Backend, folder: Path) -> dict[str, Any]:
    from apiary import create_app

    return {
        server: create_app(
            {
                "database_url": url,
                "instance_dir": folder,
                "secret_key": SECRET_KEY,
                "ratelimit_enabled": False,
                "log_level": "WARNING",
            }
        )
        for server, url in (("apiary", backend.main_url), ("large", backend.large_url))
    }


def deep_cursors(backend: Backend, folder: Path) -> dict[str, str]:
    """The cursors of the products and the articles after the first depth() rows."""
    import sqlalchemy as sa

    from apiary.core.extensions import db
    from apiary.core.pagination import encode_cursor
    from apiary.forum.models import Article
    from apiary.forum.services import NEWEST_FIRST
    from apiary.store.models import Product

    with _apps(backend, folder)["apiary"].app_context():
        product = db.session.execute(sa.select(Product.id).order_by(Product.id).offset(depth() - 1).limit(1)).one()
        article = db.session.execute(
            sa.select(Article.date_posted, Article.id).order_by(*NEWEST_FIRST).offset(depth() - 1).limit(1)
        ).one()
        db.engine.dispose()
    return {"products": encode_cursor(tuple(product)), "articles": encode_cursor(tuple(article))}


def count_statements(backend: Backend, folder: Path, tokens: dict[str, str], rows: list[Row]) -> None:
    """Send each Apiary request once through the test client and count the SQL statements it sends."""
    import sqlalchemy as sa

    from apiary.core.extensions import db

    apps = _apps(backend, folder)
    for row in rows:
        if row.scenario.server not in apps:
            continue
        app = apps[row.scenario.server]
        with app.app_context():
            statements: list[str] = []

            def count(*args: Any, into: list[str] = statements) -> None:
                into.append(args[2])

            sa.event.listen(db.engine, "before_cursor_execute", count)
            try:
                method = "POST" if row.scenario.body else "GET"
                answer = app.test_client().open(
                    row.scenario.path, method=method, **_request_parts(row.scenario, tokens)
                )
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", count)
            assert answer.status_code < 300, (row.scenario.name, answer.status_code, answer.get_data(as_text=True))
            row.statements = len(statements)
    for app in apps.values():
        with app.app_context():
            db.engine.dispose()


def _verify_for(hasher: Any, password_hash: str, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    done = 0
    while time.monotonic() < deadline:
        hasher.verify(password_hash, DEMO_PASSWORD)
        done += 1
    return done


def raw_argon2_rate(seconds: float) -> float:
    """Verifications per second of the configured argon2 parameters, one process per worker."""
    from apiary.core.config import Settings
    from apiary.core.passwords import argon2_hasher

    hasher = argon2_hasher(Settings())
    password_hash = hasher.hash(DEMO_PASSWORD)
    with ProcessPoolExecutor(WORKERS) as pool:
        counts = list(pool.map(_verify_for, [hasher] * WORKERS, [password_hash] * WORKERS, [seconds] * WORKERS))
    return sum(counts) / seconds


# --- load -----------------------------------------------------------------------------------------------


def _request_parts(scenario: Scenario, tokens: dict[str, str]) -> dict[str, Any]:
    token = tokens.get(f"{scenario.token}@{scenario.server}")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if scenario.body is None:
        return {"headers": headers}
    return {"headers": {**headers, "Content-Type": "application/json"}, "data": json.dumps(scenario.body)}


def measure(base: str, scenario: Scenario, tokens: dict[str, str], folder: Path) -> Measure:
    parts = _request_parts(scenario, tokens)
    if shutil.which("wrk"):
        result = _wrk(base + scenario.path, parts, folder, scenario.connections or SETTINGS["connections"])
    else:
        result = _python_load(base, scenario.path, parts, scenario.connections or SETTINGS["connections"])
    _settle(base)
    return result


def _settle(base: str, seconds: float = 120) -> None:
    """Wait until the server has worked off what the load generator left queued (slow answers keep
    their workers busy after it stops), so that it does not slow the next scenario down."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(f"{base}/", timeout=seconds):
            pass
        if time.monotonic() - started < 0.05:
            return
        time.sleep(0.1)


def _wrk(url: str, parts: dict[str, Any], folder: Path, connections: int) -> Measure:
    script = folder / "request.lua"
    lines = [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in parts["headers"].items()]
    if "data" in parts:
        lines += ['wrk.method = "POST"', f"wrk.body = {json.dumps(parts['data'])}"]
    script.write_text("\n".join(lines) + "\n")
    command = [
        "wrk",
        f"-t{min(SETTINGS['threads'], connections)}",
        f"-c{connections}",
        f"-d{SETTINGS['duration']}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)$", output, re.MULTILINE))
    failures = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return Measure(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50_ms=_milliseconds(latency.get("50")),
        p99_ms=_milliseconds(latency.get("99")),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),  # type: ignore[union-attr]
        failures=(int(failures.group(1)) if failures else 0) + (sum(int(n) for n in errors.groups()) if errors else 0),
    )


def _milliseconds(text: str | None) -> float:
    if text is None:  # no answer came back in time
        return float("nan")
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _python_load(base: str, path: str, parts: dict[str, Any], connections: int) -> Measure:
    """wrk's closed loop in Python: each connection sends its next request when the answer is in."""
    host, port = base.removeprefix("http://").split(":")
    deadline = time.monotonic() + SETTINGS["duration"]
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            connection.request("POST" if "data" in parts else "GET", path, parts.get("data"), parts["headers"])
            answer = connection.getresponse()
            answer.read()
            mine.append(time.perf_counter() - started)
            failed += answer.status >= 300
        with lock:
            latencies.extend(mine)
            failures[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return Measure(
        requests_per_second=len(latencies) / elapsed,
        p50_ms=latencies[len(latencies) // 2] * 1000,
        p99_ms=latencies[min(int(len(latencies) * 0.99), len(latencies) - 1)] * 1000,
        requests=len(latencies),
        failures=failures[0],
    )


# --- one backend ----------------------------------------------------------------------------------------


@dataclass
class Outcome:
    backend: str
    rows: list[Row]
    argon2_rate: float
    memory_before_kib: int
    memory_after_kib: int
    requests_served: int


def run_backend(backend: Backend, folder: Path) -> Outcome:
    size = volumes()
    seed = [f"--{name}={count}" for name, count in size.items()]
    large = [f"--mentors={size['mentors'] * 10}", "--coders-per-mentor=10", "--snippets-per-coder=5"]
    print(f"[{backend.name}] seeding {', '.join(seed)} (and {large[0]} in a second database)", flush=True)
    prepare(backend.main_url, folder, seed)
    prepare(backend.large_url, folder, large)
    with ExitStack() as stack:
        env = server_env(backend.main_url, folder)
        servers = {
            "apiary": stack.enter_context(gunicorn("apiary:create_app()", env, folder / "apiary.log")),
            "large": stack.enter_context(
                gunicorn("apiary:create_app()", server_env(backend.large_url, folder), folder / "large.log")
            ),
            "bare": stack.enter_context(gunicorn("bare:app", env, folder / "bare.log", "--pythonpath", "bench")),
        }
        # Each database keeps the tokens it issued, so each server logs its own users in.
        tokens = {
            f"{who}@{server}": login(servers[server][0], f"demo-{who}")
            for server in ("apiary", "large")
            for who in ("customer", "coder")
        }
        rows = [Row(scenario) for scenario in scenarios(deep_cursors(backend, folder))]
        count_statements(backend, folder, tokens, rows)
        # One short round first warms every worker's caches and connections; it is not counted.
        for row in rows:
            measure(servers[row.scenario.server][0], row.scenario, tokens, folder)
        memory_before = worker_memory_kib(servers["apiary"][1])
        for repetition in range(SETTINGS["repeats"]):
            print(f"[{backend.name}] repetition {repetition + 1}/{SETTINGS['repeats']}", flush=True)
            for row in rows:
                row.measures.append(measure(servers[row.scenario.server][0], row.scenario, tokens, folder))
        memory_after = worker_memory_kib(servers["apiary"][1])
    served = sum(m.requests for row in rows if row.scenario.server == "apiary" for m in row.measures)
    return Outcome(backend.name, rows, raw_argon2_rate(SETTINGS["duration"]), memory_before, memory_after, served)


# --- the report -----------------------------------------------------------------------------------------


def table(outcome: Outcome) -> str:
    bare = next(row for row in outcome.rows if row.scenario.server == "bare").median
    lines = [
        f"#### {outcome.backend}",
        "",
        "| scenario | req/s (median) | spread (min-max) | p50 ms | p99 ms | SQL / request | ratio to bare | non-2xx |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in outcome.rows:
        rates = [m.requests_per_second for m in row.measures]
        lines.append(
            f"| {row.scenario.name} | {row.median:,.0f} | {min(rates):,.0f}-{max(rates):,.0f} "
            f"| {statistics.median(m.p50_ms for m in row.measures):.1f} "
            f"| {statistics.median(m.p99_ms for m in row.measures):.1f} "
            f"| {'-' if row.statements is None else row.statements} | {row.median / bare:.3f} "
            f"| {sum(m.failures for m in row.measures)} |"
        )
    return "\n".join(lines)


def goals(outcome: Outcome) -> str:
    named = {row.scenario.name: row for row in outcome.rows}
    pick = lambda prefix: next(r for name, r in named.items() if name.startswith(prefix))  # noqa: E731
    bare = pick("bare").median
    checks: list[tuple[str, float, str, bool]] = []

    def at_least(label: str, value: float, floor: float) -> None:
        checks.append((label, value, f">= {floor}", value >= floor))

    def at_most(label: str, value: float, ceiling: float) -> None:
        checks.append((label, value, f"<= {ceiling}", value <= ceiling))

    at_least("GET /products?page=1 / bare", pick("GET /products?page=1").median / bare, 0.5)
    at_least("GET /articles?page=1 / bare", pick("GET /articles?page=1").median / bare, 0.5)
    at_least("GET /health / bare", pick("GET /health").median / bare, 0.8)
    at_least("GET /account / bare", pick("GET /account").median / bare, 0.4)
    at_least("GET /bucketlists/ / bare", pick("GET /bucketlists/").median / bare, 0.4)
    for resource in ("products", "articles"):
        first = pick(f"GET /{resource}?page=1").median
        at_most(
            f"{resource}: cost of the cursor at depth {depth():,} / page 1",
            first / pick(f"GET /{resource}?after=").median,
            1.2,
        )
        deep = next(
            r for name, r in named.items() if name.startswith(f"GET /{resource}?page=") and not name.endswith("=1")
        )
        at_most(f"{resource}: cost of {deep.scenario.path} / page 1", first / deep.median, 2.0)
    small, large = (
        next(r for r in outcome.rows if r.scenario.path == "/mentors" and r.scenario.server == server)
        for server in ("apiary", "large")
    )
    at_most("GET /mentors: SQL statements at 10x / at 1x", (large.statements or 0) / max(small.statements or 1, 1), 1.0)
    at_most("GET /mentors: cost at 10x / at 1x", small.median / large.median, 11.0)
    at_least("POST /auth/login / raw argon2 verifications", pick("POST /auth/login").median / outcome.argon2_rate, 0.85)
    growth = outcome.memory_after_kib / outcome.memory_before_kib - 1
    at_most(f"worker memory growth over {outcome.requests_served:,} requests", growth, 0.10)
    lines = ["| goal | measured | target | met |", "|---|--:|--:|:-:|"]
    lines += [
        f"| {label} | {value:.3f} | {target} | {'yes' if met else '**no**'} |" for label, value, target, met in checks
    ]
    lines.append("")
    lines.append(
        f"Raw argon2 rate: {outcome.argon2_rate:.1f} verifications/s ({WORKERS} processes). Worker memory: "
        f"{outcome.memory_before_kib / 1024:.1f} MiB after warm-up, "
        f"{outcome.memory_after_kib / 1024:.1f} MiB at the end."
    )
    return "\n".join(lines)


def chart(outcomes: list[Outcome]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [row.scenario.name for row in outcomes[0].rows]
    figure, axes = plt.subplots(figsize=(9, 0.45 * len(names) + 1.5))
    height = 0.8 / len(outcomes)
    for index, outcome in enumerate(outcomes):
        bare = outcome.rows[0].median
        ratios = [row.median / bare for row in outcome.rows]
        positions = [n + index * height for n in range(len(names))]
        axes.barh(positions, ratios, height=height, label=outcome.backend)
    axes.set_yticks([n + height * (len(outcomes) - 1) / 2 for n in range(len(names))], names)
    axes.invert_yaxis()
    axes.set_xscale("log")
    axes.axvline(1.0, color="grey", linewidth=0.8)
    axes.set_xlabel("req/s as a ratio to the bare Flask app (log scale; 1 = as fast)")
    axes.set_title("Apiary vs bare Flask, gunicorn 2 workers, wrk on 127.0.0.1")
    axes.legend()
    figure.tight_layout()
    CHART.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(CHART, dpi=100)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        "unknown CPU",
    )
    load = "wrk" if shutil.which("wrk") else "the Python load generator"
    return (
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores ({cpu}), Python "
        f"{sys.version.split()[0]}, {load} with {SETTINGS['connections']} connections and {SETTINGS['threads']} "
        f"threads, {SETTINGS['repeats']} interleaved repetitions of {SETTINGS['duration']:g} s per scenario, "
        f"volume scale {SETTINGS['scale']:g}; client and servers share the cores"
    )


def main() -> None:
    started = time.monotonic()
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="apiary-bench-") as folder:
        backends = [sqlite_backend(Path(folder))]
        if url := os.environ.get("BENCH_DATABASE_URL"):
            backends.append(postgres_backend(url))
        if os.environ.get("BENCH_ONLY_POSTGRES"):  # a quick check of the PostgreSQL half alone
            backends = backends[1:]
        for backend in backends:
            outcomes.append(run_backend(backend, Path(folder)))
    report = [
        "# Benchmark results",
        "",
        f"Made by `make bench` ({time.monotonic() - started:.0f} s): {machine()}.",
        "",
    ]
    for outcome in outcomes:
        report += [table(outcome), "", goals(outcome), ""]
    RESULTS.write_text("\n".join(report))
    chart(outcomes)
    print("\n".join(report))
    print(f"Wrote {RESULTS} and {CHART}")


if __name__ == "__main__":
    main()
