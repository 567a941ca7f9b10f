"""Each process hears every change as it is made, so that a page it keeps is served without
asking Redis whether it is still current.

A change's versions are written to Redis with a message naming the topics it moved and their
new version (`topics.bump`, on the channel `CHANNEL`), published in the same transaction and
sent to every listening process before the writer goes on (caching/redis.py). Each process
listens on a connection of its own (`Watch`), read without waiting at the start of each
request: what has arrived is what has changed. A page this process keeps, checked against
Redis after the process began listening, is current while no topic it shows has been heard to
move past the version it shows — no round trip at all, editors saving or not.

What the watch cannot hear, it does not vouch for: a page checked before it listened, or more
than `TRUST_SECONDS` ago (a process that changes data without `REDIS_URL` publishes nothing:
its changes reach the page when Redis forgets the versions it holds, as before); anything
after its connection fails (until it listens again, `RETRY_SECONDS` later); anything while
Redis has not answered a ping sent in the last `SILENT_SECONDS` (it pings every
`PING_SECONDS` while requests come: a Redis stopped without closing its connections sends
nothing, and is then found by the checks in Redis as before). A writer whose change could not
be written to Redis publishes it all the same, so that the pages showing it are checked again
(and find its versions gone from Redis: the database decides).
"""

import json
import logging
import os
import threading
import time
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver

from caching.topics import CACHED_SECONDS

if TYPE_CHECKING:
    from caching.redis import Subscription

CHANNEL = "topics:moved"
# While requests come, Redis is pinged this often on the listening connection; the watch
# vouches for nothing while no ping sent in the last `SILENT_SECONDS` has been answered.
PING_SECONDS = 0.25
SILENT_SECONDS = 1.0
# A page found fresh in Redis is served on the watch's word for this long at most: as long as
# Redis keeps a version (caching/topics.py).
TRUST_SECONDS = CACHED_SECONDS
# After the connection fails, the watch listens again after this long.
RETRY_SECONDS = 5
# The topics heard to move are remembered (a name and a number each) up to this many; then the
# watch starts afresh, and each page it keeps is checked against Redis once more.
MOVED_LIMIT = 100_000

log = logging.getLogger(__name__)


def message(version: int, names: list[str]) -> str:
    """What a change publishes: its version and the topics it moved."""
    return json.dumps([version, names])


class Watch:
    """What this process has heard: since when it listens, the latest version heard, and each
    topic heard to move with its latest version."""

    def __init__(self) -> None:
        self.subscription: Subscription | None = None
        self.listening_since = 0.0  # time.monotonic() once subscribed
        self.moved: dict[str, int] = {}
        self.heard = 0
        self.pinged_at = 0.0
        self.resting_until = 0.0
        self.lock = threading.Lock()

    def listening(self) -> bool:
        """Reads what has arrived, without waiting; whether the watch can vouch for pages."""
        with self.lock:
            if self.subscription is None:
                if time.monotonic() < self.resting_until or not hasattr(cache, "subscribe"):
                    return False
                try:
                    self.subscription = cache.subscribe(CHANNEL)
                except Exception as error:
                    self.failed(error)
                    return False
                self.listening_since = time.monotonic()
                self.moved.clear()
            try:
                arrived = self.subscription.messages()
                if time.monotonic() - self.pinged_at >= PING_SECONDS:
                    self.subscription.ping()
                    self.pinged_at = time.monotonic()
            except Exception as error:
                self.subscription = None
                self.failed(error)
                return False
            for data in arrived:
                version, names = json.loads(data)
                self.heard = max(self.heard, version)
                for name in names:
                    if self.moved.get(name, 0) < version:
                        self.moved[name] = version
            if len(self.moved) > MOVED_LIMIT:
                self.listening_since = time.monotonic()
                self.moved.clear()
            return True

    def vouches(
        self, topics: tuple[str, ...], versions: tuple[int, ...], checked_at: float
    ) -> bool:
        """Whether a page showing `versions` of `topics`, found current in Redis at
        `checked_at` (time.monotonic()), still is: checked while listening, Redis answering,
        and none of its topics heard to move since. Call `listening()` first."""
        return (
            self.subscription is not None
            and self.listening_since <= checked_at
            and time.monotonic() - checked_at < TRUST_SECONDS
            and time.monotonic() - self.subscription.answered_at < SILENT_SECONDS
            and all(
                self.moved.get(name, 0) <= version
                for name, version in zip(topics, versions, strict=True)
            )
        )

    def stop(self) -> None:
        with self.lock:
            if self.subscription is not None:
                self.subscription.close()
                self.subscription = None

    def failed(self, error: Exception) -> None:
        self.resting_until = time.monotonic() + RETRY_SECONDS
        log.error(
            "watch: could not listen to changes (%s: %s); pages are checked in Redis, listening "
            "is tried again in %s s",
            type(error).__name__,
            error,
            RETRY_SECONDS,
        )


_watches: dict[int, Watch] = {}


def watch() -> Watch:
    """This process's watch (a forked worker listens on a connection of its own)."""
    pid = os.getpid()
    found = _watches.get(pid)
    if found is None:
        _watches.clear()
        found = _watches[pid] = Watch()
    return found


@receiver(setting_changed)
def listen_afresh(*, setting: str, **kwargs: Any) -> None:
    """Another cache (tests give each their own Redis): the watch listens to it from scratch."""
    if setting == "CACHES":
        for found in _watches.values():
            found.stop()
        _watches.clear()
