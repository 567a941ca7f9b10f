from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from .sitemaps import sitemaps
from .views import healthz, readyz, robots_txt, sitemap_section

urlpatterns = [
    path("admin/", admin.site.urls),
    path("people/", include("people.urls")),
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
]
