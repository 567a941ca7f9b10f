"""Shared set-up for the benchmarks: a generated archive on PostgreSQL, built once, reused."""

import os
import statistics
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
# The newest stories whose related stories are chosen before measuring.
RELATED_NEWEST = 1000


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def in_process(database_url: str, articles: int) -> None:
    """The generated archive, and Django set up in this process to ask it for pages (with the
    test client): production settings, the page cache off."""
    ensure_archive(database_url, articles)
    setup_django(database_url)
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PAGE_CACHE_SECONDS = 0


def ensure_database(database_url: str) -> None:
    """Create the benchmark database if it is missing (it is never the working database)."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_archive(database_url: str, articles: int, seed: int = 1) -> int:
    """Reuse the generated archive when it is big enough; otherwise build it afresh. What the
    commands print goes to stderr: stdout is the benchmark's (`bench.plans > file`)."""
    ensure_database(database_url)
    env = {**os.environ, "DATABASE_URL": database_url}

    def manage(*arguments: str) -> None:
        command = [sys.executable, str(ROOT / "manage.py"), *arguments]
        subprocess.run(command, env=env, check=True, stdout=sys.stderr)

    manage("migrate", "--no-input", "-v0")
    manage("collectstatic", "--no-input", "-v0")
    import psycopg

    with psycopg.connect(database_url) as conn:
        (count,) = conn.execute("SELECT count(*) FROM articles_article").fetchone()
    if count >= articles:
        print(f"reusing the generated archive: {count:,} stories", file=sys.stderr)
    else:
        if count:
            manage("flush", "--no-input")
        manage("generate_archive", "--articles", str(articles), "--seed", str(seed))
        count = articles
    # What the job queue keeps as stories change: a generated archive is loaded in bulk, past
    # the jobs. Related stories for the stories the benchmarks read first (a story never
    # chosen for is scored in the request, one query more); everyone's story count (an
    # archive generated before the counts were kept has none).
    manage("relate_stories", "--newest", str(RELATED_NEWEST))
    manage("count_stories")
    return count


def percentile(values: Iterable[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(times: Sequence[float]) -> tuple[float, float]:
    return statistics.median(times), percentile(times, 0.95)
