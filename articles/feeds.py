from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from taggit.models import Tag

from people.feeds import ITEMS, StoryFeed

from .models import Article


def latest(queryset: QuerySet[Article]) -> QuerySet[Article]:
    return queryset.select_related("publication").order_by("-published_on", "-id")[:ITEMS]


class LatestStoriesFeed(StoryFeed):
    title = "Newsroom — latest stories"
    subtitle = "The latest celebrity interviews and news, with who said what."

    def link(self) -> str:
        return reverse("articles:archive")

    def items(self) -> QuerySet[Article]:
        return latest(Article.objects.published())


class TagFeed(StoryFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        # As the tag's page: a tag only drafts carry is not there yet, not even by its name.
        tag = get_object_or_404(Tag, slug=slug)
        if not Article.objects.published().filter(tags=tag).exists():
            raise Http404("No published stories with this tag.")
        return tag

    def title(self, tag: Tag) -> str:
        return f"Stories tagged “{tag.name}” — Newsroom"

    def subtitle(self, tag: Tag) -> str:
        return f"The latest stories tagged {tag.name}."

    def link(self, tag: Tag) -> str:
        return reverse("articles:tag", kwargs={"slug": tag.slug})

    def items(self, tag: Tag) -> QuerySet[Article]:
        return latest(Article.objects.published().filter(tags=tag))
