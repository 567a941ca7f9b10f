"""The admin's addresses refuse a NUL byte in their query string (400).

PostgreSQL refuses a NUL byte in any text it is given, and the admin hands the values of its
filters and of its autocomplete to the database as they come (`?status__exact=%00` was a
server error). No admin address means anything with one; the readers' pages read their
parameters themselves and answer as for any other odd value.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBadRequest
from django.http.response import HttpResponseBase

ADMIN = "/admin/"


class RefuseNulBytesInAdmin:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(ADMIN) and any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "A NUL byte is not a character an admin address can hold.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
