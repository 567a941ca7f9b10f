from django.urls import path, register_converter

from . import converters, feeds, views
from .addresses import follows_moved_story

register_converter(converters.FourDigits, "yyyy")
register_converter(converters.TwoDigits, "dd")
register_converter(converters.TagSlug, "tag")

app_name = "articles"

urlpatterns = [
    path("", views.front_page, name="front"),
    path("articles/", views.ArchiveIndex.as_view(), name="archive"),
    path("articles/<yyyy:year>/", views.YearArchive.as_view(), name="year"),
    path("articles/<yyyy:year>/<dd:month>/", views.month_archive, name="month"),
    path("articles/<yyyy:year>/<dd:month>/<dd:day>/", views.day_archive, name="day"),
    path(
        "articles/<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        follows_moved_story(views.StoryDetail.as_view()),
        name="detail",
    ),
    path("quotes/", views.quote_list, name="quotes"),
    path("quotes/<int:pk>/", views.quote_detail, name="quote"),
    path("tags/<tag:slug>/", views.tag_detail, name="tag"),
    path("tags/<tag:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("publications/<slug:slug>/", views.publication_detail, name="publication"),
    path("search/", views.search_page, name="search"),
    path("feeds/latest/", feeds.LatestStoriesFeed(), name="latest_feed"),
]
