"""Django's Redis cache, keeping its Redis clients, and values kept with the versions they
depend on, read back in one round trip.

Django's backend makes a new `redis.Redis` client for every call — and each client fills a
table of some 170 reply parsers — which was a third of the time a cached page took to be
answered. A client is safe to share between threads (it takes a connection from its pool for
each command), and its pool opens new connections in a forked process; one per pool is kept.

A value that holds only while other keys keep the versions it was made with (a page and its
topics, caching/pagecache.py) is kept with those keys and versions beside it
(`set_with_versions`), and read back by a script run in Redis that returns it only while every
one of them still holds its version (`get_if_current`): one round trip where reading the value,
then the versions it names, took two. The script reads keys it is not handed (those the value
names), which one Redis server allows and a Redis Cluster would not; Django's backend speaks to
single servers only. Scripts are sent by their digest (EVALSHA), and again whole when a
restarted Redis no longer knows them (redis-py's `Script`).

Values can also be written with a message published to the processes that listen
(`set_many_and_publish`, `subscribe`): caching/watch.py hears every change that way.
"""

import json
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache.backends import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from redis import exceptions as redis_errors

# KEYS[1]: a hash kept by `set_with_versions`: 'versions', a JSON list of [key, version],
# 'value' and 'stamp'. KEYS[2..]: more keys to read in the same round trip. ARGV[1] (may be
# empty): what KEYS[2] held when the caller last found its own copy of the value current;
# ARGV[2] (may be empty): the stamp of the caller's copy.
# Returns {value or false, {the values of KEYS[2..]}, {the positions (from 0) in 'versions' of
# keys that hold nothing now}, verdict}:
# - KEYS[2] still holds ARGV[1]: {false, also, {}, 1} — the caller's copy is still current;
# - a key the value names holds another version: {false, also, {}, -1} when the value's stamp
#   is ARGV[2] (the caller's copy is out of date too), else {false, also, {}, 0};
# - nothing kept under KEYS[1] (or something else than such a hash): {false, also, {}, 0};
# - else {value, also, gone, 1}, the value false when its stamp is ARGV[2] (the caller has it).
# Only the caller can tell what a key holding nothing (`gone`) stands for.
GET_IF_CURRENT = """
local also = {}
if #KEYS > 1 then also = redis.call('MGET', unpack(KEYS, 2)) end
if ARGV[1] ~= '' and also[1] == ARGV[1] then return {false, also, {}, 1} end
local kept = redis.pcall('HMGET', KEYS[1], 'versions', 'value', 'stamp')
if kept.err or not kept[1] or not kept[2] then return {false, also, {}, 0} end
local versions = cjson.decode(kept[1])
local now = {}
if #versions > 0 then
  local keys = {}
  for i, pair in ipairs(versions) do keys[i] = pair[1] end
  now = redis.call('MGET', unpack(keys))
end
local mine = ARGV[2] ~= '' and kept[3] == ARGV[2]
local gone = {}
for i, pair in ipairs(versions) do
  if not now[i] then
    gone[#gone + 1] = i - 1
  elseif tonumber(now[i]) ~= pair[2] then
    if mine then return {false, also, {}, -1} end
    return {false, also, {}, 0}
  end
end
if mine then return {false, also, gone, 1} end
return {kept[2], also, gone, 1}
"""


@dataclass(frozen=True)
class Current:
    """What `get_if_current` read: whether the value is current (True), out of date in the
    caller's copy too (False), or not known to be (None: nothing kept, or another value out
    of date); the value (None unless current and not the caller's copy); the values of the
    other keys asked for (None where nothing is kept); and the positions of the keys the value
    depends on that hold nothing now (their versions unknown to Redis)."""

    current: bool | None
    value: Any
    also: list[Any]
    gone: list[int]


