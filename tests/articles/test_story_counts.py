"""A person's public stories, counted by the job queue when their stories change and read by
their page instead of counting them in the request."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles import story_counts
from articles.models import Article, Mention, StoryCount
from articles.story_counts import COUNT, count, count_all
from jobs.models import Job
from people.freshness import about
from people.models import Person
from tests.articles.test_views import query_count
from tests.html import page, section, text

URL = "/people/jane-doe/"


@pytest.fixture
def jane(make_person, make_article):
    """Someone in five public stories, a draft and a story scheduled for tomorrow."""
    jane = make_person("Jane Doe")
    for day in range(1, 6):
        story = make_article(f"Story {day}", published_on=datetime.date(2022, 3, day))
        Mention.objects.create(article=story, person=jane)
    for title, fields in [
        ("A draft", {"status": Article.Status.DRAFT}),
        ("Tomorrow", {"published_on": timezone.localdate() + datetime.timedelta(days=1)}),
    ]:
        Mention.objects.create(article=make_article(title, **fields), person=jane)
    return jane


def stories_section(client):
    return section(page(client.get(URL)), "stories-heading")


def test_a_kept_count_gives_the_same_page_for_one_query_less(client, jane):
    counting = query_count(client, URL)
    counted_here = client.get(URL).content

    assert count(str(jane.pk)) == "5 stories, one scheduled for " + str(
        timezone.localdate() + datetime.timedelta(days=1)
    )

    assert StoryCount.objects.get(person=jane).stories == 5
    assert query_count(client, URL) == counting - 1
    assert client.get(URL).content == counted_here


def test_the_count_stops_at_one_past_what_the_pages_reach(client, jane, monkeypatch):
    monkeypatch.setattr(story_counts, "CAP", 3)
    count(str(jane.pk))
    assert StoryCount.objects.get(person=jane).stories == 4
    count_all()
    assert StoryCount.objects.get(person=jane).stories == 4


def test_a_scheduled_story_s_day_ends_the_count(client, jane):
    count(str(jane.pk))
    kept = StoryCount.objects.get(person=jane)
    assert kept.holds()
    tomorrow = Article.objects.get(title="Tomorrow")
    Article.objects.filter(pk=tomorrow.pk).update(published_on=timezone.localdate())
    StoryCount.objects.filter(person=jane).update(until=timezone.localdate())
    # Its day has come: the page counts in the request and lists six.
    assert not StoryCount.objects.get(person=jane).holds()
    counting = query_count(client, URL)
    assert "Tomorrow" in text(stories_section(client))
    count(str(jane.pk))
    assert StoryCount.objects.get(person=jane).stories == 6
    assert query_count(client, URL) == counting - 1


# Each change, and how many public stories she is in after it (five before).
CHANGES = {
    "a story taken down": 4,
    "a story redated": 5,
    "a story deleted": 4,
    "a mention added": 6,
    "a mention moved": 4,
    "a mention deleted": 4,
    "people added": 6,
    "people removed": 4,
    "people cleared": 4,
    "stories added to the person": 6,
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_to_her_stories_counts_her_again_after_the_commit(
    jane, make_article, make_person, committing, change
):
    count(str(jane.pk))
    story = Article.objects.get(title="Story 1")
    other = make_person("John Roe")
    new = make_article("New one", published_on=datetime.date(2022, 4, 1))
    with committing():
        if change == "a story taken down":
            story.status = Article.Status.DRAFT
            story.save()
        elif change == "a story redated":
            story.published_on = datetime.date(2021, 1, 1)
            story.save()
        elif change == "a story deleted":
            story.delete()
        elif change == "a mention added":
            Mention.objects.create(article=new, person=jane)
        elif change == "a mention moved":
            mention = Mention.objects.get(article=story, person=jane)
            mention.person = other
            mention.save()
        elif change == "a mention deleted":
            Mention.objects.get(article=story, person=jane).delete()
        elif change == "people added":
            new.people.add(jane)
        elif change == "people removed":
            story.people.remove(jane)
        elif change == "people cleared":
            story.people.clear()
        else:
            jane.articles.add(new)
    assert Job.objects.filter(kind=COUNT, target=str(jane.pk)).count() == 1
    assert StoryCount.objects.get(person=jane).stories == CHANGES[change]
    assert jane.articles.published().count() == CHANGES[change]


def test_a_story_s_text_or_headline_edited_counts_no_one(jane, committing):
    count(str(jane.pk))
    story = Article.objects.get(title="Story 1")
    with committing():
        story.body += "\n\nA paragraph added."
        story.title = "Story 1, retitled"
        story.save()
    assert not Job.objects.filter(kind=COUNT).exists()


def test_a_count_that_changed_moves_her_lists_and_one_that_did_not_nothing(
    jane, committing, monkeypatch
):
    from caching import topics

    moved = []
    monkeypatch.setattr(topics, "bump", lambda names: moved.append(set(names)) or 1)
    with committing():
        count(str(jane.pk))
    with committing():
        count(str(jane.pk))
    with committing():  # forgotten (a raw load): nothing shows the count it had
        story_counts.forget([jane.pk])
    assert moved == [{about(jane.pk)}]


def test_a_mention_loaded_raw_forgets_the_count(jane, make_article):
    count(str(jane.pk))
    mention = Mention(article=make_article("Loaded"), person=jane)
    mention.save_base(raw=True)
    assert not StoryCount.objects.filter(person=jane).exists()


def test_everyone_counted_at_once_as_each_is_counted_alone(demo, jane, make_person):
    make_person("Nobody At All")
    call_command("count_stories")
    at_once = dict(StoryCount.objects.values_list("person_id", "stories"))
    untils = dict(StoryCount.objects.values_list("person_id", "until"))
    assert set(at_once) == set(Person.objects.values_list("pk", flat=True))
    StoryCount.objects.all().delete()
    for pk in at_once:
        count(str(pk))
    assert dict(StoryCount.objects.values_list("person_id", "stories")) == at_once
    assert dict(StoryCount.objects.values_list("person_id", "until")) == untils
    assert at_once[jane.pk] == 5 and at_once[Person.objects.get(name="Nobody At All").pk] == 0
