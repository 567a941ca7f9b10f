"""Requests per second and database connections held: with and without the connection pool,
and with one read replica against the primary alone.

    python -m bench.replicas [--duration 5] [--connections 16] [--json FILE]

Everything runs on a PostgreSQL cluster of its own (`tests/servers/postgres.py`: initdb in a
temporary folder, a free port, thrown away at the end) holding the demo archive, never on a
server of the machine's; the replica is a streaming hot standby of it made by pg_basebackup.
gunicorn serves the site as deployed (DEBUG off, the page cache off, so that every request
reaches the database) with two workers, and `wrk` asks for one story page without pause.

Rows:
- sync workers (one thread each) and gthread workers (8 threads each), each with persistent
  connections (`CONN_MAX_AGE`, no pool) and with Django's psycopg pool
  (`DATABASE_POOL_MAX=2`);
- the primary alone, and the primary with one replica (`DATABASE_REPLICA_URLS`).

`held` is the most client connections the site's database had open at once while wrk ran
(sampled every 0.1 s), `after` how many stayed open once it stopped. `primary tx` and
`replica tx` are the transactions each server committed for the site during the run
(pg_stat_database): where the reads went. On one machine the replica shares the same cores
as the primary and the application: the numbers show the shape (where reads go, what each
setting holds open), not the capacity more machines would add.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.common import ROOT
from bench.http import parse_wrk, server_env
from bench.processes import Server, free_port, gunicorn_arguments, running
from tests.servers.postgres import ThrowawayCluster

WORKERS = 2
THREADS = 8


@dataclass
class Row:
    name: str
    worker_class: str
    extra: dict
    replica: bool = False


ROWS = [
    Row("sync, persistent connections", "sync", {}),
    Row("sync, pool of 2", "sync", {"DATABASE_POOL_MAX": "2"}),
    Row(f"gthread ×{THREADS}, persistent connections", "gthread", {}),
    Row(f"gthread ×{THREADS}, pool of 2", "gthread", {"DATABASE_POOL_MAX": "2"}),
    Row("sync, primary alone", "sync", {}),
    Row("sync, primary + 1 replica", "sync", {}, replica=True),
]


@dataclass
class Result:
    row: str
    requests_per_s: float
    non_2xx_3xx: int
    held: int
    after: int
    primary_tx: int
    replica_tx: int | None


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per row")
    parser.add_argument("--connections", type=int, default=16, help="wrk's open connections")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    return parser.parse_args()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def client_connections(cluster: ThrowawayCluster, dbname: str) -> int:
    """Open on `dbname`, not counting the one asking (it is connected to `postgres`)."""
    return cluster.scalar(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = %s AND backend_type = 'client backend'",
        [dbname],
    )


def committed(cluster: ThrowawayCluster, dbname: str) -> int:
    return cluster.scalar("SELECT xact_commit FROM pg_stat_database WHERE datname = %s", [dbname])


class Sampler(threading.Thread):
    """The most client connections open on the site's database while it runs."""

    def __init__(self, clusters: list[ThrowawayCluster], dbname: str) -> None:
        super().__init__(daemon=True)
        self.clusters, self.dbname = clusters, dbname
        self.most = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            count = sum(client_connections(cluster, self.dbname) for cluster in self.clusters)
            self.most = max(self.most, count)


@contextmanager
def site(env: dict[str, str], worker_class: str, log_path: Path) -> Iterator[Server]:
    port = free_port()
    command = [sys.executable, *gunicorn_arguments("newsroom.wsgi", "--workers", str(WORKERS))]
    command += [
        "--worker-class",
        worker_class,
        "--threads",
        str(THREADS if worker_class == "gthread" else 1),
    ]
    command += ["--bind", f"127.0.0.1:{port}"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    with running(process, port, log_path, "/healthz", WORKERS) as server:
        yield server


def wrk(url: str, options: argparse.Namespace, seconds: int) -> dict[str, Any]:
    command = ["wrk", "--latency", "-t", "2", "-c", str(options.connections), "-d", f"{seconds}s"]
    result = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60)
    return parse_wrk(result.stdout)


def stats_settle() -> None:
    # pg_stat_database is updated by each backend at most every second or so.
    time.sleep(1.5)


def measure(
    row: Row,
    options: argparse.Namespace,
    primary: ThrowawayCluster,
    standby: ThrowawayCluster,
    dbname: str,
    env: dict[str, str],
    path: str,
    folder: Path,
) -> Result:
    extra = dict(row.extra)
    if row.replica:
        extra["DATABASE_REPLICA_URLS"] = standby.url(dbname)
    with site({**env, **extra}, row.worker_class, folder / "gunicorn.log") as server:
        wrk(server.url + path, options, 1)  # every worker and thread warmed up
        server.wait_until_idle()
        stats_settle()
        before = committed(primary, dbname), committed(standby, dbname) if row.replica else None
        servers = [primary, standby] if row.replica else [primary]
        sampler = Sampler(servers, dbname)
        sampler.start()
        report = wrk(server.url + path, options, options.duration)
        sampler.done.set()
        sampler.join()
        server.wait_until_idle()
        after = sum(client_connections(cluster, dbname) for cluster in servers)
        stats_settle()
        primary_tx = committed(primary, dbname) - before[0]
        replica_tx = committed(standby, dbname) - before[1] if row.replica else None
    return Result(
        row.name,
        report["requests_per_s"],
        report["non_2xx_3xx"],
        sampler.most,
        after,
        primary_tx,
        replica_tx,
    )


def main() -> None:
    options = parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench.replicas needs wrk, the HTTP load generator: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="newsroom-bench-replicas-"))
    with ThrowawayCluster() as primary:
        dbname = f"bench_{uuid.uuid4().hex[:8]}"
        url = primary.create_database(dbname)
        env = server_env(url, "newsroom.settings", PAGE_CACHE_SECONDS="0", STATIC_ROOT=str(folder))
        for command in (["migrate", "-v0"], ["collectstatic", "--no-input", "-v0"]):
            manage(env, *command)
        manage(env, "loaddata", "demo", "-v0")
        path = "/articles/{}/".format(
            primary.scalar(
                "SELECT to_char(published_on, 'YYYY/MM/DD') || '/' || slug FROM articles_article "
                "WHERE status = 'published' ORDER BY id LIMIT 1",
                dbname=dbname,
            )
        )
        standby = primary.start_standby()
        standby.wait_until_caught_up()
        columns = ("req/s", "held", "after", "primary tx", "replica tx")
        print(f"{'row':<36} " + " ".join(f"{name:>10}" for name in columns))
        results = []
        for row in ROWS:
            result = measure(row, options, primary, standby, dbname, env, path, folder)
            results.append(result)
            replica_tx = "-" if result.replica_tx is None else result.replica_tx
            print(
                f"{result.row:<36} {result.requests_per_s:>10.0f} {result.held:>10} "
                f"{result.after:>10} {result.primary_tx:>10} {replica_tx:>10}"
                + (f"  ({result.non_2xx_3xx} non-2xx/3xx)" if result.non_2xx_3xx else ""),
                flush=True,
            )
    shutil.rmtree(folder, ignore_errors=True)
    if options.json:
        options.json.write_text(json.dumps([asdict(result) for result in results], indent=2))


if __name__ == "__main__":
    main()
