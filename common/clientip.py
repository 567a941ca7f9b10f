"""The address a request comes from, for sign-in throttling and the API's rate limit.

Directly exposed, it is the connection's address. Behind a proxy (`BEHIND_PROXY=1`), every
connection comes from the proxy, so the address is the last one the proxy added to
X-Forwarded-For — the one it saw; earlier entries are whatever the client chose to send.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    if settings.BEHIND_PROXY:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")
