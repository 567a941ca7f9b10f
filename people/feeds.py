from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404

from common.feeds import XmlSafeAtom1Feed

from .models import Person

ITEMS = 30


class StoryFeed(Feed):
    """Atom entries for stories; subclasses choose which."""

    feed_type = XmlSafeAtom1Feed

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        return story.dek

    def item_pubdate(self, story):
        return story.published_at

    def item_updateddate(self, story):
        return story.updated_at

    def item_author_name(self, story):
        return story.byline or None

    def item_categories(self, story):
        return [story.get_kind_display()]


class PersonFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Person, slug=slug)

    def title(self, person):
        return f"{person.name} — Newsroom"

    def subtitle(self, person):
        return f"The latest stories about {person.name}."

    def link(self, person):
        return person.get_absolute_url()

    def items(self, person):
        return (
            person.articles.published()
            .select_related("publication")
            .order_by("-published_on", "-id")[:ITEMS]
        )
