"""The read API, version 1: /api/v1/ (schema at /api/v1/openapi.json, docs at /api/v1/docs).

Thin: each operation narrows a queryset of `resources` by its filters and hands it to
`cursors.one_page` (lists) or looks one row up. What a resource says is written once, in
resources.py; conditional GET and caching are the site's own (caching/pagecache.py), the
cross-origin headers are set by django-cors-headers (settings), the limit for anonymous
clients is ratelimit.py.
"""

import datetime
import re
from typing import Annotated, Any, TypeVar

from django.db.models import Model, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError
from ninja.renderers import JSONRenderer
from pydantic import AfterValidator, BeforeValidator, create_model
from taggit.models import Tag as TagModel

from articles.models import ArticleKind
from articles.models import Publication as PublicationModel
from people.addresses import moved_permanently, renamed_person
from people.models import Person as PersonModel
from people.models import RelationshipKind

from . import resources
from .cursors import LARGEST_ID, Order, one_page
from .licences import QUOTED_WORDS, archive_licence
from .ratelimit import AnonymousRate

SLUG = r"^[-a-zA-Z0-9_]+$"
# Tags' slugs are letters and digits of any script (articles/converters.py `TagSlug`).
TAG_SLUG = r"^[-\w]+$"
DEFAULT_LIMIT = 20
MOST = 100


def describe() -> str:
    licence = archive_licence()
    return (
        "The archive's people, relationships, stories, quotes, outlets and tags: published "
        "material only, as on the site.\n\n"
        "Lists come a page at a time: follow `next` (null on the last page); `limit` sets the "
        f"page's size (1–{MOST}). Every answer carries an `ETag`: send it back in "
        "`If-None-Match` for a `304 Not Modified` while nothing has changed. Anonymous clients "
        "may make a limited number of requests a minute (429 with `Retry-After` past it). For "
        "the whole archive at once, take the dumps at /data/.\n\n"
        f"Licence: {licence.name} ({licence.url}) for the archive's own material; quotes: "
        f"{QUOTED_WORDS.note}"
    )


class Renderer(JSONRenderer):
    """JSON as the dumps write it (resources.as_json): one wording of every value."""

    # `Any`: whatever an operation returned, as its response schema allows.
    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return resources.as_json(data)


api = NinjaAPI(
    renderer=Renderer(),
    title="Newsroom API",
    version="1",
    description=describe(),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    throttle=[AnonymousRate()],
)


class Problem(Schema):
    detail: str = Field(description="What was wrong, in words.")


class Invalid(Schema):
    detail: list[dict] = Field(description="Each parameter refused, where it is and why.")


ERRORS = {400: Problem, 422: Invalid, 429: Problem}
FOUND = {404: Problem, 422: Invalid, 429: Problem}


def page_schema(resource: type[resources.Resource]) -> type[resources.Resource]:
    return create_model(
        f"{resource.__name__}Page",
        __base__=resources.Resource,
        items=(list[resource], ...),  # type: ignore[valid-type]  # made at run time
        next=(
            str | None,
            Field(description="The address of the next page; null on the last."),
        ),
    )


class Paging(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MOST, description="Rows a page.")
    cursor: str | None = Field(
        None,
        max_length=2000,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Where to go on: given in the `next` address (400 for any other).",
    )


def written_as(pattern: str, what: str) -> BeforeValidator:
    """Only text in exactly this form: pydantic alone would also take a number of seconds
    ("0.5") for a date, which the schema's format does not allow."""
    shape = re.compile(pattern)

    # `Any`: the parameter as the query string gave it, before validation.
    def check(value: Any) -> str:
        if not isinstance(value, str) or not shape.match(value):
            raise ValueError(f"write it as {what}")
        return value

    return BeforeValidator(check)


def in_utc(moment: datetime.datetime) -> datetime.datetime:
    """The moment in UTC: PostgreSQL refuses offsets past ±15:59, which RFC 3339 allows
    (+22:21). A moment within a day of the ends of time, moved to UTC, is that end."""
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        end = datetime.datetime.min if moment.year == 1 else datetime.datetime.max
        return end.replace(tzinfo=datetime.UTC)


# RFC 3339, as the schema's `date` and `date-time` formats say.
Day = Annotated[datetime.date, written_as(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "2022-02-09")]
Moment = Annotated[
    datetime.datetime,
    written_as(
        r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$",
        "2022-02-09T15:30:00Z (with an offset, or Z for UTC)",
    ),
    AfterValidator(in_utc),
]
ChangedSince = Field(
    None,
    description="Only what changed at or after this moment (RFC 3339, with its offset: "
    "2026-11-01T00:00:00Z), oldest change first: the list is then in the order of change.",
)
Id = Path(..., ge=1, le=LARGEST_ID)
Slug = Path(..., pattern=SLUG, max_length=200)


