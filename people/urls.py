from django.urls import path

from . import feeds, views
from .addresses import follows_renamed_person

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("<slug:slug>/", follows_renamed_person(views.person_detail), name="detail"),
    path("<slug:slug>/feed/", follows_renamed_person(feeds.PersonFeed()), name="feed"),
]
