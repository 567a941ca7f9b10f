"""The front page as a publication: a lead story, the latest as a grid of cards, the people in
the news with their faces, and the quotes with their speakers' — for an archive of no story,
one story, or many, at the same cost in queries."""

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.test.utils import CaptureQueriesContext

from articles import in_the_news
from articles.front_page import QUOTES, front_page
from articles.front_page import STORIES as FRONT_STORIES
from articles.models import Article, Finding, InTheNews, Mention, Quote
from tests.articles.test_generate_archive import generate
from tests.articles.test_story_page import values
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


# --- read in one query (articles/front_page.py), as the ORM reads it ---------------------------


def front_as_the_orm_reads():
    main_person = (
        Mention.objects.filter(article=OuterRef("pk"), status=Finding.CONFIRMED)
        .order_by("-role", "person__name", "id")
        .values("person__name")[:1]
    )
    stories = Article.objects.published().listed().annotate(subject_name=Subquery(main_person))
    quotes = (
        Quote.objects.published()
        .select_related("speaker__portrait", "article")
        .order_by("-article__published_on", "-id")[:QUOTES]
    )
    kept = InTheNews.objects.select_related("person__portrait")
    people = [(row.person, row.stories) for row in kept] or [
        (person, person.stories) for person in in_the_news.counted()
    ]
    return {
        "stories": [
            (values(s), values(s.publication), values(s.lead_picture), s.subject_name)
            for s in stories[:FRONT_STORIES]
        ],
        "quotes": [
            (
                values(q),
                values(q.speaker),
                q.speaker and values(q.speaker.portrait),
                # A link to its story is all the page shows of it.
                {name: values(q.article)[name] for name in ("id", "title", "slug", "published_on")},
                [values(p) for p in q.joint_speakers.order_by("name")],
            )
            for q in quotes
        ],
        "in the news": [
            (values(person), values(person.portrait), stories) for person, stories in people
        ],
    }


def front_as_read_in_one_query():
    with CaptureQueriesContext(connection) as queries:
        front = front_page(using="default")
        seen = {
            "stories": [
                (values(s), values(s.publication), values(s.lead_picture), s.subject_name)
                for s in front.stories
            ],
            "quotes": [
                (
                    values(q),
                    values(q.speaker),
                    q.speaker and values(q.speaker.portrait),
                    values(q.article),
                    [values(p) for p in q.joint_speakers.all()],
                )
                for q in front.quotes
            ],
            "in the news": [
                (values(person), values(person.portrait), person.stories)
                for person in front.in_the_news
            ],
        }
    kept = InTheNews.objects.exists()
    # One query, and the count of the people in the news only while they were never counted.
    assert len(queries) == (1 if kept else 2), [query["sql"] for query in queries]
    return seen


def test_the_demo_front_page_in_one_query(pictured, make_person):
    quote = Quote.objects.published().first()
    quote.joint_speakers.add(make_person("Felix Marr"), make_person("Juno Castellanos"))
    assert front_as_read_in_one_query() == front_as_the_orm_reads()
    in_the_news.count("front")
    assert front_as_read_in_one_query() == front_as_the_orm_reads()


def test_a_generated_front_page_in_one_query(db):
    generate(150, seed=5)
    assert front_as_read_in_one_query() == front_as_the_orm_reads()
    in_the_news.count("front")
    assert InTheNews.objects.exists()
    assert front_as_read_in_one_query() == front_as_the_orm_reads()


def test_an_empty_archive_s_front_page(db):
    front = front_page(using="default")
    assert (front.stories, front.quotes, front.in_the_news) == ([], [], [])
