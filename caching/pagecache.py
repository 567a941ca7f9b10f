"""Readers' pages answered without rendering: conditional GET, and a shared page cache.

A public page depends on what it shows — the topics its view named (caching/topics.py:
`story:12`, `person:3`, `month:2024-05`…, `everything` when it named none) — on the date
(scheduled stories appear, ages change), on the code deployed and on its address. The
versions of its topics and those three make its ETag. Nothing is ever purged: what is kept for
an address (the topics the page showed, their versions then, and the page) is served only
while those versions are unchanged, checked on each request, so an edit shows at once in every
worker, and only on the pages that show what it changed.

- Conditional GET: a reader (or a proxy) that sends back the ETag of a page still current gets
  `304 Not Modified` before any view runs (after rendering when nothing is kept for the
  address: the page was never rendered here, or the cache forgot it).
- Page cache (`PAGE_CACHE_SECONDS`, 0 to turn it off): a page rendered for one reader is kept
  in the cache (Redis when `REDIS_URL` is set, shared by every worker; local memory
  otherwise) and served as it is to the next ones, with `X-Page-Cache: hit` (`miss` when
  rendered). Each process also keeps the last `PAGE_CACHE_RECENT` pages it served in its own
  memory (`PAGE_CACHE_RECENT_MB` at most). Pages are kept deflated, in Redis and in memory (a
  story's 13 KB take under 4): three times as many fit, and Redis sends a third of the bytes.
  In a process's memory they are deflated against the first HTML page it kept (a preset
  dictionary: the frame, the markup every page repeats, costs next to nothing), a story's
  page in some 1.5 KB; the few served most (`INFLATED`) are kept inflated as well.
- One round trip to Redis per cached page, whichever worker kept it: in Redis a page is kept
  as a hash, with the keys of its topics' versions and the versions it showed beside it, and
  a script run there (caching/redis.py, EVALSHA) returns it only while every one of them still
  holds (with the clock, read in the same call). A page this process keeps itself is checked
  by the clock alone while it has not moved since the page was last found fresh (`Checked`);
  after a change the script compares its versions, and sends the page only when the one kept
  in Redis is another rendering. A version Redis no longer holds (it keeps them
  `topics.CACHED_SECONDS`) is read from the database, which decides, and put back in Redis in
  one more round trip. Without Redis, the page comes from each process's memory and the
  versions from the database (one query).
- A page during whose rendering one of its topics moved may show the old version of it: it
  is served, not kept (the versions are compared with the latest version given before the
  render began: `topics.clock()`).

Only anonymous requests qualify — no session or messages cookie, GET or HEAD, not the admin —
and only 200 responses that set no cookie and are not marked private (staff previews are
`private, no-store`). Everyone else goes through to the views as before.

A page's key is exactly what decides it: the scheme and host, the script name and the path the
URL is routed by (`SCRIPT_NAME` and `PATH_INFO`: a request that routes to the front page under
a story's full address must not be kept as the story), and the query parameters readers' pages
read (`READ_PARAMETERS`); the views see no others, so `?utm_source=…` neither changes a page
nor makes a new entry. A page is kept only when asked for by its own address, the one its view
noted (`common.paging.note_listing`): `?page=999` shows the last page but is not kept as one
more copy of it. A search, or a place in the directory, is a page of its own for each text.

The shared cache failing (Redis down, full, or not answering within its timeout) never fails a
page: it is rendered and served uncached (versions read from the database), the failure is
logged, and the shared cache is left alone for `RETRY_SECONDS` before it is tried again (a page
this process keeps is then checked against the versions in the database, and served).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard, cast

from django.apps import apps
from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.cache.backends.base import BaseCache
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, urlencode

from caching import topics
from caching.watch import watch
from common.replicas import current_reading

if TYPE_CHECKING:
    # What Django gives as `request.GET` (a QueryDict made without `mutable=True`).
    from django.http.request import _ImmutableQueryDict

    from caching.redis import RedisCache

PRIVATE_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}
# /data/ changes when a dump is written, which starts no new edition; its files never change.
SKIPPED_PREFIXES = ("/admin/", "/healthz", "/readyz", "/static/", "/data/")
# The read API checks each of its parameters itself (a value of the wrong form is an error
# there, not an absence): its requests keep every parameter, and an answer is kept only when
# asked for by the ones its operation read (noted as pages note theirs: `own_address`).
OWN_PARAMETERS_PREFIXES = ("/api/",)
# The query parameters readers' pages read: the page number (`p` in the sitemap), a search and
# its facets, a person's quotes, a place in the directory. Views are handed no others. A page
# that comes to read a new parameter must be named here.
READ_PARAMETERS = frozenset(
    {"page", "p", "q", "kind", "year", "person", "tag", "from", "before", "after"}
)
# Named first pages are the page itself: `?page=1` is the page without a number.
FIRST_PAGE = {"page": "1", "p": "1"}
# After the shared cache fails, pages are served without it for this long before it is tried
# again: one failure logged, not one per request, and no request waits on a dead server.
RETRY_SECONDS = 5
# How long what a page showed is kept when the page itself is not (page cache off).
ENTRY_SECONDS = 300
# After the clock was found moved, a page this process keeps is checked for this long by the
# script, the clock and its versions at once (one round trip whether or not the clock moved
# again), rather than by the clock alone (a plain read, some 40 µs cheaper, then the script if
# it moved: two round trips). While editors save, the clock moves every second or so.
MOVING_SECONDS = 2.0

# What an entry kept in a process's memory takes beside its page's bytes (the objects holding
# them, the key, its topics, the headers that are its own), about.
ENTRY_OVERHEAD = 2_000

# A process's pages are deflated against its first HTML page kept of at least this many bytes
# (its last 32 KB, all that deflate looks back at), once chosen for the life of the process: a
# story's page then takes some 1.5 KB instead of 3.7. (An answer of the API, kept first, would
# teach it JSON, and the pages readers read most are HTML.)
DICTIONARY_MIN = 4_096
DICTIONARY_BYTES = 32_768
# The headers most pages share (not their length, ETag or date) are kept once per process, up
# to this many distinct ones.
SHARED_HEADERS = 1_024
OWN_HEADERS = frozenset({"Content-Length", "ETag", "Last-Modified"})

# A page as kept: its status, its headers and its content, deflated (`deflated`).
Page = tuple[int, list[tuple[str, str]], bytes]
# How hard a page is deflated: once per rendering (150 µs for a story's page at 6, against
# 80 µs at 1 for a tenth more bytes); inflating costs the same at any level, 20–50 µs.
DEFLATE_LEVEL = 6
# How many of the pages a process served last it keeps inflated as well, so that the pages
# served most cost no inflating (some 30 µs of a 300 µs answer): about 2 MB.
INFLATED = 64

log = logging.getLogger(__name__)


@cache
def release() -> str:
    """A digest of the code and templates deployed, the same in every worker and on every
    server of one release: a new release starts new ETags and cache keys even when the data
    has not changed. Read once per process: `RELEASE` when the deployment names it (a commit,
    a version), otherwise the project's apps and templates as deployed."""
    if settings.RELEASE:
        return hashlib.blake2b(settings.RELEASE.encode(), digest_size=6).hexdigest()
    digest = hashlib.blake2b(digest_size=6)
    folders = [Path(apps.get_app_config(label).path) for label in settings.PROJECT_APPS]
    # The settings module's TEMPLATES reads as plain dicts to the type checker: DIRS are paths.
    folders += [
        Path(folder)
        for engine in settings.TEMPLATES
        for folder in cast("list[str | Path]", engine["DIRS"])
    ]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html"} and "migrations" not in path.parts:
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


