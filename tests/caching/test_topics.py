"""Pages kept by what they show (caching/topics.py, articles/freshness.py, people/freshness.py):
an edit renews the pages that show what it changed, at once in every worker, and leaves every
other page — and its ETag — as it was. Two workers are two clients (each its own handler and
its own recent pages) sharing one Redis of the test's own. These tests commit for real."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Mention, Quote
from caching import topics
from newsroom import settings as newsroom_settings
from tests.forms import form_data
from tests.html import page, text
from tests.redis_server import redis_server


@pytest.fixture
def shared(settings, real_versions, tmp_path, monkeypatch):
    # A shared cache that failed in an earlier test is not rested from here.
    monkeypatch.setattr(topics, "_resting_until", [0.0])
    with redis_server(tmp_path / "redis") as server:
        settings.CACHES = newsroom_settings.caches(server.url)
        settings.PAGE_CACHE_SECONDS = 300
        yield server


@pytest.fixture
def workers(shared):
    return Client(), Client()


@pytest.fixture
def archive(transactional_db, make_article, make_person, vogue):
    """Two published stories in February 2022 and one in May, a person in the first, a tag."""
    ana = make_person("Ana Lopez")
    first = make_article("First story", body="The first version.", publication=vogue)
    Mention.objects.create(article=first, person=ana, role=Mention.Role.SUBJECT)
    first.tags.add("divorce")
    second = make_article("Second story", slug="second-story", body="Untouched.")
    may = make_article("May story", published_on=datetime.date(2022, 5, 3))
    return {"ana": ana, "first": first, "second": second, "may": may}


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def body(response):
    return text(page(response).find("main"))


def test_an_edit_renews_its_story_in_every_worker_and_leaves_the_others(workers, archive):
    one, two = workers
    first, second = archive["first"], archive["second"]
    before = {
        (n, story.pk): get(client, story.get_absolute_url())
        for n, client in enumerate(workers)
        for story in (first, second)
    }
    for (n, pk), response in before.items():  # both kept, in both workers
        again = get(workers[n], Article.objects.get(pk=pk).get_absolute_url())
        assert again["X-Page-Cache"] == "hit" and again["ETag"] == response["ETag"]

    first.body = "The corrected version."
    first.save()

    for n, client in enumerate(workers):
        fresh = get(client, first.get_absolute_url())
        assert "The corrected version." in body(fresh), n
        assert fresh["X-Page-Cache"] == "miss" or n == 1  # the first worker kept it again
        assert fresh["ETag"] != before[(n, first.pk)]["ETag"]
        other = get(client, second.get_absolute_url())
        assert other["X-Page-Cache"] == "hit" and other["ETag"] == before[(n, second.pk)]["ETag"]
        assert (
            client.get(
                second.get_absolute_url(), headers={"if-none-match": other["ETag"]}
            ).status_code
            == 304
        )


PUBLIC_PAGES = ["/", "/articles/", "/articles/2022/", "/articles/2022/02/", "/tags/divorce/"]


def test_a_drafts_edit_moves_no_public_page_nor_etag(workers, archive, make_article):
    one, _ = workers
    draft = make_article("Secret draft", status=Article.Status.DRAFT)
    urls = [*PUBLIC_PAGES, archive["first"].get_absolute_url(), "/people/ana-lopez/"]
    etags = {url: get(one, url)["ETag"] for url in urls}
    everything = topics.versions([topics.EVERYTHING])

    draft.body = "A typo fixed."
    draft.title = "A better headline"
    draft.save()
    draft.tags.add("divorce")
    Mention.objects.create(article=draft, person=archive["ana"])
    Quote.objects.create(article=draft, speaker=archive["ana"], text="Not yet.")

    for url in urls:
        again = get(one, url)
        assert again["X-Page-Cache"] == "hit" and again["ETag"] == etags[url], url
    assert topics.versions([topics.EVERYTHING]) == everything  # the API's ETags stay too
    assert "Secret draft" not in body(get(one, "/tags/divorce/"))


def test_publishing_a_draft_shows_at_once_on_its_lists(workers, archive, make_article):
    one, two = workers
    draft = make_article("Now public", status=Article.Status.DRAFT)
    draft.tags.add("divorce")
    for url in PUBLIC_PAGES:
        assert "Now public" not in body(get(one, url)), url
    may = get(two, "/articles/2022/05/")

    draft.status = Article.Status.PUBLISHED
    draft.save()

    for url in PUBLIC_PAGES:
        assert "Now public" in body(get(two, url)), url
    # Another month's page does not list it, and stays kept.
    again = get(two, "/articles/2022/05/")
    assert again["X-Page-Cache"] == "hit" and again["ETag"] == may["ETag"]


def test_a_persons_rename_renews_their_stories_and_page_only(workers, archive):
    one, two = workers
    first, second = archive["first"], archive["second"]
    get(one, first.get_absolute_url())
    kept = get(one, second.get_absolute_url())
    assert "Ana Lopez" in body(get(one, "/people/ana-lopez/"))

    ana = archive["ana"]
    ana.name = "Ana María Lopez"
    ana.save()

    assert "Ana María Lopez" in body(get(two, first.get_absolute_url()))
    assert "Ana María Lopez" in body(get(two, "/people/ana-lopez/"))
    assert "Ana María Lopez" in body(get(two, "/people/"))
    other = get(one, second.get_absolute_url())
    assert other["X-Page-Cache"] == "hit" and other["ETag"] == kept["ETag"]


def test_tag_outlet_and_month_pages_follow_a_headline(workers, archive):
    one, two = workers
    first = archive["first"]
    pages = ["/tags/divorce/", "/publications/vogue/", "/articles/2022/02/", "/"]
    for url in pages:
        assert "First story" in body(get(one, url)), url
    may = get(one, "/articles/2022/05/")

    first.title = "A new headline"
    first.save()

    for url in pages:
        assert "A new headline" in body(get(two, url)), url
    again = get(one, "/articles/2022/05/")
    assert again["X-Page-Cache"] == "hit" and again["ETag"] == may["ETag"]


def test_a_tag_renamed_and_an_outlet_renamed_show_at_once(workers, archive, vogue):
    one, two = workers
    first = archive["first"]
    get(one, first.get_absolute_url())
    tag = first.tags.get()
    tag.name = "separation"
    tag.save()
    assert "separation" in body(get(two, first.get_absolute_url()))
    vogue.name = "Vogue Paris"
    vogue.save()
    assert "Vogue Paris" in body(get(one, first.get_absolute_url()))
    assert "Vogue Paris" in body(get(one, "/articles/2022/02/"))


def test_a_page_rendered_while_what_it_shows_changed_is_served_not_kept(
    workers, archive, monkeypatch
):
    from articles import views

    one, _ = workers
    first = archive["first"]
    real = views.story_page

    def edited_meanwhile(day, slug, **kwargs):
        page = real(day, slug, **kwargs)  # the story is read already
        if page is not None and page.article.pk == first.pk:
            Article.objects.filter(pk=first.pk).update(body="Edited meanwhile.")
            topics.changed(f"story:{first.pk}")
        return page

    monkeypatch.setattr(views, "story_page", edited_meanwhile)
    served = get(one, first.get_absolute_url())
    assert "The first version." in body(served)
    monkeypatch.setattr(views, "story_page", real)
    again = get(one, first.get_absolute_url())
    assert again["X-Page-Cache"] == "miss" and "Edited meanwhile." in body(again)
    assert get(one, first.get_absolute_url())["X-Page-Cache"] == "hit"


def test_all_the_topics_of_a_page_cost_one_round_trip(shared, transactional_db):
    names = [f"story:{n}" for n in range(200)]
    topics.bump(names[:3])
    client = shared.client()
    client.config_resetstat()
    found = topics.versions(names)
    assert found[names[0]] > 0 and found[names[199]] == 0
    stats = client.info("commandstats")
    # One MGET for all 200; the ones never changed are read from the database once, then kept.
    assert stats["cmdstat_mget"]["calls"] == 1
    client.config_resetstat()
    topics.versions(names)
    commands = {name: stat["calls"] for name, stat in client.info("commandstats").items()}
    commands.pop("cmdstat_config|resetstat", None)
    assert commands == {"cmdstat_mget": 1}


def test_without_a_shared_cache_the_versions_are_one_query(
    real_versions, transactional_db, django_assert_num_queries
):
    names = [f"person:{n}" for n in range(200)]
    with django_assert_num_queries(1):
        topics.versions(names)


def test_the_database_is_the_truth_when_the_shared_cache_is_emptied(workers, archive, shared):
    one, two = workers
    first = archive["first"]
    kept = get(one, first.get_absolute_url())
    shared.client().flushdb()  # versions gone; the pages kept in the workers' memory remain
    again = get(one, first.get_absolute_url())
    assert again["X-Page-Cache"] == "hit" and again["ETag"] == kept["ETag"]
    first.body = "After the flush."
    first.save()
    assert "After the flush." in body(get(two, first.get_absolute_url()))
    assert "After the flush." in body(get(one, first.get_absolute_url()))


def edit_in_admin(admin, story, **fields):
    """As an editor does: the admin's change form, read as a browser would, posted back."""
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(admin.get(url).content.decode(), "article_form")
    data.update(fields)
    assert admin.post(url, {**data, "_save": "Save"}).status_code == 302


