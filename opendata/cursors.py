"""The API's lists, a page at a time, by keys: as fast for the millionth story as for the first.

A page is one range of an index (`common.paging.keyset_page_at`): no COUNT, no OFFSET. Its
`next` address carries a cursor naming where the page ended — the ordering value and the id of
its last row, not the row alone — so a row that changes or goes away between two pages
neither restarts the list nor makes it skip rows: a client walking the whole list in the order
of change (`changed_since`) sees every row changed after it started, at least once.
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError

from common.paging import keyset_page_at, note_listing, value_at

from .resources import Kind


class PageParameters(Protocol):
    """What a list operation's parameters (`api.Paging` and its kin) say of the page."""

    limit: int
    cursor: str | None

    @property
    def model_fields_set(self) -> set[str]: ...


# Primary keys are bigints.
LARGEST_ID = 2**63 - 1


@dataclass(frozen=True)
class Order:
    """How a list is walked: by `field` (then id), oldest or smallest first unless
    `descending`; `kind` says how its values are written in a cursor."""

    field: str
    kind: type[datetime.date | int | str] = str
    descending: bool = False

    def cursor_after(self, row: Model) -> str:
        value = value_at(row, self.field)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        text = json.dumps([self.field, value, row.pk], ensure_ascii=False, separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def key_of(self, cursor: str) -> tuple[datetime.date | int | str, int]:
        """The (value, id) a cursor of this list names; a 400 for anything else."""
        unknown = HttpError(400, "cursor: not one this API gave; start again without it.")
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            field, value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        except (ValueError, TypeError, binascii.Error, UnicodeError):
            raise unknown from None
        if field != self.field:
            raise HttpError(400, "cursor: it belongs to a list in another order.")
        if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk <= LARGEST_ID:
            raise unknown
        try:
            return self.parse(value), pk
        except (ValueError, TypeError):
            raise unknown from None

    # `Any`: a value decoded from a cursor's JSON, checked here.
    def parse(self, value: Any) -> datetime.date | int | str:
        if self.kind is datetime.datetime:
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_naive(moment):
                raise ValueError("a naive time")
            return moment
        if self.kind is datetime.date:
            return datetime.date.fromisoformat(value)
        if self.kind is int:
            if not isinstance(value, int) or isinstance(value, bool) or abs(value) > LARGEST_ID:
                raise ValueError("not a whole number")
            return value
        if not isinstance(value, str) or "\x00" in value:
            raise ValueError("not text")
        return value


def one_page(
    request: HttpRequest, kind: Kind, queryset: QuerySet[Any], order: Order, filters: PageParameters
) -> dict[str, Any]:
    """{"items": the page's records, "next": the address of the next page, None at the end};
    `filters` are the operation's parameters, read (`limit`, `cursor`) and noted."""
    note_parameters(request, filters)
    after = order.key_of(filters.cursor) if filters.cursor else None
    page = keyset_page_at(
        queryset,
        filters.limit,
        order.field,
        after=after,
        descending=order.descending,
        look_back=False,
    )
    following = None
    if page.after is not None:
        params = request.GET.copy()
        params["cursor"] = order.cursor_after(page.rows[-1])
        following = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return {"items": kind.records(page.rows), "next": following}


def note_parameters(request: HttpRequest, filters: PageParameters) -> None:
    """Note the parameters the operation read, as given, for the page cache: an answer is
    kept only when asked for by exactly those (caching/pagecache.py), so `?utm_source=…` or a
    parameter the operation does not know makes no entry of its own."""
    # `Any`: what `note_listing` takes; the API has no parameter named `page`.
    given: dict[str, Any] = {
        name: request.GET[name] for name in filters.model_fields_set if name in request.GET
    }
    note_listing(request, **given)