def readers_page(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not request.path_info.startswith(SKIPPED_PREFIXES)


def public(request: HttpRequest) -> bool:
    return readers_page(request) and not PRIVATE_COOKIES.intersection(request.COOKIES)


def read_parameters(query: _ImmutableQueryDict) -> _ImmutableQueryDict:
    """`query` with only the parameters readers' pages read, and none left empty (a page reads
    `?q=` as no search at all)."""
    if all(name in READ_PARAMETERS and all(values) for name, values in query.lists()):
        return query
    kept = [
        (name, value)
        for name, values in query.lists()
        if name in READ_PARAMETERS
        for value in values
        if value
    ]
    return QueryDict(urlencode(kept))


def own_address(request: HttpRequest) -> bool:
    """Whether the page was asked for by its own address: the parameters asked for are the
    ones its view noted as choosing what it shows (none, for a page that lists nothing), a
    named first page aside."""
    asked = {
        name: values for name, values in request.GET.lists() if values != [FIRST_PAGE.get(name)]
    }
    noted = getattr(request, "listing", None) or {}
    return asked == {name: [str(value)] for name, value in noted.items()}


def storable(response: HttpResponseBase) -> TypeGuard[HttpResponse]:
    """Whether the page may be kept: a complete page (never a streamed one) that is public."""
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in control
        and "no-store" not in control
    )


