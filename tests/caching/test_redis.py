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
