"""Page numbers that cost the same on a small archive and on a huge one.

Django's Paginator counts every row (`COUNT(*)`) on every page and reaches deep pages with
`OFFSET`: both grow with the list. A very famous person is in hundreds of thousands of stories;
their page must not read them all to say how many there are. `CappedPaginator` counts at most
`cap` rows (a `COUNT(*)` over a `LIMIT`, one index range) and offers pages up to that far; the
page then says “1,000+” and points readers to the date archive or to search for older ones.

The same idea for other long lists: `keyset_page` (the people directory, by keys, from A to Z),
`KeyRangePaginator` (the sitemap, by ranges of keys), `EstimatedPaginator` (the admin's lists
of whole large tables, sized from the statistics), `among_newest` (a few short index ranges in
one query) and `periods_of` (the years or months of a list, by a loose index scan).
"""

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Max, Min, Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

# Fifty pages of twenty: far more than readers page through, and cheap to count.
CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, **kwargs: Any) -> None:
        self.cap: int | None = kwargs.pop("cap", CAP)  # None: count everything
        # `counted`: how many rows the list holds, when they were counted with its page's rows
        # in one query (articles/list_pages.py); its page's rows are then handed to `Page`.
        if (counted := kwargs.pop("counted", None)) is not None:
            self.__dict__["counted"] = counted
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def counted(self) -> int:
        """Rows counted, up to one past the cap (so that we know there are more); all of
        them when `cap` is None."""
        if self.cap is None:
            return super().count
        if isinstance(self.object_list, QuerySet):
            # How many, not which: without the order the database may take the cheapest path
            # (say, a person's mentions rather than every story by date).
            return self.object_list.order_by()[: self.cap + 1].count()
        return len(self.object_list[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return self.counted if self.cap is None else min(self.counted, self.cap)

    @property
    def capped(self) -> bool:
        """True when there are more rows than the pages reach."""
        return self.cap is not None and self.counted > self.cap

    def get_page(self, number: Any) -> Page:
        """The nearest page: the first for a number below 1 or none at all, the last past the
        end (Django's own gives the last page for 0 and -1 too); "last" as Django's date
        views read it."""
        if number == "last":
            return super().get_page(self.num_pages)
        try:
            below_one = float(number) < 1
        except (TypeError, ValueError):
            below_one = False
        return super().get_page(1 if below_one else number)


class EstimatedPaginator(Paginator):
    """For the admin's lists of very large tables: the size of a whole table read from
    PostgreSQL's statistics (`pg_class.reltuples`, kept current by ANALYZE and autovacuum)
    rather than counted — `COUNT(*)` over three million quotes costs 300 ms on every view of
    the list — and a filtered list counted up to `cap` (counting the 100,000 quotes of a
    famous speaker costs 0.9 s). `estimated` and `capped` say which, and the list says
    "about" or "more than". Tables under ESTIMATED_FROM rows, and SQLite, are counted exactly.
    """

    ESTIMATED_FROM = 100_000
    CAP = 10_000
    estimated = capped = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet) or connection.vendor != "postgresql":
            return super().count
        if rows.query.where:
            counted = rows.order_by()[: self.CAP + 1].count()
            self.capped = counted > self.CAP
            return min(counted, self.CAP)
        estimate = estimated_rows(rows.model)
        if estimate >= self.ESTIMATED_FROM:
            self.estimated = True
            return estimate
        return super().count


def estimated_rows(model: type[Model]) -> int:
    """The number of rows in `model`'s table from PostgreSQL's statistics (`reltuples`, kept
    current by ANALYZE and autovacuum; -1 before the first); 0 on other databases."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        (estimate,) = cursor.fetchone()
    return estimate


def is_large(model: type[Model]) -> bool:
    return estimated_rows(model) >= EstimatedPaginator.ESTIMATED_FROM


def page_of(
    request: HttpRequest,
    queryset: QuerySet,
    per_page: int,
    capped: bool = True,
    counted: int | None = None,
    **chosen: Any,
) -> Page:
    """The page the request asks for (`?page=`); out of range or not a number gives the
    nearest page (`CappedPaginator.get_page`), never an error. Noted for the canonical
    address with the parameters that chose the list (`note_listing`). `counted`: the rows
    of the list, counted beforehand up to one past the cap (else they are counted here)."""
    paginator = CappedPaginator(queryset, per_page, cap=CAP if capped else None, counted=counted)
    page = paginator.get_page(request.GET.get("page"))
    note_listing(request, page.number, **chosen)
    return page


def note_listing(request: HttpRequest, page: int = 1, **chosen: Any) -> None:
    """Note on `request` what its page lists, for the canonical address
    (newsroom/context_processors.py): the parameters that chose the list — a person's quotes,
    a search and its facets, a place in the directory — as the view understood them, and the
    number of the page shown, which is not the one asked for when that was out of range."""
    listing = {name: value for name, value in chosen.items() if value}
    if page > 1:
        listing["page"] = page
    request.listing = listing  # type: ignore[attr-defined]  # read by context_processors


def among_newest(querysets: Sequence[QuerySet], limit: int) -> Q:
    """A condition for stories (rows) whose key is among the first `limit` of any of
    `querysets` — each ordered newest first and reduced to that key with `values_list` — as
    one `IN` over a `UNION ALL` of bounded index scans, where the database allows LIMIT inside
    a UNION (PostgreSQL). SQLite does not; there it is one `IN` per queryset, which the small
    archives SQLite serves can afford."""
    sliced = [queryset[:limit] for queryset in querysets]
    if not sliced:
        return Q(pk__in=[])
    if connection.features.supports_slicing_ordering_in_compound:
        return Q(pk__in=sliced[0].union(*sliced[1:], all=True))
    condition = Q()
    for rows in sliced:
        condition |= Q(pk__in=rows)
    return condition


class KeyRangePaginator:
    """Pages of `per_page` consecutive primary keys: page n holds the rows whose key lies in
    the n-th range from the smallest key, in key order.

    For lists read whole, a page at a time, by machines — a sitemap of a million stories —
    rather than by readers: the number of pages comes from the smallest and largest key (two
    index probes) instead of `COUNT(*)`, and a page is one index range instead of an `OFFSET`
    past every row before it. A row keeps its page as rows are added after it. Pages hold at
    most `per_page` rows, fewer where keys were skipped (rows deleted, or filtered out).

    The part of Paginator's interface that Django's sitemaps use: `num_pages` and `page()`.
    """

    def __init__(self, queryset: QuerySet, per_page: int) -> None:
        self.queryset = queryset
        self.per_page = per_page

    @cached_property
    def bounds(self) -> tuple[int | None, int | None]:
        keys = self.queryset.order_by().aggregate(first=Min("pk"), last=Max("pk"))
        return keys["first"], keys["last"]

    @cached_property
    def num_pages(self) -> int:
        first, last = self.bounds
        if first is None or last is None:
            return 1
        return (last - first) // self.per_page + 1

    def validate_number(self, number: Any) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(f"That page number is not an integer: {number!r}") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage(f"There is no page {number}: pages go from 1 to {self.num_pages}")
        return number

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        first, _ = self.bounds
        rows = self.queryset.none()
        if first is not None:
            start = first + (number - 1) * self.per_page
            rows = self.queryset.filter(pk__gte=start, pk__lt=start + self.per_page)
        # What Django's sitemaps ask of a paginator, this one answers.
        return Page(rows.order_by("pk"), number, self)  # type: ignore[arg-type]


PERIOD_START = {
    "postgresql": {
        "year": "date_trunc('year', {})::date",
        "month": "date_trunc('month', {})::date",
    },
    "sqlite": {"year": "strftime('%%Y-01-01', {})", "month": "strftime('%%Y-%%m-01', {})"},
}


def periods_of(
    table: str,
    column: str,
    unit: str,
    where: str = "1 = 1",
    params: Sequence[Any] = (),
    before: datetime.date | None = None,
) -> list[datetime.date]:
    """The years (or months) in which `column` of `table` has a value, newest first, as their
    first days; only rows matching the SQL condition `where` (with `params`), and before the
    day `before` if given.

    A loose index scan: from the newest value, jump to the newest one before its period, and
    so on — one index probe per period found, where `SELECT DISTINCT` or `GROUP BY` would read
    every row (half a second over a million stories). Needs an index whose leading column is
    `column`, or is fixed by `where`.
    """
    first_day = PERIOD_START[connection.vendor][unit].format
    newest = f"SELECT max({column}) FROM {table} WHERE {where}"
    anchor = f"{newest} AND {column} < %s" if before else newest
    sql = f"""
        WITH RECURSIVE found(day) AS (
            {anchor}
            UNION ALL
            SELECT ({newest} AND {column} < {first_day("found.day")}) FROM found
            WHERE found.day IS NOT NULL
        )
        SELECT {first_day("day")} FROM found WHERE day IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *([before] if before else []), *params])
        days = [day for (day,) in cursor.fetchall()]
    return [
        day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day) for day in days
    ]


