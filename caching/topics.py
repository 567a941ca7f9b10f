"""What a page shows, by name, and when each of those things last changed.

A *topic* names something pages show: `story:12`, `person:3`, `tag:7`, `month:2024-05`,
`stories` (the lists of the newest stories)… A view declares the topics its page depends on
(`depends_on(request, …)`); a change declares the topics it moves (`changed(…)`, from the
request-free rules in `articles/freshness.py` and `people/freshness.py`). The page cache
(caching/pagecache.py) keeps each page with its topics' versions at render time and serves it
only while they are unchanged, so an edit to one story leaves the rest of the archive cached.

Versions are numbers from one clock (the row `CLOCK` of the topic table), so that a page
rendered while a change committed can be told apart (see `clock()`). The database is the
truth; the shared cache (Redis, when `REDIS_URL` is set) holds a copy that every worker reads
in one round trip for all the topics of a page, and a change writes there as soon as it has
committed, so every worker sees it on its next request, and publishes them to the processes
that listen (caching/watch.py). Without a shared cache, versions are
read from the database (one query), never from a process's own memory.

Two topics are special: `EVERYTHING` moves with any change readers can see (pages of the
whole archive — the API, search, feeds, sitemaps — depend on it, and so does any page whose
view declares nothing), and `ALL`, which every page depends on, moves only when something
changed that no rule can describe (bulk loads that send no signals, `loaddata`).
"""

import logging
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models import F, Model
from django.http import HttpRequest

if TYPE_CHECKING:
    from caching.redis import RedisCache

log = logging.getLogger(__name__)

EVERYTHING = "everything"
ALL = "all"
CLOCK = "*clock"
CACHE_PREFIX = "topic:"
# After the shared cache fails, versions are read from the database for this long.
RETRY_SECONDS = 5
# How long the shared cache keeps a version before it is read from the database again: what a
# change could not write there (the cache failing, or a process writing without `REDIS_URL`)
# shows after this long at most.
CACHED_SECONDS = 300


def depends_on(request: HttpRequest, *names: str) -> None:
    """Note that the page answering `request` shows what `names` name (added to what the view
    noted before)."""
    noted: set[str] | None = getattr(request, "topics", None)
    if noted is None:
        noted = request.topics = set()  # type: ignore[attr-defined]  # read by of()
    noted.update(names)


def of(request: HttpRequest) -> frozenset[str]:
    """The topics of the page answering `request`: those its view noted (`EVERYTHING` when it
    noted none), and `ALL`."""
    noted = getattr(request, "topics", None) or {EVERYTHING}
    return frozenset(noted) | {ALL}


# --- changes ---------------------------------------------------------------------------------


