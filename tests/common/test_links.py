import datetime

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from articles.models import Article, Publication, Quote
from common.links import address
from people.models import Person

NAMED = [
    ("articles:front", {}),
    ("articles:archive", {}),
    ("articles:year", {"year": 2022}),
    ("articles:month", {"year": 2022, "month": "02"}),
    ("articles:detail", {"year": 2022, "month": "02", "day": "09", "slug": "a-story"}),
    ("articles:quote", {"pk": 7}),
    ("articles:tag", {"slug": "co-parenting"}),
    ("articles:publication", {"slug": "vogue"}),
    ("people:detail", {"slug": "kim-kardashian"}),
    ("people:list", {}),
    ("api-v1:openapi-view", {}),
    ("sitemap", {}),
]


@pytest.fixture
def prefixed():
    """The site served under a folder of another site (SCRIPT_NAME), as behind a proxy."""
    set_script_prefix("/news room/")
    yield
    clear_script_prefix()
    set_script_prefix("/")


@pytest.mark.parametrize(("name", "values"), NAMED)
def test_an_address_is_the_one_reverse_makes(name, values):
    assert address(name, **values) == reverse(name, kwargs=values)


@pytest.mark.parametrize(("name", "values"), NAMED)
def test_an_address_under_a_script_prefix_is_the_one_reverse_makes(prefixed, name, values):
    assert address(name, **values) == reverse(name, kwargs=values)
    assert address(name, **values).startswith("/news%20room/")


def test_values_are_checked_and_quoted_as_reverse_does(prefixed):
    assert address("articles:month", year=2022, month="02") == "/news%20room/articles/2022/02/"
    with pytest.raises(NoReverseMatch):
        address("people:detail", slug="é-ü")  # not a slug: refused, as by reverse()


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("people:detail", {"slug": "a/b"}),  # refused by the pattern
        ("articles:detail", {"year": 2022}),  # parameters missing
        ("articles:nothing", {}),  # no such page
        ("nowhere:front", {}),  # no such namespace
    ],
)
def test_what_reverse_refuses_address_refuses_the_same_way(name, values):
    with pytest.raises(NoReverseMatch):
        reverse(name, kwargs=values)
    with pytest.raises(NoReverseMatch):
        address(name, **values)


def test_the_models_addresses_are_reverse_s(db):
    vogue = Publication(name="Vogue", slug="vogue")
    story = Article(title="T", slug="t", published_on=datetime.date(2022, 2, 9))
    assert vogue.get_absolute_url() == reverse("articles:publication", args=["vogue"])
    assert story.get_absolute_url() == "/articles/2022/02/09/t/"
    assert Quote(pk=3).get_absolute_url() == reverse("articles:quote", args=[3])
    assert Person(slug="kim").get_absolute_url() == reverse("people:detail", args=["kim"])
