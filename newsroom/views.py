from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from common import health
from jobs.broker import broker_state

from .sitemaps import sitemaps


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /api/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def sitemap_section(request, section):
    """One section of the sitemap, a page of it at `?p=` (Django's view, which answers 404 for
    a page that is not there); the page number noted like a listing's, so that the page cache
    keeps `?p=2` and not `?p=02` as well (caching/pagecache.py)."""
    response = sitemap_views.sitemap(request, sitemaps, section)
    page = int(request.GET.get("p", 1))
    request.listing = {"p": page} if page > 1 else {}
    return response


@never_cache
@require_safe
def healthz(request):
    """Liveness: 200 while the process answers, whatever its dependencies — restarting it would
    not bring a database back — with each dependency's state in the body."""
    states = health.dependencies()
    ok = all(state == health.State.OK for state in states.values())
    return JsonResponse({"status": "ok" if ok else "degraded", **states})


@never_cache
@require_safe
def readyz(request):
    """Readiness: 503 while the database does not answer (no page could be served). A cache
    that does not answer is reported but not a 503: pages are served without it, and every
    server shares it, so failing on it would take them all out of service at once."""
    states: dict[str, health.State] = health.dependencies()
    # The job broker, when there is one: reported, not a 503 — pages are served without it,
    # and the jobs asked for meanwhile wait in the database (jobs/queue.py).
    if (queue := broker_state()) is not None:
        states["queue"] = queue
    ready = states["database"] == health.State.OK
    status = "ok" if all(s == health.State.OK for s in states.values()) else "degraded"
    return JsonResponse(
        {"status": status if ready else "unavailable", **states}, status=200 if ready else 503
    )
