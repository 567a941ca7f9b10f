"""Addresses that never break: a renamed person's old addresses answer 301 to the new ones.

A rename is remembered by the model (`Person.save` keeps a `FormerSlug`); the views that take a
person's slug are wrapped in `follows_renamed_person`, which asks only when the view found
nobody, so a page that exists costs nothing more. The redirect goes to the same view with the
person's slug today, so an address renamed twice (A → B → C) goes straight to C, and the
query string comes along (`?page=2` of a person's stories).
"""

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from .models import FormerSlug, Person


def moved_permanently(request: HttpRequest, path: str) -> HttpResponsePermanentRedirect:
    """301 to `path`, with the request's query string."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)


def renamed_person(slug: str) -> Person | None:
    """The person who had `slug` before a rename, unless someone has it now."""
    former = FormerSlug.objects.select_related("person").filter(slug=slug).first()
    if former is None or Person.objects.filter(slug=slug).exists():
        return None
    return former.person


def follows_renamed_person(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a view reached by a URL pattern with a `slug` argument naming a person: where the
    view answers 404 for a slug a person had before, answer 301 to the same view with their
    slug today."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            person = renamed_person(kwargs.get("slug", ""))
            if person is None:
                raise
            match = request.resolver_match
            assert match is not None  # reached through the URL router
            path = reverse(match.view_name, args=args, kwargs={**kwargs, "slug": person.slug})
            return moved_permanently(request, path)

    return wrapper
