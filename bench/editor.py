"""An editor at work: saves a published story every second, through the ORM, as the admin
does (signals, versions, the pages it changes renewed once it commits), until stopped.

    python -m bench.editor [--database-url URL] [--paths FILE] [--interval 1] [--headline]

Run by bench/http.py beside the server, with the server's own settings (the same database
and REDIS_URL). Each save fixes a "typo" in the body of one story — one of the addresses in
`--paths` when given (the stories the benchmark reads), else any published story — so the
story's page changes; with `--headline` the headline changes too, which renews every list the
story is in. Prints how many saves it made when stopped (SIGTERM or Ctrl-C).
"""

import argparse
import random
import signal
import sys
import time
from pathlib import Path

from bench.common import DEFAULT_URL, setup_django


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--paths", type=Path, help="story addresses, one a line")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between saves")
    parser.add_argument("--headline", action="store_true", help="change the headline too")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def stories(paths: Path | None) -> list[int]:
    """The ids of the stories to edit: those at `paths`, or every published one."""
    from articles.models import Article

    published = Article.objects.published()
    if paths is None:
        return list(published.values_list("pk", flat=True))
    slugs = [line.rstrip("/").rsplit("/", 1)[1] for line in paths.read_text().split()]
    return list(published.filter(slug__in=slugs).values_list("pk", flat=True))


def edit(pk: int, number: int, headline: bool) -> None:
    from articles.models import Article

    story = Article.objects.get(pk=pk)
    story.body = f"{story.body.rstrip('.')}." if number % 2 else f"{story.body.rstrip('.')}.."
    if headline:
        story.title = f"{story.title.rstrip('!')}!" if number % 2 else story.title.rstrip("!")
    story.save()


def main() -> None:
    options = parse_args()
    setup_django(options.database_url)
    chosen = stories(options.paths)
    if not chosen:
        sys.exit("bench.editor: no published story to edit")
    draw = random.Random(options.seed)
    saves, stopping = 0, []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        while not stopping:
            started = time.monotonic()
            edit(draw.choice(chosen), saves, options.headline)
            saves += 1
            if saves == 1:
                print("bench.editor: saving", flush=True)  # what bench.http waits for
            time.sleep(max(0.0, options.interval - (time.monotonic() - started)))
    except KeyboardInterrupt:
        pass
    print(f"bench.editor: {saves} saves", flush=True)


if __name__ == "__main__":
    main()
