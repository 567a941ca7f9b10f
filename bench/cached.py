"""What a page answered from the page cache costs, in-process: a page the process keeps,
between two changes and after one, and a page of the long tail that another worker kept.

    python -m bench.cached [--articles 100000] [--database-url URL] [--stories 2000]
                           [--repeat 5]

Sets Django up with production settings, the page cache on and a Redis of its own
(`REDIS_URL`), and calls the WSGI application (`newsroom.wsgi`) directly, without a server:
what is left is the site's own cost and its round trips to Redis. `--stories` story
addresses (those of `bench.http`'s Zipf mix) are rendered and kept once; then

- *long tail*: each asked for by another handler — another worker, whose own recent pages
  hold none of them (a new one for each of the `--repeat` rounds);
- *recent, clock still*: one page asked for again and again, nothing changing;
- *recent, clock moved*: the same page after each of `--repeat` × 20 changes elsewhere
  (`topics.bump` of a topic no page shows, which moves the clock as an editor's save does).

Each row gives the median and the fastest answer in microseconds, and the round trips to
Redis per answer (writes to a connection, counted in redis-py). The changes it makes are
versions of a topic of its own, in the benchmark database.
"""

import argparse
import io
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import DEFAULT_URL, ensure_archive, setup_django
from bench.http import page_cache, zipf_paths

BENCH_TOPIC = "bench:cached"


@contextmanager
def counted_round_trips() -> Iterator[list[int]]:
    """A one-element list counting the commands sent to Redis inside the block, by the times
    redis-py wrote to a connection (a pipeline, or a script, is one), the watch's pings aside."""
    import redis.connection

    sending = redis.connection.Connection.send_packed_command
    sent = [0]

    def send(connection: Any, command: Any, *args: Any, **kwargs: Any) -> Any:
        data = b"".join(command) if isinstance(command, list) else command
        # The watch's pings (caching/watch.py) go without waiting for their answer.
        if data.split(b"\r\n")[2].upper() != b"PING":
            sent[0] += 1
        return sending(connection, command, *args, **kwargs)

    redis.connection.Connection.send_packed_command = send  # type: ignore[method-assign]
    try:
        yield sent
    finally:
        redis.connection.Connection.send_packed_command = sending  # type: ignore[method-assign]


def asker(application: Callable[..., Any]) -> Callable[[str], tuple[str, str]]:
    """A function asking `application` for a path, as a server would: its status and the
    `X-Page-Cache` header."""

    def ask(path: str) -> tuple[str, str]:
        answered: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> None:
            answered["status"], answered["headers"] = status, dict(headers)

        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        body = application(environ, start_response)
        try:
            for _ in body:
                pass
        finally:
            if hasattr(body, "close"):
                body.close()
        return answered["status"], answered["headers"].get("X-Page-Cache", "")

    return ask


def timed(
    ask: Callable[[str], tuple[str, str]], paths: list[str], before: Callable[[], Any] | None = None
) -> tuple[list[float], float, set[str]]:
    """Each of `paths` asked for once (after `before()`, untimed): the times in microseconds,
    the round trips to Redis per answer, and the `X-Page-Cache` values seen."""
    times, seen, trips = [], set(), 0
    for path in paths:
        if before is not None:
            before()
        with counted_round_trips() as sent:
            start = time.perf_counter()
            status, cache = ask(path)
            times.append((time.perf_counter() - start) * 1_000_000)
        trips += sent[0]
        if not status.startswith("200"):
            raise SystemExit(f"{path} answered {status}")
        seen.add(cache)
    return times, trips / len(paths), seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()

    ensure_archive(options.database_url, options.articles)
    with (
        tempfile.TemporaryDirectory(prefix="bench-cached-") as folder,
        page_cache(Path(folder)) as (redis_url, described),
    ):
        if redis_url is None:
            raise SystemExit(f"bench.cached needs Redis: {described}")
        os.environ.update(
            REDIS_URL=redis_url,
            PAGE_CACHE_SECONDS="86400",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
        )
        paths_file = Path(folder) / "paths.txt"
        zipf_paths(options.database_url, paths_file, options.stories)
        paths = paths_file.read_text().split()
        setup_django(options.database_url)
        run(paths, options.repeat)


def run(paths: list[str], repeat: int) -> None:
    from django.core.handlers.wsgi import WSGIHandler

    from caching import topics

    keeper, reader = asker(WSGIHandler()), asker(WSGIHandler())
    _, _, seen = timed(keeper, paths)
    print(f"{len(paths):,} story pages rendered and kept ({', '.join(sorted(seen))})\n")
    rows = []
    tail: list[float] = []
    trips: list[float] = []
    for _ in range(repeat):
        # Another worker each time, which keeps none of them in its own memory yet.
        times, per_answer, seen = timed(asker(WSGIHandler()), paths)
        tail += times
        trips.append(per_answer)
    rows.append(("long tail", tail, statistics.mean(trips), seen))
    hot = paths[0]
    reader(hot)
    reader(hot)
    times, per_answer, seen = timed(reader, [hot] * (repeat * 200))
    rows.append(("recent, clock still", times, per_answer, seen))
    times, per_answer, seen = timed(
        reader, [hot] * (repeat * 20), before=lambda: topics.bump([BENCH_TOPIC])
    )
    rows.append(("recent, clock moved", times, per_answer, seen))
    print(f"{'answer':22} {'median µs':>10} {'fastest µs':>10} {'round trips':>12}  X-Page-Cache")
    for label, times, per_answer, seen in rows:
        print(
            f"{label:22} {statistics.median(times):10.0f} {min(times):10.0f}"
            f" {per_answer:12.2f}  {', '.join(sorted(seen))}"
        )


if __name__ == "__main__":
    main()
