"""Requests per second of the site as production serves it, against a bare Django baseline.

    python -m bench.http [--articles 100000] [--database-url URL] [--duration 10]
                         [--connections 16] [--json FILE]

Builds (or reuses) the generated archive of `bench.common`, then starts gunicorn three times
on a free loopback port, each time with two sync workers (one per core) and production
settings (DEBUG off, a random secret key, no HTTPS), and loads one URL at a time with `wrk`:

1. Newsroom with the page cache off (`PAGE_CACHE_SECONDS=0`): the pages as rendered by the
   views — a story, the most mentioned person, a month in the middle of the archive, the most
   used tag, the front page, a search for a common word — and the story again sent with the
   ETag its first answer carried (`If-None-Match`), which should be a `304 Not Modified`; then
   the same story, person and tag's stories from the read API (`/api/v1/`), each against its
   HTML page.
2. Newsroom with the page cache on (`PAGE_CACHE_SECONDS=86400`, the default; a Redis of the
   benchmark's own when `redis-server` is installed, else each worker's local memory): the
   story and the front page, as cached; then the "Zipf mix": 10,000 story addresses drawn
   with a Zipf popularity (`bench/zipf.lua`, s = 1: the address of rank k read in proportion
   to 1/k), after a run that asks for each of them in turn to fill the cache (`--zipf-fill`
   seconds, long enough to reach them all) and one of the mix itself, unmeasured (each worker
   then keeps the pages asked for most), once alone and once while `bench/editor.py` saves
   one of those stories every second in another process. Its `hits` column is the share of
   answers that came from the page cache (`X-Page-Cache: hit`). Last, "story, by script": the
   cached story asked for through the same script (wrk runs it for every request and answer,
   on the cores the workers use), against "hello, by script".
3. The baseline, `bench/fortunes`: Django with no middleware and one app. "fortunes" is
   TechEmpower's test (read a table, add a row, sort, render an escaped template), "hello
   world" a plain-text answer, and "hello, by script" that answer asked for through
   bench/zipf.lua: what the script itself costs the load generator.

Between rows the harness waits for the workers to go idle: wrk stops with requests still
queued, and a slow page's backlog would otherwise be served during the next row.

How to read the table: `req/s` is what the two workers served together with `--connections`
clients asking without pause; `p50` and `p99` are wrk's latencies in milliseconds under that
load, waiting in gunicorn's queue included (an answer slower than 30 s counts as a timeout,
under socket errors, not in the latencies; "-" when every answer was); `non-2xx/3xx` and
`socket errors` should be 0, else the row measured failures too. `ratio` divides the row's
req/s by the baseline named beside it: an uncached page against "fortunes" (what Newsroom's
own queries and templates cost beyond the cheapest database page), a cached page against
"hello world" (a cached page should cost little more than Django answering at all).
`target` is the ratio the page is meant to reach. A row that could not be measured says why.
Below the table: each gunicorn worker's resident memory after the Newsroom runs.
"""

import argparse
import importlib.util
import json
import os
import re
import secrets
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import psycopg

from bench.common import DEFAULT_URL, ROOT, ensure_archive
from bench.processes import (
    Server,
    ServerFailed,
    free_port,
    get,
    gunicorn_arguments,
    rss_kb,
    running,
)

WORKERS = 2
WRK_THREADS = 2
WARM_UP_SECONDS = 2
# gunicorn's own worker timeout: wrk's default, 2 s, would leave a slow page's latencies out of
# p99 (counted as timeouts instead), and a slow page is what the table is there to show.
WRK_TIMEOUT = "30s"
RSS_TARGET_MB = 150
WARM_UP_SCRIPT = Path(__file__).with_name("warm_up.lua")
ZIPF_SCRIPT = Path(__file__).with_name("zipf.lua")
ZIPF_STORIES = 10_000
EDITOR_START_SECONDS = 120

# TechEmpower's table, as every framework in its benchmark loads it.
FORTUNES = [
    "fortune: No such file or directory",
    "A computer scientist is someone who fixes things that aren't broken.",
    "After enough decimal places, nobody gives a damn.",
    "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    "A computer program does what you tell it to do, not what you want it to do.",
    "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
    "Any program that runs right is obsolete.",
    "A list is only as strong as its weakest link. — Donald Knuth",
    "Feature: A bug with seniority.",
    "Computers make very fast, very accurate mistakes.",
    '<script>alert("This should not be displayed in a browser alert box.");</script>',
    "フレームワークのベンチマーク",
]

