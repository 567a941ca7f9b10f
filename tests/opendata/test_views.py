"""/data/ (opendata/views.py): the latest dumps with the licence of each part, and their files."""

import gzip
import io
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from opendata import dataset

pytestmark = pytest.mark.usefixtures("api_settings")


class PageReader(HTMLParser):
    """The links of a page's <main> (href, rel, text) and its text."""

    def __init__(self):
        super().__init__()
        self.links, self.text, self.inside, self.link = [], [], 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.inside += 1
        if tag == "a" and self.inside:
            self.link = {"href": attrs.get("href"), "rel": attrs.get("rel"), "text": ""}

    def handle_endtag(self, tag):
        if tag == "main":
            self.inside -= 1
        if tag == "a" and self.link is not None:
            self.link["text"] = " ".join(self.link["text"].split())
            self.links.append(self.link)
            self.link = None

    def handle_data(self, data):
        if self.inside:
            self.text.append(data)
            if self.link is not None:
                self.link["text"] += data


def read(response):
    assert response.status_code == 200
    reader = PageReader()
    reader.feed(response.content.decode())
    return reader.links, " ".join(" ".join(reader.text).split())


@pytest.fixture
def dumps(archive, settings, tmp_path):
    settings.DATASET_ROOT = tmp_path
    call_command("export_dataset", str(tmp_path), stdout=io.StringIO())
    return tmp_path


def test_with_no_dump_yet_the_page_says_so(client, db, settings, tmp_path):
    settings.DATASET_ROOT = tmp_path / "none-yet"
    links, text = read(client.get("/data/"))
    assert "No dump has been made yet." in text
    assert "CC BY 4.0" in text


def test_the_page_lists_the_latest_dumps_files_with_their_licences(client, dumps):
    (dump,) = dataset.complete_dumps(dumps)
    links, text = read(client.get("/data/"))
    files = {link["text"]: link for link in links if link["href"].startswith("/data/")}
    assert set(files) == {entry["file"] for entry in dump.manifest["files"]} | {"manifest.json"}
    assert files["people.csv.gz"]["href"] == f"/data/{dump.name}/people.csv.gz"
    licences = [link for link in links if link["rel"] == "license"]
    assert licences and all(link["text"] == "CC BY 4.0" for link in licences)
    assert "Not licensed by the archive" in text
    assert "belong to the people who said them" in text
    people = next(e for e in dump.manifest["files"] if e["file"] == "people.jsonl.gz")
    assert people["sha256"] in text
    assert any(link["href"] == "/api/v1/docs" for link in links)


def test_the_files_are_served_and_latest_points_to_the_newest(client, dumps):
    (dump,) = dataset.complete_dumps(dumps)
    response = client.get(f"/data/{dump.name}/people.jsonl.gz")
    assert response.status_code == 200 and response["Content-Type"] == "application/gzip"
    assert "immutable" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body == (dump.path / "people.jsonl.gz").read_bytes()
    assert b"kim-kardashian" in gzip.decompress(body)
    latest = client.get("/data/latest/stories.jsonl.gz")
    assert latest.status_code == 302
    assert latest["Location"] == f"/data/{dump.name}/stories.jsonl.gz"
    manifest = client.get(f"/data/{dump.name}/manifest.json")
    assert manifest.status_code == 200 and manifest["Content-Type"] == "application/json"


def test_nothing_but_a_dumps_listed_files_is_served(client, dumps):
    (dump,) = dataset.complete_dumps(dumps)
    (dump.path / "notes.txt").write_text("not part of the dump")
    for path in (
        f"/data/{dump.name}/notes.txt",
        f"/data/{dump.name}/..%2F.export.lock",
        "/data/latest/notes.txt",
        "/data/.export.lock/x",
        "/data/20000101T000000Z/people.jsonl.gz",
        f"/data/{dump.name}/../{dump.name}/people.jsonl.gz",
    ):
        assert client.get(path).status_code == 404, path


def test_the_page_is_never_an_old_copy(client, dumps, settings):
    """A new dump starts no new edition of the archive: /data/ stays out of the page cache."""
    settings.PAGE_CACHE_SECONDS = 300
    first = client.get("/data/")
    assert "ETag" not in first
    call_command("export_dataset", str(dumps), stdout=io.StringIO())
    links, _ = read(client.get("/data/"))
    (newest, _older) = dataset.complete_dumps(dumps)
    assert any(link["href"].startswith(f"/data/{newest.name}/") for link in links)
