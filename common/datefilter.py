"""The templates' `date` filter: Django's, remembered for plain days.

A person's page writes some forty dates, each formatted afresh by Django's filter (its format
looked up, its month's name translated); an archive has few distinct days, so the text of a
day in a format, in a language, is kept. Date-times go to Django's filter unchanged. Loaded as
a builtin of the templates (settings.TEMPLATES), after Django's own, whose `date` it replaces.
"""

import datetime
import functools

from django import template
from django.template import defaultfilters
from django.utils.translation import get_language

register = template.Library()


@functools.lru_cache(maxsize=8192)
def day_text(day: datetime.date, format: str | None, language: str | None) -> str:
    return defaultfilters.date(day, format)


@register.filter(expects_localtime=True, is_safe=False)
def date(value: datetime.date | str | None, arg: str | None = None) -> str:
    """Django's `date` filter (https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date)."""
    if type(value) is datetime.date:
        return day_text(value, arg, get_language())
    return defaultfilters.date(value, arg)
