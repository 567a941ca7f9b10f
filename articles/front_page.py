"""Everything the front page shows, read in one query (common/rows.py).

The newest public stories, each with the name of its main person (whose initials stand in for
a missing picture); the newest confirmed quotes of public stories with their speakers; and the
people in the news as last counted (articles/in_the_news.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections
from django.utils import timezone

from common.rows import Dialect, fetch_document, related
from people.models import Person
from pictures.models import Picture

from . import in_the_news
from .models import Article, Finding, InTheNews, Mention, Publication, Quote
from .rows import (
    LINKED,
    PUBLIC,
    QUOTE,
    joint_speakers_sql,
    person_of,
    person_sql,
    story_in_list,
    story_in_list_sql,
    table,
    with_joint_speakers,
)

# The lead story and the twelve after it: a grid of two, three or four across.
STORIES = 13
QUOTES = 6


@dataclass
class FrontPage:
    # Each with `subject_name`: its main person's name, or None.
    stories: list[Article]
    quotes: list[Quote]
    # Each with `stories`: how many of the latest stories are about them.
    in_the_news: list[Person]


def front_page(*, using: str) -> FrontPage:
    document = fetch_document(
        query(using),
        {
            "today": timezone.localdate(),
            "published": Article.Status.PUBLISHED,
            "confirmed": Finding.CONFIRMED,
        },
        using,
    )
    stories, quotes, people = document
    # Never counted yet (a new archive): counted here.
    shown = [news_of(row, using) for row in people or ()] or list(in_the_news.counted())
    return FrontPage(
        stories=[story_of(row, using) for row in stories or ()],
        quotes=[quote_of(row, using) for row in quotes or ()],
        in_the_news=shown,
    )


def story_of(row: list[Any], db: str) -> Article:
    listed, subject_name = row
    story = story_in_list(listed, db)
    story.subject_name = subject_name  # type: ignore[attr-defined]  # as an annotation would
    return story


def quote_of(row: list[Any], db: str) -> Quote:
    values, speaker, article, joint = row
    quote = QUOTE.build(values, db)
    assert quote is not None
    related(quote, "speaker", person_of(speaker, db))
    related(quote, "article", LINKED.build(article, db))
    return with_joint_speakers(quote, joint, db)


def news_of(row: list[Any], db: str) -> Person:
    person, stories = row
    shown = person_of(person, db)
    assert shown is not None
    shown.stories = stories  # type: ignore[attr-defined]  # as in_the_news.counted() annotates
    return shown


@cache
def query(using: str) -> str:
    """The page's query for the database `using`, written once per process."""
    sql = Dialect(connections[using])
    # The main person: a subject before the people only mentioned ("subject" sorts after
    # "mentioned": descending puts it first), then by name.
    subject_name = (
        f"(SELECT pe.name FROM {table(Mention)} m JOIN {table(Person)} pe ON pe.id = m.person_id"
        " WHERE m.article_id = s.id AND m.status = %(confirmed)s"
        " ORDER BY m.role DESC, pe.name, m.id LIMIT 1)"
    )
    stories = sql.listed(
        sql.array(story_in_list_sql(sql, "s", "so", "sp"), subject_name),
        f"{table(Article)} s LEFT JOIN {table(Publication)} so ON so.id = s.publication_id"
        f" LEFT JOIN {table(Picture)} sp ON sp.id = s.lead_picture_id"
        f" WHERE {PUBLIC.format('s')}",
        "s.published_on DESC, s.id DESC",
        limit=STORIES,
    )
    # The newest quotes chosen first, by their stories' dates: their speakers are read for
    # these six alone, not for every quote of the stories they are among.
    newest_quotes = (
        f"SELECT nq.id FROM {table(Quote)} nq JOIN {table(Article)} na ON na.id = nq.article_id"
        f" WHERE nq.status = %(confirmed)s AND {PUBLIC.format('na')}"
        f" ORDER BY na.published_on DESC, nq.id DESC LIMIT {QUOTES}"
    )
    quotes = sql.listed(
        sql.array(
            QUOTE.sql(sql, "q"),
            person_sql(sql, "qs", "qp"),
            LINKED.sql(sql, "qa"),
            joint_speakers_sql(sql, "q"),
        ),
        f"{table(Quote)} q JOIN {table(Article)} qa ON qa.id = q.article_id"
        f" LEFT JOIN {table(Person)} qs ON qs.id = q.speaker_id"
        f" LEFT JOIN {table(Picture)} qp ON qp.id = qs.portrait_id"
        f" WHERE q.id IN ({newest_quotes})",
        "qa.published_on DESC, q.id DESC",
    )
    # Each person looked up by their key: the kept rows are few and rewritten often, and the
    # planner, misled by a table it has not analysed since, would scan all the people.
    people = sql.listed(
        sql.array(
            sql.one(
                person_sql(sql, "np", "npp"),
                f"{table(Person)} np LEFT JOIN {table(Picture)} npp ON npp.id = np.portrait_id"
                " WHERE np.id = n.person_id",
            ),
            "n.stories",
        ),
        f"{table(InTheNews)} n",
        "n.position",
    )
    return f"SELECT {sql.array(stories, quotes, people)}"
