"""The rows the archive's pages read in one query (common/rows.py), and the pieces of those
queries that more than one page writes: a story as a list shows it, a person with their
portrait, the people who said a quote together."""

from __future__ import annotations

from typing import Any

from taggit.models import Tag

from common.rows import Columns, Dialect, prefetched, related
from people.models import Person
from pictures.models import THUMBNAIL_FIELDS, Picture

from .models import Article, Correction, Mention, Publication, Quote, SourceLink

STORY = Columns(Article)
OUTLET = Columns(Publication)
PICTURE = Columns(Picture)
PERSON = Columns(Person)
MENTION = Columns(Mention)
QUOTE = Columns(Quote)
CORRECTION = Columns(Correction)
SOURCE = Columns(SourceLink)
TAG = Columns(Tag)
# What a list of stories shows (`ArticleQuerySet.listed`), and what a link to one needs.
LISTED = Columns(
    Article,
    ["title", "slug", "dek", "kind", "published_on", "publication_id", "lead_picture_id"],
)
LISTED_OUTLET = Columns(Publication, ["name", "slug"])
LISTED_PICTURE = Columns(Picture, THUMBNAIL_FIELDS)
LINKED = Columns(Article, ["title", "slug", "published_on"])

PUBLIC = "{0}.status = %(published)s AND {0}.published_on <= %(today)s"


def table(model: type[Any]) -> str:
    return str(model._meta.db_table)


def person_sql(sql: Dialect, person: str, portrait: str) -> str:
    """A person and their portrait (joined as `portrait`, outer)."""
    return sql.array(PERSON.sql(sql, person), PICTURE.sql(sql, portrait))


def person_of(row: list[Any], db: str) -> Person | None:
    values, portrait = row
    person = PERSON.build(values, db)
    if person is not None:
        related(person, "portrait", PICTURE.build(portrait, db))
    return person


def story_in_list_sql(sql: Dialect, story: str, outlet: str, picture: str) -> str:
    """A story as a list shows it, its outlet and picture joined (outer) as `outlet`, `picture`."""
    return sql.array(
        LISTED.sql(sql, story), LISTED_OUTLET.sql(sql, outlet), LISTED_PICTURE.sql(sql, picture)
    )


def story_in_list(row: list[Any], db: str) -> Article:
    values, outlet, picture = row
    story = LISTED.build(values, db)
    assert story is not None
    related(story, "publication", LISTED_OUTLET.build(outlet, db))
    related(story, "lead_picture", LISTED_PICTURE.build(picture, db))
    return story


def joint_speakers_sql(sql: Dialect, quote: str) -> str:
    """The people who said quote `quote` with its speaker, by name."""
    through = table(Quote.joint_speakers.through)
    return sql.listed(
        PERSON.sql(sql, "j"),
        f'{through} qj JOIN {table(Person)} j ON j.id = qj."person_id"'
        f' WHERE qj."quote_id" = {quote}.id',
        "j.name, j.id",
    )


def with_joint_speakers(quote: Quote, rows: list[Any] | None, db: str) -> Quote:
    prefetched(quote, "joint_speakers", [PERSON.build(person, db) for person in rows or ()])
    return quote
