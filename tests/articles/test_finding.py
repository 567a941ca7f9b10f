"""The finder at work: on import and on every admin save, found people and quotes are kept
for an editor to check, and an editor's decisions are never undone."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Dismissal, Mention, Quote
from articles.quotefinder.recording import record_findings
from tests.forms import form_data

STORIES = Path(__file__).resolve().parents[1] / "data" / "stories"
SEED = STORIES / "000_cb2e6261cd7f216a.txt"


@pytest.fixture
def imported_seed(demo):
    """The demo's people, and the seed story imported from its file as an operator would."""
    Article.objects.all().delete()
    call_command("import_stories", str(SEED), stdout=StringIO())
    return Article.objects.get()


@pytest.fixture
def editor_client(db):
    user = User.objects.create_superuser("sam", password="a long password for sam")
    client = Client()
    client.force_login(user)
    return client


def test_importing_the_seed_finds_every_quote_and_person_as_annotated(imported_seed):
    gold = json.loads((STORIES / "000_cb2e6261cd7f216a.gold.json").read_text())
    found = {(q.speaker.slug, q.text) for q in imported_seed.quotes.all()}
    assert found == {(q["speaker"], q["text"]) for q in gold["quotes"]}
    assert set(imported_seed.mentions.values_list("person__slug", flat=True)) == set(
        gold["mentions"]
    )
    assert set(imported_seed.quotes.values_list("status", flat=True)) == {"found"}
    assert set(imported_seed.mentions.values_list("status", flat=True)) == {"found"}
    last = imported_seed.quotes.get(text__startswith="Divorce is difficult")
    assert (last.context, str(last.said_on)) == ("wrote on February 4", "2022-02-04")


def test_found_quotes_wait_for_an_editor_found_people_show(client, imported_seed):
    page = client.get(imported_seed.get_absolute_url()).content.decode()
    assert "GOD PLEASE BRING OUR FAMILY BACK TOGETHER" in page  # in the body, as text
    assert 'id="quotes-heading"' not in page  # but not yet set apart as a quote
    assert 'href="/people/psalm-west/"' in page


def test_the_confirm_action_publishes_what_was_found(editor_client, client, imported_seed):
    url = reverse("admin:articles_article_changelist")
    listed = editor_client.get(url, {"to_check": "yes"}).content.decode()
    assert "Biggest Cheerleader" in listed
    editor_client.post(url, {"action": "confirm_found", "_selected_action": [imported_seed.pk]})
    assert not Quote.objects.filter(status="found").exists()
    assert not Mention.objects.filter(status="found").exists()
    page = client.get(imported_seed.get_absolute_url()).content.decode()
    assert 'id="quotes-heading"' in page
    assert imported_seed.quotes.first().history.first().history_user.username == "sam"


@pytest.mark.postgres
def test_the_queues_to_check_read_only_what_was_found(on_postgres, editor_client, imported_seed):
    """The editors' queues come from partial indexes on what is found: asked of every story in
    turn, an empty queue took 13 s at a million stories."""
    queues = {
        reverse("admin:articles_article_changelist") + "?to_check=yes": {
            "quote_to_check_idx",
            "mention_to_check_idx",
        },
        reverse("admin:articles_quote_changelist") + "?status__exact=found": {"quote_to_check_idx"},
    }
    for url, indexes in queues.items():
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(url).status_code == 200
        plans = []
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")  # a few rows: show what is usable
            for query in queries:
                if "'found'" in query["sql"]:
                    cursor.execute("EXPLAIN " + query["sql"])
                    plans += [row[0] for row in cursor.fetchall()]
            cursor.execute("SET enable_seqscan = on")
        assert all(index in " ".join(plans) for index in indexes), (url, plans)


def open_story(client, story):
    url = reverse("admin:articles_article_change", args=[story.pk])
    return url, form_data(client.get(url).content.decode(), "article_form")


