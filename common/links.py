"""Addresses of the site's pages, as `reverse()` makes them, for a fraction of its cost.

A person's page links a hundred stories, people and quotes; `reverse()` looks each pattern up
afresh (its namespaces, its possible forms, its converters) every time. `address()` looks a
name up once per form and script prefix, and then only fills it in, checks it against the
pattern as `reverse()` does, and quotes it. Whatever it cannot fill in (a value the pattern
refuses, a name it does not know, positional arguments) it leaves to `reverse()` itself, so
the answer and the errors are Django's.
"""

import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.urls.resolvers import get_ns_resolver
from django.utils.http import RFC3986_SUBDELIMS, escape_leading_slashes

SAFE = RFC3986_SUBDELIMS + "/~:@"


@dataclass(frozen=True)
class Form:
    """One way to write a named pattern's address: the text to fill in, the pattern it must
    match, and the converters of its parts."""

    text: str
    pattern: re.Pattern[str]
    converters: dict[str, Any]


@functools.lru_cache(maxsize=512)
def form(urlconf: str, prefix: str, name: str, params: frozenset[str]) -> Form | None:
    """The form of `name`'s address in `urlconf` with exactly the parameters `params`, under
    `prefix`; None when there is no plain one (defaults, several possible forms)."""
    resolver = get_resolver(urlconf)
    *namespaces, view = name.split(":")
    ns_pattern = ""
    ns_converters: dict[str, Any] = {}
    for namespace in namespaces:
        if namespace not in resolver.namespace_dict:
            return None
        extra, resolver = resolver.namespace_dict[namespace]
        ns_pattern += extra
        ns_converters.update(resolver.pattern.converters)
    if ns_pattern:
        resolver = get_ns_resolver(ns_pattern, resolver, tuple(ns_converters.items()))
    forms = [
        (result, pattern, converters)
        for possibility, pattern, defaults, converters in resolver.reverse_dict.getlist(view)
        if not defaults
        for result, names in possibility
        if set(names) == params
    ]
    if len(forms) != 1:
        return None
    result, pattern, converters = forms[0]
    return Form(
        text=prefix.replace("%", "%%") + result,
        pattern=re.compile(f"^{re.escape(prefix)}{pattern}"),
        converters=converters,
    )


def address(name: str, **values: Any) -> str:
    """The address of the page named `name` with `values`: `reverse(name, kwargs=values)`."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    shape = form(urlconf, get_script_prefix(), name, frozenset(values))
    if shape is not None:
        try:
            texts = {
                key: shape.converters[key].to_url(value) if key in shape.converters else str(value)
                for key, value in values.items()
            }
        except ValueError:
            texts = None
        if texts is not None:
            filled = shape.text % texts
            if shape.pattern.search(filled):
                return escape_leading_slashes(quote(filled, safe=SAFE))
    return reverse(name, kwargs=values)
