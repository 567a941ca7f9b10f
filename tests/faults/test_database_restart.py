"""PostgreSQL restarted under the running site: the site answers again by itself, with the same
gunicorn processes, because `CONN_HEALTH_CHECKS` replaces the connections the restart broke.

These tests need servers: PostgreSQL, whose local cluster they restart with `pg_ctlcluster` (as
root), and gunicorn, which they start on a scratch database. A restart breaks every connection
to the server, this pytest process's own too when the suite runs on PostgreSQL: so they run in
the SQLite pass of the suite, where the only PostgreSQL database in use is the scratch one. They
wait until the server accepts connections again before they end."""

import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import psycopg
import pytest
from django.db import connection

from tests.faults.conftest import postgres_server_url
from tests.faults.load_server import (
    WORKERS,
    fetch,
    gunicorn,
    machine_to_itself,
    prepare_site,
)

pytestmark = pytest.mark.postgres

RECOVERY_SECONDS = 10  # after the server accepts connections again
STEADY_SECONDS = 2  # every page answering 200 for this long is a recovery
PAUSE_SECONDS = 0.05  # between rounds of the visitor


@pytest.fixture
def cluster():
    """The version of the local PostgreSQL cluster, once this test may restart it."""
    if connection.vendor == "postgresql":
        pytest.skip(
            "restarts PostgreSQL: runs in the SQLite pass of the suite, where pytest itself "
            "holds no PostgreSQL connection"
        )
    machine_to_itself()
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    host = urlsplit(postgres_server_url()).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        problem = f"restarts the local PostgreSQL cluster, but the server is on {host}"
    elif shutil.which("pg_ctlcluster") is None:
        problem = "`pg_ctlcluster` is not installed (Debian package `postgresql-common`)"
    elif os.geteuid() != 0:
        problem = "restarting PostgreSQL with `pg_ctlcluster` needs root"
    elif len(versions) != 1:
        problem = f"expects one PostgreSQL version in /etc/postgresql, found {versions}"
    else:
        return versions[0]
    if os.environ.get("CI") == "true":
        pytest.fail(f"{problem}; CI=true: an error")
    pytest.skip(problem)


def accepts_connections(url, within):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(url, connect_timeout=2):
                return True
        except psycopg.OperationalError:
            time.sleep(0.1)
    return False


def restart_postgresql(version, url):
    """Restart the cluster and return once it accepts connections again."""
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
    try:
        result = subprocess.run([*command, "restart"], capture_output=True, text=True, timeout=120)
    finally:
        # Whatever happened above, the rest of the suite needs the server back.
        if not accepts_connections(url, within=30):
            subprocess.run([*command, "start"], capture_output=True, timeout=120)
            assert accepts_connections(url, within=60), "PostgreSQL did not come back"
    assert result.returncode == 0, f"pg_ctlcluster restart failed: {result.stderr}"


def server_started_at(scratch):
    return scratch.scalar("SELECT pg_postmaster_start_time()")


def other_connections(scratch):
    return scratch.scalar(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND backend_type = 'client backend' "
        "AND pid <> pg_backend_pid()"
    )


def pages(scratch, site):
    story = scratch.scalar(
        "SELECT to_char(published_on, 'YYYY/MM/DD') || '/' || slug FROM articles_article "
        "WHERE slug LIKE 'kim-kardashian-admits%'"
    )
    paths = ["/healthz", "/people/kim-kardashian/", f"/articles/{story}/"]
    return [site.url + path for path in paths]


class Visitor(threading.Thread):
    """Asks for the pages one after another, round after round, until stopped."""

    def __init__(self, urls):
        super().__init__(daemon=True)
        self.urls = urls
        self.answers = []  # (when the request started, url, status)
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            for url in self.urls:
                self.answers.append((time.monotonic(), url, fetch(url, timeout=3)))
            self.stopped.wait(PAUSE_SECONDS)

    def stop(self):
        self.stopped.set()
        self.join(timeout=15)