def inline_index(data, prefix, field, startswith):
    for key, value in data.items():
        if (
            key.startswith(prefix)
            and key.endswith(f"-{field}")
            and str(value).startswith(startswith)
        ):
            return key.split("-")[1]
    raise AssertionError(f"no {prefix} form with {field} starting {startswith!r}")


def test_a_dropped_quote_or_person_is_not_found_again(editor_client, imported_seed):
    url, data = open_story(editor_client, imported_seed)
    index = inline_index(data, "quotes-", "text", "GOD PLEASE")
    data[f"quotes-{index}-DELETE"] = "on"
    psalm = imported_seed.mentions.get(person__slug="psalm-west").pk
    mention = inline_index(data, "mentions-", "id", str(psalm))
    data[f"mentions-{mention}-DELETE"] = "on"
    assert editor_client.post(url, {**data, "_save": "Save"}).status_code == 302
    assert not imported_seed.quotes.filter(text__startswith="GOD PLEASE").exists()
    assert Dismissal.objects.filter(article=imported_seed).count() == 2
    record_findings(imported_seed)  # saving again, or re-importing, finds the rest only
    assert not imported_seed.quotes.filter(text__startswith="GOD PLEASE").exists()
    assert not imported_seed.mentions.filter(person__slug="psalm-west").exists()
    assert imported_seed.quotes.count() == 3


def test_a_corrected_quote_is_confirmed_and_left_alone(editor_client, imported_seed):
    url, data = open_story(editor_client, imported_seed)
    index = inline_index(data, "quotes-", "text", "GOD PLEASE")
    data[f"quotes-{index}-context"] = "Instagram caption"
    assert editor_client.post(url, {**data, "_save": "Save"}).status_code == 302
    quote = imported_seed.quotes.get(text__startswith="GOD PLEASE")
    assert (quote.status, quote.context) == ("confirmed", "Instagram caption")
    record_findings(imported_seed)
    quote.refresh_from_db()
    assert quote.context == "Instagram caption"


def test_saving_a_story_in_the_admin_finds_what_is_new(editor_client, imported_seed):
    url, data = open_story(editor_client, imported_seed)
    data["body"] += "\n\n“We are doing fine,” North West told reporters."
    response = editor_client.post(url, {**data, "_save": "Save"}, follow=True)
    assert "Found in the text, to check: 1 quote —" in response.content.decode()
    quote = imported_seed.quotes.get(text="We are doing fine")
    assert (quote.speaker.slug, quote.status, quote.context) == (
        "north-west",
        "found",
        "told reporters",
    )


def test_what_is_no_longer_in_the_text_goes_unless_confirmed(imported_seed):
    kept = imported_seed.quotes.get(text__startswith="Make sure")
    kept.status = "confirmed"
    kept.save()
    imported_seed.body = "A shorter story with no quotes, about Kim Kardashian."
    imported_seed.save()
    record_findings(imported_seed)
    assert list(imported_seed.quotes.values_list("text", flat=True)) == [kept.text]
    assert set(imported_seed.mentions.values_list("person__slug", flat=True)) >= {"kim-kardashian"}
    assert not imported_seed.mentions.filter(person__slug="psalm-west").exists()


def test_a_found_copy_of_a_confirmed_quote_goes_at_the_next_reading(db):
    """The seed imported, then the demo loaded over it: the fixture's confirmed quotes come in
    beside the found ones with the same words. The next import (or save) keeps the editors'
    copies and drops the found ones, moving any source cited for them."""
    call_command("import_stories", str(SEED), stdout=StringIO())
    call_command("loaddata", "demo", stdout=StringIO())
    story = Article.objects.get()
    found = story.quotes.filter(status="found").first()
    source = story.sources.create(label="Cited for the found copy", quote=found)
    assert story.quotes.count() == 8  # a raw load runs no finder
    call_command("import_stories", str(SEED), stdout=StringIO())
    assert sorted(story.quotes.values_list("status", flat=True)) == ["confirmed"] * 4
    source.refresh_from_db()
    assert source.quote.status == "confirmed" and source.quote.text == found.text
    assert source.history.first().history_change_reason == "Found by the archive"
