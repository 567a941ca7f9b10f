"""A minute of load (wrk, 32 connections, loopback only) on gunicorn and PostgreSQL with a
generated archive: every answer is a 2xx or 3xx, and the workers' memory stays flat.

Needs servers: PostgreSQL, the suite's own throwaway cluster for a scratch database, and Debian's
`wrk`; gunicorn is started here. A slow test (`--slow`, or CI); LOAD_SECONDS shortens the minute
for a run on a developer's machine.

gunicorn runs as `docs/operations.md` deploys it: two sync workers. Measured against
`--worker-class gthread --threads 4` on two cores, sync workers served more (59 against
50 requests/s) with a far shorter tail (p99 0.7 s against 1.4 s): the pages are mostly Python's
work, which threads under one interpreter lock do not share out."""

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from bench.processes import rss_kb
from tests.faults.conftest import needs_tool
from tests.faults.load_server import fetch, gunicorn, machine_to_itself, prepare_site

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
WARM_UP_SECONDS = 5
RSS_GROWTH_LIMIT_KB = 15 * 1024
PAGES_SCRIPT = Path(__file__).with_name("pages.lua")


@pytest.fixture
def wrk():
    if connection.vendor == "postgresql":
        pytest.skip(
            "runs in the SQLite pass of the suite: gunicorn and the throwaway cluster are the "
            "same in both passes, and a second minute of load would measure the same thing"
        )
    machine_to_itself()
    return needs_tool("wrk", "wrk")


def archive_pages(scratch):
    """One page of each kind, picked from what the generated archive holds."""
    story = scratch.scalar(
        "SELECT to_char(published_on, 'YYYY/MM/DD') || '/' || slug FROM articles_article "
        "WHERE status = 'published' AND published_on < (now() AT TIME ZONE 'UTC')::date "
        "ORDER BY published_on DESC, id DESC LIMIT 1"
    )
    # The busiest person and tag: the heaviest pages of their kind.
    person = scratch.scalar(
        "SELECT p.slug FROM people_person p JOIN articles_mention m ON m.person_id = p.id "
        "GROUP BY p.slug ORDER BY count(*) DESC, p.slug LIMIT 1"
    )
    tag = scratch.scalar(
        "SELECT t.slug FROM taggit_tag t JOIN articles_taggedarticle a ON a.tag_id = t.id "
        "GROUP BY t.slug ORDER BY count(*) DESC, t.slug LIMIT 1"
    )
    return [
        "/",
        f"/articles/{story}/",
        "/people/",
        f"/people/{person}/",
        "/quotes/",
        f"/articles/{story[:7]}/",
        f"/tags/{tag}/",
        "/search/?q=wedding",
        "/healthz",
    ]


def run_wrk(wrk, site, paths, seconds):
    # subprocess.run kills wrk if it overruns its time, or if anything interrupts the wait.
    result = subprocess.run(
        [wrk, "-t2", "-c32", f"-d{seconds}s", "--latency", "-s", PAGES_SCRIPT, site.url],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LOAD_PATHS": " ".join(paths)},
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("LOAD_RESULT "))
    return result.stdout, json.loads(line.removeprefix("LOAD_RESULT "))


def test_every_answer_is_a_success_and_worker_memory_stays_flat_under_load(
    wrk, postgres_scratch_db, tmp_path
):
    scratch = postgres_scratch_db
    prepare_site(scratch)
    scratch.manage("generate_archive", "--articles", "2000", "--seed", "1")
    with gunicorn(scratch, tmp_path / "gunicorn.log") as site:
        paths = archive_pages(scratch)
        answers = {path: fetch(site.url + path, timeout=10) for path in paths}
        assert set(answers.values()) == {200}, answers

        run_wrk(wrk, site, paths, WARM_UP_SECONDS)
        workers = site.workers()
        before = {pid: rss_kb(pid) for pid in workers}
        report, numbers = run_wrk(wrk, site, paths, LOAD_SECONDS)
        after = {pid: rss_kb(pid) for pid in workers}

        assert "Non-2xx or 3xx responses" not in report, f"{report}\n{site.log_tail()}"
        assert "Socket errors" not in report, report
        assert numbers["requests"] > 0, report
        assert site.workers() == workers, "gunicorn replaced workers during the load"
        growth = {pid: after[pid] - before[pid] for pid in workers}
        assert max(growth.values()) < RSS_GROWTH_LIMIT_KB, (before, after)

    latency = {name: value / 1000 for name, value in numbers["latency_us"].items()}
    print(
        f"\nload: {numbers['requests']} requests in {numbers['duration_us'] / 1e6:.0f} s, "
        f"{numbers['requests'] / (numbers['duration_us'] / 1e6):.1f} requests/s, 2 sync "
        f"workers; latency ms p50 {latency['p50']:.0f}, p90 {latency['p90']:.0f}, "
        f"p99 {latency['p99']:.0f}, max {latency['max']:.0f}; worker RSS MB "
        + ", ".join(
            f"{before[pid] / 1024:.1f} -> {after[pid] / 1024:.1f}" for pid in sorted(workers)
        )
    )
