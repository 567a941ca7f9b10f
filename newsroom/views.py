from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from common import health

from .sitemaps import sitemaps


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /api/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def sitemap_section(request: HttpRequest, section: str) -> TemplateResponse:
    """One section of the sitemap, a page of it at `?p=` (Django's view, which answers 404 for
    a page that is not there); the page number noted like a listing's, so that the page cache
    keeps `?p=2` and not `?p=02` as well (caching/pagecache.py)."""
    # Django's stub wants a dict of sitemap classes or instances; ours holds classes only,
    # which the view reads the same, but a dict's type is invariant.
    response = sitemap_views.sitemap(request, sitemaps, section)  # type: ignore[arg-type]
    page = int(request.GET.get("p", 1))
    request.listing = {"p": page} if page > 1 else {}  # type: ignore[attr-defined]
    return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: 200 while the process answers, whatever its dependencies — restarting it would
    not bring a database back — with each dependency's state in the body."""
    states = health.dependencies()
    ok = all(state == health.State.OK for state in states.values())
    return JsonResponse({"status": "ok" if ok else "degraded", **states})


def replicas_ok(replicas: dict[str, dict[str, object]]) -> bool:
    return all(replica["state"] == health.State.OK for replica in replicas.values())


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 503 while a required dependency does not answer — the database: no page
    could be served (common/health.py). One that is not required, such as the cache, is
    reported but not a 503: pages are served without it, and every server shares it, so
    failing on it would take them all out of service at once. Likewise a replica: pages are
    then read from the primary. Each replica: its state and seconds behind the primary."""
    states = health.dependencies()
    replicas = health.replicas()
    ready = health.ready(states)
    ok = all(s == health.State.OK for s in states.values()) and replicas_ok(replicas)
    body: dict[str, object] = {
        "status": ("ok" if ok else "degraded") if ready else "unavailable",
        **states,
    }
    if replicas:
        body["replicas"] = replicas
    return JsonResponse(body, status=200 if ready else 503)
