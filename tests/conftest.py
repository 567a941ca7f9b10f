import datetime
import shutil

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from articles.models import Article, Publication
from caching import edition
from people.models import Person


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
