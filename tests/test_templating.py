"""The readers' templates' engine (newsroom/templating.py) writes what Django's templates wrote."""

import datetime
import zoneinfo

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from newsroom.templating import escaped


def jinja(source: str, **context: object) -> str:
    return engines["jinja2"].from_string(source).render(context)


def django(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(
    "value",
    ["Kim & Kanye", "<script>alert('x')</script>", 'a "quoted" word', "it's", 12, 1.5, None],
)
def test_a_value_is_escaped_as_django_escapes_it(value):
    assert jinja("{{ value }}", value=value) == django("{{ value }}", value=value)
    assert str(escaped(value)) == django("{{ value }}", value=value)


def test_what_django_marked_safe_is_written_as_it_is():
    script = mark_safe('<script type="application/ld+json">{"name": "Kim"}</script>')
    assert jinja("{{ jsonld }}", jsonld=script) == str(script)


def test_a_missing_value_and_its_parts_write_nothing():
    assert jinja("[{{ nobody }}|{{ nobody.name }}|{{ nobody.name.first }}]") == "[||]"


def test_the_last_newline_of_a_template_is_kept():
    assert jinja("line\n") == "line\n"


def test_django_filters_give_djangos_text():
    context = {"n": 1234567, "one": 1, "words": "one two three four", "name": "ye"}
    source = (
        "{{ n|intcomma }} stor{{ one|pluralize('y,ies') }} "
        "{{ words|truncatewords(2) }} {{ name|capfirst }}"
    )
    django_source = (
        '{% load humanize %}{{ n|intcomma }} stor{{ one|pluralize:"y,ies" }} '
        "{{ words|truncatewords:2 }} {{ name|capfirst }}"
    )
    assert (
        jinja(source, **context)
        == django(django_source, **context)
        == "1,234,567 story one two … Ye"
    )


def test_join_escapes_each_part():
    names = ["Kim", "<b>Ye</b>"]
    assert jinja("{{ names|join(', ') }}", names=names) == "Kim, &lt;b&gt;Ye&lt;/b&gt;"


@pytest.mark.django_db
def test_a_date_time_is_written_in_local_time_as_django_does(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    moment = datetime.datetime(2022, 2, 9, 3, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    with timezone.override("America/Los_Angeles"):
        written = jinja('{{ moment|date("j F Y, H:i e") }}', moment=moment)
        assert written == django('{{ moment|date:"j F Y, H:i e" }}', moment=moment)
    assert written == "8 February 2022, 19:30 PST"
    assert (
        jinja('{{ day|date("l j F Y") }}', day=datetime.date(2022, 2, 9))
        == "Wednesday 9 February 2022"
    )


@pytest.mark.django_db
def test_url_gives_the_address_reverse_gives():
    assert jinja("{{ url('articles:front') }}") == reverse("articles:front")
    assert jinja("{{ url('articles:tag', 'co-parenting') }}") == reverse(
        "articles:tag", args=["co-parenting"]
    )
    by_name = "{{ url('articles:month', year=2022, month='02') }}"
    assert jinja(by_name) == reverse("articles:month", kwargs={"year": 2022, "month": "02"})


def test_the_admin_keeps_djangos_templates_and_readers_pages_are_jinja2():
    from django.template.loader import get_template

    assert get_template("base.html").backend.name == "jinja2"
    assert get_template("articles/article_detail.html").backend.name == "jinja2"
    assert get_template("admin/base_site.html").backend.name == "django"


# What a template that forgot a call or a name would print: a method's or an object's repr.
SLIPS = ["bound method", "<function", "object at 0x", "Undefined", "jinja2."]


def every_page(client):
    """The address of every kind of public page of what the archive holds."""
    from articles.models import Article, Publication, Quote
    from people.models import Person

    story = Article.objects.published().order_by("-published_on").first()
    day = story.published_on
    tag = story.tags.first()
    quote = Quote.objects.published().first()
    addresses = [
        "/",
        "/articles/",
        f"/articles/{day:%Y}/",
        f"/articles/{day:%Y/%m}/",
        f"/articles/{day:%Y/%m/%d}/",
        "/quotes/",
        quote.get_absolute_url(),
        f"/quotes/?person={quote.speaker.slug}",
        "/people/",
        "/people/?from=K",
        "/search/?q=kim",
        "/search/?q=a+quote+no+one+said",
        "/data/",
        "/no-such-page/",
        *(article.get_absolute_url() for article in Article.objects.published()[:40]),
        *(person.get_absolute_url() for person in Person.objects.all()[:40]),
        *(outlet.get_absolute_url() for outlet in Publication.objects.all()[:10]),
    ]
    if tag is not None:
        addresses.append(f"/tags/{tag.slug}/")
    return addresses


def slips_in(client, addresses):
    found = {}
    for address in addresses:
        response = client.get(address)
        assert response.status_code in (200, 404), address
        text = response.content.decode()
        if slips := [slip for slip in SLIPS if slip in text]:
            found[address] = slips
    return found


def test_no_page_of_the_demo_prints_a_method_or_a_missing_name(client, demo, admin_client):
    addresses = every_page(client)
    assert slips_in(client, addresses) == {}
    # Staff previews too.
    assert slips_in(admin_client, addresses[:20]) == {}


@pytest.mark.slow
def test_no_page_of_a_generated_archive_prints_a_method_or_a_missing_name(client, db):
    from tests.articles.test_generate_archive import generate

    generate(150, seed=11)
    assert slips_in(client, every_page(client)) == {}


@pytest.mark.parametrize(
    ("source", "django_source"),
    [
        ("{{ m.edition.number|intcomma }}", "{% load humanize %}{{ m.edition.number|intcomma }}"),
        ("{{ m.rows|pluralize }}", "{{ m.rows|pluralize }}"),
        ("{{ m.bytes|filesizeformat }}", "{{ m.bytes|filesizeformat }}"),
        ("{{ m.made|date('j F Y') }}", '{{ m.made|date:"j F Y" }}'),
        ("[{{ story.get_absolute_url() }}]", "[{{ story.get_absolute_url }}]"),
    ],
)
def test_a_missing_value_through_a_filter_or_a_call_is_what_django_printed(source, django_source):
    context = {"m": {}, "story": None}
    assert jinja(source, **context) == django(django_source, **context)
