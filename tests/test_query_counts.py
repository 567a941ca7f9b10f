"""How many SQL queries each public page costs, on the demo data: the figures listed in
docs/performance.md. The tests in tests/articles/test_views.py and tests/people/test_views.py
show that they do not grow with the page's content; these pin them, so that a change that adds
a query to a page is a change someone sees (and documents)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import in_the_news
from tests.articles.test_views import SEED_URL

# (page, address, queries) — keep docs/performance.md in step. A page listing quotes reads
# their joint speakers (a joint statement) in one more query, however many there are.
PAGES = [
    ("front page", "/", 1),
    ("story", SEED_URL, 1),
    ("person (Kim Kardashian)", "/people/kim-kardashian/", 10),
    ("people directory", "/people/", 1),
    ("people directory from a letter", "/people/?from=K", 2),
    ("archive", "/articles/", 4),
    ("year", "/articles/2022/", 6),
    ("month", "/articles/2022/02/", 1),
    ("day", "/articles/2022/02/09/", 1),
    ("tag", "/tags/divorce/", 2),
    ("outlet", "/publications/vogue/", 3),
    ("quotes", "/quotes/", 3),
    ("quote", None, 3),
    # PostgreSQL also finds people by name keys and highlights with ts_headline.
    ("search", "/search/?q=kanye", {"sqlite": 8, "postgresql": 13}),
    ("latest feed", "/feeds/latest/", 1),
]


def queries_of(client, url, expected):
    from articles.models import Quote

    url = url or Quote.objects.published().first().get_absolute_url()
    client.get(url)  # the first request of a process reads a few things once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    if isinstance(expected, dict):
        expected = expected[connection.vendor]
    assert len(queries) == expected, [query["sql"][:120] for query in queries]
    return client.get(url).content.decode()


@pytest.fixture
def chosen(make_article):
    """What the jobs keep after the stories change: the stories' related stories, the people in
    the news (the tests' transactions never commit, so the jobs never run by themselves). The
    seed story is given another about Kanye West to suggest: a story that suggests nothing is
    scored again in the request, one query more (it cannot be told from one never chosen for)."""

    def choose():
        from articles.models import Mention
        from people.models import Person

        other = make_article("Kanye West later", published_on=datetime.date(2022, 3, 1))
        Mention.objects.create(article=other, person=Person.objects.get(slug="kanye-west"))
        call_command("relate_stories", stdout=None)
        in_the_news.count("front")

    return choose


@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[page[0] for page in PAGES])
def test_queries_per_page(client, demo, chosen, name, url, expected):
    chosen()
    queries_of(client, url, expected)


@pytest.mark.parametrize(("name", "url"), [("front page", "/"), ("story", SEED_URL)])
def test_before_the_jobs_have_chosen_a_page_costs_one_query_more(client, demo, name, url):
    expected = dict((page[0], page[2]) for page in PAGES)[name]
    queries_of(client, url, expected + 1)


# The pages that show pictures, with them: no query more (they come with select_related).
PICTURED = {
    "front page",
    "story",
    "person (Kim Kardashian)",
    "archive",
    "year",
    "month",
    "day",
    "tag",
    "outlet",
    "search",
}


@pytest.mark.parametrize(
    ("name", "url", "expected"),
    [page for page in PAGES if page[0] in PICTURED],
    ids=[page[0] for page in PAGES if page[0] in PICTURED],
)
def test_queries_per_page_with_pictures(client, pictured, chosen, name, url, expected):
    chosen()
    html = queries_of(client, url, expected)
    assert "/media/renditions/" in html, "the pictures are shown"
