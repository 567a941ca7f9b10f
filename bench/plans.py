"""The query plans of the hot pages, on a generated archive: `EXPLAIN (ANALYZE)` of every query
each page runs, as Markdown (docs/query-plans.md is this command's output at 1,000,000 stories).

    python -m bench.plans [--articles 1000000] [--database-url URL] > docs/query-plans.md

The pages are the ones `bench.http` loads: a story, the most mentioned person, a month in the
middle of the archive, the most used tag, the front page and a search for a common word —
plus the archive index and the year, which read the dates by a loose index scan, and the
quotes of the most mentioned person and of someone who said little, on their page and in the
list of quotes (the two ends of one query's plans).
"""

import argparse
import re
from typing import TYPE_CHECKING

import psycopg

from bench.common import DEFAULT_URL, in_process
from bench.http import archive_facts

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper


# Someone who said little: the person quoted last added (in the archive's long tail).
LITTLE_SAID = (
    "SELECT slug FROM people_person WHERE id = (SELECT max(speaker_id) FROM articles_quote)"
)


def pages(database_url: str) -> list[tuple[str, str]]:
    """The pages bench.http loads, chosen the same way, the two date lists, and the quotes of
    the most and of the least quoted."""
    _, _, chosen = archive_facts(database_url)
    year = chosen["month"].split("/")[2]
    famous = chosen["person"].split("/")[2]
    with psycopg.connect(database_url) as conn:
        (little,) = conn.execute(LITTLE_SAID).fetchone()
    return [
        ("story", chosen["story"]),
        ("person (most mentioned)", chosen["person"]),
        ("month", chosen["month"]),
        ("tag (most used)", chosen["tag"]),
        ("front page", "/"),
        ("search", "/search/?q=wedding"),
        ("archive", "/articles/"),
        ("year", f"/articles/{year}/"),
        ("person (little said)", f"/people/{little}/"),
        ("quotes (most mentioned)", f"/quotes/?person={famous}"),
        ("quotes (little said)", f"/quotes/?person={little}"),
    ]


# A long array of ids in a plan (`= ANY ('{…}'::bigint[])`, a search's candidates): its first
# three and how many there are.
LONG_LIST = re.compile(r"'\{((?:\d+,){3})((?:\d+,){10,}\d+)\}'(?=::\w+\[\])")


def shortened(line: str) -> str:
    return LONG_LIST.sub(
        lambda m: f"'{{{m[1]}… {m[0].count(',') + 1} ids}}'",
        line,
    )


def plan(cursor: "CursorWrapper", sql: str) -> str:
    cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, SUMMARY OFF) {sql}")
    return "\n".join(shortened(row[0]) for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    options = parser.parse_args()

    in_process(options.database_url, options.articles)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    client = Client()
    print("# Query plans of the hot pages\n")
    print(
        f"`python -m bench.plans` on {Article.objects.count():,} generated stories, PostgreSQL "
        f"{connection.pg_version // 10000}: every query each page runs, with "
        "`EXPLAIN (ANALYZE, COSTS OFF)`. Index scans, bounded by a `Limit`, are the rule; "
        "see [performance.md](performance.md).\n"
    )
    for name, url in pages(options.database_url):
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
