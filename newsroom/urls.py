from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from .sitemaps import sitemaps
from .views import healthz, robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("people/", include("people.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("healthz", healthz, name="healthz"),
    path("", include("articles.urls")),
]
