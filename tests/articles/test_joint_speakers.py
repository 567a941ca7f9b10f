"""Words said by several people together (a joint statement): every page that shows a quote
names all its speakers, in the page and in its JSON-LD, for the same number of queries however
many speakers there are."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.models import Finding, Mention, Quote
from tests.articles.test_views import html, ld_json, query_count


class Speakers(HTMLParser):
    """The names in a page's quote captions (class quote__speaker), in order."""

    def __init__(self):
        super().__init__()
        self.names, self.inside = [], False

    def handle_starttag(self, tag, attrs):
        self.inside = "quote__speaker" in (dict(attrs).get("class") or "")

    def handle_endtag(self, tag):
        self.inside = False

    def handle_data(self, data):
        if self.inside and data.strip():
            self.names.append(data.strip())


def speakers_on(client, url):
    parser = Speakers()
    parser.feed(html(client, url))
    return parser.names


@pytest.fixture
def statement(make_person, make_article):
    juno = make_person("Juno Castellanos")
    felix = make_person("Felix Marr")
    story = make_article("Actors announce separation", body="They wrote a statement.")
    Mention.objects.create(article=story, person=juno)
    quote = Quote.objects.create(
        article=story, speaker=juno, text="We part as friends.", context="wrote on Instagram"
    )
    quote.joint_speakers.add(felix)
    return quote


def test_a_joint_statement_names_every_speaker_on_each_page(client, statement):
    felix = statement.joint_speakers.get()
    names = ["Juno Castellanos", "Felix Marr"]
    assert speakers_on(client, statement.get_absolute_url()) == names
    assert speakers_on(client, statement.article.get_absolute_url()) == names
    assert speakers_on(client, reverse("articles:quotes")) == names
    assert speakers_on(client, "/") == names
    # Said with others, it is among the quotes of each of them.
    assert speakers_on(client, felix.get_absolute_url()) == names
    assert speakers_on(client, f"{reverse('articles:quotes')}?person=felix-marr") == names


def test_a_joint_statement_has_every_speaker_as_creator_in_json_ld(client, statement):
    quotation = ld_json(html(client, statement.get_absolute_url()))
    assert quotation["@type"] == "Quotation"
    assert [creator["name"] for creator in quotation["creator"]] == [
        "Juno Castellanos",
        "Felix Marr",
    ]


def test_a_found_joint_statement_stays_off_the_pages(client, statement):
    statement.status = Finding.FOUND
    statement.save()
    assert speakers_on(client, statement.joint_speakers.get().get_absolute_url()) == []


@pytest.mark.parametrize(
    "page",
    ["quote", "story", "quotes", "front", "person", "search"],
)
def test_joint_speakers_cost_one_query_however_many(client, statement, make_person, page):
    """Two speakers or twelve, on one quote or on several: the same queries."""
    juno = statement.speaker
    urls = {
        "quote": statement.get_absolute_url(),
        "story": statement.article.get_absolute_url(),
        "quotes": reverse("articles:quotes"),
        "front": "/",
        "person": juno.get_absolute_url(),
        "search": "/search/?q=friends",
    }
    client.get(urls[page])
    few = query_count(client, urls[page])
    for number in range(10):
        statement.joint_speakers.add(make_person(f"Bandmate {number}"))
    second = Quote.objects.create(
        article=statement.article, speaker=juno, text="We stay friends.", position=2
    )
    second.joint_speakers.add(*statement.joint_speakers.all())
    assert query_count(client, urls[page]) == few
