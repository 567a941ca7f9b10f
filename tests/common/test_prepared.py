"""Prepared statements, for the pages that look rows up by their keys only (PostgreSQL)."""

import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Finding, Quote
from common.prepared import statements_prepared
from tests.articles.test_views import SEED_URL

pytestmark = pytest.mark.usefixtures("on_postgres")


@pytest.fixture
def statements():
    """The statements prepared on this connection since the test began (the connection, and
    what an earlier test prepared on it, outlive a test)."""

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return {row[0] for row in cursor.fetchall()}

    before = prepared()
    return lambda: prepared() - before


def test_a_story_page_prepares_its_lookups_and_reads_the_same(client, demo, statements, settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    plain = client.get(SEED_URL).content
    assert statements() == set()

    settings.DATABASE_PREPARED_STATEMENTS = True
    first = client.get(SEED_URL).content
    prepared = statements()
    again = client.get(SEED_URL).content

    assert first == plain and again == plain
    assert any('FROM "articles_article"' in sql and "$1" in sql for sql in prepared)
    assert any('FROM "articles_mention"' in sql for sql in prepared)
    # Asked for again, the same statements serve.
    assert statements() == prepared


def test_the_front_page_and_a_quote_are_prepared(client, demo, statements):
    client.get("/")
    front = statements()
    assert any("FROM articles_quote" in sql for sql in front)
    quote = Quote.objects.filter(status=Finding.CONFIRMED).first()
    client.get(quote.get_absolute_url())
    assert statements() - front


def test_a_person_s_page_is_not_prepared(client, demo, statements):
    # A generic plan for a famous person's stories is far slower than a custom one.
    assert client.get("/people/kanye-west/").status_code == 200
    assert statements() == set()


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "True"),
        ({"DATABASE_TRANSACTION_POOLING": "1"}, "False"),
        ({"DATABASE_TRANSACTION_POOLING": "1", "DATABASE_PREPARED_STATEMENTS": "1"}, "True"),
        ({"DATABASE_PREPARED_STATEMENTS": "0"}, "False"),
    ],
)
def test_behind_pgbouncer_in_transaction_mode_nothing_is_prepared_unless_asked(
    environment, expected
):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_TRANSACTION_POOLING", "DATABASE_PREPARED_STATEMENTS"}
    }
    env |= {"DJANGO_SETTINGS_MODULE": "newsroom.settings", **environment}
    code = "from django.conf import settings; print(settings.DATABASE_PREPARED_STATEMENTS)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == expected


def test_a_prepared_statement_shows_in_the_debug_log_with_its_values(db):
    with (
        CaptureQueriesContext(connection) as queries,
        statements_prepared(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT %(number)s::int + %(number)s::int", {"number": 20})
        assert cursor.fetchone() == (40,)
    assert [query["sql"] for query in queries] == ["SELECT 20::int + 20::int"]
