import datetime
from collections.abc import Iterable
from typing import Protocol

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from common.feeds import XmlSafeAtom1Feed

from .models import Person

ITEMS = 30


class Story(Protocol):
    """What a feed reads of a story (`articles.models.Article`, which this app may not
    import)."""

    @property
    def title(self) -> str: ...
    @property
    def dek(self) -> str: ...
    @property
    def published_at(self) -> datetime.datetime: ...
    @property
    def updated_at(self) -> datetime.datetime: ...
    @property
    def byline(self) -> str: ...
    def get_kind_display(self) -> str: ...


class StoryFeed(Feed):
    """Atom entries for stories; subclasses choose which."""

    feed_type = XmlSafeAtom1Feed

    def item_title(self, story: Story) -> str:
        return story.title

    def item_description(self, story: Story) -> str:
        return story.dek

    def item_pubdate(self, story: Story) -> datetime.datetime:
        return story.published_at

    def item_updateddate(self, story: Story) -> datetime.datetime:
        return story.updated_at

    def item_author_name(self, story: Story) -> str | None:
        return story.byline or None

    def item_categories(self, story: Story) -> list[str]:
        return [story.get_kind_display()]


class PersonFeed(StoryFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Person:
        return get_object_or_404(Person, slug=slug)

    def title(self, person: Person) -> str:
        return f"{person.name} — Newsroom"

    def subtitle(self, person: Person) -> str:
        return f"The latest stories about {person.name}."

    def link(self, person: Person) -> str:
        return person.get_absolute_url()

    def items(self, person: Person) -> Iterable[Story]:
        return (
            person.articles.published()
            .select_related("publication")
            .order_by("-published_on", "-id")[:ITEMS]
        )
