"""The public archive as files: `manage.py export_dataset DIR`, listed and served at /data/.

A dump is a folder of DIR named by its UTC time (`20261127T031500Z`) holding gzipped JSON
Lines — one resource a line, worded exactly as the API words it (resources.py) — CSV for people
and relationships, and `manifest.json`: when, the archive's edition, and for each file its
part, rows, size, SHA-256 and licence. `DIR/latest` is a link to the newest.

- Constant memory at any size: each part is read by a server-side cursor on PostgreSQL (in
  batches on SQLite), its prefetches a batch at a time, and written through gzip as it comes.
- One moment: on PostgreSQL everything is read in one REPEATABLE READ, READ ONLY transaction,
  so the parts agree with each other and with the edition recorded, however long it takes
  while editors work.
- All or nothing: the dump is written in a hidden folder beside the others (`.partial-…`) and
  renamed into place once complete, so a reader never sees half of one; a failure removes the
  partial folder and leaves the previous dumps as they were. `latest` is switched atomically.
  One export at a time (a lock file); the `DATASET_KEEP` newest dumps are kept.
"""

import csv
import datetime
import fcntl
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone
from pydantic_core import to_jsonable_python

from caching import edition

from . import resources
from .licences import licence_of

if TYPE_CHECKING:
    from typing_extensions import Buffer  # collections.abc.Buffer from Python 3.12

FORMAT_VERSION = 1
BATCH = 2000
NAME = re.compile(r"^[0-9]{8}T[0-9]{6}Z(-[0-9]+)?$")
MANIFEST = "manifest.json"
LATEST = "latest"
LOCK = ".export.lock"
PARTIAL = ".partial-"


class ExportError(Exception):
    """Why an export could not be made, in words for the operator."""


def joined(values: Iterable[object]) -> str:
    return "; ".join(str(value) for value in values)


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[dict], object]


def column(name: str) -> Column:
    return Column(name, lambda record: record[name])


PEOPLE_COLUMNS = (
    *map(column, ("id", "slug", "name", "full_name", "born_on", "born_precision")),
    *map(column, ("died_on", "died_precision", "pronouns", "wikidata_id", "bio")),
    Column("aliases", lambda record: joined(record["aliases"])),
    Column("source_ids", lambda record: joined(source["id"] for source in record["sources"])),
    *map(column, ("page", "updated_at")),
)
RELATIONSHIP_COLUMNS = (
    *map(column, ("id", "kind")),
    Column("person_a_id", lambda record: record["person_a"]["id"]),
    Column("person_a_slug", lambda record: record["person_a"]["slug"]),
    Column("person_a_name", lambda record: record["person_a"]["name"]),
    Column("person_b_id", lambda record: record["person_b"]["id"]),
    Column("person_b_slug", lambda record: record["person_b"]["slug"]),
    Column("person_b_name", lambda record: record["person_b"]["name"]),
    *map(column, ("started_on", "started_precision", "ended_on", "ended_precision")),
    *map(column, ("end_reason", "place", "note")),
    Column("source_ids", lambda record: joined(source["id"] for source in record["sources"])),
    column("updated_at"),
)


@dataclass(frozen=True)
class Part:
    """One part of the archive: which resource, and, for those a spreadsheet reads, which
    columns of a CSV file beside the JSON Lines."""

    name: str
    description: str
    kind: resources.Kind
    columns: tuple[Column, ...] = ()


PARTS = (
    Part(
        "people",
        "People, with their aliases, relationships and sources (as /api/v1/people/<slug>/).",
        resources.PEOPLE,
        PEOPLE_COLUMNS,
    ),
    Part(
        "relationships",
        "Relationships between two people, with dates, end reason and sources.",
        resources.RELATIONSHIPS,
        RELATIONSHIP_COLUMNS,
    ),
    Part(
        "stories",
        "Published stories, with their people, tags, sources and corrections.",
        resources.STORIES,
    ),
    Part(
        "quotes", "Quotes of published stories, with speakers, story and sources.", resources.QUOTES
    ),
    Part(
        "sources",
        "Sources of the facts about people and relationships (a story's own are in it).",
        resources.SOURCES,
    ),
    Part("outlets", "Outlets: magazines, newspapers, social networks.", resources.OUTLETS),
    Part("tags", "Tags of published stories.", resources.TAGS),
)


