"""Conditional GET and the page cache (caching/pagecache.py), with the archive's edition
(caching/edition.py) that decides when a page is new. These tests commit for real
(transactional_db): a new edition starts only when a change commits."""

import datetime

import pytest
from django.core.cache import cache
from django.db import transaction

from articles.models import Article
from caching import edition
from caching.models import Edition
from tests.conftest import REAL_EDITION


@pytest.fixture
def real_edition(monkeypatch):
    monkeypatch.setattr(edition, "current", REAL_EDITION)
    edition.forget()
    yield
    edition.forget()


@pytest.fixture
def page_cache(settings, real_edition):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def story(transactional_db, make_article):
    return make_article("Out now", body="The first version.")


def number():
    return Edition.objects.get(pk=1).number


def test_a_known_etag_gets_304_before_any_view_runs(
    client, story, real_edition, django_assert_max_num_queries
):
    first = client.get(story.get_absolute_url())
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"] and "public" in first["Cache-Control"]
    # At most the edition itself is read: the story, its quotes, its people are not.
    with django_assert_max_num_queries(1):
        again = client.get(story.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    stale = client.get(story.get_absolute_url(), headers={"if-none-match": '"another"'})
    assert stale.status_code == 200


def test_a_change_anywhere_starts_a_new_edition_and_new_etags(client, story, real_edition):
    first = client.get(story.get_absolute_url())
    story.body = "The corrected version."
    story.save()
    again = client.get(story.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and "The corrected version." in again.content.decode()
    assert again["ETag"] != first["ETag"]


def test_one_transaction_makes_one_edition_and_a_rollback_none(story, make_article, real_edition):
    before = number()
    with transaction.atomic():
        make_article("Second", slug="second")
        make_article("Third", slug="third").tags.add("busy")
        story.delete()
    assert number() == before + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        make_article("Never", slug="never")
        raise RuntimeError("abandoned")
    assert number() == before + 1


def test_the_page_cache_serves_the_next_reader_without_queries(
    client, story, page_cache, django_assert_max_num_queries
):
    url = story.get_absolute_url()
    first = client.get(url)
    with django_assert_max_num_queries(1):  # the edition, at most: not the page's queries
        second = client.get(url)
    assert second.status_code == 200 and second.content == first.content
    story.body = "The corrected version."
    story.save()
    assert "The corrected version." in client.get(url).content.decode()


def test_drafts_previews_and_editors_never_go_through_the_cache(
    client, admin_client, story, make_article, page_cache
):
    draft = make_article("Secret draft", status=Article.Status.DRAFT)
    preview = admin_client.get(draft.get_absolute_url())
    assert preview.status_code == 200 and "ETag" not in preview
    assert "no-store" in preview["Cache-Control"]
    assert client.get(draft.get_absolute_url()).status_code == 404
    # What an editor sees of a public page is not what the next reader gets, nor the reverse.
    assert "ETag" not in admin_client.get(story.get_absolute_url())
    assert "ETag" in client.get(story.get_absolute_url())


def test_a_scheduled_story_appears_on_its_day_through_the_cache(
    client, transactional_db, make_article, page_cache, monkeypatch
):
    from django.utils import timezone

    today = timezone.localdate()
    make_article("Embargoed", published_on=today + datetime.timedelta(days=1))
    assert "Embargoed" not in client.get("/").content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + datetime.timedelta(days=1))
    assert "Embargoed" in client.get("/").content.decode()


def test_the_admin_is_left_alone_and_head_is_answered_like_get(
    client, transactional_db, real_edition
):
    assert "ETag" not in client.get("/admin/login/")
    head = client.head("/")
    assert head.status_code == 200 and head["ETag"] == client.get("/")["ETag"]


def test_a_cached_page_keeps_the_security_headers(client, story, page_cache):
    url = story.get_absolute_url()
    first = client.get(url)
    second = client.get(url)
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "ETag"):
        assert second[header] == first[header], header
    assert second["Content-Type"] == first["Content-Type"]


def test_each_process_keeps_a_bounded_number_of_recent_pages():
    from caching.pagecache import RecentPages

    recent = RecentPages(2)
    recent.put("a", 1)
    recent.put("b", 2)
    assert recent.get("a") == 1  # now the most recent
    recent.put("c", 3)
    assert recent.get("b") is None and recent.get("a") == 1 and recent.get("c") == 3


def test_a_named_release_names_the_etags_of_every_server(settings):
    from caching.pagecache import release

    release.cache_clear()
    try:
        settings.RELEASE = "2026.12.1"
        named = release()
        settings.RELEASE = "2026.12.2"
        release.cache_clear()
        assert release() != named
        settings.RELEASE = ""
        release.cache_clear()
        assert release() not in {named, ""}
    finally:
        release.cache_clear()


def test_the_release_digest_covers_every_project_app_and_template(settings, tmp_path):
    from caching.pagecache import release

    release.cache_clear()
    try:
        settings.RELEASE = ""
        before = release()
        extra = tmp_path / "extra.html"
        extra.write_text("<p>a new template</p>")
        settings.TEMPLATES = [
            {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
        ]
        release.cache_clear()
        assert release() != before
    finally:
        release.cache_clear()