# How many made keys each cache remembers (some 200 bytes each).
MADE_KEYS = 20_000


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._scripts: dict[tuple[int, str], Any] = {}

    # Django's own private methods, as its get_client() calls them (not in the type stubs).
    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client

    def script(self, source: str) -> Any:
        """`source` as a script of the reading client, its digest computed once."""
        client = self.get_client()
        found = self._scripts.get((id(client), source))
        if found is None:
            found = self._scripts[id(client), source] = client.register_script(source)
        return found

    def loads(self, data: bytes | None) -> Any:
        # The serializer is Django's (private to its client): tests/caching/test_redis.py
        # reads back what Django's own set() wrote.
        return None if data is None else self._serializer.loads(data)  # type: ignore[attr-defined]

    def set_with_versions(
        self,
        key: str,
        value: Any,
        versions: Sequence[tuple[str, int]],
        timeout: int | None,
        stamp: str,
    ) -> None:
        client = self.get_client(key, write=True)
        pipeline = client.pipeline(transaction=True)
        pipeline.delete(key)  # whatever was kept there before, of whatever type
        if timeout != 0:
            fields = {
                "versions": json.dumps(versions),
                "value": self._serializer.dumps(value),  # type: ignore[attr-defined]
                "stamp": stamp,
            }
            pipeline.hset(key, mapping=fields)
            if timeout is not None:
                pipeline.expire(key, timeout)
        pipeline.execute()

    def add_many(self, data: dict[str, Any], timeout: int | None) -> None:
        if timeout == 0:
            return  # kept for no time: nothing to keep
        pipeline = self.get_client(None, write=True).pipeline(transaction=False)
        for key, value in data.items():
            pipeline.set(key, self._serializer.dumps(value), ex=timeout, nx=True)  # type: ignore[attr-defined]
        pipeline.execute()

    def set_many_and_publish(
        self, data: dict[str, Any], timeout: int | None, channel: str, message: str
    ) -> None:
        pipeline = self.get_client(None, write=True).pipeline(transaction=True)
        for key, value in data.items():
            pipeline.set(key, self._serializer.dumps(value), ex=timeout)  # type: ignore[attr-defined]
        pipeline.publish(channel, message)
        pipeline.execute()
        # Redis writes a message to its subscribers before it reads the next command: once
        # this answers, every process listening has the message in its socket (or, across
        # machines, on the wire), not merely the promise of it.
        self.get_client(None, write=True).ping()

    def publish(self, channel: str, message: str) -> None:
        self.get_client(None, write=True).publish(channel, message)

    def subscribe(self, channel: str) -> "Subscription":
        pool = self.get_client(None).connection_pool
        # Not one of the pool's: a connection that only listens, for as long as it lives.
        return Subscription(pool.connection_class(**pool.connection_kwargs), channel)

    def get_if_current(
        self, key: str, also: Sequence[str], holds: Any = None, stamp: str = ""
    ) -> Current:
        held = "" if holds is None else self._serializer.dumps(holds)  # type: ignore[attr-defined]
        value, values, gone, current = self.script(GET_IF_CURRENT)(
            keys=[key, *also], args=[held, stamp]
        )
        found = [self.loads(value) for value in values]
        verdict = {1: True, -1: False}.get(current)
        return Current(verdict, self.loads(value), found, gone)


class Subscription:
    """A connection of its own listening to one channel, read without waiting: `messages()`
    returns what has arrived (nothing if nothing has). Any failure of the connection raises
    (redis-py's errors) and leaves it closed: a listener that missed messages must know it.

    A Redis that stops answering (stopped, not gone) closes nothing: `ping()` asks it to
    answer, and `answered_at` is when the last ping answered was sent (time.monotonic()),
    Redis known to be listening then (the subscription's confirmation counts as one)."""

    def __init__(self, connection: Any, channel: str) -> None:
        self.connection = connection
        self.channel = channel.encode()
        self.pings: deque[float] = deque()
        sent = time.monotonic()
        connection.connect()
        try:
            connection.send_command("SUBSCRIBE", channel)
            # The confirmation: from now on, every message published is sent here.
            confirmed = connection.read_response(push_request=True)
            if not (isinstance(confirmed, list) and confirmed[:2] == [b"subscribe", self.channel]):
                raise redis_errors.ConnectionError(f"not subscribed to {channel}: {confirmed!r}")
        except BaseException:
            connection.disconnect()
            raise
        self.answered_at = sent

    def ping(self) -> None:
        try:
            self.connection.send_command("PING")
        except BaseException:
            self.close()
            raise
        self.pings.append(time.monotonic())

    def messages(self) -> list[bytes]:
        found = []
        try:
            while self.connection.can_read(timeout=0):
                message = self.connection.read_response(push_request=True)
                if isinstance(message, list) and message[:2] == [b"message", self.channel]:
                    found.append(message[2])
                elif self.pings:  # a ping's answer, in order
                    self.answered_at = self.pings.popleft()
        except BaseException:
            self.close()
            raise
        return found

    def close(self) -> None:
        self.connection.disconnect()