class Batch:
    """The topics changed by one transaction: moved together once it commits."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.done = False

    def commit(self) -> None:
        self.done = True
        bump(self.names)


_batches = threading.local()


def changed(*names: str) -> None:
    """`names` changed: their versions move once the current transaction commits (at once
    outside a transaction); nothing moves if it rolls back. One bump per transaction."""
    if not names:
        return
    connection = transaction.get_connection()
    batch: Batch | None = getattr(_batches, "current", None)
    if (
        batch is not None
        and not batch.done
        and connection.in_atomic_block
        and any(func == batch.commit for _, func, _ in connection.run_on_commit)
    ):
        batch.names.update(names)
        return
    batch = _batches.current = Batch()
    batch.names.update(names)
    transaction.on_commit(batch.commit)


def bump(names: Iterable[str]) -> int:
    """Give `names` (and `EVERYTHING`) a new version, now: in the database, then in the shared
    cache. Returns the version."""
    from caching import edition, watch
    from caching.models import Topic

    names = sorted(set(names) | {EVERYTHING})
    with transaction.atomic():
        if not Topic.objects.filter(name=CLOCK).update(version=F("version") + 1):
            Topic.objects.get_or_create(name=CLOCK, defaults={"version": 0})
            Topic.objects.filter(name=CLOCK).update(version=F("version") + 1)
        version = Topic.objects.filter(name=CLOCK).values_list("version", flat=True).get()
        Topic.objects.bulk_create(
            [Topic(name=name, version=version) for name in names],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["version", "changed_at"],
        )
        edition.bump()
    if shared():
        values = {CACHE_PREFIX + name: version for name in names}
        values[CACHE_PREFIX + CLOCK] = version
        publishing = publisher()
        message = watch.message(version, names)
        try:
            if publishing is not None:
                # Heard at once by every process listening (caching/watch.py).
                publishing.set_many_and_publish(values, CACHED_SECONDS, watch.CHANNEL, message)
            else:
                cache.set_many(values, CACHED_SECONDS)
        except Exception as error:
            failed("write", error)
            try:  # what a worker cannot read, it reads from the database
                cache.delete_many(list(values))
                if publishing is not None:  # and the pages showing it are checked again
                    publishing.publish(watch.CHANNEL, message)
            except Exception:
                log.error("topics: the shared cache may hold old versions of %s", sorted(names))
    return version


# --- reading ---------------------------------------------------------------------------------

_resting_until = [0.0]


def shared() -> bool:
    """Whether the default cache is shared by every worker (not each process's memory)."""
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def publisher() -> "RedisCache | None":
    """The shared cache, when it tells the processes listening what changed (caching/redis.py);
    None for one that cannot."""
    return cast("RedisCache", cache) if hasattr(cache, "set_many_and_publish") else None


def failed(action: str, error: Exception) -> None:
    _resting_until[0] = time.monotonic() + RETRY_SECONDS
    log.error(
        "topics: could not %s the shared cache (%s: %s); versions come from the database for %s s",
        action,
        type(error).__name__,
        error,
        RETRY_SECONDS,
    )


def resting() -> bool:
    """Whether the shared cache failed a moment ago: versions come from the database."""
    return time.monotonic() < _resting_until[0]


def cache_key(name: str) -> str:
    """The key under which the shared cache holds the version of the topic `name`."""
    return CACHE_PREFIX + name


def versions(names: Iterable[str]) -> dict[str, int]:
    """The current version of each of `names` (0: never changed), in one round trip to the
    shared cache, or one query when it is empty, absent or failing."""
    names = list(names)
    if not shared() or resting():
        return from_database(names)
    keys = [cache_key(name) for name in names]
    try:
        found = cache.get_many(keys)
    except Exception as error:
        failed("read", error)
        return from_database(names)
    known = {key[len(CACHE_PREFIX) :]: value for key, value in found.items()}
    missing = [name for name in names if name not in known]
    if missing:
        known.update(read_gone(missing))
    return {name: known[name] for name in names}


def read_gone(names: list[str]) -> dict[str, int]:
    """The versions of `names`, which the shared cache does not hold (never read yet, or
    forgotten): from the database, then kept there again, in one more round trip."""
    if not names:
        return {}
    fresh = from_database(names)
    if shared() and not resting():
        try:
            # Only where still missing: a change written meanwhile is newer than what was read.
            adding = getattr(cache, "add_many", None)
            if adding is not None:
                adding(
                    {cache_key(name): version for name, version in fresh.items()}, CACHED_SECONDS
                )
            else:
                for name, version in fresh.items():
                    cache.add(cache_key(name), version, CACHED_SECONDS)
        except Exception as error:
            failed("write", error)
    return fresh


def from_database(names: list[str]) -> dict[str, int]:
    """The versions of `names` in the database this request reads, by a query written out:
    every page reads the clock and then its topics, and the ORM spent longer building each
    of these one-table lookups than the database spent answering it."""
    from caching.models import Topic

    if not names:
        return {}
    connection = connections[router.db_for_read(Topic)]
    table = connection.ops.quote_name(Topic._meta.db_table)
    # On PostgreSQL one statement whatever the number of names.
    postgresql = connection.vendor == "postgresql"
    among = "= ANY(%s)" if postgresql else f"IN ({', '.join(['%s'] * len(names))})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, version FROM {table} WHERE name {among}",
            [names] if postgresql else names,
        )
        found = dict(cursor.fetchall())
    return {name: found.get(name, 0) for name in names}


def clock_read_here() -> int:
    """The clock as the database this request reads has it: on a replica, how far it has
    replayed the primary's changes (the version of each change commits after the change)."""
    return from_database([CLOCK])[CLOCK]


def clock() -> int:
    """The latest version given. Read before a page is rendered: a topic of the page with a
    higher version after the render changed while it ran, so the page may be old and is not
    kept. (A change commits before its version is given, and versions only grow.)"""
    return versions([CLOCK])[CLOCK]


# --- what no rule covers ---------------------------------------------------------------------

# The apps whose rows readers see.
PUBLIC_APPS = ("pictures", "people", "articles", "taggit")
# Models (and many-to-many tables) whose changes the apps' rules describe (`covers`); a change
# to any other model of the public apps makes every page new.
_covered: set[type] = set()


def covers(*models: type) -> None:
    """The apps' rules say which topics a change to `models` moves, or that it moves none."""
    _covered.update(models)


def anything_changed(sender: type[Model], raw: bool = False, **kwargs: Any) -> None:
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed is sent before and after a change; "post_" is enough
    if raw or sender not in _covered:
        changed(ALL)


def connect() -> None:
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for label in PUBLIC_APPS:
        for model in apps.get_app_config(label).get_models():
            if hasattr(model, "instance_type"):
                continue  # a table of versions (django-simple-history): nothing readers see
            uid = f"topics-{model._meta.label}"
            post_save.connect(anything_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(anything_changed, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                if not isinstance(through, str):
                    m2m_changed.connect(
                        anything_changed, sender=through, dispatch_uid=f"{uid}-{field.name}"
                    )