class RecentPages:
    """The pages this process served last, in front of the shared cache: a hit is checked
    without the page being sent again (while the process hears what changes, not at all).
    Safe to keep because each is checked against its topics' versions before it is served;
    bounded in number and in the bytes of the pages kept."""

    def __init__(self, size: int, budget: int = 1 << 62) -> None:
        self.size = size
        self.budget = budget
        self.pages: OrderedDict[str, Entry] = OrderedDict()
        self.used = 0
        self.lock = threading.Lock()
        # The last `INFLATED` pages' content inflated, by key, with the entry it is of.
        self.inflated: OrderedDict[str, tuple[Entry, bytes]] = OrderedDict()
        # What the pages kept are deflated against (see `DICTIONARY_MIN`): none until a page
        # big enough is kept; the pages kept before it are plainly deflated.
        self.dictionary: bytes | None = None
        self.headers: dict[tuple[str, str], tuple[str, str]] = {}

    def keep(self, key: str, entry: Entry, content: bytes | None = None) -> Entry:
        """Keep `entry` under `key` in the form this process keeps pages in: deflated against
        its dictionary, with the headers and topics other pages have shared with them. Returns
        the entry as kept (what `get` returns from then on). `content`: its page inflated, when
        at hand (just rendered); else it is inflated here (it was read from the shared cache
        to be served, so the inflated page is kept with it among the last served)."""
        if entry.page is None:
            self.put(key, entry)
            return entry
        status, headers, packed = entry.page
        if content is None:
            content = inflated(packed)
        with self.lock:
            if self.dictionary is None and len(content) >= DICTIONARY_MIN and html(headers):
                self.dictionary = content[-DICTIONARY_BYTES:]
            dictionary = self.dictionary
            shared = [self.shared_header(header) for header in headers]
        kept = replace(
            entry,
            topics=tuple(sys.intern(name) for name in entry.topics),
            page=(status, shared, deflated(content, dictionary)),
        )
        self.put(key, kept)
        self.remember_inflated(key, kept, content)
        return kept

    def shared_header(self, header: tuple[str, str]) -> tuple[str, str]:
        """The one copy of `header` this process keeps (lock held)."""
        if header[0] in OWN_HEADERS:
            return header
        found = self.headers.get(header)
        if found is None and len(self.headers) < SHARED_HEADERS:
            found = self.headers[header] = header
        return found or header

    def get(self, key: str) -> Entry | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: str, page: Entry) -> None:
        with self.lock:
            replaced = self.pages.pop(key, None)
            if replaced is not None:
                self.used -= replaced.size
            self.pages[key] = page
            self.used += page.size
            while len(self.pages) > self.size or (self.used > self.budget and len(self.pages) > 1):
                _, forgotten = self.pages.popitem(last=False)
                self.used -= forgotten.size

    def content(self, key: str, entry: Entry) -> bytes:
        """The content of `entry`'s page (kept under `key`), inflated."""
        with self.lock:
            found = self.inflated.get(key)
            if found is not None and found[0] is entry:
                self.inflated.move_to_end(key)
                return found[1]
        assert entry.page is not None
        content = inflated(entry.page[2], self.dictionary)
        self.remember_inflated(key, entry, content)
        return content

    def remember_inflated(self, key: str, entry: Entry, content: bytes) -> None:
        with self.lock:
            self.inflated[key] = (entry, content)
            self.inflated.move_to_end(key)
            while len(self.inflated) > INFLATED:
                self.inflated.popitem(last=False)


