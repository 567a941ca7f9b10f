"""/api/ (where the versions are) and /data/ (the dumps: the page, and their files)."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .dataset import LATEST, NAME, complete_dumps
from .licences import QUOTED_WORDS, archive_licence

# A dump's files never change once written (a new dump gets a new folder).
KEPT_FOR = 60 * 60 * 24 * 365


@require_safe
def api_root(request: HttpRequest) -> JsonResponse:
    v1 = request.build_absolute_uri(reverse("api-v1:index"))
    return JsonResponse(
        {
            "versions": {"v1": v1},
            "schema": request.build_absolute_uri(reverse("api-v1:openapi-json")),
            "docs": request.build_absolute_uri(reverse("api-v1:openapi-view")),
            "dumps": request.build_absolute_uri(reverse("opendata:data")),
        }
    )


@require_safe
def data_page(request: HttpRequest) -> HttpResponse:
    dumps = complete_dumps(settings.DATASET_ROOT)
    return render(
        request,
        "opendata/data.html",
        {
            "latest": dumps[0] if dumps else None,
            "earlier": dumps[1:],
            "licence": archive_licence(),
            "quoted_words": QUOTED_WORDS,
        },
    )


@require_safe
def data_file(request: HttpRequest, dump: str, name: str) -> HttpResponseBase:
    """A file a dump's manifest lists; `latest/…` redirects to the newest dump's, so that the
    address of a file always names one dump and can be kept by caches for ever."""
    dumps = complete_dumps(settings.DATASET_ROOT)
    if dump == LATEST and dumps:
        if dumps[0].file(name) is None:
            raise Http404("No such file in the latest dump.")
        return redirect("opendata:file", dump=dumps[0].name, name=name)
    found = next((d for d in dumps if d.name == dump), None) if NAME.match(dump) else None
    path = found.file(name) if found else None
    if path is None:
        raise Http404("No such dump or file.")
    response = FileResponse(open(path, "rb"), filename=name)  # noqa: SIM115 — closed by Django
    response["Cache-Control"] = f"public, max-age={KEPT_FOR}, immutable"
    return response
