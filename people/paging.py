"""Page numbers that cost the same on a small archive and on a huge one.

Django's Paginator counts every row (`COUNT(*)`) on every page and reaches deep pages with
`OFFSET`: both grow with the list. A very famous person is in hundreds of thousands of stories;
their page must not read them all to say how many there are. `CappedPaginator` counts at most
`cap` rows (a `COUNT(*)` over a `LIMIT`, one index range) and offers pages up to that far; the
page then says “1,000+” and points readers to the date archive or to search for older ones.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Max, Min, Q, QuerySet
from django.utils.functional import cached_property

# Fifty pages of twenty: far more than readers page through, and cheap to count.
CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, **kwargs):
        self.cap = kwargs.pop("cap", CAP)  # None: count everything
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def counted(self):
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
    def count(self):
        return self.counted if self.cap is None else min(self.counted, self.cap)

    @property
    def capped(self):
        """True when there are more rows than the pages reach."""
        return self.cap is not None and self.counted > self.cap


def page_of(request, queryset, per_page, capped=True):
    """The page the request asks for (`?page=`); out of range or not a number gives the
    nearest page, never an error."""
    paginator = CappedPaginator(queryset, per_page, cap=CAP if capped else None)
    return paginator.get_page(request.GET.get("page"))


def among_newest(querysets, limit):
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

    def __init__(self, queryset, per_page):
        self.queryset = queryset
        self.per_page = per_page

    @cached_property
    def bounds(self):
        keys = self.queryset.order_by().aggregate(first=Min("pk"), last=Max("pk"))
        return keys["first"], keys["last"]

    @cached_property
    def num_pages(self):
        first, last = self.bounds
        return 1 if first is None else (last - first) // self.per_page + 1

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(f"That page number is not an integer: {number!r}") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage(f"There is no page {number}: pages go from 1 to {self.num_pages}")
        return number

    def page(self, number):
        number = self.validate_number(number)
        first, _ = self.bounds
        rows = self.queryset.none()
        if first is not None:
            start = first + (number - 1) * self.per_page
            rows = self.queryset.filter(pk__gte=start, pk__lt=start + self.per_page)
        return Page(rows.order_by("pk"), number, self)