# Published and dated before today (in UTC, the settings' default), so visible to readers.
VISIBLE = "status = 'published' AND published_on < (now() AT TIME ZONE 'UTC')::date"
PAGE_QUERIES = {
    "story": f"SELECT '/articles/' || to_char(published_on, 'YYYY/MM/DD') || '/' || slug || '/' "
    f"FROM articles_article WHERE {VISIBLE} ORDER BY published_on DESC, id DESC LIMIT 1",
    "person": "SELECT '/people/' || slug || '/' FROM people_person WHERE id = ("
    "SELECT person_id FROM articles_mention GROUP BY person_id "
    "ORDER BY count(*) DESC, person_id LIMIT 1)",
    "month": "SELECT '/articles/' || to_char(min(published_on) + "
    f"(max(published_on) - min(published_on)) / 2, 'YYYY/MM') || '/' "
    f"FROM articles_article WHERE {VISIBLE}",
    "tag": "SELECT '/tags/' || slug || '/' FROM taggit_tag WHERE id = ("
    "SELECT tag_id FROM articles_taggedarticle GROUP BY tag_id "
    "ORDER BY count(*) DESC, tag_id LIMIT 1)",
}
# The same things through the read API: the story, the person, the tag's stories.
API_QUERIES = {
    "story": f"SELECT '/api/v1/stories/' || id || '/' FROM articles_article WHERE {VISIBLE} "
    "ORDER BY published_on DESC, id DESC LIMIT 1",
    "person": "SELECT '/api/v1/people/' || slug || '/' FROM people_person WHERE id = ("
    "SELECT person_id FROM articles_mention GROUP BY person_id "
    "ORDER BY count(*) DESC, person_id LIMIT 1)",
    "tag": "SELECT '/api/v1/stories/?tag=' || slug FROM taggit_tag WHERE id = ("
    "SELECT tag_id FROM articles_taggedarticle GROUP BY tag_id "
    "ORDER BY count(*) DESC, tag_id LIMIT 1)",
}


@dataclass
class Row:
    label: str
    path: str
    baseline: str | None = None
    target: float | None = None
    revalidate: bool = False
    zipf: bool = False  # `path` is a file of addresses, drawn by bench/zipf.lua
    fill: bool = False  # each of those addresses asked for once before (`--zipf-fill`)
    editor: bool = False  # bench/editor.py saves a story every second meanwhile


# One row of the report as the JSON file has it: the row described, wrk's numbers or a note.
Result: TypeAlias = dict[str, Any]
# Each server's name, rows, WSGI application, environment and the page that says it is ready.
ServerPlan: TypeAlias = tuple[str, list[Row], str, dict[str, str], str]
# Each Newsroom server's workers' resident memory in MB; None when the server failed.
Memory: TypeAlias = dict[str, list[float] | None]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per row")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument(
        "--zipf-fill",
        type=int,
        default=120,
        help="seconds asking for each Zipf mix address in turn before measuring it",
    )
    parser.add_argument(
        "--zipf-stories",
        type=int,
        default=ZIPF_STORIES,
        help="how many story addresses the Zipf mix draws from",
    )
    parser.add_argument(
        "--only-zipf", action="store_true", help="only the Zipf mix rows and their baseline"
    )
    return parser.parse_args()


def find_wrk() -> str:
    wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("bench.http needs wrk, the HTTP load generator: apt-get install wrk")
    return wrk


# --- The database ----------------------------------------------------------------------------


def ensure_fortunes(database_url: str) -> None:
    """The baseline's table, beside the archive's in the same database, with exactly the rows
    of TechEmpower's test."""
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_fortune "
            "(id integer PRIMARY KEY, message varchar(2048) NOT NULL)"
        )
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO bench_fortune (id, message) VALUES (%s, %s) "
                "ON CONFLICT (id) DO UPDATE SET message = EXCLUDED.message",
                list(enumerate(FORTUNES, start=1)),
            )
        conn.execute("DELETE FROM bench_fortune WHERE id > %s", [len(FORTUNES)])


