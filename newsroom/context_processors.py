from urllib.parse import urlencode

from django.http import HttpRequest


def canonical(request: HttpRequest) -> dict[str, str]:
    """The page's canonical address: the path, and of the query string only what its view
    noted as choosing what the page lists (`common.paging.note_listing`) — the person whose
    quotes, the search and its facets, the place in the directory, the number of the page
    shown (not the one asked for, when that was out of range) — never tracking parameters."""
    url = request.build_absolute_uri(request.path)
    if listing := getattr(request, "listing", None):
        url = f"{url}?{urlencode(listing)}"
    return {"canonical_url": url}
