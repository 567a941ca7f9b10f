import datetime
from typing import Any

from django.core.paginator import Page
from django.db import router
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.text import Truncator
from django.views.generic import dates
from taggit.models import Tag

from caching.topics import depends_on
from common.jsonld import as_script
from common.links import address
from common.paging import CAP, CappedPaginator, among_newest, note_listing, page_of, periods_of
from common.prepared import prepared
from people.addresses import renamed_person
from people.models import Person
from pictures.sharing import share_image

from . import freshness, in_the_news, related
from .front_page import front_page as read_front_page
from .list_pages import day_page, month_page, tagged_page
from .models import Article, Mention, Publication, Quote, SourceLink
from .search import Filters, search, slug_or_nothing
from .story_page import story_page
from .structured_data import article_data, quote_data

PAGE_SIZE = 20


@prepared
def front_page(request: HttpRequest) -> HttpResponse:
    names = (freshness.STORIES, freshness.QUOTES, freshness.PEOPLE, freshness.OUTLETS)
    depends_on(request, *names, in_the_news.TOPIC)
    front = read_front_page(using=router.db_for_read(Article))
    lead, latest = (front.stories[0], front.stories[1:]) if front.stories else (None, [])
    return render(
        request,
        "articles/front_page.html",
        {
            "lead": lead,
            "latest": latest,
            "quotes": front.quotes,
            "speakers": [quote.speaker for quote in front.quotes],
            "in_the_news": front.in_the_news,
        },
    )


class ArchiveMixin:
    """The date archive: published stories only, two-digit months and days in addresses."""

    date_field = "published_on"
    month_format = "%m"
    day_format = "%d"
    paginate_by = PAGE_SIZE
    paginator_class = CappedPaginator
    # published() alone decides what is public, scheduled stories included: one rule.
    allow_future = True
    context_object_name = "stories"

    def get_queryset(self) -> QuerySet[Article]:
        return Article.objects.published().listed()

    def paginate_queryset(
        self, queryset: QuerySet[Article], page_size: int
    ) -> tuple[CappedPaginator, Page, Any, bool]:
        """As every other list of the site: a page number out of range or not a number gives
        the nearest page, not “not found”."""
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        note_listing(self.request, page.number)
        return paginator, page, page.object_list, page.has_other_pages()


class ArchiveIndex(ArchiveMixin, dates.ArchiveIndexView):
    template_name = "articles/archive_index.html"
    date_list_period = "year"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        depends_on(request, freshness.STORIES, freshness.OUTLETS)
        return super().get(request, *args, **kwargs)

    def get_date_list(
        self, queryset: QuerySet[Article], date_type: str | None = None, ordering: str = "DESC"
    ) -> list[datetime.date]:
        return periods("year")


