"""The newsroom's workflow in the admin: previews, the Editor group, corrections, versions,
and two editors on one story."""

import datetime
import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, Quote, SourceLink
from people.models import Person
from tests.forms import form_data

D = datetime.date


@pytest.fixture
def editor(db):
    user = User.objects.create_user("sam", password="a long password for sam", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def other_editor(db):
    user = User.objects.create_user("alex", password="a long password for alex", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def open_form(client, obj):
    """What an editor's browser holds after opening the change form."""
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return form_data(response.content.decode(), f"{obj._meta.model_name}_form")


def save(client, obj, data):
    return client.post(change_url(obj), {**data, "_save": "Save"})


# --- publishing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, day, banner",
    [
        ("draft", D(2022, 2, 9), "Draft"),
        ("published", timezone.localdate() + datetime.timedelta(days=5), "Scheduled for"),
    ],
)
def test_staff_preview_hidden_stories_with_a_banner_and_readers_get_404(
    client, editor, make_article, status, day, banner
):
    story = make_article("Not yet out", status=status, published_on=day)
    assert client.get(story.get_absolute_url()).status_code == 404
    response = logged_in(editor).get(story.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="preview-banner"' in content and f"<strong>{banner}" in content
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"


def test_a_public_story_has_no_banner(client, demo):
    story = Article.objects.get()
    assert "preview-banner" not in client.get(story.get_absolute_url()).content.decode()


def test_the_editor_group_does_the_newsroom_work_but_not_user_management(editor, demo):
    client = logged_in(editor)
    assert client.get(reverse("admin:articles_article_add")).status_code == 200
    assert client.get(reverse("admin:people_person_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert editor.has_perm("articles.change_article") and editor.has_perm("people.add_person")
    assert not editor.has_perm("auth.change_user")


def test_only_staff_reach_the_admin(db):
    reader = User.objects.create_user("reader", password="a long password for reader")
    response = logged_in(reader).get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_corrections_are_public_and_in_the_json_ld(client, demo):
    story = Article.objects.get()
    Correction.objects.create(
        article=story,
        corrected_on=D(2022, 2, 10),
        note="An earlier version gave Saint West's age as 5.",
    )
    content = client.get(story.get_absolute_url()).content.decode()
    assert 'id="corrections-heading"' in content
    assert "An earlier version gave Saint West&#x27;s age as 5." in content
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', content, re.S)[1])
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version gave Saint West's age as 5.",
            "datePublished": "2022-02-10",
        }
    ]


def test_found_quotes_stay_off_public_pages_until_confirmed(client, editor, demo):
    story = Article.objects.get()
    quote = Quote.objects.create(article=story, text="Words still to check", status="found")
    # A source cited for it is a source of the story: listed, without the quote's words.
    SourceLink.objects.create(article=story, quote=quote, label="Where the words came from")
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Where the words came from" in page and "Words still to check" not in page
    assert client.get(quote.get_absolute_url()).status_code == 404
    preview = logged_in(editor).get(story.get_absolute_url()).content.decode()
    assert "Words still to check" in preview and "not yet confirmed" in preview
    assert "for the quote “Words still to check”" in preview
    quote.status = "confirmed"
    quote.save()
    assert "Words still to check" in client.get(story.get_absolute_url()).content.decode()


# --- versions -------------------------------------------------------------------------------


def test_every_change_is_a_version_with_who_and_when(editor, demo):
    story = Article.objects.get()
    client = logged_in(editor)
    data = open_form(client, story)
    data["dek"] = "A new standfirst."
    data["quotes-0-text"] = "You could be so hurt, edited"
    assert save(client, story, data).status_code == 302
    latest = story.history.first()
    assert latest.history_user == editor and latest.dek == "A new standfirst."
    assert latest.history_date > timezone.now() - datetime.timedelta(minutes=1)
    quote = Quote.objects.get(text="You could be so hurt, edited")
    assert quote.history.first().history_user == editor
    history = client.get(reverse("admin:articles_article_history", args=[story.pk]))
    assert history.status_code == 200 and "sam" in history.content.decode()


def test_an_old_version_is_compared_with_the_current_one_and_restored(editor, demo):
    story = Article.objects.get()
    original_dek, original_quotes = story.dek, sorted(story.quotes.values_list("text", flat=True))
    client = logged_in(editor)
    data = open_form(client, story)
    data["dek"] = "Rewritten dek."
    data["quotes-3-DELETE"] = "on"
    data["quotes-0-text"] = "Changed words"
    assert save(client, story, data).status_code == 302
    first = story.history.order_by("history_date").first()
    compare = reverse("admin:articles_article_compare", args=[story.pk, first.history_id])
    page = client.get(compare).content.decode()
    assert "Rewritten dek." in page and original_dek[:40] in page
    assert "Quote removed" in page and "Changed words" in page
    # The first version is the demo as loaded: loaddata keeps a first version of each row.
    assert first.history_change_reason == "Loaded from a fixture"
    story.refresh_from_db()
    response = client.post(compare, {"revision": str(story.revision)})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.dek == original_dek
    assert sorted(story.quotes.values_list("text", flat=True)) == original_quotes
    assert story.history.first().history_change_reason.startswith("Restored the version of")


def test_a_restore_from_a_stale_compare_page_is_refused(editor, demo):
    story = Article.objects.get()
    client = logged_in(editor)
    first = story.history.order_by("history_date").first()
    compare = reverse("admin:articles_article_compare", args=[story.pk, first.history_id])
    stale_revision = story.revision
    story.byline = "Someone Else"
    story.save()
    client.post(compare, {"revision": str(stale_revision)})
    story.refresh_from_db()
    assert story.byline == "Someone Else"


# --- two editors on one story -------------------------------------------------------------


def test_the_second_save_from_a_stale_form_is_refused_and_nothing_is_lost(
    editor, other_editor, demo
):
    story = Article.objects.get()
    sam, alex = logged_in(editor), logged_in(other_editor)
    sams_form, alexs_form = open_form(sam, story), open_form(alex, story)
    sams_form["title"] = "Sam's headline"
    assert save(sam, story, sams_form).status_code == 302
    alexs_form["byline"] = "Alex's byline"
    response = save(alex, story, alexs_form)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone saved this story after you opened it (last: sam," in content
    assert "Changed meanwhile — headline" in content and "Sam&#x27;s headline" in content
    assert "Alex&#x27;s byline" in content  # the editor's own typing is still in the form
    story.refresh_from_db()
    assert (story.title, story.byline) == ("Sam's headline", "")


def test_a_stale_form_cannot_overwrite_a_quote_changed_meanwhile(editor, other_editor, demo):
    story = Article.objects.get()
    sam, alex = logged_in(editor), logged_in(other_editor)
    sams_form, alexs_form = open_form(sam, story), open_form(alex, story)
    sams_form["quotes-1-text"] = "Sam fixed this quote."
    assert save(sam, story, sams_form).status_code == 302
    alexs_form["quotes-1-context"] = "told Vogue magazine"
    response = save(alex, story, alexs_form)
    assert response.status_code == 409
    assert "Changed meanwhile — quote" in response.content.decode()
    quote = Quote.objects.get(text="Sam fixed this quote.")
    assert quote.context == "told Vogue"


def test_a_change_made_elsewhere_also_makes_the_story_form_stale(editor, other_editor, demo):
    story = Article.objects.get()
    alex = logged_in(other_editor)
    alexs_form = open_form(alex, story)
    quote = story.quotes.first()
    quote.context = "changed in the quote admin"
    quote._history_user = editor
    quote.save()
    alexs_form["dek"] = "Alex's dek"
    response = save(alex, story, alexs_form)
    assert response.status_code == 409
    story.refresh_from_db()
    assert story.dek != "Alex's dek"
    # Told who and what, though the story itself has no newer version (it said neither).
    content = response.content.decode()
    assert "after you opened it (last: sam," in content
    assert "Changed meanwhile — quote" in content and "changed in the quote admin" in content


def test_a_fresh_form_saves_normally_after_a_refused_one(editor, other_editor, demo):
    story = Article.objects.get()
    sam, alex = logged_in(editor), logged_in(other_editor)
    alexs_form = open_form(alex, story)
    assert save(sam, story, open_form(sam, story)).status_code == 302
    assert save(alex, story, alexs_form).status_code == 409
    fresh = open_form(alex, story)
    fresh["byline"] = "Alex"
    assert save(alex, story, fresh).status_code == 302
    story.refresh_from_db()
    assert story.byline == "Alex"
    # The moment the form was opened is carried, never logged as a change of the story.
    change = LogEntry.objects.filter(object_id=str(story.pk)).latest("action_time")
    assert change.get_change_message() == "Changed Byline."


@pytest.mark.parametrize(
    "opened_at", ["0001-01-01T00:00:00+14:00", "2022-02-09T10:00:00", "x\x00y", "9999-01-01"]
)
def test_a_stale_save_with_an_odd_opening_moment_is_still_refused_plainly(
    editor, other_editor, demo, opened_at
):
    """The moment is only read for the message: an odd value (a tampered form) changes
    neither the refusal nor what is kept."""
    story = Article.objects.get()
    alexs_form = open_form(logged_in(other_editor), story)
    assert save(logged_in(editor), story, open_form(logged_in(editor), story)).status_code == 302
    alexs_form["opened_at"] = opened_at
    alexs_form["dek"] = "Alex's dek"
    response = save(logged_in(other_editor), story, alexs_form)
    assert response.status_code == 409
    assert "Someone saved this story after you opened it" in response.content.decode()


def test_two_editors_on_one_person(editor, other_editor, demo):
    kim = Person.objects.get(slug="kim-kardashian")
    sam, alex = logged_in(editor), logged_in(other_editor)
    sams_form, alexs_form = open_form(sam, kim), open_form(alex, kim)
    sams_form["bio"] = "Sam's bio."
    assert save(sam, kim, sams_form).status_code == 302
    alexs_form["pronouns"] = "she/they"
    response = save(alex, kim, alexs_form)
    assert response.status_code == 409
    kim.refresh_from_db()
    assert (kim.bio, kim.pronouns) == ("Sam's bio.", "she/her")
    history = kim.history.first()
    assert history.history_user == editor


def test_a_relationship_changed_elsewhere_is_named_to_the_stale_person_form(
    editor, other_editor, demo
):
    kim = Person.objects.get(slug="kim-kardashian")
    alexs_form = open_form(logged_in(other_editor), kim)
    marriage = kim.relationships().get(kind="married")
    marriage.place = "Florence, Italy (Forte di Belvedere)"
    marriage._history_user = editor
    marriage.save()
    alexs_form["bio"] = "Alex's bio."
    response = save(logged_in(other_editor), kim, alexs_form)
    assert response.status_code == 409
    content = response.content.decode()
    assert "after you opened it (last: sam," in content
    assert "Changed meanwhile — relationship" in content and "Forte di Belvedere" in content
    kim.refresh_from_db()
    assert kim.bio != "Alex's bio."


def test_a_persons_old_version_brings_its_aliases_back(editor, demo):
    kanye = Person.objects.get(slug="kanye-west")
    before = sorted(kanye.aliases.values_list("name", "is_ambiguous"))
    first = kanye.history.order_by("history_date").first()
    client = logged_in(editor)
    data = open_form(client, kanye)
    data["aliases-0-name"] = "Mr West"
    assert save(client, kanye, data).status_code == 302
    compare = reverse("admin:people_person_compare", args=[kanye.pk, first.history_id])
    page = client.get(compare).content.decode()
    assert "Mr West" in page
    kanye.refresh_from_db()
    assert client.post(compare, {"revision": str(kanye.revision)}).status_code == 302
    assert sorted(kanye.aliases.values_list("name", "is_ambiguous")) == before
