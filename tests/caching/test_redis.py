"""The site's Redis cache: Django's, keeping one client per connection pool."""

import os

import pytest
from django.core.cache import caches

from newsroom import settings as newsroom_settings
from tests.redis_server import redis_server


@pytest.fixture
def shared(settings, tmp_path):
    with redis_server(tmp_path / "redis") as server:
        settings.CACHES = newsroom_settings.caches(server.url)
        yield caches["default"]


def test_the_cache_keeps_its_client_and_works(shared):
    client = shared._cache.get_client()
    assert shared._cache.get_client() is client
    assert shared._cache.get_client(write=True) is client  # one server: one pool
    shared.set_many({"a": 1, "b": 2})
    assert shared.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    shared.delete("a")
    assert shared.get("a") is None


def test_a_forked_process_talks_to_redis_on_connections_of_its_own(shared):
    shared.set("before", "fork")
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            ok = shared.get("before") == "fork" and shared.add("child", 1)
            os.write(write, b"ok" if ok else b"no")
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    assert os.read(read, 2) == b"ok"
    assert shared.get("child") == 1 and shared.get("before") == "fork"


def test_a_value_kept_with_versions_is_read_back_while_they_hold(shared):
    shared.set_many({"topic:a": 3, "topic:b": 7, "clock": 9})
    shared.set_with_versions("page", {"html": "<p>"}, [("topic:a", 3), ("topic:b", 7)], 60)
    found = shared.get_if_current("page", ["clock", "nothing"])
    assert found.current and found.value == {"html": "<p>"}
    assert found.also == [9, None] and found.gone == []
    shared.set("topic:b", 8)
    moved = shared.get_if_current("page", ["clock"])
    assert moved.current is None and moved.value is None and moved.also == [9]
    shared.set("topic:b", 7)
    shared.delete("topic:a")
    forgotten = shared.get_if_current("page")
    assert forgotten.current and forgotten.value == {"html": "<p>"} and forgotten.gone == [0]


def test_a_copy_held_is_checked_without_being_sent_again(shared):
    shared.set_many({"topic:a": 3, "clock": 9})
    shared.set_with_versions("page", "the page", [("topic:a", 3)], 60, stamp="s1")
    # The clock as it was when the copy was found current: nothing more is read.
    still = shared.get_if_current("page", ["clock"], holds=9, stamp="s1")
    assert still.current and still.value is None and still.also == [9]
    shared.set("clock", 10)
    moved = shared.get_if_current("page", ["clock"], holds=9, stamp="s1")
    assert moved.current and moved.value is None and moved.also == [10]
    other = shared.get_if_current("page", ["clock"], holds=9, stamp="s0")
    assert other.current and other.value == "the page"
    shared.set("topic:a", 4)
    assert shared.get_if_current("page", ["clock"], holds=9, stamp="s1").current is False
    assert shared.get_if_current("page", ["clock"], holds=9, stamp="s0").current is None


def test_nothing_kept_and_a_value_kept_otherwise_read_as_nothing(shared):
    assert shared.get_if_current("never", ["clock"]).value is None
    shared.set("plain", "a value kept by set()")  # not a hash: the script must not fail on it
    found = shared.get_if_current("plain")
    assert found.current is None and found.value is None
    shared.set_with_versions("plain", "now with versions", [], 60)
    assert shared.get_if_current("plain").value == "now with versions"
    assert 0 < shared.client.get_client().ttl(shared.make_key("plain")) <= 60
    shared.set_with_versions("plain", "gone at once", [], 0)
    assert shared.get_if_current("plain").value is None


def test_the_script_is_sent_again_when_redis_forgot_it(shared):
    shared.set_with_versions("page", "kept", [], 60)
    assert shared.get_if_current("page").value == "kept"
    shared.client.get_client().script_flush()  # as after a restart
    assert shared.get_if_current("page").value == "kept"


def test_add_many_keeps_only_what_is_not_there(shared):
    shared.set("a", 1)
    shared.add_many({"a": 2, "b": 3}, 60)
    assert shared.get_many(["a", "b"]) == {"a": 1, "b": 3}
