import datetime

import pytest
from django.template import Context, Engine, engines
from django.utils import timezone, translation

from common import datefilter

DAY = datetime.date(2022, 2, 9)
FORMATS = ['"j F Y"', '"l j F Y"', "'Y'", "'Y-m-d'", "'m'", '"F"', ""]


def render(source, **context):
    return engines["django"].from_string(source).render(context)


def django_own(source, **context):
    """The same template under Django's own builtins only."""
    return Engine(builtins=[]).from_string(source).render(Context(context))


@pytest.mark.parametrize("format", FORMATS)
def test_a_day_reads_as_with_django_s_own_filter(format):
    source = "{{ day|date%s }}" % (f":{format}" if format else "")
    datefilter.day_text.cache_clear()
    assert render(source, day=DAY) == django_own(source, day=DAY)
    # Remembered: the second time, from the cache.
    assert render(source, day=DAY) == django_own(source, day=DAY)
    assert datefilter.day_text.cache_info().hits >= 1


def test_the_templates_use_it():
    assert engines["django"].engine.template_builtins[-1].filters["date"] is datefilter.date


def test_a_date_time_is_django_s_in_local_time():
    moment = timezone.make_aware(datetime.datetime(2022, 2, 9, 23, 30), datetime.UTC)
    source = '{{ moment|date:"j F Y, H:i e" }}'
    assert render(source, moment=moment) == django_own(source, moment=moment)


def test_nothing_and_text_are_as_django_has_them():
    for value in (None, "", "not a date"):
        assert render("{{ v|date:'Y' }}", v=value) == django_own("{{ v|date:'Y' }}", v=value)


def test_a_day_is_kept_per_language():
    with translation.override("fr"):
        french = render('{{ day|date:"F" }}', day=DAY)
    assert french == "février"
    assert render('{{ day|date:"F" }}', day=DAY) == "February"
