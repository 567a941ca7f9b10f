import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Publication, TaggedArticle
from common.paging import KeyRangePaginator
from people.models import Person


class KeyRangeSitemap(Sitemap):
    """A section too big to count or to page by OFFSET: its pages are ranges of keys, and its
    latest change is read from an index on `updated_at` — Django's own `get_latest_lastmod`
    reads every item: 20 s for the sitemap index at a million stories."""

    limit = 10_000

    # `Any`: stories or people, whatever has `updated_at`; each section says which.
    def items(self) -> QuerySet[Any]:
        raise NotImplementedError

    @property
    def paginator(self) -> KeyRangePaginator:  # type: ignore[override]
        return KeyRangePaginator(self.items(), self.limit)

    def lastmod(self, item: Article | Person) -> datetime.datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        latest = self.items().order_by("-updated_at").values_list("updated_at", flat=True)
        return latest.first()


class StorySitemap(KeyRangeSitemap):
    def items(self) -> QuerySet[Article]:
        return Article.objects.published().only("slug", "published_on", "updated_at")


class PersonSitemap(KeyRangeSitemap):
    def items(self) -> QuerySet[Person]:
        return Person.objects.only("slug", "updated_at")


class TagSitemap(Sitemap):
    """Tags with at least one published story: a tag page of drafts only is a 404. No lastmod:
    finding each tag's latest story would read every tagged story in the archive."""

    def items(self) -> QuerySet[Tag]:
        published = TaggedArticle.objects.filter(
            tag=OuterRef("pk"), content_object__in=Article.objects.published()
        )
        # A tag without a slug has no address (the data migration gave stored ones one).
        return Tag.objects.filter(Exists(published)).exclude(slug="").order_by("name")

    def location(self, tag: Tag) -> str:
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class PublicationSitemap(Sitemap):
    def items(self) -> QuerySet[Publication]:
        return Publication.objects.order_by("name")


class SectionSitemap(Sitemap):
    def items(self) -> list[str]:
        return ["articles:front", "articles:archive", "people:list", "articles:quotes"]

    def location(self, name: str) -> str:
        return reverse(name)


sitemaps = {
    "sections": SectionSitemap,
    "stories": StorySitemap,
    "people": PersonSitemap,
    "tags": TagSitemap,
    "publications": PublicationSitemap,
}
