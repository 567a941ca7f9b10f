"""How much one anonymous client may ask of the API (`API_RATE_LIMIT`, "120/min" by default).

A client is its address as `common.clientip.client_ip` sees it: the connection's address,
or, only with `BEHIND_PROXY=1`, the last address the proxy added to X-Forwarded-For (what a
client writes there itself is never believed). An IPv6 client is its /64 network, since one
machine may be handed a whole /64 and change address at will within it.

Each client has one counter per window of the period (a fixed window), kept in the cache —
Redis with `REDIS_URL`, so every worker and every server counts together — and added to
atomically (`incr`), so two workers never both let the last request through. Past the limit
the API answers 429 with `Retry-After`: the seconds until the window ends. Signed-in staff are
not counted. An answer from the page cache, or a 304, runs no view and is not counted: it
costs the server no query.
"""

import ipaddress
import re
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from common.clientip import client_ip

PERIODS = {"s": 1, "min": 60, "hour": 3600, "day": 86400}
RATE = re.compile(r"^\s*(\d+)\s*/\s*(s|min|hour|day)\s*$")


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int


def parse_rate(text: str) -> Rate | None:
    """ "120/min" → Rate(120, 60); empty → None (no limit); anything else is refused."""
    if not text or not text.strip():
        return None
    match = RATE.match(text)
    if not match or int(match[1]) < 1:
        raise ImproperlyConfigured(
            f"API_RATE_LIMIT={text!r}: write requests per period, as “120/min” "
            f"(periods: {', '.join(PERIODS)}), or leave it empty for no limit."
        )
    return Rate(int(match[1]), PERIODS[match[2]])


def client_key(request: HttpRequest) -> str:
    """The client a request counts against: its address, an IPv6 one as its /64."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:  # ::ffff:192.0.2.1 is 192.0.2.1
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class AnonymousRate(BaseThrottle):
    """ninja's throttle interface over one cache counter per client and window. One object
    serves every thread of a worker: the wait it reports is kept per thread."""

    def __init__(self) -> None:
        self.local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        rate = parse_rate(settings.API_RATE_LIMIT)
        if rate is None or request.user.is_authenticated:
            return True
        now = time.time()
        window = int(now // rate.seconds)
        self.local.retry_after = (window + 1) * rate.seconds - now
        key = f"api-rate:{client_key(request)}:{rate.seconds}:{window}"
        cache.add(key, 0, rate.seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the window's counter expired between add() and incr()
            cache.set(key, 1, rate.seconds + 1)
            count = 1
        return count <= rate.requests

    def wait(self) -> float:
        return self.local.retry_after
