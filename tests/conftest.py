import datetime
import io
import json
import logging
import os
import shutil
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from articles.models import Article, Publication
from caching import topics
from common.logs import JsonFormatter, RequestIdFilter
from jobs import queue
from people.models import Person
from tests.pictures.images import stored_picture
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


REAL_VERSIONS = topics.versions


@pytest.fixture(autouse=True)
def jobs_at_once(settings):
    """Jobs run in the test's process, at once: its transaction never commits, so jobs waiting
    for the commit would never run. The jobs' tests ask for the commit, or a real broker."""
    settings.JOB_BROKER_URL = ""
    settings.JOBS_IN_PROCESS_AT_COMMIT = False


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """`with committing():` — what is done inside commits, for what waits for the commit (jobs
    asked for by jobs.queue.enqueue_at_commit, topics moved by caching.topics.changed). What
    the fixtures asked for before waits for a commit that never comes: it is left out."""

    @contextmanager
    def commit():
        queue._at_commit.current = None
        topics._batches.current = None
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return commit


@pytest.fixture(autouse=True)
def no_page_cache(settings, monkeypatch):
    """Tests change data inside a transaction that never commits, so no topic moves: pages
    are rendered afresh, and every topic's version is a constant (no query that comes and goes,
    for the tests that count queries), unless a test asks for them (`real_versions`)."""
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(topics, "versions", lambda names: dict.fromkeys(names, 0))


@pytest.fixture
def real_versions(monkeypatch):
    """Pages depend on the topics' versions as they are (tests/caching/)."""
    monkeypatch.setattr(topics, "versions", REAL_VERSIONS)


@pytest.fixture(autouse=True)
def media_folder(settings, tmp_path):
    """Uploads and renditions go to a folder of the test's own, never the checkout's."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


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
def pictured(demo):
    """The demo data with pictures: Kim Kardashian's portrait and the story's lead picture
    with their renditions, North West's portrait with none made yet (shown from its file);
    Kanye West and the others keep their initials."""
    kim = stored_picture(
        size=(600, 900),
        alt="Kim Kardashian at a premiere",
        credit="© Test Studio",
        licence="CC BY 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        focal_y=0.3,
    )
    Person.objects.filter(slug="kim-kardashian").update(portrait=kim)
    north = stored_picture(
        size=(500, 500),
        alt="North West",
        credit="© Family Handout",
        licence="Handout",
        renditions=False,
    )
    Person.objects.filter(slug="north-west").update(portrait=north)
    lead = stored_picture(
        size=(1600, 900),
        alt="Kim Kardashian on the cover of Vogue",
        caption="The March cover.",
        credit="© Cover Photographer / Vogue",
        licence="All rights reserved",
        source_url="https://www.vogue.com/cover",
    )
    Article.objects.update(lead_picture=lead)
    return {"kim": kim, "north": north, "lead": lead}


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
