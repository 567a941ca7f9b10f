"""A month or a day of the archive and a tag's stories, each read in one query
(articles/list_pages.py), hold what the ORM reads: a month's days and their stories, the months
(days) before and after, a tag's count; the page asked for (the nearest one for a number out of
range), each story with its outlet and picture; readers' stories only."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles.list_pages import PAGE_SIZE, day_page, month_page, tagged_page
from articles.models import Article
from common.paging import CappedPaginator
from tests.articles.test_generate_archive import generate
from tests.articles.test_story_page import related_values, values

D = datetime.date


def as_the_orm_reads(month, number):
    """The month's days, and page `number` of its stories, asked of the ORM."""
    end = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    stories = Article.objects.published().filter(published_on__gte=month, published_on__lt=end)
    days = stories.values("published_on").annotate(n=Count("id")).order_by("published_on")
    listed = stories.listed().order_by("-published_on", "-id")
    start = (number - 1) * PAGE_SIZE
    return [(day["published_on"], day["n"]) for day in days], list(listed[start : start + 20])


def as_read(story):
    return {"story": values(story), **related_values(story, "publication", "lead_picture")}


def months_of(stories):
    return sorted({story.published_on.replace(day=1) for story in stories})


@pytest.fixture
def generated(db):
    generate(400, seed=3)
    return Article.objects.published()


def test_every_month_holds_what_the_orm_reads(generated):
    months = months_of(generated)
    assert len(months) > 3
    for place, month in enumerate(months):
        page = month_page(month, None, using="default")
        days, stories = as_the_orm_reads(month, 1)
        assert page.days == days
        assert page.total == sum(n for _, n in days)
        assert [as_read(story) for story in page.page] == [as_read(story) for story in stories]
        assert page.previous == (months[place - 1] if place else None)
        assert page.next == (months[place + 1] if place + 1 < len(months) else None)


def test_a_page_out_of_range_is_the_nearest_one(make_article):
    for day in range(1, 26):
        make_article(f"Story {day}", published_on=D(2022, 2, day))
    last = month_page(D(2022, 2, 1), "last", using="default")
    assert (last.page.number, last.page.paginator.num_pages) == (2, 2)
    assert [story.title for story in last.page] == [
        "Story 5",
        "Story 4",
        "Story 3",
        "Story 2",
        "Story 1",
    ]
    huge = "9" * 30
    for asked, shown in [("9", 2), ("2", 2), ("0", 1), ("-4", 1), ("abc", 1), (None, 1), (huge, 2)]:
        page = month_page(D(2022, 2, 1), asked, using="default").page
        assert page.number == shown, asked
        assert [story.pk for story in page] == [
            s.pk for s in as_the_orm_reads(D(2022, 2, 1), shown)[1]
        ]


def test_one_query_for_a_page_that_exists_two_for_one_past_the_end(make_article):
    make_article("Vows", published_on=D(2022, 2, 9))
    with CaptureQueriesContext(connection) as queries:
        month_page(D(2022, 2, 1), "1", using="default")
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        month_page(D(2022, 2, 1), "7", using="default")
    assert len(queries) == 2


def test_readers_get_published_stories_of_today_and_before_only(make_article):
    today = timezone.localdate()
    month = today.replace(day=1)
    make_article("Out today", published_on=today)
    make_article("A draft", published_on=today, status=Article.Status.DRAFT)
    make_article("Scheduled", slug="scheduled", published_on=today + datetime.timedelta(days=40))
    page = month_page(month, None, using="default")
    assert [story.title for story in page.page] == ["Out today"]
    assert page.days == [(today, 1)]
    # The scheduled story's month is not "next" until its day comes.
    assert page.next is None


def test_a_month_without_public_stories_is_none(make_article):
    make_article("A draft", published_on=D(2022, 2, 9), status=Article.Status.DRAFT)
    assert month_page(D(2022, 2, 1), None, using="default") is None
    assert month_page(D(1999, 1, 1), None, using="default") is None


def test_every_tag_s_pages_hold_what_the_orm_reads(generated):
    tags = Tag.objects.filter(article__isnull=False).distinct()
    assert tags.count() > 3
    for tag in tags:
        stories = Article.objects.published().filter(tags=tag).listed()
        stories = stories.order_by("-published_on", "-id")
        orm = CappedPaginator(stories, PAGE_SIZE)
        for asked in [None, "2", "last", "99"]:
            page = tagged_page(tag.pk, asked, using="default")
            expected = orm.get_page(asked)
            assert page.number == expected.number
            assert page.paginator.count == orm.count
            assert page.paginator.capped == orm.capped
            assert [as_read(story) for story in page] == [as_read(story) for story in expected]


def test_a_tag_s_count_stops_past_the_cap(make_article, monkeypatch):
    tag = Tag.objects.create(name="vows", slug="vows")
    for day in range(1, 8):
        make_article(f"Story {day}", published_on=D(2022, 2, day)).tags.add(tag)
    make_article("A draft", status=Article.Status.DRAFT).tags.add(tag)
    page = tagged_page(tag.pk, None, using="default")
    assert (page.paginator.count, page.paginator.capped) == (7, False)
    monkeypatch.setattr("common.paging.CAP", 5)
    monkeypatch.setattr("articles.list_pages.CAP", 5)
    page = tagged_page(tag.pk, None, using="default")
    assert (page.paginator.counted, page.paginator.count, page.paginator.capped) == (6, 5, True)


def test_a_month_at_the_ends_of_the_calendar_is_not_found(client, make_article):
    make_article("Vows", published_on=D(2022, 2, 9))
    assert month_page(D(9999, 12, 1), None, using="default") is None
    for address in ["/articles/9999/12/", "/articles/0000/01/", "/articles/2022/13/"]:
        assert client.get(address).status_code == 404, address
    assert client.get("/articles/2022/02/").status_code == 200


def test_a_page_number_past_any_list_is_its_last_page(client, make_article):
    tag = Tag.objects.create(name="vows", slug="vows")
    make_article("Vows", published_on=D(2022, 2, 9)).tags.add(tag)
    for address in ["/tags/vows/", "/articles/2022/02/"]:
        response = client.get(address, {"page": "9" * 30})
        assert response.status_code == 200, address
    assert tagged_page(tag.pk, "9" * 30, using="default").number == 1


def test_every_day_holds_what_the_orm_reads(generated):
    days = sorted({story.published_on for story in generated})
    for place, day in enumerate(days[:60]):
        page = day_page(day, None, using="default")
        stories = Article.objects.published().filter(published_on=day).listed()
        stories = stories.order_by("-published_on", "-id")
        assert page.days == [(day, stories.count())]
        assert [as_read(story) for story in page.page] == [as_read(s) for s in stories[:20]]
        assert page.previous == (days[place - 1] if place else None)
        assert page.next == (days[place + 1] if place + 1 < len(days) else None)
    assert day_page(D(1999, 1, 1), None, using="default") is None


def test_a_day_that_is_not_one_is_not_found(client, make_article):
    make_article("Vows", published_on=D(2022, 2, 9))
    assert client.get("/articles/2022/02/09/").status_code == 200
    for address in ["/articles/2022/02/30/", "/articles/9999/12/31/", "/articles/2022/02/10/"]:
        assert client.get(address).status_code == 404, address