class RedisCache(redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._made: dict[str, str] = {}

    def make_and_validate_key(self, key: str, version: int | None = None) -> str:
        """Django's, remembered for the `MADE_KEYS` last keys: a page's topics are names asked
        for again and again, and making each key (prefix, version, memcached's checks) took
        a tenth of the time a cached page with twenty topics took to be answered."""
        if version is not None:
            return super().make_and_validate_key(key, version=version)
        made = self._made.get(key)
        if made is None:
            if len(self._made) >= MADE_KEYS:
                self._made.clear()
            made = self._made[key] = super().make_and_validate_key(key)
        return made

    @property
    def client(self) -> RedisCacheClient:
        return self._cache  # type: ignore[attr-defined]

    def seconds(self, timeout: float | None) -> int | None:
        """Django's timeout as Redis takes it: whole seconds, None to keep for ever."""
        seconds = self.get_backend_timeout(timeout)
        return None if seconds is None else int(seconds)

    def set_with_versions(
        self,
        key: str,
        value: Any,
        versions: Sequence[tuple[str, int]],
        timeout: float | None = DEFAULT_TIMEOUT,
        stamp: str = "",
    ) -> None:
        """Keep `value` under `key` with `versions`, the cache keys it depends on and the
        version each held when it was made, for `get_if_current`; `stamp` names this value
        among those kept there in turn (whoever holds a copy stamped so need not read it)."""
        made = [(self.make_and_validate_key(name), version) for name, version in versions]
        self.client.set_with_versions(
            self.make_and_validate_key(key), value, made, self.seconds(timeout), stamp
        )

    def add_many(self, data: dict[str, Any], timeout: float | None = DEFAULT_TIMEOUT) -> None:
        """`add` of each of `data` (kept only where nothing is), in one round trip."""
        self.client.add_many(
            {self.make_and_validate_key(key): value for key, value in data.items()},
            self.seconds(timeout),
        )

    def set_many_and_publish(
        self, data: dict[str, Any], timeout: float | None, channel: str, message: str
    ) -> None:
        """`set_many`, and `message` published on `channel` in the same transaction (a
        listener that hears it finds the values written), answered once the message is sent
        to every listener."""
        self.client.set_many_and_publish(
            {self.make_and_validate_key(key): value for key, value in data.items()},
            self.seconds(timeout),
            self.make_and_validate_key(channel),
            message,
        )

    def publish(self, channel: str, message: str) -> None:
        self.client.publish(self.make_and_validate_key(channel), message)

    def subscribe(self, channel: str) -> Subscription:
        """A subscription to `channel` (named as keys are, with the cache's prefix)."""
        return self.client.subscribe(self.make_and_validate_key(channel))

    def get_if_current(
        self, key: str, also: Sequence[str] = (), holds: Any = None, stamp: str = ""
    ) -> Current:
        """In one round trip: the values of the keys `also`, and the value kept under `key`
        by `set_with_versions` if every key it depends on still holds its version (see
        `Current` for the keys that hold nothing). A caller holding a copy of that value, found
        current when the first key of `also` held `holds`, learns that it still is without
        reading anything more while that key still holds it, and is not sent the value again
        when its copy has the `stamp` of the one kept."""
        return self.client.get_if_current(
            self.make_and_validate_key(key),
            [self.make_and_validate_key(name) for name in also],
            holds,
            stamp,
        )
