"""Loading speed: `loaddata demo` into an empty database, then `import_stories` on N story files.

    python -m bench.imports [--files 10000] [--database-url URL]

The story files are written afresh in a temporary folder (reproducible: seeded), in the format
of docs/story-files.md, each naming people of the demo data so that the importer's quote and
mention finder has work to do. The database is a scratch one, emptied first (never the
benchmark archive of bench.http). Prints wall time, rate and the command's peak memory.
"""

import argparse
import datetime
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from bench.common import ROOT, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench_import"
# People of the demo data (fixtures/demo.json): the finder links them and attributes quotes.
SPEAKERS = [
    ("Kim Kardashian", "she"),
    ("Kanye West", "he"),
    ("North West", "she"),
    ("Kris Jenner", "she"),
]


def story_text(rng: random.Random, number: int) -> str:
    from articles.generator import KINDS, VERBS, WORDS

    (name, pronoun), (other, _) = rng.sample(SPEAKERS, 2)
    day = datetime.date(2006, 1, 1) + datetime.timedelta(days=rng.randint(0, 20 * 365))
    words = rng.sample(WORDS, 10)
    kind = rng.choice(KINDS).replace("_", " ").capitalize()
    title = f"{name} {rng.choice(VERBS).title()} {words[0].title()} And {words[1].title()} {number}"
    paragraphs = [
        f"{name} spoke about the {words[2]} and the {words[3]}.",
        f"“The {words[4]} was never about the {words[5]},” {pronoun} told Vogue.",
        f"{other} was also seen at the {words[6]} during the {words[7]}.",
        f"“We are focused on the {words[8]},” {name} added. The {words[9]} follows.",
    ]
    return f"date {day:%Y-%m-%d} {kind}\n\n{title}\n\n" + "\n\n".join(paragraphs) + "\n"


def write_files(folder: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for number in range(count):
        (folder / f"{number:05}.txt").write_text(story_text(rng, number), encoding="utf-8")


def fresh_database(database_url: str) -> None:
    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and the peak memory (MB) of one manage.py command."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *command],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    options = parser.parse_args()

    fresh_database(options.database_url)
    setup_django(options.database_url)
    env = {**os.environ, "DATABASE_URL": options.database_url, "DEBUG": "1"}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "-v0"],
        env=env,
        check=True,
    )
    load_seconds, _ = timed(["loaddata", "demo", "-v0"], env)
    with tempfile.TemporaryDirectory() as folder:
        write_files(Path(folder), options.files, options.seed)
        import_seconds, peak = timed(["import_stories", folder], env)
    with psycopg.connect(options.database_url) as conn:
        (stories,) = conn.execute("SELECT count(*) FROM articles_article").fetchone()
        (quotes,) = conn.execute("SELECT count(*) FROM articles_quote").fetchone()
    print(f"\nloaddata demo (empty database): {load_seconds:.1f} s")
    print(
        f"import_stories, {options.files:,} files: {import_seconds:.1f} s, "
        f"{options.files / import_seconds:,.0f} files/s, peak memory {peak:.0f} MB "
        f"({stories:,} stories and {quotes:,} quotes in the database)"
    )


if __name__ == "__main__":
    main()
