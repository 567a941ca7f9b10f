"""The readers' pages' template engine: Jinja2, speaking as Django's templates did.

Jinja2 compiles a template to Python once; Django's engine walks a tree of nodes on every
render, resolving each variable through its lookups (docs/performance.md has the figures).
The admin keeps Django's templates (`templates/`); the readers' pages live in `jinja2/`
folders (the site's and each app's).

What the pages write is what Django's templates wrote, byte for byte:
- every value printed is escaped as Django's `conditional_escape` does (`escaped`, the
  `finalize` of the environment), so quotes come out as `&quot;` and `&#x27;`, and Django's
  safe strings (JSON-LD, `mark_safe`) stay as they are;
- the filters the pages use are Django's own (`date` through common/datefilter.py, in local
  time as Django's filter receives it; `intcomma`, `pluralize`, `truncatewords`, …);
- `url()` is `{% url %}`: `common.links.address` for named values, `reverse()` otherwise;
- a missing value prints nothing, and so do its attributes and its methods' answers
  (`Missing`); Django's filters are given an empty string for it, as Django's templates give
  them; a template's last newline is kept.
"""

import datetime
import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from jinja2 import ChainableUndefined, Environment, Undefined
from markupsafe import Markup, escape

from common import datefilter
from common.links import address
from pictures import tags as picture_tags


def escaped(value: Any) -> Any:
    """Django's `conditional_escape`, at MarkupSafe's speed: its escape written in C, and the
    two quotes spelt as Django spells them (`&quot;`, `&#x27;`, not `&#34;`, `&#39;`). What is
    already safe (Django's safe strings too) is left alone, for Jinja2 to take as it is."""
    if hasattr(value, "__html__"):
        return value
    text = str(escape(value))
    return Markup(text.replace("&#39;", "&#x27;").replace("&#34;", "&quot;"))


def url(name: str, *args: Any, **values: Any) -> str:
    """`{% url name … %}`."""
    if args:
        return reverse(name, args=args)
    return address(name, **values)


def date(value: Any, format: str | None = None) -> str:
    """Django's `date` filter (common/datefilter.py), date-times in local time first."""
    if isinstance(value, datetime.datetime):
        value = template_localtime(value)
    return datefilter.date(value, format)


def join(value: Iterable[Any], separator: str) -> SafeString:
    """Django's `join`: each part escaped, and the separator."""
    return defaultfilters.join(value, separator, autoescape=True)


class Missing(ChainableUndefined):
    """A name the context does not have: it prints nothing, and so do its attributes and what
    calling it answers, as in Django's templates (where `{{ story.get_absolute_url }}` of no
    story is empty, not an error)."""

    def __call__(self, *args: Any, **kwargs: Any) -> "Missing":  # type: ignore[override]
        return self


def as_django_gives(django_filter: Callable[..., Any]) -> Callable[..., Any]:
    """`django_filter`, given an empty string for a missing value, as Django's templates give
    their filters (their `string_if_invalid`)."""

    @functools.wraps(django_filter)
    def wrapper(value: Any, *args: Any) -> Any:
        return django_filter("" if isinstance(value, Undefined) else value, *args)

    return wrapper


# The filters the pages use, Django's own.
DJANGO_FILTERS: dict[str, Callable[..., Any]] = {
    "date": date,
    "join": join,
    "capfirst": defaultfilters.capfirst,
    "filesizeformat": defaultfilters.filesizeformat,
    "intcomma": intcomma,
    "pluralize": defaultfilters.pluralize,
    "truncatechars": defaultfilters.truncatechars,
    "truncatewords": defaultfilters.truncatewords,
    "urlencode": defaultfilters.urlencode,
}
FILTERS = {name: as_django_gives(django_filter) for name, django_filter in DJANGO_FILTERS.items()}

GLOBALS = {
    "url": url,
    "static": static,
    "picture": picture_tags.picture,
    "portraits_of": picture_tags.portraits_of,
    "face_url": picture_tags.face_url,
    "share_card": picture_tags.share_card,
}


def environment(**options: Any) -> Environment:
    """The environment Django's Jinja2 backend builds (settings.TEMPLATES)."""
    options["undefined"] = Missing
    env = Environment(keep_trailing_newline=True, finalize=escaped, **options)
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env
