from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Mention, Quote, SourceLink
from articles.search import search
from people.models import Person, Relationship


def generate(n, seed=1):
    out = StringIO()
    call_command(
        "generate_archive",
        "--articles",
        str(n),
        "--seed",
        str(seed),
        "--batch-size",
        "100",
        stdout=out,
    )
    return out.getvalue()


def test_generates_a_realistic_archive(db):
    out = generate(400)
    assert Article.objects.count() == 400
    assert "stories: 400 / 400 (100%)" in out and "done in" in out
    quotes = Quote.objects.count()
    assert 2.5 * 400 < quotes < 3.5 * 400
    assert SourceLink.objects.count() == 400
    assert Person.objects.count() == 50 and Relationship.objects.exists()  # at least 50
    # Every fact sourced: a relationship with no source would not be shown to readers.
    assert Relationship.objects.sourced().count() == Relationship.objects.count()
    years = {day.year for day in Article.objects.values_list("published_on", flat=True)}
    assert len(years) >= 15
    drafts = Article.objects.filter(status="draft").count()
    assert 0 < drafts < 40
    assert Article.objects.published().count() < 400


def test_a_few_people_are_in_a_large_share_of_the_stories(db):
    generate(600)
    per_person = Counter(Mention.objects.values_list("person_id", flat=True))
    (_, most), *_ = per_person.most_common(1)
    assert most > 0.1 * 600
    counts = sorted(per_person.values())
    assert counts[len(counts) // 2] < 0.03 * 600  # a long tail: the median person is rare


def uids():
    return [
        list(model.objects.order_by("id").values_list("uid", flat=True))
        for model in (Quote, SourceLink)
    ]


def test_the_same_seed_gives_the_same_archive(db):
    generate(50, seed=7)
    first = list(Article.objects.order_by("id").values_list("title", "published_on", "kind"))
    first_uids = uids()
    Article.objects.all().delete()
    Person.objects.all().delete()
    generate(50, seed=7)
    again = list(Article.objects.order_by("id").values_list("title", "published_on", "kind"))
    assert again == first
    assert uids() == first_uids
    generate(50, seed=8)
    assert Article.objects.count() == 100


def test_a_second_run_with_the_same_seed_adds_as_many_stories(db):
    generate(50, seed=1)
    quotes = Quote.objects.count()
    generate(50, seed=1)
    assert Article.objects.count() == 100
    assert Quote.objects.count() == 2 * quotes
    assert SourceLink.objects.count() == 100
    titles = Article.objects.order_by("id").values_list("title", flat=True)
    assert list(titles[:50]) == list(titles[50:])  # the same stories, told again


def test_the_archive_keeps_working_after_a_generation(db, make_article):
    generate(100)
    story = make_article("Written after generation", slug="after")  # sequences moved on
    assert story.pk > Article.objects.exclude(pk=story.pk).order_by("-pk").first().pk
    famous = Person.objects.filter(mentions__isnull=False).first()
    assert search(famous.name.split()[0]).people


def test_bad_arguments_are_refused(db):
    with pytest.raises(CommandError, match="--articles"):
        call_command("generate_archive", "--articles", "0", stdout=StringIO())


def test_a_generation_starts_a_new_edition(db, django_capture_on_commit_callbacks):
    from caching.models import Edition

    with django_capture_on_commit_callbacks(execute=True):
        generate(10)
    assert Edition.objects.get(pk=1).number >= 1
