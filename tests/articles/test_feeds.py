"""The feeds (articles/feeds.py, people/feeds.py): Atom that stored text cannot break."""

import xml.etree.ElementTree as ET

from articles.models import Article, Mention
from people.models import Person

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = ET.fromstring(response.content)
    return feed, [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


def test_a_control_character_already_stored_breaks_no_feed(client, make_article, make_person):
    """Stored before input refused them (or written by a script): a headline with U+000B,
    a dek with U+0001, a byline with U+001B, a person's and a tag's name with controls."""
    kim = make_person("Kim Kardashian")
    story = make_article("Kim Speaks", dek="A dek", byline="A. Writer")
    Mention.objects.create(article=story, person=kim)
    story.tags.add("divorce")
    # Written past the fields' validation, as rows stored earlier were.
    Article.objects.filter(pk=story.pk).update(
        title="Kim\x0bSpeaks", dek="A\x01dek", byline="A.\x1b Writer"
    )
    Person.objects.filter(pk=kim.pk).update(name="Kim\x0cKardashian")
    story.tags.get().__class__.objects.filter(name="divorce").update(name="div\x0borce")

    for url in ["/feeds/latest/", "/people/kim-kardashian/feed/", "/tags/divorce/feed/"]:
        feed, titles = entries(client, url)
        assert titles == ["KimSpeaks"], url
        entry = next(feed.iter(f"{ATOM}entry"))
        assert entry.findtext(f"{ATOM}summary") == "Adek"
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == "A. Writer"
    assert entries(client, "/people/kim-kardashian/feed/")[0].findtext(f"{ATOM}title") == (
        "KimKardashian — Newsroom"
    )
    assert entries(client, "/tags/divorce/feed/")[0].findtext(f"{ATOM}title") == (
        "Stories tagged “divorce” — Newsroom"
    )
