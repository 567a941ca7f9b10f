"""PostgreSQL restarted under the running site: the site answers again by itself, with the same
gunicorn processes, because `CONN_HEALTH_CHECKS` replaces the connections the restart broke.

The server restarted is the suite's own throwaway cluster (`throwaway_postgres`), which serves
the scratch database gunicorn uses and nothing else: never a server the developer runs, and
never the one pytest itself uses on a PostgreSQL run. So these tests run in both passes of the
suite, and on a PostgreSQL run they check that the configured server was left alone."""

import threading
import time
from collections import Counter

import psycopg
import pytest
from django.db import connection

from tests.faults.conftest import configured_server_url
from tests.faults.load_server import WORKERS, fetch, gunicorn, prepare_site

pytestmark = pytest.mark.postgres

RECOVERY_SECONDS = 10  # after the server accepts connections again
STEADY_SECONDS = 2  # every page answering 200 for this long is a recovery
PAUSE_SECONDS = 0.05  # between rounds of the visitor


def configured_server_started_at():
    """When the server this run was pointed at (DATABASE_URL) started; None on SQLite."""
    if connection.vendor != "postgresql":
        return None
    with psycopg.connect(configured_server_url("postgres"), connect_timeout=5) as server:
        return server.execute("SELECT pg_postmaster_start_time()").fetchone()[0]


@pytest.fixture
def cluster(throwaway_postgres):
    """The suite's own cluster, to restart; and, on a PostgreSQL run, proof afterwards that the
    configured server did not restart with it."""
    configured_before = configured_server_started_at()
    yield throwaway_postgres
    assert configured_server_started_at() == configured_before, (
        "the server DATABASE_URL names was restarted"
    )


def restart_postgresql(cluster):
    """Restart the cluster (a fast shutdown: every connection is cut) and return once it
    accepts connections again."""
    started = cluster.started_at()
    cluster.restart()
    assert cluster.started_at() != started, "the cluster did not restart"


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
            restart_postgresql(cluster)
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
            f"\nrestart under load: pg_ctl restart took {back - restart_began:.1f} s, "
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

        restart_postgresql(cluster)

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
