"""The stories a story's page suggests, chosen by the job queue when the stories change."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles import freshness
from articles.models import Article, Mention, RelatedStory
from articles.related import RELATE, RELATE_AGAIN, choose
from jobs.models import Job
from people.models import Person
from tests.articles.test_views import SEED_URL, query_count
from tests.html import page, section, text


def chosen_for(article):
    return list(
        RelatedStory.objects.filter(article=article)
        .order_by("position")
        .values_list("related__title", flat=True)
    )


@pytest.fixture
def seed(demo):
    return Article.objects.get(slug__startswith="kim-kardashian-admits")


@pytest.fixture
def neighbours(demo, make_article):
    """Stories sharing people or tags with the seed story, and one sharing nothing."""
    kanye = Person.objects.get(slug="kanye-west")
    kim = Person.objects.get(slug="kim-kardashian")
    both = make_article("Both Of Them", published_on=datetime.date(2021, 6, 1))
    Mention.objects.create(article=both, person=kanye)
    Mention.objects.create(article=both, person=kim)
    one = make_article("Only Kanye", published_on=datetime.date(2022, 1, 5))
    Mention.objects.create(article=one, person=kanye)
    tagged = make_article("Tagged Divorce", published_on=datetime.date(2022, 3, 5))
    tagged.tags.add("divorce")
    make_article("Unrelated Story", published_on=datetime.date(2021, 1, 1))
    return both, one, tagged


def test_chosen_stories_are_kept_and_the_page_is_the_same_as_when_scored_in_the_request(
    client, seed, neighbours
):
    scored_here = client.get(SEED_URL).content.decode()
    assert not RelatedStory.objects.filter(article=seed).exists()

    before, after = choose(seed.pk)

    assert before == []
    assert chosen_for(seed) == ["Both Of Them", "Tagged Divorce", "Only Kanye"]
    kept = client.get(SEED_URL).content.decode()
    assert kept == scored_here
    assert "Unrelated Story" not in text(section(page(kept), "related-heading"))
    # Chosen again with nothing changed: nothing moves.
    assert choose(seed.pk) == (after, after)


def test_a_story_with_people_and_no_tags_or_tags_and_no_people_is_given_suggestions(
    client, neighbours, make_article
):
    both, one, tagged = neighbours
    assert not one.tags.exists() and not tagged.mentions.exists()
    for story, expected in [(one, "Both Of Them"), (tagged, "Kim Kardashian Admits")]:
        shown = text(section(page(client.get(story.get_absolute_url())), "related-heading"))
        assert expected in shown
        choose(story.pk)
        assert any(title.startswith(expected) for title in chosen_for(story))


def test_a_kept_choice_costs_no_more_queries_than_scoring(client, seed, neighbours):
    scoring = query_count(client, SEED_URL)
    choose(seed.pk)
    assert query_count(client, SEED_URL) <= scoring


def test_the_page_moves_with_each_story_it_suggests_not_with_their_people(client, seed, neighbours):
    both, one, tagged = neighbours
    kanye = Person.objects.get(slug="kanye-west")
    scoring = client.get(SEED_URL).wsgi_request.topics
    assert freshness.about(kanye.pk) in scoring

    choose(seed.pk)
    topics = client.get(SEED_URL).wsgi_request.topics

    assert {freshness.story(s.pk) for s in (both, one, tagged)} <= topics
    assert freshness.about(kanye.pk) not in topics


def test_a_suggested_story_taken_down_leaves_the_page_at_once(client, seed, neighbours):
    both, _, _ = neighbours
    choose(seed.pk)
    both.status = Article.Status.DRAFT
    both.save()
    related = text(section(page(client.get(SEED_URL)), "related-heading"))
    assert "Both Of Them" not in related and "Only Kanye" in related


def test_a_saved_story_is_chosen_for_after_the_commit_and_its_suggestions_choose_again(
    seed, neighbours, make_article, committing
):
    kanye = Person.objects.get(slug="kanye-west")
    choose(seed.pk)
    with committing():
        newest = make_article("Newest Kanye", published_on=datetime.date(2022, 2, 10))
        Mention.objects.create(article=newest, person=kanye)
    # One job for the story (however many of its parts changed), then one for each story it
    # now suggests, which go no further.
    assert Job.objects.filter(kind=RELATE, target=str(newest.pk)).count() == 1
    assert set(Job.objects.filter(kind=RELATE_AGAIN).values_list("target", flat=True)) == {
        str(pk)
        for pk in RelatedStory.objects.filter(article=newest).values_list("related_id", flat=True)
    }
    assert "Newest Kanye" in chosen_for(seed)


def test_the_stories_suggesting_a_deleted_one_choose_again(seed, neighbours, committing):
    both, _, _ = neighbours
    choose(seed.pk)
    with committing():
        both.delete()
    assert Job.objects.filter(kind=RELATE_AGAIN, target=str(seed.pk)).exists()
    assert "Both Of Them" not in chosen_for(seed)
    assert len(chosen_for(seed)) == 2


def test_a_draft_is_chosen_for_without_moving_a_public_page(seed, neighbours, make_article):
    draft = make_article("Draft Kanye", status=Article.Status.DRAFT)
    Mention.objects.create(article=draft, person=Person.objects.get(slug="kanye-west"))
    choose(draft.pk)
    # Drafts are never suggested: the seed's choice leaves it out.
    choose(seed.pk)
    assert "Draft Kanye" not in chosen_for(seed)
    assert "Only Kanye" in chosen_for(draft)


def test_the_command_chooses_for_the_newest_stories_never_chosen_for(seed, neighbours, capsys):
    call_command("relate_stories", "--newest", "2")
    out = capsys.readouterr().out
    assert "2 stories chosen for" in out
    newest_two = Article.objects.published().order_by("-published_on", "-id")[:2]
    assert all(RelatedStory.objects.filter(article=s).exists() for s in newest_two)
    call_command("relate_stories", "--queue")
    assert Job.objects.filter(kind=RELATE_AGAIN).exists()


def test_the_command_refuses_a_count_below_one(db):
    with pytest.raises((SystemExit, CommandError)):
        call_command("relate_stories", "--newest", "0")


def test_a_choice_moves_its_story_s_page_and_no_other(seed, neighbours, committing, monkeypatch):
    from caching import topics

    moved = []
    monkeypatch.setattr(topics, "bump", lambda names: moved.append(set(names)) or 1)
    with committing():
        choose(seed.pk)  # rows written
    with committing():
        both, _, _ = neighbours
        RelatedStory.objects.filter(article=seed, related=both).delete()
        choose(seed.pk)  # a row deleted by hand, then chosen again
    assert moved == [{freshness.story(seed.pk)}, {freshness.story(seed.pk)}]


def test_a_story_s_text_or_headline_edited_asks_for_no_choice(seed, committing):
    with committing():
        seed.body += "\n\nA paragraph added."
        seed.title += "!"
        seed.save()
    assert not Job.objects.filter(kind__in=[RELATE, RELATE_AGAIN]).exists()


@pytest.mark.parametrize(
    "change",
    [
        {"status": Article.Status.DRAFT},
        {"published_on": datetime.date(2020, 1, 1)},
        # A date written as text, as a story file or the shell may give it: the same day is no
        # change, another is.
        {"published_on": "2019-05-04"},
    ],
)
def test_a_story_taken_down_or_redated_is_chosen_for_again(seed, committing, change):
    with committing():
        for field, value in change.items():
            setattr(seed, field, value)
        seed.save()
    assert Job.objects.filter(kind=RELATE, target=str(seed.pk)).exists()


def test_a_story_saved_with_its_own_date_as_text_asks_for_no_choice(seed, committing):
    with committing():
        seed.published_on = seed.published_on.isoformat()
        seed.save()
    assert not Job.objects.filter(kind__in=[RELATE, RELATE_AGAIN]).exists()
