"""Every request gets an id: on its log lines (common/logs.py) and in its answer's
`X-Request-ID` header, so that a reader's report, the proxy's log and the application's log
can be matched.

The id comes from the request's `X-Request-ID` header only behind a proxy (`BEHIND_PROXY`),
which sets or passes it (deploy/nginx/newsroom.conf), and only when it looks like an id;
otherwise each request gets a new one. A client talking to the server directly could
otherwise put any text into the logs, or reuse another request's id.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from common.logs import request_id

HEADER = "X-Request-ID"
# A UUID, nginx's `$request_id` (32 hex digits), or a load balancer's own: letters, digits,
# `-`, `_` and `.`, 8 to 128 of them. Nothing that could break a log line or a header.
LOOKS_LIKE_AN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,127}")

log = logging.getLogger("newsroom.requests")


def new_id() -> str:
    return uuid.uuid4().hex


def incoming_id(request: HttpRequest) -> str | None:
    """The id the proxy gave the request, if it is to be believed."""
    if not settings.BEHIND_PROXY:
        return None
    given = request.headers.get(HEADER, "")
    return given if LOOKS_LIKE_AN_ID.fullmatch(given) else None


class RequestIdMiddleware:
    """Outermost, so that every answer carries the id, 304s and cached pages included, and
    every line logged while the request runs has it. With `LOG_FORMAT=json` each request ends
    with one line on the `newsroom.requests` logger: method, path, status, milliseconds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        current = incoming_id(request) or new_id()
        token = request_id.set(current)
        # For the lines Django writes about the answer after this middleware has returned.
        request.request_id = current  # type: ignore[attr-defined]
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = current
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)