def archive_facts(database_url: str) -> tuple[int, str, dict[str, str]]:
    """What the header tells, and the pages to load: the heaviest of their kinds."""
    with psycopg.connect(database_url) as conn:
        (stories,) = conn.execute("SELECT count(*) FROM articles_article").fetchone()
        (version,) = conn.execute("SHOW server_version").fetchone()
        pages = {name: conn.execute(sql).fetchone()[0] for name, sql in PAGE_QUERIES.items()}
        pages |= {
            f"api {name}": conn.execute(sql).fetchone()[0] for name, sql in API_QUERIES.items()
        }
    missing = [name for name, path in pages.items() if not path]
    if missing:
        sys.exit(f"the archive has no {', '.join(missing)} to load: is it generated?")
    return stories, version.split()[0], pages


def zipf_paths(database_url: str, path: Path, count: int) -> int:
    """`count` addresses of visible stories, in an order that is the same from run to
    run but follows neither date nor id (rank 1, the most read, is any story), to `path`."""
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT '/articles/' || to_char(published_on, 'YYYY/MM/DD') || '/' || slug || '/' "
            f"FROM articles_article WHERE {VISIBLE} ORDER BY md5(id::text) LIMIT %s",
            [count],
        ).fetchall()
    path.write_text("".join(f"{address}\n" for (address,) in rows))
    return len(rows)


@contextmanager
def page_cache(folder: Path) -> Iterator[tuple[str | None, str]]:
    """A Redis of the benchmark's own (no other program's keys, nothing left behind) when
    redis-server and the redis package are installed, else each worker's own memory."""
    executable = shutil.which("redis-server")
    if executable is None or importlib.util.find_spec("redis") is None:
        yield None, "local memory (redis-server or the redis package is not installed)"
        return
    port = free_port()
    command = [executable, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)]
    command += ["--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                time.sleep(0.1)
        url = f"redis://127.0.0.1:{port}/0"
        yield url, f"Redis of its own, {url}"
    finally:
        process.kill()
        process.wait(timeout=10)


# --- The servers -----------------------------------------------------------------------------


def server_env(database_url: str, settings: str, **extra: str) -> dict[str, str]:
    """Production settings, whatever the shell running the benchmark has set."""
    dropped = {
        "DEBUG",
        "HTTPS",
        "BEHIND_PROXY",
        "PAGE_CACHE_SECONDS",
        "REDIS_URL",
        "API_RATE_LIMIT",
    }
    env = {name: value for name, value in os.environ.items() if name not in dropped}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": settings,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        # The API's limit stays on, counting every request, but wrk never reaches it.
        "API_RATE_LIMIT": "100000000/min",
        **extra,
    }


