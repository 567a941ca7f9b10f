def canonical(request):
    """The page's canonical address: no query string but the place in a list — its page
    number, or the key a directory page starts after or ends before."""
    url = request.build_absolute_uri(request.path)
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        return {"canonical_url": f"{url}?page={int(page)}"}
    for place in ("after", "before"):
        key = request.GET.get(place, "")
        if key.isascii() and key.isdigit() and len(key) <= 18:
            return {"canonical_url": f"{url}?{place}={int(key)}"}
    return {"canonical_url": url}
