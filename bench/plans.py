"""The query plans of the hot pages, on a generated archive: `EXPLAIN (ANALYZE)` of every query
each page runs, as Markdown (docs/query-plans.md is this command's output at 1,000,000 stories).

    python -m bench.plans [--articles 1000000] [--database-url URL] > docs/query-plans.md

The pages are the ones `bench.http` loads: a story, the most mentioned person, a month in the
middle of the archive, the most used tag, the front page and a search for a common word —
plus the archive index and the year, which read the dates by a loose index scan.
"""

import argparse

from bench.common import DEFAULT_URL, ensure_archive, setup_django


def pages():
    from django.db.models import Count

    from articles.models import Article, Mention
    from people.models import Person

    famous = Person.objects.get(
        pk=Mention.objects.values("person").annotate(n=Count("id")).order_by("-n")[0]["person"]
    )
    tag = Article.tags.through.objects.values("tag__slug").annotate(n=Count("id")).order_by("-n")
    published = Article.objects.published().order_by("published_on")
    first, last = published.first().published_on, published.last().published_on
    middle = first + (last - first) / 2
    story = Article.objects.published().exclude(published_on=last).order_by("-published_on")[0]
    return [
        ("story", story.get_absolute_url()),
        ("person (most mentioned)", famous.get_absolute_url()),
        ("month", f"/articles/{middle:%Y/%m}/"),
        ("tag (most used)", f"/tags/{tag[0]['tag__slug']}/"),
        ("front page", "/"),
        ("search", "/search/?q=wedding"),
        ("archive", "/articles/"),
        ("year", f"/articles/{middle:%Y}/"),
    ]


def plan(cursor, sql):
    cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF) {sql}")
    return "\n".join(row[0] for row in cursor.fetchall())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    options = parser.parse_args()

    ensure_archive(options.database_url, options.articles)
    setup_django(options.database_url)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from articles.models import Article

    setup_test_environment()
    settings.PAGE_CACHE_SECONDS = 0
    client = Client()
    print("# Query plans of the hot pages\n")
    print(
        f"`python -m bench.plans` on {Article.objects.count():,} generated stories, PostgreSQL "
        f"{connection.pg_version // 10000}: every query each page runs, with "
        "`EXPLAIN (ANALYZE, COSTS OFF)`. Index scans, bounded by a `Limit`, are the rule; "
        "see [performance.md](performance.md).\n"
    )
    for name, url in pages():
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        print(f"## {name}: `{url}`\n")
        with connection.cursor() as cursor:
            for number, query in enumerate(queries.captured_queries, start=1):
                sql = query["sql"]
                print(f"{number}. `{sql[:110]}…`\n")
                print("```")
                print(plan(cursor, sql))
                print("```\n")


if __name__ == "__main__":
    main()
