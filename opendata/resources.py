"""The archive's resources as the API answers them and the dumps hold them: one wording each.

Each schema reads a model instance fetched by the queryset beside it (`people()`,
`stories()`…), which says what to select and prefetch so that a list costs the same number of
queries whatever its length. `/api/v1/people/<slug>/` answers `Person`, and each line of
`people.jsonl.gz` is the same `Person`, written by `as_record`.

Only what readers may see: stories through `published()`, quotes through
`Quote.objects.published()` — the one rule each — and tags that some published story carries.
A source of a story that backs a quote not yet confirmed names no quote.
"""

import datetime
from itertools import chain

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.urls import reverse
from ninja import Field, Schema
from pydantic_core import to_json
from taggit.models import Tag as TagModel

from articles.models import Article, ArticleKind, Finding, MentionRole, SourceLink, TaggedArticle
from articles.models import Mention as MentionModel
from articles.models import Publication as PublicationModel
from articles.models import Quote as QuoteModel
from people.dates import Precision, iso_partial
from people.models import EndReason, RelationshipKind
from people.models import Person as PersonModel
from people.models import Relationship as RelationshipModel
from people.models import Source as SourceModel

# ISO 8601 dates known to the year, the month or the day: "2014", "2014-05", "2014-05-24".
PARTIAL_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
PARTIAL_DATE_HELP = (
    "ISO 8601, as far as it is known: “2014”, “2014-05” or “2014-05-24” (see the precision)."
)
PAGE_HELP = "The reader's page on this site, as a path: put the site's address in front."


def page_of(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs)


# --- People -----------------------------------------------------------------------------------


class PersonRef(Schema):
    """A person named in another resource: follow `slug` to /people/<slug>/."""

    id: int
    slug: str
    name: str


class Source(Schema):
    """Where a fact about a person or a relationship comes from."""

    id: int
    label: str = Field(description="How the source is cited: outlet, date and title.")
    url: str | None = Field(
        description="Its address; null when the exact address is not known (cited by label)."
    )
    outlet: str
    published_on: datetime.date | None

    @staticmethod
    def resolve_url(source) -> str | None:
        return source.url or None


class Relationship(Schema):
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

    @staticmethod
    def resolve_started_on(relationship) -> str | None:
        return iso_partial(relationship.started_on, relationship.started_precision)

    @staticmethod
    def resolve_ended_on(relationship) -> str | None:
        return iso_partial(relationship.ended_on, relationship.ended_precision)

    @staticmethod
    def resolve_end_reason(relationship) -> str | None:
        return relationship.end_reason or None


def relationships() -> QuerySet:
    return RelationshipModel.objects.select_related("person_a", "person_b").prefetch_related(
        Prefetch("sources", SourceModel.objects.order_by("id"))
    )


def in_model_order(relationship) -> tuple:
    """Relationship's own order (Meta.ordering): by start, the undated last, then by id."""
    started = relationship.started_on
    return (started is None, started or datetime.date.min, relationship.pk)


class Person(Schema):
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

    @staticmethod
    def resolve_born_on(person) -> str | None:
        return iso_partial(person.born_on, Precision.DAY)

    @staticmethod
    def resolve_born_precision(person) -> str:
        return Precision.DAY

    @staticmethod
    def resolve_died_on(person) -> str | None:
        return iso_partial(person.died_on, Precision.DAY)

    @staticmethod
    def resolve_died_precision(person) -> str:
        return Precision.DAY

    @staticmethod
    def resolve_wikidata_id(person) -> str | None:
        return person.wikidata_id or None

    @staticmethod
    def resolve_aliases(person) -> list[str]:
        return [alias.name for alias in person.aliases.all()]

    @staticmethod
    def resolve_relationships(person) -> list:
        both = chain(person.relationships_as_a.all(), person.relationships_as_b.all())
        return sorted(both, key=in_model_order)

    @staticmethod
    def resolve_page(person) -> str:
        return page_of("people:detail", slug=person.slug)


def people() -> QuerySet:
    return PersonModel.objects.prefetch_related(
        "aliases",
        Prefetch("sources", SourceModel.objects.order_by("id")),
        Prefetch("relationships_as_a", relationships()),
        Prefetch("relationships_as_b", relationships()),
    )


# --- Outlets and tags -------------------------------------------------------------------------


class OutletRef(Schema):
    id: int
    slug: str
    name: str


class Outlet(Schema):
    """A magazine, a newspaper, a social network where people speak for themselves."""

    id: int
    slug: str
    name: str
    url: str | None = Field(description="The outlet's home page, when known.")
    page: str = Field(description=PAGE_HELP)

    @staticmethod
    def resolve_url(outlet) -> str | None:
        return outlet.url or None

    @staticmethod
    def resolve_page(outlet) -> str:
        return page_of("articles:publication", slug=outlet.slug)