class SharedPages:
    """The cache shared by every worker (Redis), failing open: a get that fails finds nothing,
    a set that fails keeps nothing, the failure is logged, and the cache is left alone for
    `RETRY_SECONDS`."""

    def __init__(self, cache: BaseCache = default_cache) -> None:
        self.cache = cache
        self.resting_until = 0.0

    def one_trip(self) -> bool:
        """Whether the cache reads a page with its topics' versions in one round trip
        (caching/redis.py: Redis runs the check); else the page is read, then the versions."""
        return hasattr(self.cache, "get_if_current")

    def get(self, key: str) -> Entry | None:
        if self.resting():
            return None
        try:
            return self.cache.get(key)
        except Exception as error:  # whatever the backend raises: no page fails for it
            self.failed("read", error)
            return None

    def get_if_current(self, key: str, held: Entry | None, clock: int | None) -> Current | None:
        """In one round trip: whether the entry kept for `key` is current (none of its topics
        moved since it was rendered), and the clock (see `Current`); None when the cache
        cannot be read. `held` is this process's own copy, found current at `clock`: while
        the clock has not moved, nothing more is read; the entry is sent only when it is not
        that copy."""
        if self.resting():
            return None
        try:
            found = cast("RedisCache", self.cache).get_if_current(
                key,
                [topics.cache_key(topics.CLOCK)],
                holds=clock,
                stamp=held.stamp if held is not None else "",
            )
        except Exception as error:
            self.failed("read", error)
            return None
        if found.current is False:  # this process's copy is out of date: nothing to check
            return Current(None, found.also[0], [], known=True)
        entry = found.value if isinstance(found.value, Entry) else held if found.current else None
        if not found.current or entry is None:
            return Current(None, found.also[0], [], known=held is None)
        return Current(entry, found.also[0], [entry.topics[n] for n in found.gone], known=True)

    def set(self, key: str, page: Entry, seconds: int) -> None:
        if self.resting():
            return
        try:
            if self.one_trip():
                # Beside the page, where the script reading it finds them: its topics' keys
                # and the versions it showed.
                shown = [
                    (topics.cache_key(name), version) for name, version in page.shown().items()
                ]
                cast("RedisCache", self.cache).set_with_versions(
                    key, page, shown, seconds, stamp=page.stamp
                )
            else:
                self.cache.set(key, page, seconds)
        except Exception as error:
            self.failed("write", error)

    def resting(self) -> bool:
        return time.monotonic() < self.resting_until

    def failed(self, action: str, error: Exception) -> None:
        self.resting_until = time.monotonic() + RETRY_SECONDS
        log.error(
            "page cache: could not %s the shared cache (%s: %s); pages are served uncached, "
            "the cache is tried again in %s s",
            action,
            type(error).__name__,
            error,
            RETRY_SECONDS,
        )


