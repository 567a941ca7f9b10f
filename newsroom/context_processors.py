def canonical(request):
    """The page's canonical address: no query string but the page number of a list."""
    url = request.build_absolute_uri(request.path)
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        url += f"?page={int(page)}"
    return {"canonical_url": url}