class YearArchive(ArchiveMixin, dates.YearArchiveView):
    template_name = "articles/archive_year.html"
    make_object_list = True

    def get_date_list(
        self, queryset: QuerySet[Article], date_type: str | None = None, ordering: str = "ASC"
    ) -> list[datetime.date]:
        year = int(self.get_year())
        depends_on(self.request, freshness.year(datetime.date(year, 1, 1)), freshness.OUTLETS)
        months = periods("month", datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
        if not months:
            raise Http404("No stories that year.")
        return months[::-1]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(page_title=f"Stories of {self.get_year()}", **kwargs)


def periods(
    unit: str, start: datetime.date = datetime.date.min, end: datetime.date | None = None
) -> list[datetime.date]:
    """The years (or months) between `start` and `end` that have published stories, newest
    first, as their first days (a loose index scan, see common/paging.py)."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    end = min(end or tomorrow, tomorrow)  # scheduled stories are not public yet
    where = "status = %s AND published_on >= %s"
    status = Article.Status.PUBLISHED
    return periods_of("articles_article", "published_on", unit, where, [status, start], end)


def month_archive(request: HttpRequest, year: str, month: str) -> HttpResponse:
    """A month's stories by day, page by page, in one query (articles/list_pages.py)."""
    try:
        first = datetime.date(int(year), int(month), 1)
    except ValueError:
        raise Http404("No such month.") from None
    depends_on(request, freshness.month(first), freshness.OUTLETS)
    found = month_page(first, request.GET.get("page"), using=router.db_for_read(Article))
    if found is None:
        raise Http404("No stories that month.")
    note_listing(request, found.page.number)
    return render(
        request,
        "articles/archive_month.html",
        {
            "month": first,
            # Each day's address made here: in a template, thirty days' addresses built from
            # three date filters each cost a fifth of the page's time.
            "days": [(day, stories, day_address(day)) for day, stories in found.days],
            "total": found.total,
            "stories": found.page.object_list,
            "page_obj": found.page,
            "previous_month": found.previous,
            "next_month": found.next,
            "page_title": f"Stories of {first:%B %Y}",
        },
    )


def day_address(day: datetime.date) -> str:
    return address("articles:day", year=day.year, month=f"{day.month:02d}", day=f"{day.day:02d}")


def day_archive(request: HttpRequest, year: str, month: str, day: str) -> HttpResponse:
    """A day's stories, page by page, in one query (articles/list_pages.py)."""
    try:
        date = datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise Http404("No such day.") from None
    depends_on(request, freshness.month(date), freshness.OUTLETS)
    found = day_page(date, request.GET.get("page"), using=router.db_for_read(Article))
    if found is None:
        raise Http404("No stories that day.")
    note_listing(request, found.page.number)
    return render(
        request,
        "articles/archive_day.html",
        {
            "day": date,
            "stories": found.page.object_list,
            "page_obj": found.page,
            "paginator": found.page.paginator,
            "previous_day": found.previous,
            "next_day": found.next,
            "page_title": f"Stories of {date.day} {date:%B %Y}",
        },
    )


# Every query a story's page runs looks rows up by the story's keys (common/prepared.py).
@method_decorator(prepared, name="dispatch")
class StoryDetail(ArchiveMixin, dates.DateDetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    @property
    def previewing(self) -> bool:
        """Staff see drafts and scheduled stories, and quotes still to check, marked as such."""
        return self.request.user.is_staff

    def get_object(self, queryset: QuerySet[Article] | None = None) -> Article:
        """The story and everything its page shows, in one query (articles/story_page.py)."""
        try:
            day = datetime.date(*(int(self.kwargs[part]) for part in ("year", "month", "day")))
        except ValueError:
            raise Http404("No story on that day: it is not a date.") from None
        page = story_page(
            day,
            self.kwargs["slug"],
            previewing=self.previewing,
            using=router.db_for_read(Article),
        )
        if page is None:
            raise Http404("No story found matching the query.")
        self.page = page
        return page.article

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        if self.previewing:
            # A preview is for the one editor looking at it: never kept by a cache or indexed.
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        article, page = self.object, self.page
        mentions = sorted(
            page.mentions, key=lambda m: (m.role != Mention.Role.SUBJECT, m.person.name)
        )
        quotes, corrections, sources, tags = page.quotes, page.corrections, page.sources, page.tags
        people = [mention.person for mention in mentions]
        absolute = self.request.build_absolute_uri
        previous, following = page.previous, page.next
        suggested = page.related
        if suggested:
            # Chosen when the stories changed: the page moves with each one shown.
            chosen_from = [freshness.story(story.pk) for story in suggested]
        else:
            # Never chosen yet: chosen here, among their people's and tags' stories.
            suggested = related.scored_now(article, people, tags)
            chosen_from = [freshness.about(p.pk) for p in people]
            chosen_from += [freshness.tag(t.pk) for t in tags]
        speakers = {p.pk for q in quotes for p in q.speakers}
        outlets = {article.publication_id} | {s.publication_id for s in sources}
        depends_on(
            self.request,
            freshness.story(article.pk),
            freshness.OUTLETS,
            *(freshness.person(pk) for pk in {p.pk for p in people} | speakers),
            *chosen_from,
            *(freshness.tag(t.pk) for t in tags),
            *(freshness.outlet(pk) for pk in outlets if pk),
            *freshness.neighbours(previous, article, following),
        )
        # The story's own picture, else the portrait of its main person (the first, subjects
        # before the people only mentioned, who has one), else the site's card.
        share = share_image(article.lead_picture, *(person.portrait for person in people))
        return super().get_context_data(
            mentions=[(m, m.person.age_on(article.published_on)) for m in mentions],
            people=people,
            quotes=quotes,
            corrections=corrections,
            previewing=self.previewing,
            sources=sources,
            tags=tags,
            related=suggested,
            previous=previous,
            next=following,
            share=share,
            jsonld=as_script(article_data(article, people, absolute, corrections, share)),
            **kwargs,
        )


def quote_list(request: HttpRequest) -> HttpResponse:
    depends_on(request, freshness.QUOTES, freshness.PEOPLE)
    quotes = Quote.objects.published().select_related("speaker", "article")
    quotes = quotes.prefetch_related("joint_speakers")
    speaker = None
    if wanted := request.GET.get("person"):
        # A NUL byte or a sentence names no one, and PostgreSQL refuses a NUL outright.
        if not (slug := slug_or_nothing(wanted)):
            raise Http404("No such person.")
        speaker = Person.objects.filter(slug=slug).first()
        if speaker is None:
            if renamed := renamed_person(slug):
                query = request.GET.copy()
                query["person"] = renamed.slug
                return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")
            raise Http404("No such person.")
    quotes = quotes.order_by("-article__published_on", "-article_id", "position")
    if speaker is not None:
        # Said alone or with others (a joint statement): the newest of each, as far as the
        # pages reach, one index range each (an OR walks every quote by date to find a rare
        # speaker's few).
        alone, joint = quotes.filter(speaker=speaker), quotes.filter(joint_speakers=speaker)
        ranges = [alone.values_list("pk"), joint.values_list("pk")]
        quotes = quotes.filter(among_newest(ranges, CAP + 1))
    page = page_of(request, quotes, PAGE_SIZE, person=speaker.slug if speaker else "")
    return render(request, "articles/quote_list.html", {"page": page, "speaker": speaker})


@prepared
def quote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    quote = get_object_or_404(
        Quote.objects.published()
        .select_related("speaker", "article__publication")
        .prefetch_related("joint_speakers"),
        pk=pk,
    )
    sources = list(quote.sources.select_related("publication"))
    depends_on(
        request,
        freshness.story(quote.article_id),
        freshness.quote(quote.pk),
        freshness.OUTLETS,
        *(freshness.person(speaker.pk) for speaker in quote.speakers),
    )
    jsonld = as_script(quote_data(quote, request.build_absolute_uri))
    speaker = quote.speaker_names
    return render(
        request,
        "articles/quote_detail.html",
        {
            "quote": quote,
            "quote_title": f"{speaker}: “{Truncator(quote.text).words(12)}”",
            "sources": sources,
            "jsonld": jsonld,
        },
    )


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    depends_on(request, freshness.tag(tag.pk), freshness.OUTLETS)
    # Its stories counted and the page read in one query (articles/list_pages.py).
    page = tagged_page(tag.pk, request.GET.get("page"), using=router.db_for_read(Article))
    note_listing(request, page.number)
    if not page.object_list and page.number == 1:
        raise Http404("No published stories with this tag.")
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})