def outlets() -> QuerySet:
    return PublicationModel.objects.all()


class Tag(Schema):
    id: int
    slug: str
    name: str
    page: str = Field(description=PAGE_HELP)

    @staticmethod
    def resolve_page(tag) -> str:
        return page_of("articles:tag", slug=tag.slug)


def tags() -> QuerySet:
    """Tags some published story carries: a tag only drafts use tells of the drafts."""
    tagged = TaggedArticle.objects.filter(
        tag=OuterRef("pk"), content_object__in=Article.objects.published()
    )
    return TagModel.objects.filter(Exists(tagged))


# --- Stories ----------------------------------------------------------------------------------


class Mention(Schema):
    """A person in a story: its subject, or only mentioned."""

    id: int
    slug: str
    name: str
    role: MentionRole

    @staticmethod
    def resolve_id(mention) -> int:
        return mention.person_id

    @staticmethod
    def resolve_slug(mention) -> str:
        return mention.person.slug

    @staticmethod
    def resolve_name(mention) -> str:
        return mention.person.name


class StorySource(Schema):
    """Where a story, or one of its quotes, comes from."""

    id: int
    label: str = Field(description="How the source is cited: outlet, date and title.")
    url: str | None = Field(
        description="Its address; null when the exact address is not known (cited by label)."
    )
    outlet: OutletRef | None
    published_on: datetime.date | None
    quote: int | None = Field(description="The quote it backs, when it backs one quote.")

    @staticmethod
    def resolve_url(source) -> str | None:
        return source.url or None

    @staticmethod
    def resolve_outlet(source):
        return source.publication

    @staticmethod
    def resolve_quote(source) -> int | None:
        quote = source.quote
        return quote.pk if quote is not None and quote.status == Finding.CONFIRMED else None


def story_sources() -> QuerySet:
    return SourceLink.objects.select_related("publication", "quote").order_by("id")


class Correction(Schema):
    corrected_on: datetime.date
    note: str


class Story(Schema):
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

    @staticmethod
    def resolve_outlet(story):
        return story.publication

    @staticmethod
    def resolve_people(story) -> list:
        return sorted(
            story.mentions.all(),
            key=lambda mention: (mention.role != MentionRole.SUBJECT, mention.person.name),
        )

    @staticmethod
    def resolve_tags(story) -> list:
        return sorted((item.tag for item in story.tagged_items.all()), key=lambda tag: tag.name)

    @staticmethod
    def resolve_page(story) -> str:
        return story.get_absolute_url()


def stories() -> QuerySet:
    return (
        Article.objects.published()
        .select_related("publication")
        .prefetch_related(
            Prefetch("mentions", MentionModel.objects.select_related("person")),
            Prefetch("tagged_items", TaggedArticle.objects.select_related("tag")),
            Prefetch("sources", story_sources()),
            "corrections",
        )
    )


# --- Quotes -----------------------------------------------------------------------------------


class StoryRef(Schema):
    id: int
    slug: str
    title: str
    published_on: datetime.date
    outlet: OutletRef | None
    page: str = Field(description=PAGE_HELP)

    @staticmethod
    def resolve_outlet(story):
        return story.publication

    @staticmethod
    def resolve_page(story) -> str:
        return story.get_absolute_url()


class Quote(Schema):
    """Words someone said, as a story reports them."""

    id: int
    text: str = Field(description="The words only, without the quotation marks around them.")
    context: str = Field(description="How it was said: “told Vogue”, “wrote on Instagram”.")
    said_on: datetime.date | None
    speakers: list[PersonRef] = Field(description="Who said it; empty when the story does not say.")
    story: StoryRef
    position: int = Field(description="Its order in the story, from the lowest.")
    sources: list[StorySource]
    page: str = Field(description=PAGE_HELP)

    @staticmethod
    def resolve_speakers(quote) -> list:
        return [quote.speaker] if quote.speaker_id else []

    @staticmethod
    def resolve_story(quote):
        return quote.article

    @staticmethod
    def resolve_page(quote) -> str:
        return page_of("articles:quote", pk=quote.pk)


def quotes() -> QuerySet:
    return (
        QuoteModel.objects.published()
        .select_related("speaker", "article__publication")
        .prefetch_related(Prefetch("sources", story_sources()))
    )


# --- Records ----------------------------------------------------------------------------------


def as_record(schema: type[Schema], row) -> dict:
    """`row` as `schema` words it, in JSON's types: what the API sends, what a dump holds."""
    return schema.model_validate(row).model_dump(mode="json")


def as_json(data) -> bytes:
    """JSON text of a resource (or a page of them), as pydantic writes its types — times to
    the microsecond, in UTC as “Z” — for the API's answers and the dumps' lines alike."""
    return to_json(data)


def sources() -> QuerySet:
    """The sources of facts about people and relationships (a story's own are in the story)."""
    return SourceModel.objects.all()
