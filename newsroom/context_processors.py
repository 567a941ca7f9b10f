from people.paging import key_from


def canonical(request):
    """The page's canonical address: no query string but the place in a list — its page
    number, or the key a directory page starts after or ends before."""
    url = request.build_absolute_uri(request.path)
    page = key_from(request.GET.get("page"))  # ASCII digits: "²" is a digit to isdigit()
    if page is not None and page > 1:
        return {"canonical_url": f"{url}?page={page}"}
    for place in ("after", "before"):
        if (key := key_from(request.GET.get(place))) is not None:
            return {"canonical_url": f"{url}?{place}={key}"}
    return {"canonical_url": url}
