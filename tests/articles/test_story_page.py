"""A story's page read in one query (articles/story_page.py) holds what the ORM reads, value
for value and of the same types: on the demo data with pictures, on a story with every part a
page can show (a draft previewed included), and on a generated archive."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Correction, Finding, Mention, Quote, SourceLink
from articles.related import choose
from articles.story_page import story_page
from tests.articles.test_generate_archive import generate


def values(instance):
    """Every column the instance holds (search vectors are never read), with its type."""
    if instance is None:
        return None
    loaded = instance.get_deferred_fields()
    return {
        field.attname: (getattr(instance, field.attname), type(getattr(instance, field.attname)))
        for field in instance._meta.concrete_fields
        if field.attname not in loaded and field.get_internal_type() != "SearchVectorField"
    }


def related_values(instance, *names):
    """The values of the rows `instance` holds under each of `names`, read without a query."""
    return {name: values(getattr(instance, name)) for name in names}


def neighbour(article, *, before):
    stories = Article.objects.published()
    day, pk = article.published_on, article.pk
    if before:
        condition, order = Q(published_on__lt=day) | Q(published_on=day, pk__lt=pk), "-"
    else:
        condition, order = Q(published_on__gt=day) | Q(published_on=day, pk__gt=pk), ""
    story = stories.filter(condition).order_by(f"{order}published_on", f"{order}id").first()
    return None if story is None else story.pk


def as_the_orm_reads(article, *, previewing):
    """What the page showed when each part was asked of the ORM."""
    quotes = article.quotes.select_related("speaker").order_by("position", "id")
    if not previewing:
        quotes = quotes.filter(status=Finding.CONFIRMED)
    mentions = Mention.objects.filter(article=article).select_related("person__portrait")
    sources = SourceLink.objects.filter(article=article).select_related("publication", "quote")
    chosen = Article.objects.published().filter(related_to__article=article)
    return {
        "article": values(article),
        "outlet": values(article.publication),
        "picture": values(article.lead_picture),
        "mentions": [
            (values(m), values(m.person), values(m.person.portrait))
            for m in mentions.order_by("role", "person__name", "id")
        ],
        "quotes": [
            (values(q), values(q.speaker), [values(p) for p in q.joint_speakers.order_by("name")])
            for q in quotes
        ],
        "corrections": [values(c) for c in article.corrections.order_by("corrected_on", "id")],
        "sources": [
            (values(s), values(s.publication), values(s.quote)) for s in sources.order_by("id")
        ],
        "tags": [values(t) for t in article.tags.order_by("name")],
        "previous": neighbour(article, before=True),
        "next": neighbour(article, before=False),
        "related": [
            (values(s), values(s.publication), values(s.lead_picture))
            for s in chosen.listed().order_by("related_to__position")
        ],
    }


def as_read_in_one_query(article, *, previewing):
    day, slug = article.published_on, article.slug
    with CaptureQueriesContext(connection) as queries:
        page = story_page(day, slug, previewing=previewing, using="default")
        seen = {
            "article": values(page.article),
            **related_values(page.article, "publication", "lead_picture"),
            "mentions": [
                (values(m), values(m.person), values(m.person.portrait)) for m in page.mentions
            ],
            "quotes": [
                (values(q), values(q.speaker), [values(p) for p in q.joint_speakers.all()])
                for q in page.quotes
            ],
            "corrections": [values(c) for c in page.corrections],
            "sources": [(values(s), values(s.publication), values(s.quote)) for s in page.sources],
            "tags": [values(t) for t in page.tags],
            "previous": page.previous and page.previous.pk,
            "next": page.next and page.next.pk,
            "related": [
                (values(s), values(s.publication), values(s.lead_picture)) for s in page.related
            ],
        }
    # Everything above was read by the one query: nothing asked for afterwards.
    assert len(queries) == 1, [query["sql"] for query in queries]
    seen["outlet"] = seen.pop("publication")
    seen["picture"] = seen.pop("lead_picture")
    return seen


def test_the_demo_story_with_its_pictures(pictured):
    for article in Article.objects.all():
        for previewing in (False, True):
            assert as_read_in_one_query(article, previewing=previewing) == as_the_orm_reads(
                article, previewing=previewing
            )


@pytest.fixture
def full_story(make_article, make_person, vogue, pictured):
    """A draft with every part a page shows: a found quote and a confirmed joint statement,
    corrections, sources with an outlet and a quote, tags, a neighbour on each side, related
    stories."""
    story = make_article(
        "Everything at once",
        status=Article.Status.DRAFT,
        published_on=datetime.date(2021, 6, 15),
        publication=vogue,
        byline="A. Writer",
        dek="All of it.",
        lead_picture=pictured["lead"],
    )
    felix, juno = make_person("Felix Marr"), make_person("Juno Castellanos")
    Mention.objects.create(article=story, person=felix, role=Mention.Role.SUBJECT)
    Mention.objects.create(article=story, person=juno, status=Finding.FOUND)
    joint = Quote.objects.create(article=story, speaker=juno, text="Together.", position=2)
    joint.joint_speakers.add(felix)
    found = Quote.objects.create(
        article=story,
        speaker=felix,
        text="Maybe.",
        position=1,
        status=Finding.FOUND,
        said_on=datetime.date(2022, 1, 3),
    )
    Correction.objects.create(article=story, corrected_on=datetime.date(2022, 3, 1), note="B.")
    Correction.objects.create(article=story, corrected_on=datetime.date(2022, 2, 10), note="A.")
    SourceLink.objects.create(
        article=story, url="https://www.vogue.com/a", label="Vogue", publication=vogue
    )
    SourceLink.objects.create(article=story, url="https://example.com/b", label="B", quote=found)
    story.tags.add("love", "Family")
    for day in (datetime.date(2021, 6, 14), datetime.date(2021, 6, 16)):
        neighbour = make_article(f"On {day}", published_on=day)
        Mention.objects.create(article=neighbour, person=felix)
        neighbour.tags.add("love")
    choose(story.pk)
    return Article.objects.get(pk=story.pk)


def test_a_story_with_every_part(full_story):
    assert as_read_in_one_query(full_story, previewing=True) == as_the_orm_reads(
        full_story, previewing=True
    )
    page = story_page(full_story.published_on, full_story.slug, previewing=True, using="default")
    assert [q.text for q in page.quotes] == ["Maybe.", "Together."]
    assert [c.note for c in page.corrections] == ["A.", "B."]
    assert len(page.related) == 2
    assert page.previous.title == "On 2021-06-14" and page.next.title == "On 2021-06-16"
    assert [p.name for p in page.quotes[1].speakers] == ["Juno Castellanos", "Felix Marr"]


def test_readers_get_no_draft_and_no_quote_still_to_check(full_story):
    day, slug = full_story.published_on, full_story.slug
    assert story_page(day, slug, previewing=False, using="default") is None

    Article.objects.filter(pk=full_story.pk).update(status=Article.Status.PUBLISHED)
    page = story_page(day, slug, previewing=False, using="default")
    assert [q.text for q in page.quotes] == ["Together."]
    story = Article.objects.get(pk=full_story.pk)
    assert as_read_in_one_query(story, previewing=False) == as_the_orm_reads(
        story, previewing=False
    )


def test_a_scheduled_story_is_previewed_not_shown(make_article):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    story = make_article("Tomorrow", published_on=tomorrow)
    assert story_page(tomorrow, story.slug, previewing=False, using="default") is None
    assert story_page(tomorrow, story.slug, previewing=True, using="default").article == story


def test_a_generated_archive(db):
    generate(120, seed=3)
    call_command("relate_stories", stdout=None)
    stories = Article.objects.order_by("?")[:60]
    for article in stories:
        previewing = not article.is_public
        assert as_read_in_one_query(article, previewing=previewing) == as_the_orm_reads(
            article, previewing=previewing
        )
