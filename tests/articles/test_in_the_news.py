"""“People in the news”, counted by the job queue when the stories change."""

from articles import in_the_news
from articles.in_the_news import COUNT, count
from articles.models import InTheNews, Mention
from jobs.models import Job
from people.models import Person
from tests.articles.test_views import query_count
from tests.html import page, section, text


def shown(client):
    people = section(page(client.get("/")), "people-heading").select("ol.faces li")
    return [text(li.find("a")) for li in people]


def test_kept_the_front_page_is_the_same_as_when_counted_in_the_request(client, archive):
    archive(12)
    Mention.objects.create(
        article_id=Mention.objects.get(person__slug="person-3").article_id,
        person_id=Mention.objects.get(person__slug="person-5").person_id,
    )
    counted_here = client.get("/").content
    assert not InTheNews.objects.exists()

    count("front")

    assert InTheNews.objects.count() == in_the_news.SHOWN
    assert client.get("/").content == counted_here
    assert shown(client)[0] == "Person Number5"


def test_kept_it_costs_no_more_queries(client, archive):
    archive(12)
    counting = query_count(client, "/")
    count("front")
    assert query_count(client, "/") <= counting


def test_a_change_counts_again_once_after_the_commit_and_moves_the_front_page(
    client, archive, make_person, committing, monkeypatch
):
    archive(3)
    count("front")
    moved = []
    monkeypatch.setattr(in_the_news, "changed", lambda *names: moved.extend(names))
    with committing():
        story = Mention.objects.get(person__slug="person-0").article
        for i in range(3):
            Mention.objects.create(article=story, person=make_person(f"New Face{i}"))
    assert Job.objects.filter(kind=COUNT).count() == 1
    assert moved == [in_the_news.TOPIC]
    assert any(name.startswith("New Face") for name in shown(client))
    # Counted again with nothing changed: the front page stays.
    count("front")
    assert moved == [in_the_news.TOPIC]


def test_the_front_page_moves_with_the_list(client, archive):
    archive(2)
    assert in_the_news.TOPIC in client.get("/").wsgi_request.topics


def test_counting_moves_the_front_page_and_no_other(archive, committing, monkeypatch):
    from caching import topics

    archive(3)
    count("front")
    story = Mention.objects.get(person__slug="person-0").article
    Mention.objects.create(article=story, person=Person.objects.get(slug="person-2"))
    moved = []
    monkeypatch.setattr(topics, "bump", lambda names: moved.append(set(names)) or 1)
    with committing():
        count("front")  # the kept rows replaced
    assert moved == [{in_the_news.TOPIC}]
