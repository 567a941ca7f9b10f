"""Lists of stories readers page through, each read in one query (common/rows.py).

A month or a day of the archive: its days that have stories, with how many each; the page of
its stories asked for, as lists show them (with their outlet and picture), newest first; the
nearest months (days) before and after it that have stories. A tag's stories: how many (counted
up to the pages' cap, common/paging.py) and the page asked for. Readers' stories only
(`published()`'s rule, in SQL).

The page's number is read as every list of the site reads it (`CappedPaginator.get_page`):
out of range or not a number gives the nearest page. The query fetches the page asked for; only
when that page does not exist (a number past the last page, or "last") is the nearest one read
in a second query.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.paginator import Page
from django.db import connections
from django.utils import timezone

from common.paging import CAP, CappedPaginator
from common.rows import Dialect, fetch_document
from pictures.models import Picture

from .models import Article, Publication, TaggedArticle
from .rows import PUBLIC, story_in_list, story_in_list_sql, table

PAGE_SIZE = 20


@dataclass
class PeriodPage:
    # Each day of the period with stories, and how many.
    days: list[tuple[datetime.date, int]]
    page: Page
    # The days of the nearest stories before and after the period, if any.
    previous: datetime.date | None
    next: datetime.date | None

    @property
    def total(self) -> int:
        return sum(stories for _, stories in self.days)


def next_month(month: datetime.date) -> datetime.date:
    """The first day of the month after `month`; after December 9999, the last day there is."""
    try:
        return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    except OverflowError:
        return datetime.date.max


def month_page(month: datetime.date, asked: Any, *, using: str) -> PeriodPage | None:
    """The month starting on `month` with page `asked` (`?page=`) of its stories; None when it
    has no stories for readers. Its neighbours are the first days of their months."""
    month = month.replace(day=1)
    found = period_page(month, next_month(month), asked, using=using)
    if found is not None:
        found.previous = found.previous and found.previous.replace(day=1)
        found.next = found.next and found.next.replace(day=1)
    return found


def day_page(day: datetime.date, asked: Any, *, using: str) -> PeriodPage | None:
    """The day `day` with page `asked` of its stories; None when it has none for readers."""
    try:
        end = day + datetime.timedelta(days=1)
    except OverflowError:
        end = datetime.date.max
    return period_page(day, end, asked, using=using)


def period_page(
    start: datetime.date, end: datetime.date, asked: Any, *, using: str
) -> PeriodPage | None:
    """The stories dated from `start` up to (not including) `end`, page `asked` of them."""
    params = {
        "start": start,
        "end": end,
        "today": timezone.localdate(),
        "published": Article.Status.PUBLISHED,
    }
    number = first_guess(asked)
    days, before, after, rows = fetch_document(query(using), {**params, **offset(number)}, using)
    if not days:
        return None
    counted = [(datetime.date.fromisoformat(day), stories) for day, stories in days]
    paginator = CappedPaginator((), PAGE_SIZE, counted=sum(stories for _, stories in counted))
    shown = paginator.get_page(asked).number
    if shown != number:
        *_, rows = fetch_document(query(using), {**params, **offset(shown)}, using)
    stories = [story_in_list(row, using) for row in rows or ()]
    return PeriodPage(
        days=counted,
        page=Page(stories, shown, paginator),
        previous=datetime.date.fromisoformat(before) if before else None,
        next=datetime.date.fromisoformat(after) if after else None,
    )


def tagged_page(tag: int, asked: Any, *, using: str) -> Page:
    """Page `asked` of the stories tagged `tag` (its key: the list's plan is chosen for that
    tag, a common one or a rare one)."""
    params = {
        "tag": tag,
        "today": timezone.localdate(),
        "published": Article.Status.PUBLISHED,
        "cap": CAP + 1,
    }
    number = first_guess(asked)
    counted, rows = fetch_document(tagged_query(using), {**params, **offset(number)}, using)
    paginator = CappedPaginator((), PAGE_SIZE, counted=counted)
    shown = paginator.get_page(asked).number
    if shown != number:
        _, rows = fetch_document(tagged_query(using), {**params, **offset(shown)}, using)
    return Page([story_in_list(row, using) for row in rows or ()], shown, paginator)


def first_guess(asked: Any) -> int:
    """The page `asked` if it is a page number the pages reach, else the nearest."""
    try:
        number = int(asked)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), -(-CAP // PAGE_SIZE))


def offset(number: int) -> dict[str, int]:
    """The page's place in its list (the page size a parameter, not part of the query)."""
    return {"limit": PAGE_SIZE, "offset": (number - 1) * PAGE_SIZE}


@cache
def query(using: str) -> str:
    """A period's query for the database `using`, written once per process."""
    sql = Dialect(connections[using])
    public = PUBLIC.format("a")
    in_period = "a.published_on >= %(start)s AND a.published_on < %(end)s"
    days = sql.listed(
        sql.array("d.day", "d.stories"),
        f"(SELECT a.published_on AS day, count(*) AS stories FROM {table(Article)} a"
        f" WHERE {public} AND {in_period} GROUP BY a.published_on) d",
        "d.day",
    )
    stories = sql.listed(
        story_in_list_sql(sql, "a", "o", "p"),
        f"{table(Article)} a"
        f" LEFT JOIN {table(Publication)} o ON o.id = a.publication_id"
        f" LEFT JOIN {table(Picture)} p ON p.id = a.lead_picture_id"
        f" WHERE {public} AND {in_period}",
        "a.published_on DESC, a.id DESC",
        limit="%(limit)s",
        offset="%(offset)s",
    )
    # The nearest stories outside the period, each one step of the date index.
    before = (
        f"(SELECT a.published_on FROM {table(Article)} a"
        f" WHERE {public} AND a.published_on < %(start)s ORDER BY a.published_on DESC LIMIT 1)"
    )
    after = (
        f"(SELECT a.published_on FROM {table(Article)} a"
        f" WHERE {public} AND a.published_on >= %(end)s ORDER BY a.published_on LIMIT 1)"
    )
    return f"SELECT {sql.array(days, before, after, stories)}"


@cache
def tagged_query(using: str) -> str:
    """The tag page's query for the database `using`, written once per process."""
    sql = Dialect(connections[using])
    tagged = (
        f"JOIN {table(TaggedArticle)} ta ON ta.content_object_id = a.id AND ta.tag_id = %(tag)s"
    )
    public = PUBLIC.format("a")
    counted = (
        f"(SELECT count(*) FROM (SELECT 1 FROM {table(Article)} a {tagged}"
        f" WHERE {public} LIMIT %(cap)s) AS counted)"
    )
    stories = sql.listed(
        story_in_list_sql(sql, "a", "o", "p"),
        f"{table(Article)} a {tagged}"
        f" LEFT JOIN {table(Publication)} o ON o.id = a.publication_id"
        f" LEFT JOIN {table(Picture)} p ON p.id = a.lead_picture_id"
        f" WHERE {public}",
        "a.published_on DESC, a.id DESC",
        limit="%(limit)s",
        offset="%(offset)s",
    )
    return f"SELECT {sql.array(counted, stories)}"
