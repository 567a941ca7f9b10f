"""`import_wikidata` of 100 entities, timed and its SQL queries counted, against a stand-in for
Wikidata on 127.0.0.1 (tests/wikidata_server.py) — never the real service.

    python -m bench.wikidata_import [--entities 100] [--database-url URL] [--repeat 3]

The entities are fictional families in Wikidata's JSON shape (two partners married or not,
with dates to the day, the month or the year, two children with their parents and a sibling,
aliases), generated afresh and all named on the command line (depth 0). Each round empties its
scratch database (never the working database), then imports them all (every person, alias,
relationship and source created, with their versions), then imports them again (nothing
changes: the idempotent run). The table gives the fastest round of each, its queries, and the
requests made to the stand-in.
"""

import argparse
import os
import time
from collections.abc import Callable
from typing import Any

from bench.common import setup_django
from bench.imports import fresh_database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench_wikidata"
FIRST = 990_100_001


def time_value(day: str, precision: int) -> dict:
    return {
        "time": f"+{day}T00:00:00Z",
        "timezone": 0,
        "before": 0,
        "after": 0,
        "precision": precision,
        "calendarmodel": "http://www.wikidata.org/entity/Q1985727",
    }


def snak(pid: str, value: dict, kind: str) -> dict:
    return {"snaktype": "value", "property": pid, "datavalue": {"value": value, "type": kind}}


def item(pid: str, qid: str) -> dict:
    value = {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid}
    return snak(pid, value, "wikibase-entityid")


def statement(qid: str, number: int, mainsnak: dict, qualifiers: list | None = None) -> dict:
    found = {"mainsnak": mainsnak, "type": "statement", "rank": "normal"}
    found["id"] = f"{qid}$00000000-0000-0000-0000-{number:012d}"
    if qualifiers:
        found["qualifiers"] = {q["property"]: [q] for q in qualifiers}
        found["qualifiers-order"] = [q["property"] for q in qualifiers]
    return found


def entity(qid: str, name: str, aliases: list[str], claims: dict[str, list]) -> dict:
    return {
        "type": "item",
        "id": qid,
        "labels": {"en": {"language": "en", "value": name}},
        "descriptions": {"en": {"language": "en", "value": "fictional person"}},
        "aliases": {"en": [{"language": "en", "value": alias} for alias in aliases]},
        "claims": claims,
        "sitelinks": {},
    }


def families(count: int) -> dict[str, dict]:
    """`count` entities, four to a family: two partners and their two children."""
    entities = {}
    for family in range((count + 3) // 4):
        a, b, c, d = (f"Q{FIRST + family * 4 + n}" for n in range(4))
        year = 1960 + family % 30
        married = family % 2 == 0
        tie = "P26" if married else "P451"
        span = [
            snak("P580", time_value(f"{year + 25}-06-{1 + family % 28:02d}", 11), "time"),
            snak("P582", time_value(f"{year + 35}-00-00", 9), "time"),
        ]
        if married:
            span.append(item("P1534", "Q93190"))
        surname = f"Family{family:03d}"
        people = [
            (a, f"Ana {surname}", [f"Ana {family}"], f"{year}-03-{1 + family % 28:02d}", 11),
            (b, f"Ben {surname}", [f"Benny {family}"], f"{year - 2}-07-00", 10),
            (c, f"Cy {surname}", [], f"{year + 27}-00-00", 9),
            (d, f"Di {surname}", [], f"{year + 30}-01-{1 + family % 28:02d}", 11),
        ]
        claims = {
            a: {tie: [statement(a, 1, item(tie, b), span)], "P40": []},
            b: {tie: [statement(b, 1, item(tie, a), span[:1])], "P40": []},
            c: {"P25": [statement(c, 1, item("P25", a))], "P22": [statement(c, 2, item("P22", b))]},
            d: {"P25": [statement(d, 1, item("P25", a))], "P3373": []},
        }
        for parent in (a, b):
            claims[parent]["P40"] = [
                statement(parent, 10 + n, item("P40", child)) for n, child in enumerate((c, d))
            ]
        claims[d]["P3373"] = [statement(d, 2, item("P3373", c))]
        for qid, name, aliases, born, precision in people:
            claims[qid]["P569"] = [
                statement(qid, 0, snak("P569", time_value(born, precision), "time"))
            ]
            entities[qid] = entity(qid, name, aliases, claims[qid])
    return dict(list(entities.items())[:count])


def run_once(qids: list[str]) -> tuple[float, int, str]:
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    queries = 0

    def count(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    out = StringIO()
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        call_command("import_wikidata", *qids, stdout=out)
    return time.perf_counter() - started, queries, out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    os.environ["WIKIDATA_USER_AGENT"] = "NewsroomBench/1.0 (benchmark; no contact)"
    if options.database_url.startswith("postgres"):
        fresh_database(options.database_url)
    setup_django(options.database_url)
    from django.conf import settings
    from django.core.management import call_command

    from people.models import Person, Relationship
    from tests.wikidata_server import WikidataServer

    entities = families(options.entities)
    qids = list(entities)
    first, again = [], []
    with WikidataServer(entities) as server:
        settings.WIKIDATA_API_URL = server.url
        settings.OUTBOUND_ALLOWED_ADDRESSES = ["127.0.0.1"]  # the stand-in, on loopback
        for _ in range(options.repeat):
            call_command("flush", "--no-input", verbosity=0)
            call_command("migrate", "--no-input", verbosity=0)
            requests = len(server.requests)
            first.append(run_once(qids))
            asked = len(server.requests) - requests
            again.append(run_once(qids))
            assert "Nothing changed" in again[-1][2], again[-1][2]
    people, relationships = Person.objects.count(), Relationship.objects.count()
    vendor = "PostgreSQL" if options.database_url.startswith("postgres") else "SQLite"
    print(
        f"\nimport_wikidata, {len(qids)} entities on {vendor} ({people} people, "
        f"{relationships} relationships, {asked} requests of at most 50 ids):"
    )
    for label, rounds in (("first run", first), ("again (nothing changes)", again)):
        seconds, queries, _ = min(rounds)
        print(
            f"  {label}: {seconds:.2f} s, {queries:,} queries "
            f"({queries / len(qids):.1f} per entity)"
        )


if __name__ == "__main__":
    main()
