from django.urls import path

from . import feeds, views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("<slug:slug>/", views.person_detail, name="detail"),
    path("<slug:slug>/feed/", feeds.PersonFeed(), name="feed"),
]
