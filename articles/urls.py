from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.front_page, name="front"),
    path(
        "articles/<int:year>/<int:month>/<int:day>/<slug:slug>/",
        views.article_detail,
        name="detail",
    ),
    path("quotes/<int:pk>/", views.quote_detail, name="quote"),
    path("publications/<slug:slug>/", views.publication_detail, name="publication"),
]