M = TypeVar("M", bound=Model)


def by_slug(model: type[M], slug: str | None, what: str) -> M | None:
    """The row a filter names by its slug; a 404 naming the filter when there is none."""
    if slug is None:
        return None
    found = model._default_manager.filter(slug=slug).first()
    if found is None:
        raise HttpError(404, f"{what}: nothing has the slug “{slug}”.")
    return found


BY_CHANGE = Order("updated_at", datetime.datetime)


def one(kind: resources.Kind, **lookup: Any) -> dict[str, Any]:
    """The record of the one row `lookup` finds among those `kind` may show; else a 404."""
    return kind.records([get_object_or_404(kind.rows(), **lookup)])[0]


@api.get("/", response={200: dict}, summary="What this API offers", tags=["index"])
def index(request: HttpRequest) -> dict[str, str]:
    return {
        name: request.build_absolute_uri(f"{request.path}{name}/")
        for name in ("people", "relationships", "stories", "quotes", "outlets", "tags")
    }


# --- People -----------------------------------------------------------------------------------


class PeopleFilters(Paging):
    changed_since: Moment | None = ChangedSince


@api.get(
    "/people/",
    response={200: page_schema(resources.Person), **ERRORS},
    summary="People, A to Z",
    tags=["people"],
)
def list_people(request: HttpRequest, filters: Query[PeopleFilters]) -> dict[str, Any]:
    rows, order = resources.people(), Order("name")
    if filters.changed_since:
        rows, order = rows.filter(updated_at__gte=filters.changed_since), BY_CHANGE
    return one_page(request, resources.PEOPLE, rows, order, filters)


@api.get(
    "/people/{slug}/",
    response={200: resources.Person, 301: None, **FOUND},
    summary="A person, with aliases, relationships and sources",
    description="A slug the person had before a rename answers 301 to their address today.",
    tags=["people"],
)
def get_person(request: HttpRequest, slug: str = Slug) -> dict[str, Any] | HttpResponse:
    try:
        return one(resources.PEOPLE, slug=slug)
    except Http404:
        if (person := renamed_person(slug)) is None:
            raise
        return moved_permanently(request, request.path.removesuffix(f"{slug}/") + f"{person.slug}/")


# --- Relationships ----------------------------------------------------------------------------


class RelationshipFilters(Paging):
    kind: RelationshipKind | None = Field(None, description="Only relationships of this kind.")
    person: str | None = Field(
        None, pattern=SLUG, max_length=200, description="Only this person's (a slug)."
    )
    changed_since: Moment | None = ChangedSince


@api.get(
    "/relationships/",
    response={200: page_schema(resources.Relationship), 404: Problem, **ERRORS},
    summary="Relationships, in the order they were entered",
    tags=["relationships"],
)
def list_relationships(request: HttpRequest, filters: Query[RelationshipFilters]) -> dict[str, Any]:
    rows, order = resources.relationships(), Order("id", int)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if person := by_slug(PersonModel, filters.person, "person"):
        rows = rows.filter(Q(person_a=person) | Q(person_b=person))
    if filters.changed_since:
        rows, order = rows.filter(updated_at__gte=filters.changed_since), BY_CHANGE
    return one_page(request, resources.RELATIONSHIPS, rows, order, filters)


@api.get(
    "/relationships/{id}/",
    response={200: resources.Relationship, **FOUND},
    summary="A relationship",
    tags=["relationships"],
)
def get_relationship(request: HttpRequest, id: int = Id) -> dict[str, Any] | HttpResponse:
    return one(resources.RELATIONSHIPS, pk=id)


# --- Stories ----------------------------------------------------------------------------------


class StoryFilters(Paging):
    published_from: Day | None = Field(None, description="Dated on or after this day.")
    published_to: Day | None = Field(None, description="Dated on or before this day.")
    person: str | None = Field(
        None, pattern=SLUG, max_length=200, description="About or mentioning this person."
    )
    tag: str | None = Field(None, pattern=TAG_SLUG, max_length=200, description="With this tag.")
    outlet: str | None = Field(
        None, pattern=SLUG, max_length=200, description="Published by this outlet."
    )
    kind: ArticleKind | None = None
    changed_since: Moment | None = ChangedSince


