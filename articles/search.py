"""Search across stories, quotes and people: `search()` for the reader's page, `match_stories()`
for the admin (people are found by people/search.py).

PostgreSQL: the stored, weighted `search_vector` columns (GIN-indexed, see common/fulltext.py)
matched with `websearch_to_tsquery` — "exact phrase", -exclude, or — ranked with `ts_rank`
among the newest matches, highlighted with `ts_headline` for the page shown only.

SQLite (the embedded default): the same syntax parsed in Python (common/search_syntax.py) and
matched with LIKE; stories ranked by where the words appear (headline, dek) then by date; names
matched by similarity in Python. Same page, same interface, plainer results.

Ranking every match of a common word is what makes full-text search slow on a large archive,
so only the newest CANDIDATES matches are ranked, faceted and paged through; the page says so.
"""

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, Self, TypedDict
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, F, Field, Lookup, Model, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat, Left, Replace
from django.db.models.sql.compiler import SQLCompiler
from django.utils.safestring import SafeString
from taggit.models import Tag

from common.fulltext import CONFIG
from common.paging import CappedPaginator
from common.search_syntax import ParsedQuery, clean, highlight, marked, parse
from people.models import Person
from people.search import find_people

from .models import Article, Mention, Quote, TaggedArticle

MAX_QUERY_LENGTH = 200
CANDIDATES = 1000
QUOTE_CANDIDATES = 200
# The newest quotes a search looks through first (Postgres.newest_quotes).
RECENT_QUOTES = 20_000
# Fewer matches than this, and a word's quotes are read from the index rather than by walking
# the quotes newest first (Postgres.newest_quotes).
FEW_QUOTES = 2000
PER_PAGE = 20
QUOTES_SHOWN = 5
FACET_SIZE = 8
SNIPPET_SOURCE = 5000  # characters of dek and body given to ts_headline
SLUG = re.compile(r"[-\w]+")  # as Django's slugs, Unicode ones (taggit's) included
START, STOP = "\ue000", "\ue001"  # private-use sentinels, turned into <mark> after escaping


@dataclass
class Filters:
    kind: str = ""
    year: int | None = None
    person: str = ""
    tag: str = ""

    @classmethod
    def from_request(cls, params: Mapping[str, str]) -> Self:
        kind = params.get("kind", "")
        digits = params.get("year", "")
        # ASCII digits only: "²" is a digit to str.isdigit() but not a number to int().
        year = int(digits) if len(digits) == 4 and digits.isascii() and digits.isdigit() else None
        return cls(
            kind=kind if kind in Article.Kind.values else "",
            year=year if year and year >= 1000 else None,
            person=slug_or_nothing(params.get("person", "")),
            tag=slug_or_nothing(params.get("tag", "")),
        )

    def __bool__(self) -> bool:
        return bool(self.kind or self.year or self.person or self.tag)

    def as_params(self, **changes: str | int) -> dict[str, str | int]:
        values: dict[str, str | int] = {
            "kind": self.kind,
            "year": self.year or "",
            "person": self.person,
            "tag": self.tag,
        } | changes
        return {key: value for key, value in values.items() if value}

    def stories(self, queryset: QuerySet[Article]) -> QuerySet[Article]:
        """`queryset` narrowed to the chosen kind, year, person and tag.

        The person and the tag are looked up first and matched by id: joined by slug, the
        planner cannot know whether the person is in twelve stories or in a quarter of the
        archive, and walks every story of a famous one (0.7 s at a million); given the id,
        its statistics tell, and it picks a walk that stops at the newest matches (0.15 s),
        or the search index when the words are rare (a few milliseconds)."""
        conditions: dict[str, str | int | None] = {}
        if self.kind:
            conditions["kind"] = self.kind
        if self.year:
            conditions["published_on__year"] = self.year
        if self.person:
            conditions["mentions__person"] = first_id(Person.objects.filter(slug=self.person))
        if self.tag:
            conditions["tagged_items__tag"] = first_id(Tag.objects.filter(slug=self.tag))
        if None in conditions.values():
            return queryset.none()
        return queryset.filter(**conditions)