@contextmanager
def gunicorn(app: str, env: dict[str, str], ready_path: str, log_path: Path) -> Iterator[Server]:
    """gunicorn as deployed, on a free loopback port; stopped on the way out."""
    port = free_port()
    command = [sys.executable, *gunicorn_arguments(app, "--workers", str(WORKERS))]
    command += ["--worker-class", "sync", "--bind", f"127.0.0.1:{port}"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    with running(process, port, log_path, ready_path, WORKERS) as server:
        yield server


# --- wrk -------------------------------------------------------------------------------------

UNIT_MS = {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()
    return float(number) * UNIT_MS[unit]


def parse_wrk(output: str) -> dict[str, Any]:
    """The numbers of wrk's text report; the error lines are there only when not zero."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    requests = re.search(r"^\s+(\d+) requests in ", output, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    if not (rate and requests and p50 and p99):
        raise ValueError(f"could not read wrk's report:\n{output}")
    status = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    names = ("connect", "read", "write", "timeout")
    errors = dict(zip(names, map(int, sockets.groups()), strict=True)) if sockets else {}
    errors = {name: errors.get(name, 0) for name in names}
    # An answer slower than --timeout counts as a timeout, and is left out of the latencies.
    timed = int(requests[1]) > errors["timeout"]
    return {
        "requests": int(requests[1]),
        "requests_per_s": float(rate[1]),
        "latency_p50_ms": milliseconds(p50[1]) if timed else None,
        "latency_p99_ms": milliseconds(p99[1]) if timed else None,
        "non_2xx_3xx": int(status[1]) if status else 0,
        "socket_errors": errors,
    }


def wrk_command(wrk: str, options: argparse.Namespace, seconds: int) -> list[str]:
    threads = str(min(WRK_THREADS, options.connections))
    command = [wrk, "--latency", "-t", threads, "-c", str(options.connections)]
    return [*command, "-d", f"{seconds}s", "--timeout", WRK_TIMEOUT]


def run_wrk(
    wrk: str,
    options: argparse.Namespace,
    url: str,
    headers: dict[str, str],
    script: Path | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    command = wrk_command(wrk, options, options.duration)
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    # subprocess.run kills wrk if it overruns its time, or if anything interrupts the wait.
    result = subprocess.run(
        [*command, url],
        capture_output=True,
        text=True,
        timeout=options.duration + 60,
        env={**os.environ, **(env or {})},
    )
    if result.returncode != 0:
        raise ValueError(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")
    numbers = parse_wrk(result.stdout)
    if counted := re.search(r"page cache: (\d+) hits, (\d+) misses, (\d+) others", result.stdout):
        hits, misses, others = map(int, counted.groups())
        numbers["page_cache"] = {"hits": hits, "misses": misses, "others": others}
        if hits + misses:  # answers from Newsroom's page cache, not another server's
            numbers["hit_rate"] = round(hits / (hits + misses + others), 3)
    return numbers


def warm_up(wrk: str, options: argparse.Namespace, rows: list[Row], server: Server) -> None:
    """Every page of the server, in turn, on every connection: both workers have loaded their
    code, templates and connections (and filled their caches) before the first measure."""
    paths = " ".join(dict.fromkeys(row.path for row in rows)) or "/"
    subprocess.run(
        [*wrk_command(wrk, options, WARM_UP_SECONDS), "-s", WARM_UP_SCRIPT, server.url],
        env={**os.environ, "WARM_UP_PATHS": paths},
        capture_output=True,
        timeout=WARM_UP_SECONDS + 60,
    )


# --- The rows --------------------------------------------------------------------------------


def newsroom_rows(pages: dict[str, str]) -> list[Row]:
    return [
        Row("story", pages["story"], "fortunes", 0.5),
        Row("famous person", pages["person"], "fortunes", 0.15),
        Row("month archive", pages["month"], "fortunes", 0.3),
        Row("tag", pages["tag"], "fortunes", 0.3),
        Row("front", "/", "fortunes", 0.5),
        Row("search", "/search/?q=wedding", "fortunes", 0.1),
        Row("revalidated story", pages["story"], "fortunes", revalidate=True),
        # The read API against the same page's HTML (the ratio is to the row named).
        Row("API story", pages["api story"], "story"),
        Row("API person", pages["api person"], "famous person"),
        Row("API tag stories", pages["api tag"], "tag"),
    ]


def cached_rows(pages: dict[str, str]) -> list[Row]:
    return [
        Row("cached story", pages["story"], "hello world", 0.8),
        Row("cached front", "/", "hello world", 0.8),
        *zipf_rows(pages),
    ]


def zipf_rows(pages: dict[str, str]) -> list[Row]:
    return [
        Row("Zipf mix", pages["zipf"], "hello world", zipf=True, fill=True),
        Row(
            "Zipf mix, editor",
            pages["zipf"],
            "hello world",
            0.6,
            zipf=True,
            fill=True,
            editor=True,
        ),
        # The cached story again, asked for through the Zipf mix's script: what the script
        # costs the load generator, which shares the cores, against its plain row.
        Row("story, by script", pages["scripted story"], "hello, by script", zipf=True),
    ]


def scripted_baseline(pages: dict[str, str]) -> Row:
    """*hello world* asked for through the Zipf mix's script."""
    return Row("hello, by script", pages["scripted hello"], zipf=True)


def baseline_rows(pages: dict[str, str]) -> list[Row]:
    return [Row("fortunes", "/fortunes/"), Row("hello world", "/hello/"), scripted_baseline(pages)]


def unmeasured(row: Row, group: str, note: str) -> Result:
    return {**describe(row, group), "note": note}


def describe(row: Row, group: str) -> Result:
    return {"group": group, "label": row.label, "path": row.path, "target": row.target}


def fill_zipf(wrk: str, options: argparse.Namespace, server: Server, row: Row) -> None:
    """Every address of the Zipf mix asked for in turn, for `--zipf-fill` seconds, then the mix
    itself, unmeasured, for as long as a row: the cache as a site's would be after a while, not
    empty, and each worker keeping in its own memory the pages readers ask for most, not the
    last ones of the walk."""
    walk = {"ZIPF_WALK": str(min(WRK_THREADS, options.connections))}
    for seconds, how, env in [(options.zipf_fill, "filled", walk), (options.duration, "drawn", {})]:
        command = [*wrk_command(wrk, options, seconds), "-s", ZIPF_SCRIPT, server.url]
        result = subprocess.run(
            command,
            env={**os.environ, "ZIPF_PATHS": row.path, **env},
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
        print(f"  {how} for {seconds} s: {result.stdout.strip().splitlines()[-1]}")


def measure_zipf(
    wrk: str,
    options: argparse.Namespace,
    server: Server,
    row: Row,
    group: str,
    editor_env: dict[str, str] | None,
) -> Result:
    """The Zipf mix: the addresses in the file `row.path`, drawn by bench/zipf.lua; with
    bench/editor.py saving a story every second meanwhile when `row.editor`."""
    env = {"ZIPF_PATHS": row.path}
    editor = None
    if row.editor:
        command = [sys.executable, "-m", "bench.editor", "--paths", row.path]
        command += ["--database-url", editor_env["DATABASE_URL"]]
        editor = subprocess.Popen(
            command, cwd=ROOT, env=editor_env, stdout=subprocess.PIPE, text=True
        )
        # Django set up, the stories chosen, the first save made.
        ready, _, _ = select.select([editor.stdout], [], [], EDITOR_START_SECONDS)
        if not ready or not editor.stdout.readline().strip():
            editor.kill()
            editor.wait()
            return unmeasured(row, group, "not measured: bench.editor did not start")
    try:
        numbers = run_wrk(wrk, options, server.url + "/", {}, ZIPF_SCRIPT, env)
    except (ValueError, subprocess.TimeoutExpired) as error:
        return unmeasured(row, group, f"not measured: {str(error).splitlines()[0]}")
    finally:
        if editor is not None:
            editor.terminate()
            saved = editor.communicate(timeout=30)[0].strip()
            print(f"  {saved}", file=sys.stderr)
    return {**describe(row, group), **numbers, "headers": {}}


def measure(
    wrk: str,
    options: argparse.Namespace,
    server: Server,
    row: Row,
    group: str,
    editor_env: dict[str, str] | None = None,
) -> Result:
    """One row: checked once (the status it should have), then loaded for --duration."""
    if row.zipf:
        return measure_zipf(wrk, options, server, row, group, editor_env)
    url = server.url + row.path
    headers, expected = {}, 200
    if row.revalidate:
        status, reply = get(url)
        etag = reply.get("ETag")
        if not etag:
            return unmeasured(row, group, f"unavailable: the story page sent no ETag ({status})")
        headers, expected = {"If-None-Match": etag}, 304
    status, _ = get(url, headers)
    if status != expected:
        return unmeasured(row, group, f"not measured: GET answered {status}, not {expected}")
    try:
        numbers = run_wrk(wrk, options, url, headers)
    except (ValueError, subprocess.TimeoutExpired) as error:
        return unmeasured(row, group, f"not measured: {str(error).splitlines()[0]}")
    return {**describe(row, group), **numbers, "headers": headers}


def run_server(
    wrk: str,
    options: argparse.Namespace,
    group: str,
    rows: list[Row],
    app: str,
    env: dict[str, str],
    ready_path: str,
    log_path: Path,
) -> tuple[list[Result], list[float] | None]:
    """All the rows of one server; the workers' memory after them, when asked for."""
    results, rss = [], None
    print(f"{group}:", file=sys.stderr)
    try:
        with gunicorn(app, env, ready_path, log_path) as server:
            warm_up(wrk, options, [row for row in rows if not row.zipf], server)
            server.wait_until_idle()
            filled = False
            for row in rows:
                if row.fill and not filled:
                    filled = True
                    fill_zipf(wrk, options, server, row)
                    server.wait_until_idle()
                result = measure(wrk, options, server, row, group, env)
                progress(result)
                results.append(result)
                server.wait_until_idle()
            rss = [size / 1024 for pid in server.workers() if (size := rss_kb(pid)) is not None]
    except ServerFailed as error:
        print(error, file=sys.stderr)
        done = {result["label"] for result in results}
        results += [
            unmeasured(row, group, "not measured: the server failed (see above)")
            for row in rows
            if row.label not in done
        ]
    return results, rss


def progress(result: Result) -> None:
    rate = result.get("requests_per_s")
    print(
        f"  {result['label']}: {result['note'] if rate is None else f'{rate:.1f} req/s'}",
        file=sys.stderr,
    )


def add_ratios(results: list[Result], rows: list[Row]) -> None:
    rates = {result["label"]: result.get("requests_per_s") for result in results}
    for result, row in zip(results, rows, strict=True):
        result["baseline"] = row.baseline
        base = rates.get(row.baseline)
        if row.baseline and base and "requests_per_s" in result:
            result["ratio"] = round(result["requests_per_s"] / base, 3)
            if row.target is not None:
                result["target_met"] = result["ratio"] >= row.target


# --- The report ------------------------------------------------------------------------------

COLUMNS = (
    f"{'page':<19} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx/3xx':>11}"
    f" {'socket errors':>13} {'ratio':>6}  {'of':<12} {'hits':>5}  target"
)


def print_header(
    stories: int, version: str, options: argparse.Namespace, pages: dict[str, str], cache: str
) -> None:
    print(
        f"\nNewsroom over HTTP: {stories:,} stories, PostgreSQL {version}, "
        f"{os.cpu_count()} CPUs; gunicorn with {WORKERS} sync workers per server, DEBUG off"
    )
    print(
        f"wrk --latency -t {min(WRK_THREADS, options.connections)} -c {options.connections} "
        f"-d {options.duration}s --timeout {WRK_TIMEOUT} per row, after a {WARM_UP_SECONDS} s "
        "warm-up per server; "
        f"page cache on: {cache}"
    )
    for name, path in pages.items():
        print(f"  {name}: {path}")


def print_table(results: list[Result]) -> None:
    print(f"\n{COLUMNS}\n{'-' * len(COLUMNS)}")
    group = None
    for result in results:
        if result["group"] != group:
            group = result["group"]
            print(group)
        print(table_line(result).rstrip())


def table_line(result: Result) -> str:
    label = f"  {result['label']}"
    if "requests_per_s" not in result:
        return f"{label:<19} {result['note']}"
    errors = sum(result["socket_errors"].values())
    ratio = f"{result['ratio']:.2f}" if "ratio" in result else ""
    target = ""
    if result.get("target") is not None:
        met = result.get("target_met")
        verdict = "" if met is None else "met" if met else "MISSED"
        target = f"≥ {result['target']:.2f} {verdict}"
    p50, p99 = (latency(result[name]) for name in ("latency_p50_ms", "latency_p99_ms"))
    hits = f"{result['hit_rate']:.2f}" if "hit_rate" in result else ""
    return (
        f"{label:<19} {result['requests_per_s']:>8.1f} {p50:>8} {p99:>8}"
        f" {result['non_2xx_3xx']:>11} {errors:>13}"
        f" {ratio:>6}  {result.get('baseline') or '':<12} {hits:>5}  {target}"
    )


def latency(ms: float | None) -> str:
    return "-" if ms is None else f"{ms:.1f}"


def print_memory(memory: Memory) -> None:
    print(f"\ngunicorn workers' RSS after the Newsroom runs (target under {RSS_TARGET_MB} MB):")
    for group, sizes in memory.items():
        if sizes is None:
            print(f"  {group}: not read (the server failed)")
            continue
        verdict = "met" if all(size < RSS_TARGET_MB for size in sizes) else "MISSED"
        listed = ", ".join(f"{size:.0f}" for size in sizes)
        print(f"  {group}: {listed} MB, {verdict}")


def write_json(
    path: Path,
    stories: int,
    version: str,
    options: argparse.Namespace,
    pages: dict[str, str],
    cache: str,
    results: list[Result],
    memory: Memory,
) -> None:
    report = {
        "stories": stories,
        "postgresql": version,
        "cpus": os.cpu_count(),
        "gunicorn_workers": WORKERS,
        "wrk": {
            "threads": min(WRK_THREADS, options.connections),
            "connections": options.connections,
            "duration_s": options.duration,
            "timeout": WRK_TIMEOUT,
            "warm_up_s": WARM_UP_SECONDS,
        },
        "page_cache": cache,
        "pages": pages,
        "rows": results,
        "worker_rss_mb": memory,
        "worker_rss_target_mb": RSS_TARGET_MB,
    }
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


def main() -> None:
    options = parse_args()
    wrk = find_wrk()
    ensure_archive(options.database_url, options.articles)
    ensure_fortunes(options.database_url)
    stories, version, pages = archive_facts(options.database_url)
    with (
        tempfile.TemporaryDirectory(prefix="bench-http-") as logs,
        page_cache(Path(logs)) as (redis_url, cache),
    ):
        zipf_file = Path(logs) / "zipf-paths.txt"
        count = zipf_paths(options.database_url, zipf_file, options.zipf_stories)
        print_header(stories, version, options, pages, cache)
        print(f"  Zipf mix: {count:,} story addresses, s = 1 (bench/zipf.lua)")
        pages["zipf"] = str(zipf_file)
        for name, path in [("scripted story", pages["story"]), ("scripted hello", "/hello/")]:
            (Path(logs) / name).write_text(f"{path}\n")
            pages[name] = str(Path(logs) / name)
        results, memory = measure_all(wrk, options, pages, redis_url, Path(logs))
        pages["zipf"] = f"{count:,} story addresses"
        pages["scripted story"] = f"{pages['story']}, by bench/zipf.lua"
        pages["scripted hello"] = "/hello/, by bench/zipf.lua"
    add_ratios(
        results, [row for _, group_rows, *_ in servers_of(options, pages) for row in group_rows]
    )
    print_table(results)
    print_memory(memory)
    if options.json:
        write_json(options.json, stories, version, options, pages, cache, results, memory)
        print(f"\nresults written to {options.json}")


def servers_of(
    options: argparse.Namespace, pages: dict[str, str], redis_url: str | None = None
) -> list[ServerPlan]:
    newsroom = "newsroom.settings"
    cached_env = {"PAGE_CACHE_SECONDS": "86400", **({"REDIS_URL": redis_url} if redis_url else {})}
    servers = [
        (
            "Newsroom, page cache off",
            newsroom_rows(pages),
            "newsroom.wsgi",
            server_env(options.database_url, newsroom, PAGE_CACHE_SECONDS="0"),
            "/healthz",
        ),
        (
            "Newsroom, page cache on",
            zipf_rows(pages) if options.only_zipf else cached_rows(pages),
            "newsroom.wsgi",
            server_env(options.database_url, newsroom, **cached_env),
            "/healthz",
        ),
        (
            "Baseline, bare Django",
            (
                [Row("hello world", "/hello/"), scripted_baseline(pages)]
                if options.only_zipf
                else baseline_rows(pages)
            ),
            "bench.fortunes.wsgi",
            server_env(options.database_url, "bench.fortunes.settings"),
            "/hello/",
        ),
    ]
    return servers[1:] if options.only_zipf else servers


def measure_all(
    wrk: str, options: argparse.Namespace, pages: dict[str, str], redis_url: str | None, logs: Path
) -> tuple[list[Result], Memory]:
    results, memory = [], {}
    for number, (group, rows, app, env, ready_path) in enumerate(
        servers_of(options, pages, redis_url)
    ):
        log_path = logs / f"gunicorn-{number}.log"
        found, rss = run_server(wrk, options, group, rows, app, env, ready_path, log_path)
        results += found
        if app == "newsroom.wsgi":
            memory[group] = rss
    return results, memory


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
