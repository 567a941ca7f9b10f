"""Each process hears every change (caching/watch.py): what a change moved reaches every
listening process before its writer goes on, and a page is vouched for only on what was heard
lately, while listening. In a Redis of the test's own; these tests commit for real."""

import logging
import time

import pytest

from caching import topics, watch
from newsroom import settings as newsroom_settings
from tests.redis_server import redis_server


@pytest.fixture
def shared(settings, real_versions, transactional_db, tmp_path, monkeypatch):
    monkeypatch.setattr(topics, "_resting_until", [0.0])
    with redis_server(tmp_path / "redis") as server:
        settings.CACHES = newsroom_settings.caches(server.url)
        yield server


@pytest.fixture
def listening(shared):
    heard = watch.watch()
    assert heard.listening()
    return heard


def test_a_change_is_heard_before_its_writer_goes_on(listening):
    for n in range(30):
        version = topics.bump([f"story:{n}", "stories"])
        # Read without waiting: the message is already here.
        assert listening.listening()
        assert listening.heard == version
        assert listening.moved[f"story:{n}"] == version == listening.moved["stories"]
        assert listening.moved[topics.EVERYTHING] == version


def test_a_page_is_vouched_for_until_a_topic_it_shows_moves(listening):
    shown = topics.bump(["story:1"])
    page = (("story:1", "stories"), (shown, 0))
    checked_at = time.monotonic()
    assert listening.vouches(*page, checked_at)
    topics.bump(["story:2"])  # something else
    assert listening.listening() and listening.vouches(*page, checked_at)
    topics.bump(["stories"])  # a list the page shows
    assert listening.listening() and not listening.vouches(*page, checked_at)


def test_nothing_is_vouched_for_that_was_checked_before_listening_or_long_ago(listening):
    """Long ago: longer than Redis keeps a version, so that a change made by a process without
    `REDIS_URL` (which publishes nothing) reaches the page as it did without the watch."""
    page = (("story:1",), (0,))
    assert not listening.vouches(*page, listening.listening_since - 0.001)
    assert not listening.vouches(*page, time.monotonic() - topics.CACHED_SECONDS)
    assert listening.vouches(*page, time.monotonic())


def test_nothing_is_vouched_for_while_redis_does_not_answer(shared, listening, monkeypatch):
    """A Redis stopped (SIGSTOP) keeps its connections open and sends nothing: the pings go
    unanswered, and the watch stops vouching within `SILENT_SECONDS`; once Redis answers again,
    it vouches again."""
    monkeypatch.setattr(watch, "PING_SECONDS", 0.05)
    monkeypatch.setattr(watch, "SILENT_SECONDS", 0.3)
    page = (("story:1",), (0,))
    checked_at = time.monotonic()
    shared.freeze()
    try:
        deadline = time.monotonic() + 10
        while listening.listening() and listening.vouches(*page, checked_at):
            assert time.monotonic() < deadline, "still vouching for a Redis that does not answer"
            time.sleep(0.05)
        assert time.monotonic() - checked_at >= watch.SILENT_SECONDS
    finally:
        shared.thaw()
    deadline = time.monotonic() + 10
    while not (listening.listening() and listening.vouches(*page, checked_at)):
        assert time.monotonic() < deadline, "not vouching again once Redis answers"
        time.sleep(0.05)


def test_a_change_redis_refused_is_heard_all_the_same(shared, listening):
    """Redis full: the change's versions cannot be written there; it is published all the
    same, so the pages showing it are checked again (and read its versions from the
    database, Redis holding none)."""
    shared.fill()
    version = topics.bump(["story:7"])
    assert listening.listening() and listening.moved["story:7"] == version


def test_the_topics_heard_are_bounded(listening, monkeypatch):
    monkeypatch.setattr(watch, "MOVED_LIMIT", 3)
    checked_at = time.monotonic()
    topics.bump(["story:1", "story:2", "story:3", "story:4"])
    assert listening.listening()
    # Forgotten, and every page checked before that is checked in Redis again.
    assert listening.moved == {} and listening.listening_since > checked_at
    assert not listening.vouches(("story:9",), (0,), checked_at)


def test_a_watch_that_loses_redis_vouches_for_nothing_and_says_so(shared, listening, caplog):
    checked_at = time.monotonic()
    shared.stop()
    with caplog.at_level(logging.ERROR, logger="caching.watch"):
        assert not listening.listening()
        assert not listening.vouches(("story:1",), (0,), checked_at)
        assert not listening.listening()  # resting: not tried again at once
    failures = [r.getMessage() for r in caplog.records if r.name == "caching.watch"]
    assert len(failures) == 1 and "could not listen to changes" in failures[0]


def test_without_redis_nothing_is_listened_to(settings, real_versions):
    settings.CACHES = newsroom_settings.caches("")
    assert not watch.watch().listening()
