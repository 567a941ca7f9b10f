from django.shortcuts import get_object_or_404
from django.urls import reverse
from taggit.models import Tag

from people.feeds import ITEMS, StoryFeed

from .models import Article


def latest(queryset):
    return queryset.select_related("publication").order_by("-published_on", "-id")[:ITEMS]


class LatestStoriesFeed(StoryFeed):
    title = "Newsroom — latest stories"
    subtitle = "The latest celebrity interviews and news, with who said what."

    def link(self):
        return reverse("articles:archive")

    def items(self):
        return latest(Article.objects.published())


class TagFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return f"Stories tagged “{tag.name}” — Newsroom"

    def subtitle(self, tag):
        return f"The latest stories tagged {tag.name}."

    def link(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})

    def items(self, tag):
        return latest(Article.objects.published().filter(tags=tag))