def test_a_draft_edited_in_the_admin_moves_nothing_public(
    workers, archive, make_article, admin_user
):
    reader, admin = workers
    admin.force_login(admin_user)
    draft = make_article("Secret draft", status=Article.Status.DRAFT)
    urls = [*PUBLIC_PAGES, archive["first"].get_absolute_url(), "/people/"]
    etags = {url: get(reader, url)["ETag"] for url in urls}
    versions = topics.versions([topics.EVERYTHING, topics.ALL])

    edit_in_admin(admin, draft, title="A better headline", body="A typo fixed.")

    assert Article.objects.get(pk=draft.pk).title == "A better headline"
    assert topics.versions([topics.EVERYTHING, topics.ALL]) == versions
    for url in urls:
        again = get(reader, url)
        assert again["X-Page-Cache"] == "hit" and again["ETag"] == etags[url], url


def test_a_story_edited_in_the_admin_renews_itself_and_keeps_the_rest(workers, archive, admin_user):
    reader, admin = workers
    admin.force_login(admin_user)
    first = archive["first"]
    others = [archive["second"].get_absolute_url(), "/articles/2022/02/", "/"]
    etags = {url: get(reader, url)["ETag"] for url in others}
    get(reader, first.get_absolute_url())

    edit_in_admin(admin, first, body="Corrected in the admin.")

    assert "Corrected in the admin." in body(get(reader, first.get_absolute_url()))
    for url in others:  # the body is on no list
        again = get(reader, url)
        assert again["X-Page-Cache"] == "hit" and again["ETag"] == etags[url], url


def test_a_page_read_from_a_replica_behind_the_primary_is_served_not_kept(
    workers, archive, monkeypatch
):
    """The replica has not replayed the story's last change (its clock is older than the
    story's version): what it shows may be old, so the page is neither kept nor given an ETag
    to revalidate with. (tests/faults/test_read_replicas.py shows it on a real standby.)"""
    from caching import pagecache

    one, _ = workers
    first = archive["first"]
    topics.bump([f"story:{first.pk}"])
    monkeypatch.setattr(pagecache, "reads_a_replica", lambda: True)
    monkeypatch.setattr(topics, "clock_read_here", lambda: topics.clock() - 1)
    behind = get(one, first.get_absolute_url())
    assert behind["X-Page-Cache"] == "miss" and "ETag" not in behind
    assert get(one, first.get_absolute_url())["X-Page-Cache"] == "miss"

    monkeypatch.setattr(topics, "clock_read_here", topics.clock)  # replayed
    caught_up = get(one, first.get_absolute_url())
    assert caught_up["X-Page-Cache"] == "miss" and caught_up["ETag"]
    assert get(one, first.get_absolute_url())["X-Page-Cache"] == "hit"
