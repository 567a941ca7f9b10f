"""Fixtures (`loaddata`) are held to the rules of typed text: raw saves skip validation, so
the text of every row is checked as it is loaded (common/text.py, the apps' signals.py)."""

import json

import pytest
from django.core.management import call_command
from taggit.models import Tag

from articles.models import Article
from common.text import LoadedTextError
from people.models import Person


def fixture(tmp_path, rows):
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(rows))
    return path


def story(**fields):
    return {
        "model": "articles.article",
        "fields": {
            "title": "Kim Speaks",
            "slug": "kim-speaks",
            "dek": "A dek.",
            "body": "One.\n\nTwo.",
            "kind": "news",
            "published_on": "2022-02-09",
            "status": "published",
            **fields,
        },
    }


PERSON = {"model": "people.person", "fields": {"name": "Ava Stone", "slug": "ava-stone"}}


@pytest.mark.parametrize(
    "row, field",
    [
        (story(title="Kim\x0bSpeaks"), "headline"),
        (story(body="One.\x01\n\nTwo."), "body"),
        ({**PERSON, "fields": {**PERSON["fields"], "bio": "A\x1bbio."}}, "bio"),
        ({**PERSON, "fields": {**PERSON["fields"], "name": "Ava\tStone"}}, "name"),
    ],
)
def test_a_fixture_with_a_control_character_is_refused_and_nothing_is_loaded(
    db, tmp_path, row, field
):
    rows = [PERSON, row] if row["model"] != "people.person" else [row]
    with pytest.raises(LoadedTextError) as error:
        call_command("loaddata", fixture(tmp_path, rows), verbosity=0)
    assert f"{field} “" in str(error.value) and "remove it from the fixture" in str(error.value)
    assert not Article.objects.exists() and not Person.objects.exists()


@pytest.mark.parametrize("name, slug", [("!!!", ""), ("!!!", "_1"), ("tag\x0b", "tag")])
def test_a_fixture_tag_without_an_address_is_refused(db, tmp_path, name, slug):
    rows = [{"model": "taggit.tag", "fields": {"name": name, "slug": slug}}]
    with pytest.raises(LoadedTextError, match="tag"):
        call_command("loaddata", fixture(tmp_path, rows), verbosity=0)
    assert not Tag.objects.exists()


def test_a_fixture_tag_in_another_script_loads(db, tmp_path):
    rows = [{"model": "taggit.tag", "fields": {"name": "развод", "slug": "развод"}}]
    call_command("loaddata", fixture(tmp_path, rows), verbosity=0)
    assert Tag.objects.get().slug == "развод"


def test_a_fixture_body_with_windows_line_ends_keeps_its_paragraphs(db, tmp_path):
    rows = [story(body="One.\r\n\r\nTwo,\r\nstill two.", dek="A dek.\r\n")]
    call_command("loaddata", fixture(tmp_path, rows), verbosity=0)
    article = Article.objects.get()
    assert article.body == "One.\n\nTwo,\nstill two."
    assert article.paragraphs == ["One.", "Two,\nstill two."]
    # Loaded again over the stored row (an UPDATE, which raw saves do without pre_save).
    call_command("loaddata", fixture(tmp_path, rows), verbosity=0)
    assert Article.objects.get().body == "One.\n\nTwo,\nstill two."