def slug_or_nothing(value: str | None) -> str:
    """A slug as the address gave it; anything else (a NUL byte, markup, a sentence) can name
    no person or tag, and is dropped rather than sent to the database."""
    value = (value or "")[:200]
    return value if SLUG.fullmatch(value) else ""


def first_id(queryset: QuerySet[Model]) -> int | None:
    return queryset.values_list("pk", flat=True).first()


class Candidate(NamedTuple):
    """A story that matches, as ranked: enough to count the facets and to page."""

    pk: int
    kind: str
    published_on: datetime.date


class IdRow(TypedDict):
    """A row of `.values("pk")`."""

    pk: int


class PersonCount(NamedTuple):
    slug: str
    name: str
    stories: int  # not `count`, which would hide tuple.count


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    query_string: str = ""  # the search with this value chosen, or dropped if it is chosen


@dataclass
class Results:
    query: str = ""
    messages: list[str] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    quotes: list[tuple[Quote, SafeString]] = field(default_factory=list)  # highlighted text
    stories: Page[tuple[Article, SafeString]] | None = None  # with their snippets
    total: int = 0
    capped: bool = False
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    filters: Filters = field(default_factory=Filters)

    @property
    def found(self) -> bool:
        return bool(self.people or self.quotes or self.total)

    def query_string(self, **changes: str) -> str:
        return urlencode({"q": self.query, **self.filters.as_params(**changes)})


def search(raw_query: str, filters: Filters | None = None, page: str | int = 1) -> Results:
    filters = filters or Filters()
    query, shortened = clean(raw_query, MAX_QUERY_LENGTH)
    results = Results(query=query, filters=filters)
    if shortened:
        results.messages.append(
            f"Your search was long, so only its first {MAX_QUERY_LENGTH} characters were used."
        )
    parsed = parse(query)
    if not query:
        results.messages.append("Type a name, a few words of a quote or of a headline.")
        return results
    if not parsed:
        results.messages.append(
            "That search has no words to look for: try a name or a few words of a quote."
        )
        return results

    backend = Postgres(query, parsed) if connection.vendor == "postgresql" else Portable(parsed)
    rows = backend.ranked_stories(filters.stories(Article.objects.published()))
    results.capped = len(rows) > CANDIDATES
    rows = rows[:CANDIDATES]
    ids = [row.pk for row in rows]
    results.total = len(rows)
    results.facets = facets(rows, filters)
    for name, values in results.facets.items():
        for value in values:
            value.query_string = results.query_string(
                **{name: "" if value.selected else value.value}
            )
    # A page of ids, made a page of stories with their snippets.
    stories = CappedPaginator(ids, PER_PAGE, cap=None).get_page(page)
    stories.object_list = backend.stories_with_snippets(list(stories))
    results.stories = stories
    # Facets narrow the stories; quotes and people are shown for the plain search only.
    if not filters:
        results.quotes = backend.quotes(Quote.objects.published())
        # Only a search that found nothing else is worth the wider, slower net for names.
        nothing_else = not results.total and not results.quotes
        results.people = find_people(Person.objects.all(), parsed.terms, wider=nothing_else)
    if not results.found:
        results.messages.append(backend.nothing_found())
    return results


def match_stories(queryset: QuerySet[Article], raw_query: str) -> QuerySet[Article]:
    """Stories (drafts included: this is for editors) matching a search, for the admin."""
    query, _ = clean(raw_query, MAX_QUERY_LENGTH)
    parsed = parse(query)
    if not parsed:
        return queryset.none()
    if connection.vendor == "postgresql":
        return queryset.filter(search_vector=Postgres(query, parsed).tsquery)
    return queryset.filter(Portable(parsed).condition("title", "dek", "body", "slug"))