class YearsByJumps(QuerySet):
    """For a model's QuerySet: the years of a whole table (`dates(field, "year")`, what the
    admin's date hierarchy lists first) found by `periods_of()` instead of `SELECT DISTINCT` over
    every row. A filtered list keeps Django's way: its rows are fewer, and a jump that must
    also match a filter can walk far."""

    def dates(self, field_name: str, kind: Any, order: Any = "ASC") -> Any:
        if kind != "year" or self.query.where or self.query.is_sliced:
            return super().dates(field_name, kind, order)
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        column = quote(self.model._meta.get_field(field_name).column)
        years = periods_of(table, column, "year")
        return years if order == "DESC" else years[::-1]


def key_from(text: object) -> int | None:
    """A primary key given in an address (`?after=`, `?before=`): ASCII digits that fit a
    bigint, else None — never an error, whatever was typed."""
    text = str(text or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


@dataclass
class KeysetPage:
    """One page of a list walked in order by its keys: the rows, and the keys of the rows to
    go on after (None at the end) and to go back before (None at the start)."""

    rows: list
    after: int | None = None
    before: int | None = None
    # Where it starts, as an address says it: {"after": 12}, {"before": 40}, {"from": "Kim"};
    # nothing at the start of the list (where a key no longer in it leads).
    place: dict = field(default_factory=dict)


WORD_START = re.compile(r"\b\w")


def as_names_are_written(text: str) -> str:
    """`text` with each word begun by a capital, as names are written: "kim" → "Kim",
    "kim kardashian" → "Kim Kardashian", "jay-z" → "Jay-Z"; the other letters as typed.

    Names are stored as written, and in the binary order of SQLite (and of PostgreSQL's "C"
    collation) every capital sorts before every small letter: "kim" comes after "Zendaya", and
    "Kim kardashian" after "Kim Kardashian West". Begun like a name, the key finds its place
    with a plain range on the name index, where comparing lower-cased names would read the
    whole table. The letters inside a word are left alone: lowering them would make "DJ" miss
    "DJ Khaled". So "KIM" starts among the K's a little early (at "KIM", before "Kanye"), and
    "mcdonald" misses "McDonald"; a name stored with a small initial ("bell hooks") stays
    after "Z" whatever is typed.
    """
    return WORD_START.sub(lambda letter: letter[0].upper(), text)


def keyset_page(
    queryset: QuerySet, params: Mapping[str, str], size: int, field: str = "name"
) -> KeysetPage:
    """A page of `queryset` in (`field`, primary key) order, from where `params` say:
    `after=<key>` (the rows after that one), `before=<key>` (the rows before it), `from=<text>`
    (the first whose `field` sorts at or after the text, written as names are — a letter or
    a name in any case, see `as_names_are_written`), or the start.

    Keyset pages (`keyset_page_at`): each is one range of an index on (`field`, id), wherever
    it is in the list — no COUNT, no OFFSET (by OFFSET, the 500th page of 100,000 people costs
    290 ms). A key that is not a number, or no longer in the list, starts from the start.
    """

    def key_of(text: str | None) -> tuple[Any, int] | None:
        pk = key_from(text)
        return None if pk is None else queryset.filter(pk=pk).values_list(field, "pk").first()

    if key := key_of(params.get("before")):
        page = keyset_page_at(queryset, size, field, before=key)
        page.place = {"before": key[1]}
    elif key := key_of(params.get("after")):
        page = keyset_page_at(queryset, size, field, after=key)
        page.place = {"after": key[1]}
    elif start := as_names_are_written((params.get("from") or "").replace("\x00", "")[:100]):
        page = keyset_page_at(queryset, size, field, start=start)
        page.place = {"from": start}
    else:
        page = keyset_page_at(queryset, size, field)
    return page


def keyset_page_at(
    queryset: QuerySet,
    size: int,
    field: str = "name",
    *,
    after: tuple[Any, int] | None = None,
    before: tuple[Any, int] | None = None,
    start: Any = None,
    descending: bool = False,
    look_back: bool = True,
) -> KeysetPage:
    """A page of at most `size` rows of `queryset` in (`field`, primary key) order — or the
    reverse order with `descending` — taking up after the key `after`, ending just before the
    key `before` (each a (`field` value, primary key) pair), beginning at the first row whose
    `field` is at or past `start`, or at the start of the list. `field` may follow a relation
    (“article__published_on”): the rows must then be fetched with it (`select_related`).

    One range of an index on (`field`, id) whichever page it is; one more query, only for a
    page that does not begin the list, to tell whether rows come before it
    (`KeysetPage.before`) — unless `look_back` is off, for lists only ever walked forwards.
    """
    sign, other = ("-", "") if descending else ("", "-")
    ahead, behind = ("lt", "gt") if descending else ("gt", "lt")
    forward = queryset.order_by(f"{sign}{field}", f"{sign}pk")

    def beyond(key: tuple[Any, int], direction: str) -> Q:
        value, pk = key
        # The plain bound on the value is redundant for the result, but starts the index scan
        # at the key instead of at one end of the list.
        bound = Q(**{f"{field}__{direction}e": value})
        return bound & (
            Q(**{f"{field}__{direction}": value}) | Q(**{field: value, f"pk__{direction}": pk})
        )

    if before is not None:
        backward = queryset.order_by(f"{other}{field}", f"{other}pk")
        rows = list(backward.filter(beyond(before, behind))[: size + 1])
        more, rows = len(rows) > size, rows[:size][::-1]
        return KeysetPage(rows, rows[-1].pk if rows else None, rows[0].pk if more else None)
    chosen: QuerySet
    if after is not None:
        chosen = forward.filter(beyond(after, ahead))
    elif start is not None:
        chosen = forward.filter(**{f"{field}__{ahead}e": start})
    else:
        chosen = forward
    rows = list(chosen[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    earlier = False
    if look_back and rows and (after is not None or start is not None):
        first = rows[0]
        earlier = forward.filter(beyond((value_at(first, field), first.pk), behind)).exists()
    return KeysetPage(rows, rows[-1].pk if more else None, rows[0].pk if earlier else None)


def value_at(row: Model, field: str) -> Any:
    """The value of `field` — a column, or a path through relations such as
    “article__published_on” — on a fetched row."""
    value: Any = row
    for name in field.split("__"):
        value = getattr(value, name)
    return value