@dataclass(frozen=True)
class Entry:
    """What is kept of a page: the topics it showed and their versions when it was rendered,
    the day and release it was rendered for, when, and (when the page cache is on) the page."""

    topics: tuple[str, ...]
    versions: tuple[int, ...]
    day: str
    release: str
    rendered_at: int  # whole seconds, as Last-Modified has them
    page: Page | None

    def fresh(self, now: dict[str, int]) -> bool:
        return tuple(now[name] for name in self.topics) == self.versions

    @cached_property
    def size(self) -> int:
        """About the bytes it takes in memory: its page's content (deflated) and the headers
        that are its own (the others are kept once: `RecentPages.shared_header`)."""
        if self.page is None:
            return ENTRY_OVERHEAD
        _, headers, content = self.page
        own = sum(len(n) + len(v) for n, v in headers if n in OWN_HEADERS)
        return ENTRY_OVERHEAD + len(content) + own

    def shown(self) -> dict[str, int]:
        """The versions of its topics it showed, which are the versions now while it is fresh."""
        return dict(zip(self.topics, self.versions, strict=True))

    @cached_property
    def stamp(self) -> str:
        """What tells this rendering from others of the same page as to their freshness: its
        topics and their versions (two renderings showing the same versions are fresh, or
        not, together)."""
        shown = json.dumps([self.topics, self.versions])
        return hashlib.blake2b(shown.encode(), digest_size=12).hexdigest()


@dataclass(frozen=True)
class Current:
    """An entry checked in the shared cache with its topics' versions (`SharedPages`): the
    entry unless one of its topics has moved since it was rendered (or nothing is kept), the
    clock (None when Redis no longer holds it), and the topics whose versions the shared cache
    no longer holds (their versions read from the database decide)."""

    entry: Entry | None
    clock: int | None
    gone: list[str]
    # False when this process's own copy may still be fresh though the shared cache cannot
    # tell (it no longer keeps that rendering): its versions must be read.
    known: bool


