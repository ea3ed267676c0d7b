"""A database outage under load: a PostgreSQL cluster of the test's own is stopped and started again.

The shared PostgreSQL server is never touched: the cluster lives in a temporary folder, on a spare port.
"""

import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from tests.serving.servers import StartServer, spare_port, upgrade_database

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
LOAD_THREADS = 4


AS_ROOT = os.geteuid() == 0


def _as_postgres(*command: str, check: bool = True) -> None:
    """Run a server command; as root, as the postgres user, since PostgreSQL refuses to run as root."""
    prefix = ["runuser", "-u", "postgres", "--"] if AS_ROOT else []
    subprocess.run([*prefix, *command], check=check, capture_output=True, timeout=60)


@dataclass
class Cluster:
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data}"
        # A log file of its own: the server must not hold on to this process's output pipes.
        log = self.data.parent / "server.log"
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(log), "-o", options, "-w", "start")

    def stop(self) -> None:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if PG_BIN is None or not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    # pytest's own temporary folders are private to root, where the postgres user cannot reach.
    folder = Path(tempfile.mkdtemp(prefix="apiary-outage-"))
    if AS_ROOT:
        shutil.chown(folder, "postgres", "postgres")
    _as_postgres(str(PG_BIN / "initdb"), "-D", str(folder / "data"), "--auth=trust", "-U", "postgres")
    cluster = Cluster(folder / "data", spare_port())
    cluster.start()
    try:
        yield cluster
    finally:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(cluster.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Outcome:
    status: int  # 0: no answer at all
    seconds: float
    finished: float
    registered: bool


def test_an_outage_is_503_never_500_and_nothing_answered_as_written_is_lost(
    cluster: Cluster, start_server: StartServer, tmp_path: Path
) -> None:
    settings = {"DATABASE_URL": cluster.url, "ARGON2_MEMORY_KIB": "8", "ARGON2_TIME_COST": "1"}
    upgrade_database(tmp_path, **settings)
    url = start_server(WEB_CONCURRENCY="2", **settings)

    outcomes: list[Outcome] = []
    stop = threading.Event()

    def load() -> None:
        with requests.Session() as session:
            while not stop.is_set():
                for method, path, body in (
                    ("POST", "/auth/register", {"username": f"u-{uuid.uuid4().hex[:12]}", "password": "secret"}),
                    ("GET", "/categories", None),
                    ("GET", "/health", None),
                ):
                    started = time.monotonic()
                    try:
                        status = session.request(method, f"{url}{path}", json=body, timeout=10).status_code
                    except requests.RequestException:
                        status = 0
                    finished = time.monotonic()
                    registered = path == "/auth/register" and status == 200
                    outcomes.append(Outcome(status, finished - started, finished, registered))
                    time.sleep(0.02)

    workers = [threading.Thread(target=load) for _ in range(LOAD_THREADS)]
    for worker in workers:
        worker.start()
    try:
        time.sleep(2)
        cluster.stop()
        time.sleep(3)
        cluster.start()
        restarted = time.monotonic()
        time.sleep(6)
    finally:
        stop.set()
        for worker in workers:
            worker.join(timeout=30)

    during = [o for o in outcomes if o.finished < restarted]
    after = [o for o in outcomes if o.finished >= restarted]
    assert {o.status for o in outcomes} <= {200, 503}, sorted({o.status for o in outcomes})
    assert 503 in {o.status for o in during}, "the outage was never noticed"
    assert max(o.seconds for o in outcomes) < 3
    recovered = min(o.finished for o in after if o.status == 200) - restarted
    assert recovered < 5
    assert all(o.status == 200 for o in after if o.finished > restarted + 5)

    engine = sa.create_engine(cluster.url)
    with engine.connect() as connection:
        users = connection.scalar(sa.text("SELECT count(*) FROM users"))
    engine.dispose()
    assert users == sum(o.registered for o in outcomes)
