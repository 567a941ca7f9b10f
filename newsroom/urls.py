from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from opendata.api import api
from opendata.views import api_root

from .sitemaps import sitemaps
from .views import healthz, readyz, robots_txt, sitemap_section

urlpatterns = [
    path("admin/", admin.site.urls),
    path("people/", include("people.urls")),
    path("api/", api_root, name="api"),
    path("api/v1/", api.urls),
    path("data/", include("opendata.urls")),
    # An index of one sitemap per section, each in pages of at most 10,000 addresses.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", include("articles.urls")),
    # Uploaded pictures, served by Django itself with DEBUG on only (static() adds nothing
    # otherwise): in production the web server or the object store serves MEDIA_URL.
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