class Checked:
    """The clock at which each page this process keeps was last found fresh in Redis (or the
    database), and when.

    Any change moves the clock (caching/topics.py: one version for all the topics a change
    moves, and the clock, written together), so a page found fresh at a clock that has not
    moved since is still fresh: one key read instead of the versions of all its topics. While
    the process listens to changes (caching/watch.py), a page found fresh lately is not even
    read: the changes heard say whether it still is. Kept for the pages of `recent` only.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        # (key, the versions the kept page showed): the clock it was fresh at, and when it was
        # found so (time.monotonic(), taken before it was read).
        self.clocks: OrderedDict[tuple[str, tuple[int, ...]], tuple[int, float]] = OrderedDict()

    def found(self, key: str, entry: Entry) -> tuple[int, float] | None:
        """The clock `entry`, kept under `key`, was last found fresh at, and when (None: not
        found so)."""
        return self.clocks.get((key, entry.versions))

    def note(self, key: str, entry: Entry, clock: int, at: float) -> None:
        self.clocks[key, entry.versions] = (clock, at)
        self.clocks.move_to_end((key, entry.versions))
        while len(self.clocks) > self.size:
            self.clocks.popitem(last=False)


def reads_a_replica() -> bool:
    reading = current_reading()
    return reading is not None and reading.alias != DEFAULT_DB_ALIAS


def make_etag(versions: dict[str, int], day: str, address: str) -> str:
    """The topics' versions, the day, the release and the address: a page's ETag moves when,
    and only when, something it shows may have changed."""
    shown = json.dumps([sorted(versions.items()), day, release(), address])
    return f'"{hashlib.blake2b(shown.encode(), digest_size=12).hexdigest()}"'


class PageCacheMiddleware:
    """First in MIDDLEWARE: a cached page is answered before any other middleware runs (it
    was stored with the headers they added)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.recent = RecentPages(
            settings.PAGE_CACHE_RECENT, budget=settings.PAGE_CACHE_RECENT_MB * 1_000_000
        )
        self.checked = Checked(settings.PAGE_CACHE_RECENT)
        self.shared = SharedPages()
        # Until when the clock is taken to be moving (see `MOVING_SECONDS`).
        self.moving_until = 0.0

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not readers_page(request):
            return self.get_response(request)
        if not request.path_info.startswith(OWN_PARAMETERS_PREFIXES):
            request.GET = read_parameters(request.GET)
        if not public(request) or (settings.SECURE_SSL_REDIRECT and not request.is_secure()):
            return self.get_response(request)
        day = f"{timezone.localdate():%Y%m%d}"
        address = self.address(request)
        key = f"page:{release()}:{address}"
        fresh, clock = self.look_up(key, day)
        if fresh is not None:
            etag = make_etag(fresh.shown(), day, address)
            not_modified = conditional(request, etag, fresh.rendered_at)
            if not_modified is not None:
                return not_modified
            if fresh.page is not None:
                response: HttpResponseBase = answer(fresh.page, self.recent.content(key, fresh))
                response["X-Page-Cache"] = "hit"
                return response
        if reads_a_replica():
            # A replica behind the primary shows what it has replayed: the page is as new as
            # that, whatever the versions say.
            clock = min(clock, topics.clock_read_here())
        response = self.get_response(request)
        if not storable(response):
            return response
        names = sorted(topics.of(request))
        checked_at = time.monotonic()
        now = topics.versions(names)
        if max(now.values()) > clock:
            # Something it shows changed while it was rendered, or the replica it was read from
            # had not replayed that change yet: it may show the old version, so it is served
            # as it is, neither kept nor given an ETag a reader could revalidate it with.
            patch_cache_control(response, no_cache=True)
            response["X-Page-Cache"] = "miss"
            return response
        etag = make_etag(now, day, address)
        rendered_at = int(time.time())
        response["ETag"] = etag
        response["Last-Modified"] = http_date(rendered_at)
        # Browsers and proxies may keep it, but must ask again (cheaply: a 304) each time.
        patch_cache_control(response, public=True, no_cache=True)
        # Kept only when asked for by its own address.
        if own_address(request):
            seconds = settings.PAGE_CACHE_SECONDS
            page = None
            if seconds:
                page = (response.status_code, list(response.items()), deflated(response.content))
            entry = Entry(
                topics=tuple(names),
                versions=tuple(now[name] for name in names),
                day=day,
                release=release(),
                rendered_at=rendered_at,
                page=page,
            )
            kept = self.recent.keep(key, entry, response.content if seconds else None)
            # Fresh at the clock read before it was rendered: nothing it shows has moved since.
            self.checked.note(key, kept, clock, checked_at)
            # Without the page cache, what the page showed is still kept, for conditional GET.
            self.shared.set(key, entry, seconds or ENTRY_SECONDS)
        response["X-Page-Cache"] = "miss"
        return conditional(request, etag, rendered_at) or response

    def look_up(self, key: str, day: str) -> tuple[Entry | None, int]:
        """The entry kept for `key` if it is fresh (rendered for `day` by this release, and none
        of its topics moved since), and the clock.

        A page this process keeps, found fresh in Redis lately, is fresh while none of its
        topics has been heard to move since (caching/watch.py): nothing is read. Else it is
        checked as `checked_in_redis` says, and noted (`Checked`) when found fresh."""
        # What has changed since the last request (listening from the first one on).
        listening = watch().listening()
        entry = self.recent.get(key)
        heard = None if entry is None or not listening else self.heard_fresh(key, entry)
        if entry is not None and heard is not None:
            return (entry if self.current(entry, day) else None), heard
        started = time.monotonic()
        fresh, clock = self.checked_in_redis(key, day)
        if fresh is not None:
            self.checked.note(key, fresh, clock, started)
        return fresh, clock

    def heard_fresh(self, key: str, entry: Entry) -> int | None:
        """The clock, if the changes this process heard say that `entry` is still fresh."""
        found = self.checked.found(key, entry)
        if found is None:
            return None
        clock, at = found
        listening = watch()
        if not listening.vouches(entry.topics, entry.versions, at):
            return None
        return max(clock, listening.heard)

    def checked_in_redis(self, key: str, day: str) -> tuple[Entry | None, int]:
        """The entry kept for `key` if it is fresh, and the clock, as Redis (or the database)
        has them.

        The clock is read with the check, before anything is rendered (see `Checked`, and
        `topics.clock()`), in one round trip to Redis. A page of `recent` found fresh before
        is checked by the clock alone while nothing changes (a plain read); else a script run
        in Redis returns the clock and compares the page's topics' versions there, sending the
        page only when this process does not keep that rendering of it (after a change, and
        for `MOVING_SECONDS`, the script checks recent pages too: one round trip, not the
        clock then the script). Without Redis (or while it rests), the entry is read, then
        the clock (while the page was found fresh at it), then the versions."""
        entry = self.recent.get(key)
        checked = None if entry is None else self.checked.found(key, entry)
        noted = None if checked is None else checked[0]
        if entry is not None and noted is not None and time.monotonic() >= self.moving_until:
            # Between two changes: the clock alone, by a plain read (cheaper than the script).
            clock = topics.clock()
            if clock == noted:
                return (entry if self.current(entry, day) else None), clock
            self.moving_until = time.monotonic() + MOVING_SECONDS
        found = self.shared.get_if_current(key, entry, noted) if self.shared.one_trip() else None
        if found is not None and found.known:
            if found.entry is None or not self.current(found.entry, day):
                return None, topics.clock() if found.clock is None else found.clock
            if found.entry is not entry:
                entry = self.recent.keep(key, found.entry)
            if topics.resting():
                # The shared cache failed for the topics a moment ago: the database decides.
                now = topics.versions([*entry.topics, topics.CLOCK])
            elif found.clock is not None and not found.gone:
                return entry, found.clock  # every version compared in Redis
            else:
                # The script compared the versions Redis holds; the others are read here.
                gone = found.gone if found.clock is not None else [*found.gone, topics.CLOCK]
                now = {**entry.shown(), topics.CLOCK: found.clock or 0, **topics.read_gone(gone)}
            clock = now.pop(topics.CLOCK)
            return (entry if entry.fresh(now) else None), clock
        if entry is None and found is None and (entry := self.shared.get(key)) is not None:
            entry = self.recent.keep(key, entry)
        if entry is None or not self.current(entry, day):
            return None, topics.clock() if found is None or found.clock is None else found.clock
        # A copy of its own the shared cache no longer has (emptied, or another rendering
        # kept since), or no script to ask: its versions, and the clock.
        now = topics.versions([*entry.topics, topics.CLOCK])
        clock = now.pop(topics.CLOCK)
        return (entry if entry.fresh(now) else None), clock

    @staticmethod
    def current(entry: Entry, day: str) -> bool:
        return entry.day == day and entry.release == release()

    @staticmethod
    def address(request: HttpRequest) -> str:
        """What decides the page: scheme, host, the script name and the routed path (both
        are in `path`; `path_info` alone is routed), and the parameters the page may read."""
        address = json.dumps(
            [
                request.scheme,
                request.get_host(),
                request.path,
                request.path_info,
                sorted(request.GET.lists()),
            ]
        )
        return hashlib.blake2b(address.encode(), digest_size=16).hexdigest()


