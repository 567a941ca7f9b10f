"""Search speed on a generated archive on PostgreSQL: median and 95th percentile per query.

    python -m bench.search [--articles 100000] [--repeat 15] [--database-url URL]

Measures the search engine (`articles.search.search`, every query it runs: matches, ranking,
facets, snippets, people, quotes) and the whole page through Django's test client, then shows
the query plans of the main statements so one can see the GIN indexes at work.
"""

import argparse
import time
from typing import TYPE_CHECKING

from bench.common import DEFAULT_URL, ensure_archive, setup_django, summary

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper


def typical_queries(famous: str, tag_slug: str) -> list[tuple[str, str, dict[str, str]]]:
    return [
        ("famous name", famous, {}),
        ("misspelt name", famous.replace("a", "e", 1)[:-1] + famous[-1:], {}),
        ("common word", "wedding", {}),
        ("two words", "divorce custody", {}),
        ("phrase", '"red carpet"', {}),
        ("exclusion", "album -tour", {}),
        ("alternatives", "engagement or proposal", {}),
        ("rare words", "yacht sequel", {}),
        ("with facets", "album", {"kind": "interview", "tag": tag_slug}),
        ("deep page", "wedding", {"page": "40"}),
        ("stop words only", "the and of", {}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    options = parser.parse_args()

    ensure_archive(options.database_url, options.articles)
    setup_django(options.database_url)

    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from articles.models import Article
    from articles.search import Filters, search
    from common.fulltext import name_keys
    from people.models import Person

    setup_test_environment()
    client = Client()
    famous = Person.objects.filter(mentions__isnull=False).order_by("pk").first()
    tag = Article.tags.through.objects.values_list("tag__slug", flat=True).first()
    stories = Article.objects.count()
    print(
        f"\nSearch on {stories:,} stories, PostgreSQL {connection.pg_version // 10000}, "
        f"{options.repeat} runs each (milliseconds)\n"
    )
    print(
        f"{'query':<18} {'q':<28} {'engine p50':>10} {'p95':>7} {'page p50':>9} {'p95':>7}"
        f" {'stories':>8}"
    )
    for label, query, params in typical_queries(famous.name, tag):
        filters = Filters.from_request(params)
        engine, page = [], []
        for _ in range(options.repeat):
            started = time.perf_counter()
            results = search(query, filters, params.get("page", 1))
            engine.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            response = client.get("/search/", {"q": query, **params})
            page.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        e50, e95 = summary(engine)
        p50, p95 = summary(page)
        total = f"{results.total}{'+' if results.capped else ''}"
        print(
            f"{label:<18} {query[:28]:<28} {e50:>10.1f} {e95:>7.1f} {p50:>9.1f} {p95:>7.1f}"
            f" {total:>8}"
        )

    print("\nQuery plans (EXPLAIN ANALYZE) of the statements behind “wedding”:\n")
    explain(
        connection,
        "stories: newest matches, ranked",
        """
        SELECT a.id FROM articles_article a WHERE a.id IN (
            SELECT id FROM articles_article
            WHERE status = 'published' AND published_on <= CURRENT_DATE
              AND search_vector @@ websearch_to_tsquery('newsroom', 'wedding')
            ORDER BY published_on DESC, id DESC LIMIT 1001)
        ORDER BY ts_rank(a.search_vector, websearch_to_tsquery('newsroom', 'wedding')) DESC,
                 a.published_on DESC, a.id DESC""",
    )
    explain(
        connection,
        "rare words",
        """
        SELECT id FROM articles_article
        WHERE status = 'published' AND published_on <= CURRENT_DATE
          AND search_vector @@ websearch_to_tsquery('newsroom', 'yacht sequel')
        ORDER BY published_on DESC, id DESC LIMIT 1001""",
    )
    explain(
        connection,
        "quotes: the newest 200 matches",
        """
        SELECT id FROM articles_quote
        WHERE search_vector @@ websearch_to_tsquery('newsroom', 'wedding')
        ORDER BY id DESC LIMIT 200""",
    )
    explain(
        connection,
        "quotes: a word's matches asked of the index first (a word no quote has)",
        """
        WITH matches AS MATERIALIZED (
            SELECT id FROM articles_quote
            WHERE search_vector @@ websearch_to_tsquery('newsroom', 'xyzzy'))
        SELECT id FROM matches LIMIT 2001""",
    )
    variants = "', '".join(sorted(set(name_keys("nedia okafor", prefixes=False).split())))
    explain(
        connection,
        "names one slip away (“Nedia Okafor”), by keys",
        f"SELECT id FROM people_person WHERE newsroom_name_keys(name_keys) && ARRAY['{variants}']",
    )
    explain(
        connection,
        "names further off, by trigrams (only when nothing else is found)",
        "SELECT id FROM people_person WHERE search_names %> 'kardasshiann'",
        setup="SET LOCAL enable_seqscan = off",
    )


def explain(connection: "BaseDatabaseWrapper", title: str, sql: str, setup: str = "") -> None:
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if setup:
            cursor.execute(setup)
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql)
        print(f"-- {title}")
        for (line,) in cursor.fetchall():
            print("   " + line)
        print()


if __name__ == "__main__":
    main()
