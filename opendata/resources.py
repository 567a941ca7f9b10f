"""The archive's resources as the API answers them and the dumps hold them: one wording each.

For each resource: a pydantic model — the shape, documented, what the OpenAPI schema
publishes and what answers are checked against — a queryset of the rows it may show, and a
function that words a batch of those rows as records (dicts), reading what the rows refer to
in one query per kind for the whole batch. `/api/v1/people/<slug>/` answers the record of
one person; each line of `people.jsonl.gz` is the record of one person, from the same function.

Batches rather than `prefetch_related`: a dump words a million stories, and Django's prefetch
makes a model instance and a queryset for every related row (2.6 ms a story, 1.3 ms a quote,
where this takes a sixth of that: docs/performance.md). Here the related rows are read as
tuples, the batch's ids sent as one array (`articles.search.one_of`).

Only what readers may see: stories through `published()`, quotes through
`Quote.objects.published()`, relationships through `sourced()` — the one rule each — and tags
that some published story carries.
A source of a story that backs a quote not yet confirmed names no quote.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import quote

from django.db.models import Exists, Model, OuterRef, QuerySet
from django.db.models import Field as DbField
from django.urls import reverse
from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import to_json
from taggit.models import Tag as TagModel

from articles.models import Article, ArticleKind, Finding, MentionRole, SourceLink, TaggedArticle
from articles.models import Correction as CorrectionModel
from articles.models import Mention as MentionModel
from articles.models import Publication as PublicationModel
from articles.models import Quote as QuoteModel
from articles.search import AnyOf, one_of
from people.dates import Precision, iso_partial
from people.models import Alias, EndReason, RelationshipKind
from people.models import Person as PersonModel
from people.models import Relationship as RelationshipModel
from people.models import Source as SourceModel

# ISO 8601 dates known to the year, the month or the day: "2014", "2014-05", "2014-05-24".
PARTIAL_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
PARTIAL_DATE_HELP = (
    "ISO 8601, as far as it is known: “2014”, “2014-05” or “2014-05-24” (see the precision)."
)
PAGE_HELP = "The reader's page on this site, as a path: put the site's address in front."
SOURCE_URL_HELP = "Its address; null when the exact address is not known (cited by its label)."


class Resource(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Address:
    """A page's path from its URL pattern, reversed once: `reverse()` for each of millions of
    rows in a dump would cost more than wording the rest of them."""

    def __init__(self, name: str, **markers: str) -> None:
        self.name, self.markers = name, markers

    @cached_property
    def template(self) -> str:
        path = reverse(self.name, kwargs=self.markers)
        for key, marker in self.markers.items():
            path = path.replace(marker, "{" + key + "}")
        return path

    def __call__(self, **values: str | int) -> str:
        # As reverse() writes them: a tag's slug may be in any script (“развод”).
        return self.template.format(**{key: quote(str(value)) for key, value in values.items()})


PERSON_PAGE = Address("people:detail", slug="person-slug-marker")
STORY_PAGE = Address("articles:detail", year="9991", month="92", day="93", slug="story-slug-marker")
QUOTE_PAGE = Address("articles:quote", pk="99999999991")
OUTLET_PAGE = Address("articles:publication", slug="outlet-slug-marker")
TAG_PAGE = Address("articles:tag", slug="tag-slug-marker")


def story_page(published_on: datetime.date, slug: str) -> str:
    return STORY_PAGE(
        year=f"{published_on.year:04d}",
        month=f"{published_on.month:02d}",
        day=f"{published_on.day:02d}",
        slug=slug,
    )


PERSON_SOURCES = PersonModel.sources.through
RELATIONSHIP_SOURCES = RelationshipModel.sources.through
JOINT_SPEAKERS = QuoteModel.joint_speakers.through
# The fields a batch is read by, each sent as one array on PostgreSQL (`one_of`): the lookup
# is registered on these fields alone (OpenDataConfig.ready), as search registers its own.
ANY_OF_FIELDS: list[tuple[type[Model], str]] = [
    (PersonModel, "id"),
    (PublicationModel, "id"),
    (Alias, "person"),
    (PERSON_SOURCES, "person"),
    (RELATIONSHIP_SOURCES, "relationship"),
    (RelationshipModel, "person_a"),
    (RelationshipModel, "person_b"),
    (SourceLink, "article"),
    (SourceLink, "quote"),
    (MentionModel, "article"),
    (TaggedArticle, "content_object"),
    (CorrectionModel, "article"),
    (JOINT_SPEAKERS, "quote"),
]


def register_any_of() -> None:
    for model, name in ANY_OF_FIELDS:
        field = model._meta.get_field(name)
        assert isinstance(field, DbField), f"{model.__name__}.{name} is not a column"
        field.register_lookup(AnyOf)


def grouped(pairs: Iterable[tuple]) -> dict:
    """{key: [value, …]} from (key, value) pairs, in their order."""
    groups = defaultdict(list)
    for key, value in pairs:
        groups[key].append(value)
    return groups


def ids_of(rows: Iterable[Model]) -> list[int]:
    return [row.pk for row in rows]


# --- People -----------------------------------------------------------------------------------


class PersonRef(Resource):
    """A person named in another resource: follow `slug` to /api/v1/people/<slug>/."""

    id: int
    slug: str
    name: str


class Source(Resource):
    """Where a fact about a person or a relationship comes from."""

    id: int
    label: str = Field(description="How the source is cited: outlet, date and title.")
    url: str | None = Field(description=SOURCE_URL_HELP)
    outlet: str
    published_on: datetime.date | None


SOURCE_COLUMNS = ("id", "label", "url", "outlet", "published_on")


def source_record(
    id: int, label: str, url: str, outlet: str, published_on: datetime.date | None
) -> dict[str, Any]:
    return {
        "id": id,
        "label": label,
        "url": url or None,
        "outlet": outlet,
        "published_on": published_on,
    }


def sources() -> QuerySet:
    """The sources of facts about people and relationships (a story's own are in the story)."""
    return SourceModel.objects.only(*SOURCE_COLUMNS)


def source_records(rows: list) -> list[dict]:
    return [source_record(*(getattr(row, name) for name in SOURCE_COLUMNS)) for row in rows]


def sources_of(owner: str, ids: list[int]) -> dict:
    """{person or relationship id: [source record, …]}, by the sources' ids; `owner` is
    "person" or "relationship"."""
    through = PERSON_SOURCES if owner == "person" else RELATIONSHIP_SOURCES
    rows = (
        through.objects.filter(one_of(owner, ids))
        .order_by("source_id")
        .values_list(owner, *(f"source__{column}" for column in SOURCE_COLUMNS))
    )
    return grouped((key, source_record(*source)) for key, *source in rows)


def person_refs(ids: Iterable[int]) -> dict:
    rows = PersonModel.objects.filter(one_of("pk", set(ids))).values_list("id", "slug", "name")
    return {id: {"id": id, "slug": slug, "name": name} for id, slug, name in rows}


class Relationship(Resource):
    """Two people and how they are related, from when to when, and on whose word. Symmetric
    kinds read the same from both sides; "parent" reads “person_a is parent of person_b”."""

    id: int
    kind: RelationshipKind
    person_a: PersonRef = Field(description="For “parent”: the parent.")
    person_b: PersonRef = Field(description="For “parent”: the child.")
    started_on: str | None = Field(pattern=PARTIAL_DATE, description=PARTIAL_DATE_HELP)
    started_precision: Precision
    ended_on: str | None = Field(pattern=PARTIAL_DATE, description=PARTIAL_DATE_HELP)
    ended_precision: Precision
    end_reason: EndReason | None = Field(description="Why it ended; null while it lasts.")
    place: str
    note: str
    sources: list[Source]
    updated_at: datetime.datetime


def relationships() -> QuerySet:
    """Relationships readers may see: those with a source (`sourced()`, the one rule)."""
    return RelationshipModel.objects.sourced().defer("created_at", "revision")


def relationship_records(rows: list) -> list[dict]:
    ids = ids_of(rows)
    cited = sources_of("relationship", ids)
    people = person_refs([row.person_a_id for row in rows] + [row.person_b_id for row in rows])
    return [
        {
            "id": row.pk,
            "kind": row.kind,
            "person_a": people[row.person_a_id],
            "person_b": people[row.person_b_id],
            "started_on": iso_partial(row.started_on, row.started_precision),
            "started_precision": row.started_precision,
            "ended_on": iso_partial(row.ended_on, row.ended_precision),
            "ended_precision": row.ended_precision,
            "end_reason": row.end_reason or None,
            "place": row.place,
            "note": row.note,
            "sources": cited.get(row.pk, []),
            "updated_at": row.updated_at,
        }
        for row in rows
    ]


def in_model_order(relationship: RelationshipModel) -> tuple:
    """Relationship's own order (Meta.ordering): by start, the undated last, then by id."""
    started = relationship.started_on
    return (started is None, started or datetime.date.min, relationship.pk)


class Person(Resource):
    id: int
    slug: str
    name: str
    full_name: str = Field(description="Full or legal name when it differs; empty otherwise.")
    born_on: str | None = Field(pattern=PARTIAL_DATE, description=PARTIAL_DATE_HELP)
    born_precision: Precision
    died_on: str | None = Field(pattern=PARTIAL_DATE, description=PARTIAL_DATE_HELP)
    died_precision: Precision
    pronouns: str
    bio: str
    wikidata_id: str | None = Field(pattern=r"^Q[1-9][0-9]*$")
    aliases: list[str] = Field(description="Other names the person goes by.")
    sources: list[Source] = Field(description="Where the dates and names come from.")
    relationships: list[Relationship] = Field(description="From either side, oldest first.")
    page: str = Field(description=PAGE_HELP)
    updated_at: datetime.datetime = Field(
        description="When the person or their aliases last changed (relationships carry their own)."
    )


def people() -> QuerySet:
    return PersonModel.objects.only(
        "name",
        "slug",
        "full_name",
        "born_on",
        "born_precision",
        "died_on",
        "died_precision",
        "pronouns",
        "bio",
        "wikidata_id",
        "updated_at",
    )


def person_records(rows: list) -> list[dict]:
    ids = ids_of(rows)
    aliases = grouped(
        Alias.objects.filter(one_of("person", ids))
        .order_by("name", "id")
        .values_list("person", "name")
    )
    cited = sources_of("person", ids)
    ties = sorted(
        relationships().filter(one_of("person_a", ids) | one_of("person_b", ids)),
        key=in_model_order,
    )
    worded = dict(zip(ids_of(ties), relationship_records(ties), strict=True))
    ties_of = grouped(
        (person, worded[tie.pk]) for tie in ties for person in {tie.person_a_id, tie.person_b_id}
    )
    return [
        {
            "id": row.pk,
            "slug": row.slug,
            "name": row.name,
            "full_name": row.full_name,
            "born_on": iso_partial(row.born_on, row.born_precision),
            "born_precision": row.born_precision,
            "died_on": iso_partial(row.died_on, row.died_precision),
            "died_precision": row.died_precision,
            "pronouns": row.pronouns,
            "bio": row.bio,
            "wikidata_id": row.wikidata_id or None,
            "aliases": aliases.get(row.pk, []),
            "sources": cited.get(row.pk, []),
            "relationships": ties_of.get(row.pk, []),
            "page": PERSON_PAGE(slug=row.slug),
            "updated_at": row.updated_at,
        }
        for row in rows
    ]


# --- Outlets and tags -------------------------------------------------------------------------


class OutletRef(Resource):
    id: int
    slug: str
    name: str


class Outlet(Resource):
    """A magazine, a newspaper, a social network where people speak for themselves."""

    id: int
    slug: str
    name: str
    url: str | None = Field(description="The outlet's home page, when known.")
    page: str = Field(description=PAGE_HELP)


def outlets() -> QuerySet:
    return PublicationModel.objects.all()


def outlet_records(rows: list) -> list[dict]:
    return [
        {
            "id": row.pk,
            "slug": row.slug,
            "name": row.name,
            "url": row.url or None,
            "page": OUTLET_PAGE(slug=row.slug),
        }
        for row in rows
    ]


def outlet_refs(ids: Iterable[int | None]) -> dict:
    wanted = {id for id in ids if id is not None}
    if not wanted:
        return {}
    rows = PublicationModel.objects.filter(one_of("pk", wanted)).values_list("id", "slug", "name")
    return {id: {"id": id, "slug": slug, "name": name} for id, slug, name in rows}


class Tag(Resource):
    id: int
    slug: str
    name: str
    page: str = Field(description=PAGE_HELP)


def tag_record(id: int, slug: str, name: str) -> dict[str, Any]:
    return {"id": id, "slug": slug, "name": name, "page": TAG_PAGE(slug=slug)}


def tags() -> QuerySet:
    """Tags some published story carries: a tag only drafts use tells of the drafts."""
    tagged = TaggedArticle.objects.filter(
        tag=OuterRef("pk"), content_object__in=Article.objects.published()
    )
    return TagModel.objects.filter(Exists(tagged))


def tag_records(rows: list) -> list[dict]:
    return [tag_record(row.pk, row.slug, row.name) for row in rows]


# --- Stories ----------------------------------------------------------------------------------


class Mention(Resource):
    """A person in a story: its subject, or only mentioned."""

    id: int
    slug: str
    name: str
    role: MentionRole


class StorySource(Resource):
    """Where a story, or one of its quotes, comes from."""

    id: int
    label: str = Field(description="How the source is cited: outlet, date and title.")
    url: str | None = Field(description=SOURCE_URL_HELP)
    outlet: OutletRef | None
    published_on: datetime.date | None
    quote: int | None = Field(description="The quote it backs, when it backs one quote.")


def story_sources(owner: str, ids: list[int]) -> dict:
    """{story or quote id: [source record, …]}, by the sources' ids."""
    rows = (
        SourceLink.objects.filter(one_of(owner, ids))
        .order_by("id")
        .values_list(
            owner,
            "id",
            "label",
            "url",
            "published_on",
            "publication_id",
            "quote_id",
            "quote__status",
        )
    )
    found = list(rows)
    outlets = outlet_refs(row[5] for row in found)
    return grouped(
        (
            key,
            {
                "id": id,
                "label": label,
                "url": url or None,
                "outlet": outlets.get(outlet),
                "published_on": published_on,
                "quote": quote if status == Finding.CONFIRMED else None,
            },
        )
        for key, id, label, url, published_on, outlet, quote, status in found
    )


class Correction(Resource):
    corrected_on: datetime.date
    note: str


class Story(Resource):
    id: int
    slug: str
    title: str = Field(description="The headline.")
    dek: str = Field(description="The standfirst under the headline.")
    body: str = Field(description="Plain text, paragraphs separated by a blank line.")
    kind: ArticleKind
    published_on: datetime.date
    byline: str
    outlet: OutletRef | None
    people: list[Mention] = Field(description="Its subjects first, then those mentioned.")
    tags: list[Tag]
    sources: list[StorySource]
    corrections: list[Correction]
    page: str = Field(description=PAGE_HELP)
    updated_at: datetime.datetime


def stories() -> QuerySet:
    return Article.objects.published().only(
        "title",
        "slug",
        "dek",
        "body",
        "kind",
        "published_on",
        "byline",
        "publication_id",
        "updated_at",
    )


def story_records(rows: list) -> list[dict]:
    ids = ids_of(rows)
    mentions = grouped(
        (story, {"id": id, "slug": slug, "name": name, "role": role})
        for story, id, slug, name, role in MentionModel.objects.filter(one_of("article", ids))
        .order_by("article_id", "-role", "person__name", "person_id")
        .values_list("article_id", "person_id", "person__slug", "person__name", "role")
    )
    tagged = grouped(
        (story, tag_record(id, slug, name))
        for story, id, slug, name in TaggedArticle.objects.filter(one_of("content_object", ids))
        .order_by("tag__name", "tag_id")
        .values_list("content_object_id", "tag_id", "tag__slug", "tag__name")
    )
    corrections = grouped(
        (story, {"corrected_on": corrected_on, "note": note})
        for story, corrected_on, note in CorrectionModel.objects.filter(one_of("article", ids))
        .order_by("corrected_on", "id")
        .values_list("article_id", "corrected_on", "note")
    )
    cited = story_sources("article", ids)
    outlets = outlet_refs(row.publication_id for row in rows)
    return [
        {
            "id": row.pk,
            "slug": row.slug,
            "title": row.title,
            "dek": row.dek,
            "body": row.body,
            "kind": row.kind,
            "published_on": row.published_on,
            "byline": row.byline,
            "outlet": outlets.get(row.publication_id),
            "people": mentions.get(row.pk, []),
            "tags": tagged.get(row.pk, []),
            "sources": cited.get(row.pk, []),
            "corrections": corrections.get(row.pk, []),
            "page": story_page(row.published_on, row.slug),
            "updated_at": row.updated_at,
        }
        for row in rows
    ]


# --- Quotes -----------------------------------------------------------------------------------


class StoryRef(Resource):
    id: int
    slug: str
    title: str
    published_on: datetime.date
    outlet: OutletRef | None
    page: str = Field(description=PAGE_HELP)


class Quote(Resource):
    """Words someone said, as a story reports them."""

    id: int
    text: str = Field(description="The words only, without the quotation marks around them.")
    context: str = Field(description="How it was said: “told Vogue”, “wrote on Instagram”.")
    said_on: datetime.date | None
    speakers: list[PersonRef] = Field(
        description="Who said it, the speaker first, then those who said it with them (a "
        "joint statement), by name; empty when the story does not say."
    )
    story: StoryRef
    position: int = Field(description="Its order in the story, from the lowest.")
    sources: list[StorySource]
    page: str = Field(description=PAGE_HELP)


def quotes() -> QuerySet:
    # The story's date and time of change are what lists of quotes are walked by.
    return (
        QuoteModel.objects.published()
        .select_related("article")
        .only(
            "text",
            "context",
            "said_on",
            "position",
            "speaker_id",
            "article__slug",
            "article__title",
            "article__published_on",
            "article__publication",
            "article__updated_at",
        )
    )


def quote_records(rows: list) -> list[dict]:
    ids = ids_of(rows)
    joint = grouped(
        (quote, {"id": id, "slug": slug, "name": name})
        for quote, id, slug, name in JOINT_SPEAKERS.objects.filter(one_of("quote", ids))
        .order_by("person__name", "person_id")
        .values_list("quote_id", "person_id", "person__slug", "person__name")
    )
    speakers = person_refs(row.speaker_id for row in rows if row.speaker_id)
    outlets = outlet_refs(row.article.publication_id for row in rows)
    cited = story_sources("quote", ids)
    return [
        {
            "id": row.pk,
            "text": row.text,
            "context": row.context,
            "said_on": row.said_on,
            "speakers": ([speakers[row.speaker_id]] if row.speaker_id else [])
            + joint.get(row.pk, []),
            "story": {
                "id": row.article.pk,
                "slug": row.article.slug,
                "title": row.article.title,
                "published_on": row.article.published_on,
                "outlet": outlets.get(row.article.publication_id),
                "page": story_page(row.article.published_on, row.article.slug),
            },
            "position": row.position,
            "sources": cited.get(row.pk, []),
            "page": QUOTE_PAGE(pk=row.pk),
        }
        for row in rows
    ]


# --- Together ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A resource: its shape, the rows it may show, and how a batch of them is worded."""

    model: type[Resource]
    rows: Callable[[], QuerySet]
    records: Callable[[list], list[dict]]


PEOPLE = Kind(Person, people, person_records)
RELATIONSHIPS = Kind(Relationship, relationships, relationship_records)
STORIES = Kind(Story, stories, story_records)
QUOTES = Kind(Quote, quotes, quote_records)
SOURCES = Kind(Source, sources, source_records)
OUTLETS = Kind(Outlet, outlets, outlet_records)
TAGS = Kind(Tag, tags, tag_records)


# `Any`: a record, a list of them or a page, as pydantic writes any of them.
def as_json(data: Any) -> bytes:
    """JSON text of a resource (or a page of them), as pydantic writes its types — times to
    the microsecond, in UTC as “Z” — for the API's answers and the dumps' lines alike."""
    return to_json(data)
