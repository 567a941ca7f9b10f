"""`manage.py export_dataset DIR` (opendata/dataset.py): the parts, the manifest, the same
wording as the API, nothing readers may not see, and a dump that appears whole or not at all."""

import csv
import fcntl
import gzip
import hashlib
import io
import json
import threading
from dataclasses import replace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, Quote
from jobs.models import Job
from jobs.queue import execute
from opendata import dataset, resources
from people.models import Person, Relationship, Source
from tests.opendata.conftest import assert_no_secret

pytestmark = pytest.mark.usefixtures("api_settings")

PARTS = ["people", "relationships", "stories", "quotes", "sources", "outlets", "tags"]


def export(root, *args):
    out = io.StringIO()
    call_command("export_dataset", str(root), *args, stdout=out)
    return out.getvalue()


def manifest_of(folder):
    return json.loads((folder / "manifest.json").read_text())


def lines(folder, part):
    with gzip.open(folder / f"{part}.jsonl.gz", "rt", encoding="utf-8") as file:
        return [json.loads(line) for line in file]


def table(folder, part):
    with gzip.open(folder / f"{part}.csv.gz", "rt", encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def the_dump(root):
    (dump,) = dataset.complete_dumps(root)
    return dump.path


def test_a_dump_has_every_part_and_a_manifest_that_describes_it(archive, tmp_path):
    export(tmp_path)
    folder = the_dump(tmp_path)
    assert (tmp_path / "latest").resolve() == folder.resolve()
    assert folder.stat().st_mode & 0o777 == 0o755  # the web server in front may read it
    manifest = manifest_of(folder)
    assert manifest["name"] == folder.name and manifest["format_version"] == 1
    assert manifest["edition"]["number"] == 0  # the tests' fixed edition
    assert manifest["counts"] == {
        "people": Person.objects.count(),
        "relationships": Relationship.objects.sourced().count(),
        "stories": Article.objects.published().count(),
        "quotes": Quote.objects.published().count(),
        "sources": Source.objects.count(),
        "outlets": 5,
        "tags": 10,  # 3 of the demo, "extra" and 6 "extra-N": none of the drafts'
    }
    files = {entry["file"]: entry for entry in manifest["files"]}
    expected = {f"{part}.jsonl.gz" for part in PARTS} | {"people.csv.gz", "relationships.csv.gz"}
    assert set(files) == expected == {path.name for path in folder.iterdir()} - {"manifest.json"}
    for name, entry in files.items():
        data = (folder / name).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        with gzip.open(folder / name, "rt") as file:
            rows = sum(1 for _ in file) - (1 if name.endswith(".csv.gz") else 0)
        assert rows == entry["records"] == manifest["counts"][entry["part"]]
    assert files["people.jsonl.gz"]["licence"]["name"] == "CC BY 4.0"
    assert files["people.jsonl.gz"]["licence"]["url"].startswith("https://creativecommons.org/")
    quotes = files["quotes.jsonl.gz"]["licence"]
    assert quotes["name"] == "Not licensed by the archive" and quotes["url"] is None
    assert "belong to the people who said them" in quotes["note"]


def test_the_licence_is_the_one_the_settings_name(archive, tmp_path, settings):
    settings.DATA_LICENCE = "CC0 1.0"
    settings.DATA_LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
    export(tmp_path)
    files = {entry["file"]: entry for entry in manifest_of(the_dump(tmp_path))["files"]}
    assert files["stories.jsonl.gz"]["licence"]["name"] == "CC0 1.0"
    assert files["quotes.jsonl.gz"]["licence"]["name"] == "Not licensed by the archive"


def test_each_line_is_what_the_api_answers_for_it(archive, tmp_path, client):
    export(tmp_path)
    folder = the_dump(tmp_path)
    addresses = {
        "people": lambda record: f"/api/v1/people/{record['slug']}/",
        "relationships": lambda record: f"/api/v1/relationships/{record['id']}/",
        "stories": lambda record: f"/api/v1/stories/{record['id']}/",
        "quotes": lambda record: f"/api/v1/quotes/{record['id']}/",
        "outlets": lambda record: f"/api/v1/outlets/{record['slug']}/",
        "tags": lambda record: f"/api/v1/tags/{record['slug']}/",
    }
    for part, address in addresses.items():
        records = lines(folder, part)
        assert records
        for record in records:
            answer = client.get(address(record))
            assert answer.status_code == 200 and answer.json() == record, (part, record["id"])
    # The sources are those people and relationships cite, worded as they cite them.
    cited = {
        source["id"]: source for person in lines(folder, "people") for source in person["sources"]
    }
    assert {s["id"]: s for s in lines(folder, "sources") if s["id"] in cited} == cited


def test_a_dump_holds_nothing_readers_may_not_see(archive, tmp_path):
    export(tmp_path)
    folder = the_dump(tmp_path)
    for path in folder.iterdir():
        assert_no_secret(
            gzip.decompress(path.read_bytes()).decode()
            if path.suffix == ".gz"
            else path.read_text()
        )
    stories = {story["id"] for story in lines(folder, "stories")}
    assert archive.draft.pk not in stories and archive.scheduled.pk not in stories
    assert archive.found_quote.pk not in {quote["id"] for quote in lines(folder, "quotes")}


def test_people_and_relationships_as_spreadsheets(archive, tmp_path):
    Person.objects.create(name="=HYPERLINK(1)", slug="formula", bio="+1 and -1")
    export(tmp_path)
    folder = the_dump(tmp_path)
    people = {row["slug"]: row for row in table(folder, "people")}
    kim = people["kim-kardashian"]
    assert kim["born_on"] == "1980-10-21" and kim["wikidata_id"] == "Q186304"
    assert kim["aliases"] == "Kim; Kim Kardashian West"
    assert kim["page"] == "/people/kim-kardashian/"
    assert kim["source_ids"] == "; ".join(
        str(pk) for pk in archive.kim.sources.order_by("id").values_list("id", flat=True)
    )
    # A spreadsheet shows these, it does not run them; the JSON Lines keep the exact text.
    assert (
        people["formula"]["name"] == "'=HYPERLINK(1)" and people["formula"]["bio"] == "'+1 and -1"
    )
    assert any(p["name"] == "=HYPERLINK(1)" for p in lines(folder, "people"))
    relationships = table(folder, "relationships")
    dating = next(row for row in relationships if row["kind"] == "dating")
    assert (dating["person_a_slug"], dating["person_b_slug"]) == ("kim-kardashian", "kanye-west")
    assert (dating["started_on"], dating["started_precision"]) == ("2012-04", "month")
    assert dating["end_reason"] == "engagement" and dating["ended_on"] == "2013-10-21"
    assert len(relationships) == Relationship.objects.sourced().count()


def test_rows_are_read_a_batch_at_a_time(archive, tmp_path, monkeypatch):
    monkeypatch.setattr(dataset, "BATCH", 2)
    sizes = []

    def recording(rows):
        sizes.append(len(rows))
        return resources.story_records(rows)

    parts = [
        replace(part, kind=replace(part.kind, records=recording))
        if part.name == "stories"
        else part
        for part in dataset.PARTS
    ]
    monkeypatch.setattr(dataset, "PARTS", parts)
    export(tmp_path)
    assert sizes and max(sizes) == 2 and sum(sizes) == Article.objects.published().count()
    stories = lines(the_dump(tmp_path), "stories")
    assert [story["id"] for story in stories] == sorted(story["id"] for story in stories)


def test_a_failed_export_leaves_the_previous_dump_as_it_was(archive, tmp_path, monkeypatch):
    export(tmp_path)
    before = {path.name: path.read_bytes() for path in the_dump(tmp_path).iterdir()}
    real = dataset.write_part

    def failing(part, folder):
        if part.name == "quotes":
            raise OSError(28, "No space left on device", str(folder / "quotes.jsonl.gz"))
        return real(part, folder)

    monkeypatch.setattr(dataset, "write_part", failing)
    with pytest.raises(CommandError, match="No space left on device.*earlier dumps"):
        export(tmp_path)
    folder = the_dump(tmp_path)  # still exactly one dump
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    assert (tmp_path / "latest").resolve() == folder.resolve()
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [".export.lock", "latest", folder.name]
    )


