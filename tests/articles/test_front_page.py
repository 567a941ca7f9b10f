"""The front page as a publication: a lead story, the latest as a grid of cards, the people in
the news with their faces, and the quotes with their speakers' — for an archive of no story,
one story, or many, at the same cost in queries."""

from articles.views import FRONT_STORIES
from tests.articles.test_views import query_count
from tests.html import page, section, text


def test_the_newest_story_leads_and_the_next_ones_make_the_grid(client, archive):
    archive(30)
    soup = page(client.get("/"))
    lead = soup.select_one("article.lead-story")
    assert text(lead.find("h2")) == "Story 29"
    assert text(lead.select_one(".lead-story__dek")) == "What happened 29."
    # Its main person's initials stand where its picture goes, in the lead's 16:9 frame.
    assert text(lead.select_one(".frame--lead .initials")) == "PN"
    cards = section(soup, "latest-heading").select("li.card")
    assert [text(card.find("h3")) for card in cards] == [
        f"Story {i}" for i in range(28, 29 - FRONT_STORIES, -1)
    ]
    assert all(card.select_one(".frame--card .initials") for card in cards)


def test_people_in_the_news_and_quotes_show_faces(client, archive):
    archive(3)
    soup = page(client.get("/"))
    people = section(soup, "people-heading").select("ol.faces li")
    assert [text(li.find("a")) for li in people] == [f"Person Number{i}" for i in range(3)]
    assert all(text(li.select_one(".face .initials")) == "PN" for li in people)
    quotes = section(soup, "quotes-heading").select("figure.quote")
    assert [text(q.find("blockquote")) for q in quotes] == ["Said 2", "Said 1", "Said 0"]
    assert all(q.select_one("figcaption .face .initials") for q in quotes)


def test_one_story_is_the_lead_alone(client, archive):
    archive(1)
    soup = page(client.get("/"))
    assert text(soup.select_one("article.lead-story h2")) == "Story 0"
    assert section(soup, "latest-heading") is None
    assert soup.select_one(".front.front--alone") is not None


def test_an_empty_archive_says_so(client, db):
    soup = page(client.get("/"))
    assert soup.select_one("article.lead-story") is None
    assert "No stories yet." in text(soup.find("main"))


def test_the_front_page_costs_the_same_for_1_or_30_stories(client, archive):
    archive(1)
    one = query_count(client, "/")
    archive(29, start=1)
    assert query_count(client, "/") == one
