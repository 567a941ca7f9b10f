"""How long the hot pages take to render, page cache off, in-process: where a change to the
views or templates shows first, without the noise of HTTP.

    python -m bench.render [--articles 100000] [--database-url URL] [--repeat 20]
                           [--unprepared | --generic-plans]

Each page is asked for through Django's whole handler (every middleware, production settings),
once to warm up and then `--repeat` times; the table gives the fastest answer in milliseconds
(on a shared machine the slow answers measure the neighbours), its size and its queries.
The ratios to bare Django's pages are `bench.http`'s, over HTTP.

`--unprepared` runs without prepared statements (common/prepared.py), for comparison.
`--generic-plans` makes PostgreSQL run every prepared statement by its generic plan, from the
first run on, the worst a prepared statement can do: a page whose time leaps under it
prepares a query whose best plan depends on its values.
"""

import argparse
import time
from typing import TYPE_CHECKING

from bench.common import DEFAULT_URL, in_process
from bench.http import archive_facts

if TYPE_CHECKING:
    from django.http import HttpResponseBase
    from django.test import Client


def pages(database_url: str) -> list[tuple[str, str]]:
    _, _, chosen = archive_facts(database_url)
    return [
        ("story", chosen["story"]),
        ("front", "/"),
        ("famous person", chosen["person"]),
        ("month", chosen["month"]),
        ("tag", chosen["tag"]),
        ("search", "/search/?q=wedding"),
    ]


def fastest(client: "Client", url: str, repeat: int) -> tuple[float, "HttpResponseBase", int]:
    """The fastest of `repeat` answers (ms), the last response and its query count."""
    from django.db import connection, reset_queries

    client.get(url)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    # Counted apart, so that recording the queries does not slow the timed answers.
    connection.force_debug_cursor = True
    reset_queries()
    client.get(url)
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    return min(times), response, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=20)
    plans = parser.add_mutually_exclusive_group()
    plans.add_argument("--unprepared", action="store_true")
    plans.add_argument("--generic-plans", action="store_true")
    options = parser.parse_args()

    in_process(options.database_url, options.articles)
    from django.conf import settings
    from django.db import connection

    if options.unprepared:
        settings.DATABASE_PREPARED_STATEMENTS = False
    if options.generic_plans:
        connection.close()
        connection.settings_dict["OPTIONS"]["options"] += " -c plan_cache_mode=force_generic_plan"
    from django.test import Client

    from articles.models import Article

    client = Client()
    how = "unprepared" if options.unprepared else "generic plans" if options.generic_plans else ""
    print(f"{Article.objects.count():,} stories; fastest of {options.repeat}, in-process {how}\n")
    print(f"{'page':16} {'ms':>7} {'bytes':>9} {'queries':>7}  address")
    for name, url in pages(options.database_url):
        ms, response, queries = fastest(client, url, options.repeat)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
        print(f"{name:16} {ms:7.2f} {size:>9,} {queries:>7}  {url}")


if __name__ == "__main__":
    main()