# --- Writing ----------------------------------------------------------------------------------


class Checksummed(io.RawIOBase):
    """A file being written, and the SHA-256 and size of what went into it."""

    def __init__(self, path: Path) -> None:
        self.file = open(path, "xb")  # noqa: SIM115 — closed by close()
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: "Buffer") -> int:
        self.sha256.update(data)
        self.size += memoryview(data).nbytes  # its size in bytes, whatever the buffer
        return self.file.write(data)

    def close(self) -> None:
        if not self.closed:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
        super().close()


@dataclass
class Output:
    """One file of a part being written, and what the manifest will say of it."""

    path: Path
    part: Part
    format: str
    records: int = 0
    raw: Checksummed = field(init=False)
    stream: gzip.GzipFile = field(init=False)

    def __post_init__(self) -> None:
        self.raw = Checksummed(self.path)
        # mtime 0: the same rows make the same bytes, and so the same checksum.
        self.stream = gzip.GzipFile(
            filename="", mode="wb", fileobj=self.raw, compresslevel=6, mtime=0
        )

    def close(self) -> dict:
        self.stream.close()
        self.raw.close()
        return {
            "file": self.path.name,
            "part": self.part.name,
            "format": self.format,
            "records": self.records,
            "bytes": self.raw.size,
            "sha256": self.raw.sha256.hexdigest(),
            "licence": licence_of(self.part.name).as_dict(),
            "description": self.part.description,
        }


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet will show, never run: text that begins like a formula (=, +, -,
    @, a tab or a carriage return) gets a leading apostrophe. The JSON Lines keep the exact
    text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_part(part: Part, folder: Path) -> list[dict]:
    lines = Output(folder / f"{part.name}.jsonl.gz", part, "JSON Lines, gzip")
    table = Output(folder / f"{part.name}.csv.gz", part, "CSV, gzip") if part.columns else None
    sheet = None
    if table:
        text = io.TextIOWrapper(table.stream, encoding="utf-8", newline="")
        sheet = csv.writer(text)
        sheet.writerow(column.header for column in part.columns)
    for record in records_of(part.kind):
        lines.stream.write(resources.as_json(record) + b"\n")
        lines.records += 1
        if table and sheet:
            plain = to_jsonable_python(record)
            sheet.writerow(spreadsheet_safe(column.value(plain)) for column in part.columns)
            table.records += 1
    written = [lines.close()]
    if table:
        text.flush()
        text.detach()
        written.append(table.close())
    return written


def records_of(kind: resources.Kind) -> Iterator[dict]:
    """The record of every row `kind` may show, in id order: rows read BATCH at a time by a
    server-side cursor (on PostgreSQL), each batch worded together, never all at once."""
    batch = []
    for row in kind.rows().order_by("pk").iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            yield from kind.records(batch)
            batch = []
    if batch:
        yield from kind.records(batch)


@contextmanager
def one_moment() -> Iterator[None]:
    """What every part is read in: one snapshot of the archive on PostgreSQL. (Inside a
    transaction already begun — a test's — that transaction's own view is kept.)"""
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