def conditional(request: HttpRequest, etag: str, last_modified: int) -> HttpResponse | None:
    """`304 Not Modified` when the reader already holds this version of the page."""
    if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
        return get_conditional_response(request, etag=etag, last_modified=last_modified)
    return None


def html(headers: list[tuple[str, str]]) -> bool:
    return any(name == "Content-Type" and value.startswith("text/html") for name, value in headers)


def deflated(content: bytes, dictionary: bytes | None = None) -> bytes:
    """`content` deflated, against `dictionary` if given (which inflating it then needs)."""
    if dictionary is None:
        return zlib.compress(content, DEFLATE_LEVEL)
    deflating = zlib.compressobj(DEFLATE_LEVEL, zdict=dictionary)
    return deflating.compress(content) + deflating.flush()


def inflated(content: bytes, dictionary: bytes | None = None) -> bytes:
    """`content` inflated: deflated plainly, or against `dictionary` (a deflated stream names
    the dictionary it needs, by its checksum: one that needs none ignores it)."""
    if dictionary is None:
        return zlib.decompress(content)
    inflating = zlib.decompressobj(zdict=dictionary)
    return inflating.decompress(content) + inflating.flush()


def answer(page: Page, content: bytes) -> HttpResponse:
    """A new response from a kept page (status and headers) and its `content`, inflated: never
    the same object twice, since the server closes and the handler annotates each response it
    sends."""
    status, headers, _ = page
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response
