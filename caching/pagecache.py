"""Readers' pages answered without rendering: conditional GET, and a shared page cache.

A public page depends on the archive's edition (caching/edition.py: one more at every change),
on the date (scheduled stories appear, ages change), on the code deployed and on its address.
Those four make its ETag and its cache key, so nothing is ever purged: a change starts a new
edition and every page is new from then on.

- Conditional GET: a reader (or a proxy) that sends back the ETag of the edition still current
  gets `304 Not Modified` before any view runs.
- Page cache (`PAGE_CACHE_SECONDS`, 0 to turn it off): a page rendered for one reader is kept
  in the cache (Redis when `REDIS_URL` is set, shared by every worker; local memory
  otherwise) and served as it is to the next ones. Each process also keeps the last
  `PAGE_CACHE_RECENT` pages it served in its own memory, so that a popular page costs no
  round trip to Redis at all.

Only anonymous requests qualify — no session or messages cookie, GET or HEAD, not the admin —
and only 200 responses that set no cookie and are not marked private (staff previews are
`private, no-store`). Everyone else goes through to the views as before.
"""

import datetime
import hashlib
import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache as default_cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from caching import edition

PRIVATE_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}
SKIPPED_PREFIXES = ("/admin/", "/healthz", "/static/")


@cache
def release():
    """A digest of the code and templates deployed, the same in every worker and on every
    server of one release: a new release starts new ETags and cache keys even when the data
    has not changed. Read once per process: `RELEASE` when the deployment names it (a commit,
    a version), otherwise the project's apps and templates as deployed."""
    if settings.RELEASE:
        return hashlib.blake2b(settings.RELEASE.encode(), digest_size=6).hexdigest()
    digest = hashlib.blake2b(digest_size=6)
    folders = [Path(apps.get_app_config(label).path) for label in settings.PROJECT_APPS]
    folders += [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html"} and "migrations" not in path.parts:
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


def public(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(SKIPPED_PREFIXES)
        and not PRIVATE_COOKIES.intersection(request.COOKIES)
    )


def storable(response):
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in control
        and "no-store" not in control
    )


class RecentPages:
    """The pages this process served last, in front of the shared cache: a hit costs no
    round trip to Redis. Safe to keep because a key names its edition; bounded in number."""

    def __init__(self, size):
        self.size = size
        self.pages = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key, page):
        with self.lock:
            self.pages[key] = page
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)


class PageCacheMiddleware:
    """First in MIDDLEWARE: a cached page is answered before any other middleware runs (it
    was stored with the headers they added)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.recent = RecentPages(settings.PAGE_CACHE_RECENT)

    def __call__(self, request):
        if not public(request) or (settings.SECURE_SSL_REDIRECT and not request.is_secure()):
            return self.get_response(request)
        stamp = edition.current()
        today = timezone.localdate()
        etag = f'"{release()}-{stamp.number}-{today:%Y%m%d}"'
        # Midnight starts a new day's pages too (scheduled stories appear): for If-Modified-Since.
        midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
        last_modified = max(stamp.changed_at, midnight).timestamp()
        if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
            not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if not_modified is not None:
                return not_modified
        seconds = settings.PAGE_CACHE_SECONDS
        key = self.key(request, etag) if seconds else None
        if key and (page := self.cached(key)) is not None:
            return answer(page)
        response = self.get_response(request)
        if storable(response):
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            # Browsers and proxies may keep it, but must ask again (cheaply: a 304) each time.
            patch_cache_control(response, public=True, no_cache=True)
            if key:
                page = (response.status_code, list(response.items()), response.content)
                self.recent.put(key, page)
                default_cache.set(key, page, seconds)
        return response

    def cached(self, key):
        page = self.recent.get(key)
        if page is None and (page := default_cache.get(key)) is not None:
            self.recent.put(key, page)
        return page

    @staticmethod
    def key(request, etag):
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        return f"page:{etag}:{hashlib.blake2b(address.encode(), digest_size=16).hexdigest()}"


def answer(page):
    """A new response from a stored (status, headers, content): never the same object twice,
    since the server closes and the handler annotates each response it sends."""
    status, headers, content = page
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response