@contextmanager
def exclusive(root: Path) -> Iterator[None]:
    """One export at a time in `root`; what an export that died left behind is cleared."""
    with open(root / LOCK, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportError(f"{root}: another export is running there.") from None
        for stale in root.glob(f"{PARTIAL}*"):
            shutil.rmtree(stale, ignore_errors=True)
        yield


def new_name(root: Path, moment: datetime.datetime) -> str:
    """A name after every dump made in the same second, even one already pruned away."""
    base = moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    taken = [
        made_when(Dump(path.name, path, {}))[1]
        for path in root.glob(f"{base}*")
        if NAME.match(path.name)
    ]
    number = max(taken, default=0) + 1
    return base if number == 1 else f"{base}-{number}"


def export(root: Path, keep: int = 3, report: Callable[[str], None] = lambda line: None) -> Path:
    """Write a new dump into `root` and return its folder; see the module's description."""
    root = Path(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"{root}: cannot make the folder ({error.strerror}).") from None
    if not os.access(root, os.W_OK | os.X_OK):
        raise ExportError(f"{root}: not a folder this user may write in.")
    with exclusive(root):
        partial = Path(tempfile.mkdtemp(prefix=PARTIAL, dir=root))
        # Readable by the web server that serves the files (mkdtemp makes it private).
        partial.chmod(0o755)
        try:
            manifest = write_all(partial, report)
            name = new_name(root, datetime.datetime.fromisoformat(manifest["created_at"]))
            manifest["name"] = name
            write_manifest(partial / MANIFEST, manifest)
            sync_folder(partial)
            os.rename(partial, root / name)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        sync_folder(root)
        point_latest(root, name)
        prune(root, keep)
    return root / name


def write_all(folder: Path, report: Callable[[str], None]) -> dict:
    created_at = timezone.now()
    files = []
    with one_moment():
        stamp = edition.read()
        for part in PARTS:
            started = time.monotonic()
            written = write_part(part, folder)
            files += written
            seconds = time.monotonic() - started
            report(f"{part.name}: {written[0]['records']:,} rows in {seconds:.1f} s")
    return {
        "format_version": FORMAT_VERSION,
        "name": None,
        "created_at": created_at.isoformat(),
        "edition": {"number": stamp.number, "changed_at": stamp.changed_at.isoformat()},
        "counts": {
            entry["part"]: entry["records"]
            for entry in files
            if entry["file"].endswith(".jsonl.gz")
        },
        "files": files,
    }


def write_manifest(path: Path, manifest: dict) -> None:
    with open(path, "x", encoding="utf-8") as file:
        json.dump(manifest, file, ensure_ascii=False, indent=2)
        file.write("\n")
        file.flush()
        os.fsync(file.fileno())


def sync_folder(folder: Path) -> None:
    """Make a folder's new entries (files written, a folder renamed in) survive a crash."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def point_latest(root: Path, name: str) -> None:
    """`root/latest` → the dump `name`, switched in one rename: never missing, never half."""
    link = root / f"{PARTIAL}latest"
    link.unlink(missing_ok=True)
    link.symlink_to(name)
    os.replace(link, root / LATEST)


def prune(root: Path, keep: int) -> None:
    for dump in complete_dumps(root)[max(keep, 1) :]:
        shutil.rmtree(dump.path, ignore_errors=True)


# --- Reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dump:
    name: str
    path: Path
    manifest: dict

    @property
    def created_at(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.manifest["created_at"])

    def file(self, name: str) -> Path | None:
        """The path of a file this dump lists, or None: nothing else in its folder is served."""
        listed = {entry["file"] for entry in self.manifest.get("files", [])}
        return self.path / name if name in listed or name == MANIFEST else None


def complete_dumps(root: Path) -> list[Dump]:
    """The dumps in `root`, newest first: folders named as dumps are, with a manifest."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = []
    for path in root.iterdir():
        if not NAME.match(path.name) or path.is_symlink() or not path.is_dir():
            continue
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found.append(Dump(path.name, path, manifest))
    return sorted(found, key=made_when, reverse=True)


def made_when(dump: Dump) -> tuple[str, int]:
    """A dump's place in time: its name's moment, then its number within the second."""
    moment, _, number = dump.name.partition("-")
    return moment, int(number or 1)
