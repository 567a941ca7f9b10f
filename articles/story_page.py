"""Everything a story's page shows, read in one query (common/rows.py).

The story by its day and address; its outlet and lead picture; its people with their
portraits; its quotes with their speakers; corrections; sources with their outlet and quote;
tags; the stories just before and after it in the archive; and the related stories chosen for
it (articles/related.py). Readers get the story only when it is public and its confirmed quotes
only; staff previewing get drafts, scheduled stories and the quotes still to check, by the
same query.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connections
from django.utils import timezone
from taggit.models import Tag

from common.rows import Dialect, fetch_document, related
from people.models import Person
from pictures.models import Picture

from .models import (
    Article,
    Correction,
    Finding,
    Mention,
    Publication,
    Quote,
    RelatedStory,
    SourceLink,
    TaggedArticle,
)
from .rows import (
    CORRECTION,
    LINKED,
    MENTION,
    OUTLET,
    PERSON,
    PICTURE,
    PUBLIC,
    QUOTE,
    SOURCE,
    STORY,
    TAG,
    joint_speakers_sql,
    person_of,
    person_sql,
    story_in_list,
    story_in_list_sql,
    table,
    with_joint_speakers,
)


@dataclass
class StoryPage:
    article: Article
    mentions: list[Mention]
    quotes: list[Quote]
    corrections: list[Correction]
    sources: list[SourceLink]
    tags: list[Tag]
    previous: Article | None
    next: Article | None
    # The related stories chosen for it, in their order (none: never chosen, or none to show).
    related: list[Article]


def story_page(day: datetime.date, slug: str, *, previewing: bool, using: str) -> StoryPage | None:
    """The story published (or, for staff `previewing`, dated) on `day` under `slug`, with
    everything its page shows; None if there is none (for this reader)."""
    document = fetch_document(
        query(using),
        {
            "day": day,
            "slug": slug,
            "previewing": previewing,
            "today": timezone.localdate(),
            "published": Article.Status.PUBLISHED,
            "confirmed": Finding.CONFIRMED,
        },
        using,
    )
    if document is None:
        return None
    return built(document, using)


def built(document: list[Any], db: str) -> StoryPage:
    """The page from the query's document, in the order `query()` writes it."""
    (
        story,
        outlet,
        picture,
        mentions,
        quotes,
        corrections,
        sources,
        tags,
        before,
        after,
        chosen,
    ) = document
    article = STORY.build(story, db)
    assert article is not None
    related(article, "publication", OUTLET.build(outlet, db))
    related(article, "lead_picture", PICTURE.build(picture, db))
    return StoryPage(
        article=article,
        mentions=[mention_of(row, article, db) for row in mentions or ()],
        quotes=[quote_of(row, article, db) for row in quotes or ()],
        corrections=[CORRECTION.build(row, db) for row in corrections or ()],  # type: ignore[misc]
        sources=[source_of(row, article, db) for row in sources or ()],
        tags=[TAG.build(row, db) for row in tags or ()],
        previous=LINKED.build(before, db),
        next=LINKED.build(after, db),
        related=[story_in_list(row, db) for row in chosen or ()],
    )


def mention_of(row: list[Any], article: Article, db: str) -> Mention:
    values, person = row
    mention = MENTION.build(values, db)
    assert mention is not None
    related(mention, "article", article)
    related(mention, "person", person_of(person, db))
    return mention


def quote_of(row: list[Any], article: Article, db: str) -> Quote:
    values, speaker, joint = row
    quote = QUOTE.build(values, db)
    assert quote is not None
    related(quote, "article", article)
    related(quote, "speaker", PERSON.build(speaker, db))
    return with_joint_speakers(quote, joint, db)


def source_of(row: list[Any], article: Article, db: str) -> SourceLink:
    values, outlet, quote = row
    source = SOURCE.build(values, db)
    assert source is not None
    related(source, "article", article)
    related(source, "publication", OUTLET.build(outlet, db))
    related(source, "quote", QUOTE.build(quote, db))
    return source


@cache
def query(using: str) -> str:
    """The page's query for the database `using`, written once per process."""
    sql = Dialect(connections[using])

    def neighbour(sign: str, direction: str) -> str:
        # The plain bound on the date starts the index scan at the story's day: without it the
        # newest story's "next" walks the whole archive to find nothing.
        return sql.one(
            LINKED.sql(sql, "n"),
            f"{table(Article)} n WHERE {PUBLIC.format('n')}"
            f" AND n.published_on {sign}= a.published_on"
            f" AND (n.published_on {sign} a.published_on OR n.id {sign} a.id)",
            f"n.published_on {direction}, n.id {direction}",
        )

    parts = [
        STORY.sql(sql, "a"),
        sql.one(OUTLET.sql(sql, "o"), f"{table(Publication)} o WHERE o.id = a.publication_id"),
        sql.one(PICTURE.sql(sql, "p"), f"{table(Picture)} p WHERE p.id = a.lead_picture_id"),
        sql.listed(
            sql.array(MENTION.sql(sql, "m"), person_sql(sql, "pe", "po")),
            f"{table(Mention)} m JOIN {table(Person)} pe ON pe.id = m.person_id"
            f" LEFT JOIN {table(Picture)} po ON po.id = pe.portrait_id"
            " WHERE m.article_id = a.id",
            "m.role, pe.name, m.id",
        ),
        sql.listed(
            sql.array(QUOTE.sql(sql, "q"), PERSON.sql(sql, "s"), joint_speakers_sql(sql, "q")),
            f"{table(Quote)} q LEFT JOIN {table(Person)} s ON s.id = q.speaker_id"
            " WHERE q.article_id = a.id AND (%(previewing)s OR q.status = %(confirmed)s)",
            "q.position, q.id",
        ),
        sql.listed(
            CORRECTION.sql(sql, "c"),
            f"{table(Correction)} c WHERE c.article_id = a.id",
            "c.corrected_on, c.id",
        ),
        sql.listed(
            sql.array(SOURCE.sql(sql, "sl"), OUTLET.sql(sql, "so"), QUOTE.sql(sql, "sq")),
            f"{table(SourceLink)} sl"
            f" LEFT JOIN {table(Publication)} so ON so.id = sl.publication_id"
            f" LEFT JOIN {table(Quote)} sq ON sq.id = sl.quote_id"
            " WHERE sl.article_id = a.id",
            "sl.id",
        ),
        sql.listed(
            TAG.sql(sql, "t"),
            f"{table(TaggedArticle)} ta JOIN {table(Tag)} t ON t.id = ta.tag_id"
            " WHERE ta.content_object_id = a.id",
            "t.name, t.id",
        ),
        neighbour("<", "DESC"),
        neighbour(">", "ASC"),
        sql.listed(
            story_in_list_sql(sql, "r", "ro", "rp"),
            f"{table(RelatedStory)} rs JOIN {table(Article)} r ON r.id = rs.related_id"
            f" LEFT JOIN {table(Publication)} ro ON ro.id = r.publication_id"
            f" LEFT JOIN {table(Picture)} rp ON rp.id = r.lead_picture_id"
            f" WHERE rs.article_id = a.id AND {PUBLIC.format('r')}",
            "rs.position",
        ),
    ]
    return (
        f"SELECT {sql.array(*parts)} FROM {table(Article)} a"
        " WHERE a.published_on = %(day)s AND a.slug = %(slug)s"
        f" AND (%(previewing)s OR ({PUBLIC.format('a')}))"
    )
