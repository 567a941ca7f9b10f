"""The faster ways a page is made give the page it was before, on a generated archive: related
stories kept by a job or scored in the request, the people in the news kept or counted,
prepared statements or not."""

import pytest
from django.core.management import call_command

from articles import in_the_news
from articles.models import Article, RelatedStory
from articles.related import choose, scored_now
from people.models import Person
from tests.articles.test_generate_archive import generate

STORIES = 300


@pytest.fixture
def generated(db):
    generate(STORIES, seed=7)
    stories = list(Article.objects.published().order_by("-published_on", "-id"))
    # Every other story, the newest first: the most read, the famous people's included.
    return [story.get_absolute_url() for story in stories[::2]]


def pages(client, addresses):
    return {address: client.get(address).content for address in addresses}


def test_every_story_page_is_the_same_with_related_stories_kept(client, generated):
    scored = pages(client, generated)
    assert not RelatedStory.objects.exists()

    call_command("relate_stories", stdout=None)

    assert RelatedStory.objects.count() > STORIES  # most stories suggest several
    assert pages(client, generated) == scored


def test_the_front_page_is_the_same_with_the_people_in_the_news_kept(client, generated):
    counted = client.get("/").content
    in_the_news.count("front")
    assert client.get("/").content == counted


def test_pages_are_the_same_prepared_or_not(client, generated, settings, on_postgres):
    addresses = [*generated[:40], "/"]
    settings.DATABASE_PREPARED_STATEMENTS = False
    plain = pages(client, addresses)
    settings.DATABASE_PREPARED_STATEMENTS = True
    assert pages(client, addresses) == plain
    # Asked again, now run by the statements prepared the first time.
    assert pages(client, addresses) == plain


def test_a_kept_choice_is_the_request_s_and_choosing_again_changes_nothing(generated):
    for story in Article.objects.published().order_by("?")[:60]:
        people = list(Person.objects.filter(mentions__article=story))
        tags = list(story.tags.all())
        in_the_request = [s.pk for s in scored_now(story, people, tags)]
        before, after = choose(story.pk)
        assert (before, after) == ([], in_the_request)
        assert choose(story.pk) == (after, after)
