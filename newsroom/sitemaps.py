from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Publication, TaggedArticle
from people.models import Person


class StorySitemap(Sitemap):
    limit = 10_000

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "published_on", "updated_at")
            .order_by("-published_on", "-id")
        )

    def lastmod(self, story):
        return story.updated_at


class PersonSitemap(Sitemap):
    limit = 10_000

    def items(self):
        return Person.objects.only("slug", "updated_at").order_by("name")

    def lastmod(self, person):
        return person.updated_at


class TagSitemap(Sitemap):
    """Tags with at least one published story: a tag page of drafts only is a 404. No lastmod:
    finding each tag's latest story would read every tagged story in the archive."""

    def items(self):
        published = TaggedArticle.objects.filter(
            tag=OuterRef("pk"), content_object__in=Article.objects.published()
        )
        return Tag.objects.filter(Exists(published)).order_by("name")

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class PublicationSitemap(Sitemap):
    def items(self):
        return Publication.objects.order_by("name")


class SectionSitemap(Sitemap):
    def items(self):
        return ["articles:front", "articles:archive", "people:list", "articles:quotes"]

    def location(self, name):
        return reverse(name)


sitemaps = {
    "sections": SectionSitemap,
    "stories": StorySitemap,
    "people": PersonSitemap,
    "tags": TagSitemap,
    "publications": PublicationSitemap,
}