def recovered_at(visitor, back):
    """When every page started answering 200 for good, known once that has held for
    STEADY_SECONDS; None if it did not start within RECOVERY_SECONDS of `back`."""
    deadline = back + RECOVERY_SECONDS + STEADY_SECONDS + 1
    while time.monotonic() < deadline:
        time.sleep(0.1)
        answers = list(visitor.answers)
        last_failure = max((when for when, _, status in answers if status != 200), default=0)
        steady = [(when, url) for when, url, _ in answers if when > max(last_failure, back)]
        held = steady and steady[-1][0] - steady[0][0] >= STEADY_SECONDS
        if held and {url for _, url in steady} == set(visitor.urls):
            return min(when for when, _, _ in answers if when > last_failure)
    return None


def test_the_site_answers_again_soon_after_postgresql_restarts_under_load(
    cluster, postgres_scratch_db, tmp_path
):
    """A visitor asks for /healthz, a person and a story every 50 ms throughout a restart.
    During it pages are 500 and /healthz 503; once the server accepts connections again, every
    page must answer 200 within RECOVERY_SECONDS, from the same gunicorn master and workers."""
    scratch = postgres_scratch_db
    prepare_site(scratch)
    with gunicorn(scratch, tmp_path / "gunicorn.log") as site:
        urls = pages(scratch, site)
        assert [fetch(url) for url in urls] == [200, 200, 200]
        workers = site.workers()
        started = server_started_at(scratch)
        visitor = Visitor(urls)
        visitor.start()
        try:
            time.sleep(1)
            restart_began = time.monotonic()
            restart_postgresql(cluster, scratch.url)
            back = time.monotonic()
            recovered = recovered_at(visitor, back)
        finally:
            visitor.stop()
        assert server_started_at(scratch) != started, "the scratch server was not restarted"
        timeline = [(when, status) for when, _, status in visitor.answers]
        during = Counter(status for when, status in timeline if restart_began <= when < back)
        late = Counter(status for when, status in timeline if when >= back)
        assert recovered is not None, (
            f"pages still failing {RECOVERY_SECONDS} s after PostgreSQL came back: "
            f"answers since then {dict(late)}\n{site.log_tail()}"
        )
        recovery = max(0.0, recovered - back)
        assert recovery <= RECOVERY_SECONDS
        assert sum(during.values()) > 0, "no request was made during the restart"
        assert site.process.poll() is None, "the gunicorn master exited"
        assert site.workers() == workers, "gunicorn replaced its workers"
        print(
            f"\nrestart under load: pg_ctlcluster restart took {back - restart_began:.1f} s, "
            f"answers meanwhile {dict(during)}; every page 200 again {recovery:.2f} s after "
            f"PostgreSQL accepted connections ({recovered - restart_began:.2f} s after the "
            f"restart began); same gunicorn master {site.process.pid} and workers {workers}"
        )


def test_no_request_meets_a_dead_connection_after_a_quiet_restart(
    cluster, postgres_scratch_db, tmp_path
):
    """With nobody asking during the restart, each worker keeps its persistent connection
    (CONN_MAX_AGE), dead. CONN_HEALTH_CHECKS must replace it before a request uses it: without
    it each worker's first request after the restart is a 500 (a 503 from /healthz)."""
    scratch = postgres_scratch_db
    prepare_site(scratch)
    with gunicorn(scratch, tmp_path / "gunicorn.log") as site:
        urls = pages(scratch, site)
        workers = site.workers()
        deadline = time.monotonic() + 15
        while other_connections(scratch) < WORKERS and time.monotonic() < deadline:
            assert [fetch(url) for url in urls] == [200, 200, 200]
        assert other_connections(scratch) >= WORKERS, "the workers kept no connection open"

        restart_postgresql(cluster, scratch.url)

        # Until every worker has answered on a new connection, whichever one each request meets.
        answers = []
        deadline = time.monotonic() + 15
        while other_connections(scratch) < WORKERS and time.monotonic() < deadline:
            answers += [(url.removeprefix(site.url), fetch(url)) for url in urls]
        assert other_connections(scratch) >= WORKERS, f"workers did not reconnect: {answers}"
        assert [status for _, status in answers] == [200] * len(answers), (
            f"{answers}\n{site.log_tail()}"
        )
        assert site.workers() == workers
        print(f"\nquiet restart: the first {len(answers)} requests after it all answered 200")
