import datetime
import io
import json
import logging
import os
import shutil

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from articles.models import Article, Publication
from caching import edition
from common.logs import JsonFormatter, RequestIdFilter
from people.models import Person
from tests.servers import unavailable
from tests.servers.postgres import ThrowawayCluster, Unavailable


def pytest_addoption(parser):
    parser.addoption(
        "--slow", action="store_true", help="run the tests marked slow too (CI=true always does)"
    )


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow") or os.environ.get("CI") == "true":
        return
    skip = pytest.mark.skip(
        reason="slow: runs with --slow (PYTEST_ARGS=--slow make test) and in CI"
    )
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def throwaway_postgres():
    """A PostgreSQL cluster of this run's own on a free port of 127.0.0.1, removed at the end
    (tests/servers/postgres.py): what tests restart, fill or replicate, so that they never
    touch a server the developer runs."""
    try:
        cluster = ThrowawayCluster()
    except Unavailable as reason:
        unavailable(str(reason))
    with cluster:
        yield cluster


@pytest.fixture
def throwaway_standby(throwaway_postgres):
    """A streaming hot standby of `throwaway_postgres`, on a port of its own, destroyed after the
    test: `throwaway_standby.wait_until_caught_up()` before reading what the primary wrote."""
    standby = throwaway_postgres.start_standby()
    yield standby
    standby.destroy()


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Pages render hashed static names, as in production: collect them once per session."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root
    shutil.rmtree(root, ignore_errors=True)


REAL_EDITION = edition.current


@pytest.fixture(autouse=True)
def no_page_cache(settings, monkeypatch):
    """Tests change data inside a transaction that never commits, so no new edition starts:
    pages are rendered afresh, and the edition is a constant (no query that comes and goes
    with the time, for the tests that count queries), unless a test asks for them
    (tests/test_pagecache.py)."""
    settings.PAGE_CACHE_SECONDS = 0
    fixed = edition.CurrentEdition(0, datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    monkeypatch.setattr(edition, "current", lambda: fixed)


@pytest.fixture
def demo(db):
    call_command("loaddata", "demo", verbosity=0)


@pytest.fixture
def make_person(db):
    def make(name, **fields):
        fields.setdefault("slug", name.lower().replace(" ", "-"))
        return Person.objects.create(name=name, **fields)

    return make


@pytest.fixture
def make_article(db):
    def make(title="A story", **fields):
        fields.setdefault("slug", title.lower().replace(" ", "-"))
        fields.setdefault("published_on", datetime.date(2022, 2, 9))
        fields.setdefault("status", Article.Status.PUBLISHED)
        fields.setdefault("body", "First paragraph.\n\nSecond paragraph.")
        return Article.objects.create(title=title, **fields)

    return make


@pytest.fixture
def vogue(db):
    return Publication.objects.create(name="Vogue", slug="vogue", url="https://www.vogue.com/")


@pytest.fixture
def on_postgres():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: set DATABASE_URL to a PostgreSQL database")


@pytest.fixture
def json_log():
    """What the site logs while the test runs, as `LOG_FORMAT=json` writes it, request lines
    included; the lines parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    requests = logging.getLogger("newsroom.requests")
    old_level = requests.level
    root.addHandler(handler)
    requests.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        requests.setLevel(old_level)