def test_a_reader_never_sees_a_dump_being_written(archive, tmp_path, monkeypatch):
    seen = []
    real = dataset.write_part

    def watching(part, folder):
        seen.append([dump.name for dump in dataset.complete_dumps(tmp_path)])
        return real(part, folder)

    monkeypatch.setattr(dataset, "write_part", watching)
    export(tmp_path)
    assert seen and all(listing == [] for listing in seen)
    assert len(dataset.complete_dumps(tmp_path)) == 1


def test_the_newest_dumps_are_kept(archive, tmp_path):
    for _ in range(4):
        export(tmp_path, "--keep", "2")
    dumps = dataset.complete_dumps(tmp_path)
    assert len(dumps) == 2
    assert (tmp_path / "latest").resolve() == dumps[0].path.resolve()
    assert dumps[0].created_at >= dumps[1].created_at


def test_one_export_at_a_time(archive, tmp_path):
    with open(tmp_path / ".export.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(CommandError, match="another export is running"):
            export(tmp_path)
    assert dataset.complete_dumps(tmp_path) == []


def test_a_directory_that_cannot_be_written_is_named(archive, tmp_path):
    taken = tmp_path / "a-file"
    taken.write_text("not a folder")
    with pytest.raises(CommandError, match=f"{taken}.*Nothing was written"):
        export(taken)
    with pytest.raises(CommandError, match="--keep"):
        export(tmp_path / "dumps", "--keep", "0")
    assert not (tmp_path / "dumps").exists()


@pytest.mark.usefixtures("on_postgres")
def test_every_part_is_read_at_one_moment(transactional_db, make_article, tmp_path, monkeypatch):
    """A story published while the dump is being written is in no part of it: the parts agree
    with each other and with the edition recorded."""
    make_article("Before")
    real = dataset.write_part

    def publishing_meanwhile(part, folder):
        if part.name == "people":
            # Another connection, as an editor's would be, commits while the export reads.
            thread = threading.Thread(target=publish_one, args=(make_article,))
            thread.start()
            thread.join()
        return real(part, folder)

    monkeypatch.setattr(dataset, "write_part", publishing_meanwhile)
    export(tmp_path)
    assert Article.objects.filter(title="Meanwhile").exists()
    titles = [story["title"] for story in lines(the_dump(tmp_path), "stories")]
    assert titles == ["Before"]


def publish_one(make_article):
    try:
        make_article("Meanwhile")
    finally:
        connection.close()


def test_a_queued_dump_is_written_once_by_a_worker(archive, tmp_path, settings):
    settings.JOBS_IN_PROCESS_AT_COMMIT = True  # it waits: this test's transaction never commits
    root = tmp_path / "dumps"
    assert "queued: export_dataset" in export(root, "--queue", "--keep", "2")
    export(root, "--queue", "--keep", "2")  # asked again while it waits
    (job,) = Job.objects.filter(kind="export_dataset")
    assert (job.target, job.arguments) == (str(root.resolve()), {"keep": 2})
    assert not root.exists()
    assert execute(job.pk).state == "done"  # what a worker does
    assert manifest_of(the_dump(root))["counts"]["stories"] >= 1