@api.get(
    "/stories/",
    response={200: page_schema(resources.Story), 404: Problem, **ERRORS},
    summary="Published stories, newest first",
    tags=["stories"],
)
def list_stories(request: HttpRequest, filters: Query[StoryFilters]) -> dict[str, Any]:
    rows = resources.stories()
    order = Order("published_on", datetime.date, descending=True)
    if filters.published_from:
        rows = rows.filter(published_on__gte=filters.published_from)
    if filters.published_to:
        rows = rows.filter(published_on__lte=filters.published_to)
    # Looked up first and matched by id: the planner then knows a famous person from an
    # obscure one (docs/performance.md).
    if person := by_slug(PersonModel, filters.person, "person"):
        rows = rows.filter(mentions__person=person)
    if tag := by_slug(TagModel, filters.tag, "tag"):
        rows = rows.filter(tagged_items__tag=tag)
    if outlet := by_slug(PublicationModel, filters.outlet, "outlet"):
        rows = rows.filter(publication=outlet)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.changed_since:
        rows, order = rows.filter(updated_at__gte=filters.changed_since), BY_CHANGE
    return one_page(request, resources.STORIES, rows, order, filters)


@api.get(
    "/stories/{id}/",
    response={200: resources.Story, **FOUND},
    summary="A published story",
    tags=["stories"],
)
def get_story(request: HttpRequest, id: int = Id) -> dict[str, Any] | HttpResponse:
    return one(resources.STORIES, pk=id)


# --- Quotes -----------------------------------------------------------------------------------


class QuoteFilters(Paging):
    person: str | None = Field(
        None,
        pattern=SLUG,
        max_length=200,
        description="Said by this person (a slug), alone or with others.",
    )
    story: int | None = Field(None, ge=1, le=LARGEST_ID, description="In this story (an id).")
    changed_since: Moment | None = Field(
        None,
        description="Only the quotes of stories changed at or after this moment (RFC 3339, "
        "with its offset), in the order of change.",
    )


@api.get(
    "/quotes/",
    response={200: page_schema(resources.Quote), 404: Problem, **ERRORS},
    summary="Quotes of published stories, newest story first",
    tags=["quotes"],
)
def list_quotes(request: HttpRequest, filters: Query[QuoteFilters]) -> dict[str, Any]:
    rows = resources.quotes()
    order = Order("article__published_on", datetime.date, descending=True)
    if speaker := by_slug(PersonModel, filters.person, "person"):
        # Said alone or with others (a joint statement), as on the site.
        rows = rows.filter(Q(speaker=speaker) | Q(pk__in=speaker.joint_quotes.values("pk")))
    if filters.story:
        rows = rows.filter(article_id=filters.story)
    if filters.changed_since:
        order = Order("article__updated_at", datetime.datetime)
        rows = rows.filter(article__updated_at__gte=filters.changed_since)
    return one_page(request, resources.QUOTES, rows, order, filters)


@api.get(
    "/quotes/{id}/",
    response={200: resources.Quote, **FOUND},
    summary="A quote, with its speakers and story",
    tags=["quotes"],
)
def get_quote(request: HttpRequest, id: int = Id) -> dict[str, Any] | HttpResponse:
    return one(resources.QUOTES, pk=id)


# --- Outlets and tags -------------------------------------------------------------------------


@api.get(
    "/outlets/",
    response={200: page_schema(resources.Outlet), **ERRORS},
    summary="Outlets, A to Z",
    tags=["outlets"],
)
def list_outlets(request: HttpRequest, filters: Query[Paging]) -> dict[str, Any]:
    rows = resources.outlets()
    return one_page(request, resources.OUTLETS, rows, Order("name"), filters)


@api.get(
    "/outlets/{slug}/",
    response={200: resources.Outlet, **FOUND},
    summary="An outlet",
    tags=["outlets"],
)
def get_outlet(request: HttpRequest, slug: str = Slug) -> dict[str, Any] | HttpResponse:
    return one(resources.OUTLETS, slug=slug)


@api.get(
    "/tags/",
    response={200: page_schema(resources.Tag), **ERRORS},
    summary="Tags of published stories, A to Z",
    tags=["tags"],
)
def list_tags(request: HttpRequest, filters: Query[Paging]) -> dict[str, Any]:
    rows = resources.tags()
    return one_page(request, resources.TAGS, rows, Order("name"), filters)


@api.get(
    "/tags/{slug}/",
    response={200: resources.Tag, **FOUND},
    summary="A tag",
    tags=["tags"],
)
def get_tag(
    request: HttpRequest, slug: str = Path(..., pattern=TAG_SLUG, max_length=200)
) -> dict[str, Any] | HttpResponse:
    return one(resources.TAGS, slug=slug)
