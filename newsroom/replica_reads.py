"""Which database each request reads from (common/replicas.py does the routing).

Readers' GET and HEAD requests — pages, feeds, the API, search, the sitemap — read from one
replica for the whole request. The primary serves:
- the admin, and every request that is not a GET or HEAD;
- a browser that has just written (an editor who saved, anyone who signed in): a signed cookie
  set by the answer to any request that wrote sends its reads to the primary for
  `READ_YOUR_WRITES_SECONDS`, so an editor sees the story as saved, not a replica's older copy;
- everyone, while no replica is usable (down, or lagging more than `REPLICA_MAX_LAG_SECONDS`).

A readers' request that fails (500) on a replica makes the replica be checked again at once;
if it no longer answers, or has fallen behind, the request is answered again from the primary,
so a replica that stops costs no reader an error page.

First in MIDDLEWARE: the page cache below it reads the archive's edition from the same
database as the page it keys.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.signing import BadSignature
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest, HttpResponseBase

from common import replicas

log = logging.getLogger(__name__)

SALT = "newsroom.replica_reads"
PRIMARY_PREFIXES = ("/admin/",)


def reads_replica(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or request.path_info.startswith(PRIMARY_PREFIXES):
        return False
    return not recently_wrote(request)


def recently_wrote(request: HttpRequest) -> bool:
    try:
        request.get_signed_cookie(
            settings.READ_YOUR_WRITES_COOKIE,
            salt=SALT,
            max_age=settings.READ_YOUR_WRITES_SECONDS,
        )
    except (KeyError, BadSignature):  # no cookie, a forged one, or one too old
        return False
    return True


class ReplicaReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not replicas.replica_aliases():
            return self.get_response(request)  # every query goes to the one database
        alias = replicas.choose() if reads_replica(request) else DEFAULT_DB_ALIAS
        response, wrote = self.read_from(request, alias)
        if (
            response.status_code >= 500
            and alias != DEFAULT_DB_ALIAS
            and not wrote
            and not replicas.states.recheck(alias).usable()
        ):
            log.warning("%s failed on replica %s: answered from the primary", request.path, alias)
            response, wrote = self.read_from(request, DEFAULT_DB_ALIAS)
        if wrote:
            remember_the_write(response)
        return response

    def read_from(self, request: HttpRequest, alias: str) -> tuple[HttpResponseBase, bool]:
        token = replicas.reading_from(alias)
        try:
            response = self.get_response(request)
            reading = replicas.current_reading()
            return response, bool(reading and reading.wrote)
        finally:
            replicas.stop_reading(token)


def remember_the_write(response: HttpResponseBase) -> None:
    """The browser reads the primary for a while (read-your-writes)."""
    response.set_signed_cookie(
        settings.READ_YOUR_WRITES_COOKIE,
        "1",
        salt=SALT,
        max_age=settings.READ_YOUR_WRITES_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