def publication_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Stories the outlet published, and stories citing it as a source."""
    publication = get_object_or_404(Publication, slug=slug)
    depends_on(request, freshness.outlet(publication.pk))
    published = Article.objects.published().order_by("-published_on", "-id").values_list("pk")
    citing = SourceLink.objects.filter(publication=publication).values_list("article_id")
    both = [published.filter(publication=publication), citing.order_by("-article_id")]
    # As far as the pages reach: the outlet's newest stories, and the stories most recently
    # added that cite it — two index ranges rather than an OR across two tables.
    stories = Article.objects.published().filter(among_newest(both, CAP + 1)).listed()
    page = page_of(request, stories.order_by("-published_on", "-id"), PAGE_SIZE)
    return render(
        request,
        "articles/publication_detail.html",
        {"publication": publication, "page": page},
    )


def search_page(request: HttpRequest) -> HttpResponse:
    results = search(
        request.GET.get("q", ""), Filters.from_request(request.GET), request.GET.get("page", 1)
    )
    shown = results.stories.number if results.stories else 1
    note_listing(request, shown, q=results.query, **results.filters.as_params())
    return render(
        request,
        "articles/search.html",
        {
            "query": results.query,
            "results": results,
            "extra_query": "&" + results.query_string(),
        },
    )
