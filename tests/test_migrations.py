from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

NAMED_CONSTRAINTS = {
    "relationship_not_self",
    "relationship_ends_after_start",
    "relationship_kind_known",
    "person_died_not_before_born",
    "article_title_not_empty",
    "articles_sourcelink_url_http",
    "people_source_url_http",
}
NAMED_UNIQUE_INDEXES = {
    "relationship_unique_pair_kind_start",
    "article_unique_slug_per_day",
    "mention_unique_person_per_article",
}


def test_the_models_and_the_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


@pytest.mark.postgres
def test_postgresql_enforces_the_named_constraints(db, on_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint")
        constraints = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
        indexes = {row[0] for row in cursor.fetchall()}
    assert constraints >= NAMED_CONSTRAINTS
    assert constraints | indexes >= NAMED_UNIQUE_INDEXES
