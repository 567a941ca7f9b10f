"""Conditional GET and the page cache (caching/pagecache.py), with the topics' versions
(caching/topics.py) that decide when a page is new. These tests commit for real
(transactional_db): versions move only when a change commits."""

import datetime
import logging
import threading
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import F
from django.test import Client

from articles.models import Article
from caching import pagecache, topics, watch
from caching.models import Edition, Topic
from newsroom import settings as newsroom_settings
from tests.html import headings, page, text
from tests.redis_server import RedisServer, redis_server


@pytest.fixture
def real_edition(real_versions):
    """Versions as they are, none left from another test."""
    cache.clear()


@pytest.fixture
def page_cache(settings, real_edition):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@dataclass
class SharedCache:
    server: RedisServer

    def page_keys(self):
        return sum(1 for _ in self.server.client().scan_iter(match="*page:*"))


@pytest.fixture
def shared_cache(settings, real_edition, tmp_path, monkeypatch):
    """The page cache in a Redis of the test's own, configured as REDIS_URL configures it."""
    # A shared cache that failed in an earlier test is not rested from here.
    monkeypatch.setattr(topics, "_resting_until", [0.0])
    with redis_server(tmp_path / "redis") as server:
        settings.CACHES = newsroom_settings.caches(server.url)
        settings.PAGE_CACHE_SECONDS = 300
        yield SharedCache(server)


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
    # At most the topics' versions are read: the story, its quotes, its people are not.
    with django_assert_max_num_queries(1):
        again = client.get(story.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    stale = client.get(story.get_absolute_url(), headers={"if-none-match": '"another"'})
    assert stale.status_code == 200


def test_a_change_to_the_story_gives_it_a_new_etag(client, story, real_edition):
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
    with django_assert_max_num_queries(1):  # the versions, at most: not the page's queries
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


def kept_page(content: bytes) -> pagecache.Entry:
    page = (200, [("Content-Type", "text/html")], content)
    return pagecache.Entry(("story:1",), (1,), "20261207", "r", 0, page)


def test_each_process_keeps_a_bounded_number_of_recent_pages():
    from caching.pagecache import RecentPages

    recent = RecentPages(2)
    a, b, c = (kept_page(name) for name in (b"a", b"b", b"c"))
    recent.put("a", a)
    recent.put("b", b)
    assert recent.get("a") is a  # now the most recent
    recent.put("c", c)
    assert recent.get("b") is None and recent.get("a") is a and recent.get("c") is c


def test_each_process_keeps_recent_pages_up_to_a_budget_of_bytes():
    from caching.pagecache import RecentPages

    big = [kept_page(bytes(40_000)) for _ in range(4)]
    recent = RecentPages(100, budget=100_000)
    for n, entry in enumerate(big):
        recent.put(f"page{n}", entry)
    # The oldest forgotten until the rest fit; a page put again is counted once.
    assert [recent.get(f"page{n}") for n in range(4)] == [None, None, big[2], big[3]]
    recent.put("page3", big[3])
    assert recent.used == big[2].size + big[3].size <= 100_000
    # A page bigger than the whole budget is still kept alone (it was just served).
    huge = kept_page(bytes(200_000))
    recent.put("huge", huge)
    assert recent.get("huge") is huge and recent.used == huge.size and len(recent.pages) == 1


def test_pages_are_kept_deflated_and_served_as_rendered(client, story, page_cache, monkeypatch):
    kept = []
    put = pagecache.RecentPages.put
    monkeypatch.setattr(
        pagecache.RecentPages,
        "put",
        lambda self, key, entry: kept.append(entry) or put(self, key, entry),
    )
    rendered = client.get(story.get_absolute_url())
    (entry,) = kept
    _, _, content = entry.page
    # The first page a process keeps is the dictionary the pages it keeps are deflated against.
    dictionary = rendered.content[-pagecache.DICTIONARY_BYTES :]
    assert len(content) < len(rendered.content) / 2
    assert pagecache.inflated(content, dictionary) == rendered.content
    assert entry.size < len(rendered.content)  # what the budget counts
    served = client.get(story.get_absolute_url())
    assert served["X-Page-Cache"] == "hit" and served.content == rendered.content


def test_the_pages_served_last_are_kept_inflated_too(monkeypatch):
    from caching.pagecache import RecentPages

    monkeypatch.setattr(pagecache, "INFLATED", 2)
    recent = RecentPages(10)
    a, b, c = (kept_page(zlib.compress(letter * 1000)) for letter in (b"a", b"b", b"c"))
    for key, entry in zip("abc", (a, b, c), strict=True):
        recent.put(key, entry)
    first = recent.content("a", a)
    assert first == b"a" * 1000 and recent.content("a", a) is first  # inflated once
    assert recent.content("b", b) == b"b" * 1000 and recent.content("c", c) == b"c" * 1000
    assert list(recent.inflated) == ["b", "c"]  # the last two
    # Another rendering kept under the same key is inflated afresh, not served the old one.
    renewed = kept_page(zlib.compress(b"B" * 1000))
    recent.put("b", renewed)
    assert recent.content("b", renewed) == b"B" * 1000


def page_text(number: int) -> bytes:
    """A page of the frame all pages share around a text of its own, some 8 KB."""
    frame = b"".join(b"<li><a href='/section/%d/'>Section %d</a></li>" % (n, n) for n in range(150))
    own = b" ".join(b"word%d" % (number * 7919 + n) for n in range(200))
    return frame[: len(frame) // 2] + own + frame[len(frame) // 2 :]


JSON = ("Content-Type", "application/json")


def test_a_process_deflates_its_pages_against_the_first_it_kept():
    from caching.pagecache import RecentPages

    recent = RecentPages(10)
    tiny = b"not enough to learn from"
    small = recent.keep("small", kept_page(tiny), tiny)
    assert recent.dictionary is None  # a page too small to be the dictionary
    answer = pagecache.Entry(("all",), (1,), "20261207", "r", 0, (200, [JSON], b""))
    recent.keep("api", answer, b'{"stories": []}' * 1000)
    assert recent.dictionary is None  # the API's JSON would teach it little of the pages
    first, second = page_text(1), page_text(2)
    recent.keep("first", kept_page(b""), first)
    assert recent.dictionary == first
    # A page kept from the shared cache comes plainly deflated: it is kept deflated against
    # the dictionary, in far fewer bytes, and served as it was.
    kept = recent.keep("second", kept_page(zlib.compress(second)))
    assert recent.get("second") is kept
    _, _, content = kept.page
    assert len(content) < len(zlib.compress(second)) / 2
    assert pagecache.inflated(content, recent.dictionary) == second
    recent.inflated.clear()
    assert recent.content("second", kept) == second
    # A page kept before the dictionary was chosen is still read.
    assert recent.content("small", small) == tiny


def test_the_headers_pages_share_are_kept_once():
    from caching.pagecache import RecentPages

    def entry(etag: str) -> pagecache.Entry:
        headers = [("Content-Security-Policy", "default-src " + "'self'"), ("ETag", etag)]
        return pagecache.Entry(("story:1",), (1,), "20261207", "r", 0, (200, headers, b""))

    recent = RecentPages(10)
    a = recent.keep("a", entry('"a"'), page_text(1))
    b = recent.keep("b", entry('"b"'), page_text(2))
    (a_policy, a_etag), (b_policy, b_etag) = a.page[1], b.page[1]
    assert a_policy is b_policy and (a_etag, b_etag) == (("ETag", '"a"'), ("ETag", '"b"'))
    # What the budget counts of the headers: only a page's own.
    assert a.size == pagecache.ENTRY_OVERHEAD + len(a.page[2]) + len("ETag") + len('"a"')


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


# --- the key: exactly what decides the page --------------------------------------------------

FRONT_PAGE_HEADING = "Newsroom: the latest from the archive"


def test_a_front_page_routed_under_a_storys_address_is_not_kept_as_the_story(
    client, story, page_cache
):
    """A SCRIPT_NAME of the story's address makes the request's full path the story's while
    it is routed (PATH_INFO `/`) to the front page: the front page must not be kept for the
    story's readers."""
    url = story.get_absolute_url()
    routed = client.get("/", SCRIPT_NAME=url.rstrip("/"))
    assert headings(routed.content) == [FRONT_PAGE_HEADING]
    reader = client.get(url)
    assert headings(reader.content) == ["Out now"]


def test_parameters_no_page_reads_neither_change_a_page_nor_add_to_the_cache(
    client, story, shared_cache
):
    url = story.get_absolute_url()
    first = client.get(url)
    for n in range(1, 31):
        tagged = client.get(f"{url}?utm_source=x{n}&fbclid=y{n}")
        assert tagged.status_code == 200 and tagged.content == first.content
    assert shared_cache.page_keys() == 1


def test_only_a_pages_own_address_is_kept(client, story, make_article, shared_cache):
    """Junk values of parameters pages do read answer with the nearest page but are not kept
    as more copies of it; the addresses pages link to are kept."""
    for n in range(25):
        make_article(f"Story {n}", slug=f"story-{n}")
    junk = ["?page=999", "?page=abc", "?page=02", "?page=2&page=2", "?kind=nope", "?p=2"]
    for query in junk:
        assert client.get("/articles/" + query).status_code == 200, query
        assert client.get(story.get_absolute_url() + query).status_code == 200, query
    assert shared_cache.page_keys() == 0
    for address in ["/articles/", "/articles/?page=2", "/articles/?page=1", "/search/?q=story"]:
        assert client.get(address).status_code == 200
    assert shared_cache.page_keys() == 4
    # An empty parameter is no parameter: the page itself.
    assert client.get("/articles/?q=&page=").status_code == 200
    assert shared_cache.page_keys() == 4


def test_a_sitemap_page_is_kept_by_its_own_number_only(client, story, shared_cache, settings):
    from newsroom.sitemaps import StorySitemap

    StorySitemap.limit = 1  # two stories: two pages
    try:
        from articles.models import Article

        Article.objects.create(
            title="Second", slug="second", published_on=story.published_on, status="published"
        )
        assert client.get("/sitemap-stories.xml?p=2").status_code == 200
        assert client.get("/sitemap-stories.xml?p=02").status_code == 200
        assert client.get("/sitemap-stories.xml?p=3").status_code == 404
    finally:
        StorySitemap.limit = 10_000
    assert shared_cache.page_keys() == 1


# --- the shared cache failing: pages are served uncached -------------------------------------


READER_PAGES = ["/", "/people/", "/articles/", "/quotes/"]


def test_pages_are_served_when_redis_is_down_and_the_failure_is_logged(
    client, story, shared_cache, caplog
):
    shared_cache.server.stop()
    with caplog.at_level(logging.ERROR, logger="caching.pagecache"):
        for url in [*READER_PAGES, story.get_absolute_url()]:
            assert client.get(url).status_code == 200, url
    failures = [r for r in caplog.records if r.name == "caching.pagecache"]
    assert failures and "ConnectionError" in failures[0].getMessage()
    assert len(failures) == 1  # then the cache is left alone for a while, not asked every time


def test_pages_are_served_when_redis_is_full_and_the_failure_is_logged(
    client, story, shared_cache, caplog
):
    shared_cache.server.fill()
    with caplog.at_level(logging.ERROR, logger="caching.pagecache"):
        for url in [*READER_PAGES, story.get_absolute_url()]:
            assert client.get(url).status_code == 200, url
    failures = [r.getMessage() for r in caplog.records if r.name == "caching.pagecache"]
    assert failures and "OutOfMemoryError" in failures[0]


def test_pages_are_served_when_redis_hangs(client, story, shared_cache):
    """A Redis that accepts connections and never answers (stopped with SIGSTOP) is given up
    after its timeout (a second, newsroom/settings.py), and the page is served without it."""
    answers = []

    def read():
        try:
            answers.append(client.get("/").status_code)
        finally:
            connections.close_all()

    shared_cache.server.freeze()
    reader = threading.Thread(target=read)
    reader.start()
    reader.join(timeout=30)
    answered_while_frozen = list(answers)
    shared_cache.server.thaw()
    reader.join(timeout=30)
    assert answered_while_frozen == [200]


def test_the_shared_cache_is_used_again_once_it_recovers(client, story, shared_cache, monkeypatch):
    monkeypatch.setattr(pagecache, "RETRY_SECONDS", 0)
    shared_cache.server.fill()
    assert client.get("/").status_code == 200
    assert shared_cache.page_keys() == 0
    shared_cache.server.empty()
    assert client.get("/people/").status_code == 200
    assert shared_cache.page_keys() == 1


def test_a_picture_saved_renews_every_page(db, django_capture_on_commit_callbacks):
    """A credit or a file changed shows on every page that shows the picture: a change to
    pictures (an app readers see, which no rule describes) moves `ALL`, once it commits."""
    from tests.pictures.images import stored_picture

    before = topics.from_database([topics.ALL])[topics.ALL]
    with django_capture_on_commit_callbacks(execute=True):
        stored_picture(size=(200, 200), renditions=False)
    assert topics.from_database([topics.ALL])[topics.ALL] > before


def test_a_page_found_fresh_is_checked_by_the_clock_alone_until_the_clock_moves():
    from caching.pagecache import Checked, Entry

    checked = Checked(size=2)
    entry = Entry(("story:1",), (4,), "20261207", "r", 0, None)
    assert checked.found("page:a", entry) is None
    checked.note("page:a", entry, 9, at=100.0)
    assert checked.found("page:a", entry) == (9, 100.0)
    # Another rendering of the page, showing other versions, is not the one found fresh.
    newer = Entry(("story:1",), (10,), "20261207", "r", 1, None)
    assert checked.found("page:a", newer) is None
    # The oldest noted pages are forgotten past the size.
    checked.note("page:b", entry, 9, at=101.0)
    checked.note("page:c", entry, 9, at=102.0)
    assert checked.found("page:a", entry) is None
    assert checked.found("page:c", entry) == (9, 102.0)


# --- a page another worker kept: one round trip to Redis --------------------------------------


@pytest.fixture
def round_trips(monkeypatch):
    """`with round_trips() as sent:` — `sent` holds, once the block ends, the commands this
    process sent to Redis inside it, by the times it wrote to a connection: one a round trip
    (a pipeline's commands, or a script's, go in one); the watch's pings aside."""
    import redis.connection

    sending = redis.connection.Connection.send_packed_command
    counting: list[list] = []

    def send(connection, command, *args, **kwargs):
        # The watch's pings (caching/watch.py) go without waiting for their answer: not a
        # round trip.
        if first_words([command]) != ["PING"]:
            for sent in counting:
                sent.append(command)
        return sending(connection, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", send)

    @contextmanager
    def count():
        sent: list = []
        counting.append(sent)
        try:
            yield sent
        finally:
            counting.remove(sent)

    return count


def first_words(sent: list) -> list[str]:
    """What each round trip asked first (EVALSHA, GET…)."""
    words = []
    for packed in sent:
        data = b"".join(packed) if isinstance(packed, list) else packed
        words.append(data.split(b"\r\n")[2].decode().upper())
    return words


def test_a_page_another_worker_kept_costs_one_round_trip(
    story, shared_cache, round_trips, django_assert_num_queries
):
    """A page this worker does not keep in its own memory (the long tail of a big archive) is
    read with the versions of its topics in one command: the script checks them in Redis."""
    kept = Client().get(story.get_absolute_url())
    assert kept["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0), round_trips() as sent:
        served = Client().get(story.get_absolute_url())
    assert first_words(sent) == ["EVALSHA"]
    assert served["X-Page-Cache"] == "hit" and served.content == kept.content
    assert served["ETag"] == kept["ETag"]
    with round_trips() as sent:
        revalidated = Client().get(
            story.get_absolute_url(), headers={"if-none-match": kept["ETag"]}
        )
    assert revalidated.status_code == 304
    assert first_words(sent) == ["EVALSHA"]


def test_a_page_kept_here_costs_no_round_trip_while_its_worker_listens(
    story, shared_cache, round_trips
):
    """A worker's recent page, found fresh in Redis a moment ago, is served on what the worker
    heard of the changes since (caching/watch.py): nothing is sent to Redis, editors saving
    elsewhere or not; a change to what it shows is heard, and renews it at once."""
    worker = Client()
    url = story.get_absolute_url()
    kept = worker.get(url)
    for _ in range(3):
        with round_trips() as sent:
            assert worker.get(url)["X-Page-Cache"] == "hit"
        assert sent == []
        topics.bump(["story:0"])  # a change elsewhere: the clock moves, the story does not
    with round_trips() as sent:
        revalidated = worker.get(url, headers={"if-none-match": kept["ETag"]})
    assert revalidated.status_code == 304 and sent == []
    story.body = "The corrected version."
    story.save()
    renewed = worker.get(url)
    assert renewed["X-Page-Cache"] == "miss"
    assert "The corrected version." in text(page(renewed).find("main"))
    with round_trips() as sent:
        assert worker.get(url)["X-Page-Cache"] == "hit"
    assert sent == []


def test_a_page_kept_here_costs_one_round_trip_while_the_clock_moves(
    story, shared_cache, round_trips, monkeypatch
):
    """A recent page the worker's watch cannot vouch for (Redis not heard from lately, or no
    watch) is checked by the clock alone between two changes; once the clock has been seen
    moving (editors at work), by the clock and its topics' versions at once, in one
    command."""
    monkeypatch.setattr(pagecache, "MOVING_SECONDS", 3600)  # no test waits on the time
    monkeypatch.setattr(watch, "SILENT_SECONDS", 0)  # the watch vouches for nothing
    worker = Client()
    url = story.get_absolute_url()
    worker.get(url)
    with round_trips() as sent:
        assert worker.get(url)["X-Page-Cache"] == "hit"
    assert first_words(sent) == ["MGET"]  # the clock, still
    topics.bump(["story:0"])  # a change elsewhere: the clock moves, the story does not
    with round_trips() as sent:
        assert worker.get(url)["X-Page-Cache"] == "hit"
    assert first_words(sent) == ["MGET", "EVALSHA"]  # the clock moved: then the versions
    topics.bump(["story:0"])
    with round_trips() as sent:
        assert worker.get(url)["X-Page-Cache"] == "hit"
    assert first_words(sent) == ["EVALSHA"]
    with round_trips() as sent:
        assert worker.get(url)["X-Page-Cache"] == "hit"
    assert first_words(sent) == ["EVALSHA"]
    story.body = "The corrected version."
    story.save()
    assert "The corrected version." in text(page(worker.get(url)).find("main"))


def test_a_page_another_worker_kept_is_not_served_once_its_story_changed(story, shared_cache):
    url = story.get_absolute_url()
    assert Client().get(url)["X-Page-Cache"] == "miss"
    story.body = "The corrected version."
    story.save()
    renewed = Client().get(url)
    assert renewed["X-Page-Cache"] == "miss"
    assert "The corrected version." in text(page(renewed).find("main"))
    again = Client().get(url)
    assert again["X-Page-Cache"] == "hit" and again.content == renewed.content


def test_a_version_redis_forgot_is_read_from_the_database(story, shared_cache):
    """Redis keeps the topics' versions for a few minutes: one it no longer holds is read from
    the database, which decides — a change it never heard of (written by a process without
    REDIS_URL) renews the page."""
    url = story.get_absolute_url()
    kept = Client().get(url)
    redis = shared_cache.server.client()
    topic = cache.make_key(topics.cache_key(f"story:{story.pk}"))
    assert redis.delete(topic) == 1
    served = Client().get(url)
    assert served["X-Page-Cache"] == "hit" and served["ETag"] == kept["ETag"]
    assert redis.exists(topic)  # kept again
    Topic.objects.filter(name=f"story:{story.pk}").update(version=F("version") + 1)
    redis.delete(topic)
    assert Client().get(url)["X-Page-Cache"] == "miss"


def test_a_page_another_worker_kept_is_served_when_redis_goes_down(client, story, shared_cache):
    url = story.get_absolute_url()
    kept = Client().get(url)
    shared_cache.server.stop()
    served = client.get(url)
    assert served.status_code == 200 and served["X-Page-Cache"] == "miss"
    assert headings(served.content) == headings(kept.content) == ["Out now"]