def match_quotes(queryset: QuerySet[Quote], raw_query: str) -> QuerySet[Quote]:
    """Quotes (found ones included: this is for editors) whose words match a search, or whose
    speaker's name does, for the admin. On PostgreSQL the words go through the quotes' GIN
    index: `ILIKE '%…%'` over text, speaker and context reads every quote (12 s over the
    three million quotes of a million stories)."""
    query, _ = clean(raw_query, MAX_QUERY_LENGTH)
    parsed = parse(query)
    if not parsed:
        return queryset.none()
    speakers = [person.pk for person in find_people(Person.objects.all(), parsed.terms)]
    if connection.vendor == "postgresql":
        words = Q(search_vector=Postgres(query, parsed).tsquery)
    else:
        words = Portable(parsed).condition("text", "context")
    return queryset.filter(words | Q(speaker__in=speakers))


NOTHING_FOUND = "Nothing found. Check the spelling, or try fewer words."


class Postgres:
    def __init__(self, query: str, parsed: ParsedQuery) -> None:
        self.query = query
        self.tsquery = SearchQuery(query, search_type="websearch", config=CONFIG)
        self.parsed = parsed

    def nothing_found(self) -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT numnode(websearch_to_tsquery(%s::regconfig, %s))", [CONFIG, self.query]
            )
            (nodes,) = cursor.fetchone()
        if nodes == 0:
            return "Those words are too common to search for: add a more specific one."
        return NOTHING_FOUND

    def ranked_stories(self, matches: QuerySet[Article]) -> list[Candidate]:
        newest = (
            matches.filter(search_vector=self.tsquery)
            .order_by("-published_on", "-id")
            .values("pk")[: CANDIDATES + 1]
        )
        ranked = (
            Article.objects.filter(pk__in=newest)
            .annotate(rank=SearchRank(F("search_vector"), self.tsquery))
            .order_by("-rank", "-published_on", "-id")
            .values_list("pk", "kind", "published_on")
        )
        return [Candidate(*row) for row in ranked]

    def stories_with_snippets(self, ids: list[int]) -> list[tuple[Article, SafeString]]:
        source = Left(
            Replace(
                Replace(Concat("dek", Value(" "), "body", output_field=TextField()), Value(START)),
                Value(STOP),
            ),
            SNIPPET_SOURCE,
        )
        stories = (
            Article.objects.filter(pk__in=ids)
            .select_related("publication", "lead_picture")
            .annotate(
                snippet=SearchHeadline(
                    source,
                    self.tsquery,
                    config=CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
        )
        by_id = {story.pk: story for story in stories}
        return [(by_id[pk], marked(by_id[pk].snippet, START, STOP)) for pk in ids if pk in by_id]

    def newest_quotes(self, quotes: QuerySet[Quote]) -> list[int] | QuerySet[Quote, IdRow]:
        """The newest QUOTE_CANDIDATES quotes matching the search (the newest entered stand
        for the newest said: ordering by the story's date would sort every match of a common
        word).

        Two ways there, each slow where the other is quick: walking the quotes newest first
        until enough match (a common word: a few hundred rows; a word no quote has: all
        three million, 1.1 s), or reading the word's matches from the GIN index and sorting
        them (a rare word: a handful; a common one: hundreds of thousands, and the index
        gives none before it has found them all — 12 ms for “wedding” at a million, a cost
        that grows with the archive). So:

        1. The newest RECENT_QUOTES quotes are looked through first, as a range of keys: a
           walk there is bounded whatever the planner picks, and a common word has its
           matches there (if QUOTE_CANDIDATES of them are, no older quote can be newer).
        2. Otherwise the index is asked, and stops after FEW_QUOTES matches: if the word has
           fewer, those are all its quotes; if not, it is common enough for the walk. (Planned
           on its own, a MATERIALIZED query is not made into a walk by the LIMIT outside it;
           it is still read only as far as the LIMIT.)"""
        matching = quotes.filter(search_vector=self.tsquery)
        last = Quote.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        recent = list(
            matching.filter(pk__gt=last - RECENT_QUOTES)
            .order_by("-id")
            .values_list("pk", flat=True)[:QUOTE_CANDIDATES]
        )
        if len(recent) == QUOTE_CANDIDATES:
            return recent
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH matches AS MATERIALIZED (SELECT id FROM articles_quote"
                " WHERE search_vector @@ websearch_to_tsquery(%s::regconfig, %s))"
                " SELECT id FROM matches LIMIT %s",
                [CONFIG, self.query, FEW_QUOTES + 1],
            )
            few = [pk for (pk,) in cursor.fetchall()]
        if len(few) <= FEW_QUOTES:
            matching = matching.filter(one_of("id", few))
        return matching.order_by("-id").values("pk")[:QUOTE_CANDIDATES]

    def quotes(self, quotes: QuerySet[Quote]) -> list[tuple[Quote, SafeString]]:
        newest = self.newest_quotes(quotes)
        best = list(
            Quote.objects.filter(pk__in=newest)
            .annotate(rank=SearchRank(F("search_vector"), self.tsquery))
            .order_by("-rank", "-id")
            .values_list("pk", flat=True)[:QUOTES_SHOWN]
        )
        found = (
            Quote.objects.filter(pk__in=best)
            .select_related("speaker", "article")
            .prefetch_related("joint_speakers")
            .annotate(
                marked_text=SearchHeadline(
                    Replace(Replace("text", Value(START)), Value(STOP)),
                    self.tsquery,
                    config=CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    highlight_all=True,
                ),
            )
        )
        by_id = {quote.pk: quote for quote in found}
        return [(by_id[pk], marked(by_id[pk].marked_text, START, STOP)) for pk in best]


class Headed(Protocol):
    """What Portable's ranking reads of a matching story's row."""

    @property
    def title(self) -> str: ...
    @property
    def dek(self) -> str: ...


class Portable:
    """The SQLite search: LIKE matching of the parsed query, ranking in Python."""

    def __init__(self, parsed: ParsedQuery) -> None:
        self.parsed = parsed

    def nothing_found(self) -> str:
        return NOTHING_FOUND

    def condition(self, *fields: str) -> Q:
        def anywhere(term: str) -> Q:
            # From the start of a word: “divorce” finds “divorced”, “ye” does not find “Okoye”.
            pattern = word_start(term)
            found = Q()
            for name in fields:
                found |= Q(**{f"{name}__iregex": pattern})
            return found

        condition = Q()
        for group in self.parsed.groups:
            alternatives = Q()
            for term in group:
                alternatives |= anywhere(term)
            condition &= alternatives
        for term in self.parsed.excluded:
            condition &= ~anywhere(term)
        return condition

    def ranked_stories(self, matches: QuerySet[Article]) -> list[Candidate]:
        rows = (
            matches.filter(self.condition("title", "dek", "body"))
            .order_by("-published_on", "-id")
            .values_list("pk", "kind", "published_on", "title", "dek", named=True)[: CANDIDATES + 1]
        )
        patterns = [re.compile(word_start(term), re.IGNORECASE) for term in self.parsed.terms]

        def weight(row: Headed) -> int:
            return sum(
                3 * bool(p.search(row.title)) + 2 * bool(p.search(row.dek)) for p in patterns
            )

        # sorted() is stable: among equal weights the newest stay first.
        ranked = sorted(rows, key=weight, reverse=True)
        return [Candidate(row.pk, row.kind, row.published_on) for row in ranked]

    def stories_with_snippets(self, ids: list[int]) -> list[tuple[Article, SafeString]]:
        by_id = Article.objects.select_related("publication", "lead_picture").in_bulk(ids)
        terms = self.parsed.terms
        return [
            (by_id[pk], highlight(f"{by_id[pk].dek} {by_id[pk].body}", terms))
            for pk in ids
            if pk in by_id
        ]

    def quotes(self, quotes: QuerySet[Quote]) -> list[tuple[Quote, SafeString]]:
        found = (
            quotes.filter(self.condition("text"))
            .select_related("speaker", "article")
            .prefetch_related("joint_speakers")
            .order_by("-id")[:QUOTES_SHOWN]
        )
        return [(quote, highlight(quote.text, self.parsed.terms, around=10_000)) for quote in found]


class AnyOf(Lookup):
    """`field__any_of=ids`: `field = ANY(%s)`, the ids sent as one array. PostgreSQL only (use
    `one_of`). Registered as a lookup, not used as an expression, so that a join to reach
    `field` is an inner join, and an `exclude()` across a relation means what `__in` would."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


# The fields a search counts or narrows by, and only those: a lookup registered on a field
# instance serves that field alone (ArticlesConfig.ready).
ANY_OF_FIELDS: list[tuple[type[Model], str]] = [
    (Quote, "id"),
    (Mention, "article"),
    (TaggedArticle, "content_object"),
]


def register_any_of() -> None:
    for model, name in ANY_OF_FIELDS:
        field = model._meta.get_field(name)
        assert isinstance(field, Field), f"{model.__name__}.{name} is not a column"
        field.register_lookup(AnyOf)


def one_of(field: str, ids: Iterable[int]) -> Q:
    """The rows whose `field` is one of `ids`. On PostgreSQL as one array parameter: `__in`
    writes a placeholder per id, and for a search's thousand candidates, Django and psycopg
    building and quoting a thousand placeholders and PostgreSQL planning a thousand-item list
    cost more than the counting they feed (the two facets of “wedding” at a million stories,
    timed alone: 19–22 ms as `IN`, 13 ms as `= ANY`). No ids, no query, as with `__in`."""
    ids = [int(pk) for pk in ids]
    if ids and connection.vendor == "postgresql":
        return Q(**{f"{field}__any_of": ids})
    return Q(**{f"{field}__in": ids})


def word_start(term: str) -> str:
    return r"\b" + re.escape(term)


def top_people(ids: list[int]) -> list[PersonCount]:
    """The FACET_SIZE people in most of the stories `ids`, as (slug, name, count), ties by name.

    Counted on the mentions alone, then named: joined to every person in one query, the
    planner walks the whole people table when the archive is large.
    """
    counts = dict(
        Mention.objects.filter(one_of("article", ids))
        .values_list("person_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    if not counts:
        return []
    # Whoever could still be in the top FACET_SIZE once ties are broken by name.
    least = sorted(counts.values(), reverse=True)[:FACET_SIZE][-1]
    contenders = Person.objects.filter(pk__in=[pk for pk, n in counts.items() if n >= least])
    named = [
        PersonCount(slug, name, counts[pk])
        for pk, slug, name in contenders.values_list("pk", "slug", "name")
    ]
    return sorted(named, key=lambda person: (-person.stories, person.name))[:FACET_SIZE]


def facets(rows: list[Candidate], filters: Filters) -> dict[str, list[FacetValue]]:
    """Counts among the matches, to narrow them: kind, year, person, tag.

    `rows` are the ranked candidates: kinds and years are counted here,
    people and tags by the database.
    """
    ids = [row.pk for row in rows]
    kinds = dict(Article.Kind.choices)
    kind_counts = Counter(row.kind for row in rows).most_common()
    kind_counts.sort(key=lambda item: (-item[1], item[0]))
    year_counts = sorted(Counter(row.published_on.year for row in rows).items(), reverse=True)
    people = top_people(ids)
    tags = (
        Tag.objects.filter(one_of("articles_taggedarticle_items__content_object", ids))
        .values_list("slug", "name")
        .annotate(n=Count("articles_taggedarticle_items"))
        .order_by("-n", "name")[:FACET_SIZE]
    )
    return {
        "kind": [FacetValue(k, kinds[k], n, k == filters.kind) for k, n in kind_counts],
        "year": [FacetValue(str(y), str(y), n, y == filters.year) for y, n in year_counts],
        "person": [FacetValue(s, name, n, s == filters.person) for s, name, n in people],
        "tag": [FacetValue(s, name, n, s == filters.tag) for s, name, n in tags],
    }
