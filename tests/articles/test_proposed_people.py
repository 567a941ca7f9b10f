"""People a story names whom the archive does not know: proposed to the editors on import and
on save, then added with one tick, linked to a person under another name, or dropped."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles.models import Article, Dismissal, ProposedPerson, Quote
from articles.quotefinder.recording import record_findings
from people.models import Alias, Person
from tests.forms import form_data

STORY = "\n\n".join(
    [
        " date 2023-08-15 Profile",
        "Marisol Keane Heads Home",
        "The singer played her hometown on Saturday.",
        "Marisol Keane, 26, sold out the civic hall. "
        "Her voice teacher at the time, Renata Olsen, was in the front row.",
        "“She still hides behind the piano,” Olsen said. “I am so proud.”",
    ]
)


@pytest.fixture
def story_file(tmp_path):
    path = tmp_path / "keane.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


@pytest.fixture
def marisol(make_person):
    person = make_person("Marisol Keane", pronouns="she/her")
    Alias.objects.create(person=person, name="Keane")
    return person


@pytest.fixture
def editor(db):
    user = User.objects.create_superuser("ines", password="a long password for ines")
    client = Client()
    client.force_login(user)
    return client


def imported(story_file):
    out = StringIO()
    call_command("import_stories", str(story_file), stdout=out)
    return Article.objects.get(), out.getvalue()


def test_import_says_what_was_found_to_check(marisol, story_file):
    story, out = imported(story_file)
    assert "found, to check: 2 quotes, 1 person and 1 proposed new person (Renata Olsen)" in out
    assert "1 with quotes or people to check" in out
    proposal = story.proposed_people.get()
    assert proposal.name == "Renata Olsen"
    assert proposal.sentence.startswith("Her voice teacher at the time, Renata Olsen")
    # Her quotes are found and wait for her: no speaker yet, the proposal noted.
    assert {(q.speaker, q.proposed_speaker) for q in story.quotes.all()} == {(None, proposal)}


def test_adding_a_proposed_person_in_one_tick_gives_them_their_quotes(marisol, story_file, editor):
    story, _ = imported(story_file)
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(editor.get(url).content.decode(), "article_form")
    data["proposed_people-0-add_to_archive"] = "on"
    response = editor.post(url, {**data, "_save": "Save"}, follow=True)
    assert "Added Renata Olsen to the archive." in response.content.decode()
    renata = Person.objects.get(name="Renata Olsen")
    assert renata.slug == "renata-olsen"
    assert set(story.quotes.values_list("speaker", flat=True)) == {renata.pk}
    assert not story.proposed_people.exists()
    assert story.mentions.filter(person=renata, status="found").exists()


def test_linking_a_proposed_name_to_someone_in_the_archive_makes_it_their_alias(
    marisol, story_file, editor, make_person
):
    renee = make_person("Renée Olsen-Marsh")
    story, _ = imported(story_file)
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(editor.get(url).content.decode(), "article_form")
    data["proposed_people-0-same_as"] = str(renee.pk)
    assert editor.post(url, {**data, "_save": "Save"}).status_code == 302
    assert Alias.objects.filter(person=renee, name="Renata Olsen").exists()
    assert set(story.quotes.values_list("speaker", flat=True)) == {renee.pk}
    assert not story.proposed_people.exists()


def test_adding_and_linking_at_once_is_refused_with_the_reason(
    marisol, story_file, editor, make_person
):
    renee = make_person("Renée Olsen-Marsh")
    story, _ = imported(story_file)
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(editor.get(url).content.decode(), "article_form")
    data["proposed_people-0-add_to_archive"] = "on"
    data["proposed_people-0-same_as"] = str(renee.pk)
    response = editor.post(url, {**data, "_save": "Save"})
    assert response.status_code == 200
    assert "Either add them as a new person or pick who they are" in response.content.decode()
    assert not Person.objects.filter(name="Renata Olsen").exists()


def test_a_dropped_proposal_is_not_proposed_again(marisol, story_file, editor):
    story, _ = imported(story_file)
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(editor.get(url).content.decode(), "article_form")
    data["proposed_people-0-DELETE"] = "on"
    assert editor.post(url, {**data, "_save": "Save"}).status_code == 302
    assert Dismissal.objects.filter(article=story, person_name="Renata Olsen").exists()
    record_findings(story)
    assert not story.proposed_people.exists()


def test_the_proposals_queue_adds_people_with_one_action(marisol, story_file, editor):
    imported(story_file)
    url = reverse("admin:articles_proposedperson_changelist")
    listed = editor.get(url).content.decode()
    assert "Renata Olsen" in listed and "Marisol Keane Heads Home" in listed
    proposal = ProposedPerson.objects.get()
    editor.post(url, {"action": "add_to_archive", "_selected_action": [proposal.pk]})
    assert Quote.objects.filter(speaker__name="Renata Olsen").count() == 2


def test_the_stories_queue_says_what_waits_in_each_story(marisol, story_file, editor):
    imported(story_file)
    url = reverse("admin:articles_article_changelist")
    listed = editor.get(url, {"to_check": "yes"}).content.decode()
    assert "2 quotes, 1 person, 1 new person" in listed
