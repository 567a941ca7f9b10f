"""Addresses that never break: a story renamed or redated answers 301 at its old address.

As for people (people/addresses.py): the model keeps the old date and slug (`FormerAddress`),
and the views that take a story's address are wrapped in `follows_moved_story`, which asks only
when the view found nothing. The redirect goes to the story's address today, and only while
the story is published — an old address of a story now a draft or scheduled is a 404, as its
new address is.
"""

import datetime
import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from people.addresses import moved_permanently

from .models import Article, FormerAddress


def moved_story(year: str, month: str, day: str, slug: str) -> Article | None:
    """The published story that had this address before, unless a story has it now."""
    try:
        published_on = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    former = FormerAddress.objects.filter(published_on=published_on, slug=slug).first()
    if former is None or Article.objects.filter(published_on=published_on, slug=slug).exists():
        return None
    return Article.objects.published().filter(pk=former.article_id).first()


def follows_moved_story(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a view reached by a URL pattern with `year`, `month`, `day` and `slug` arguments
    naming a story: where the view answers 404 for an address a published story had before,
    answer 301 to the same view at the story's address today."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            address = [kwargs.get(name, "") for name in ("year", "month", "day", "slug")]
            story = moved_story(*address)
            if story is None:
                raise
            today = story.published_on
            match = request.resolver_match
            assert match is not None  # reached through the URL router
            path = reverse(
                match.view_name,
                args=args,
                kwargs={
                    **kwargs,
                    "year": today.year,
                    "month": today.month,
                    "day": today.day,
                    "slug": story.slug,
                },
            )
            return moved_permanently(request, path)

    return wrapper
