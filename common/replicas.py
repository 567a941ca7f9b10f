"""Which database a query goes to: the primary, or a read replica (a streaming hot standby).

Django's router API (`DATABASE_ROUTERS`) decides, with no request in sight: reads go to the
database the current request was given (`reading_from`), writes always to the primary. A
request is given one database for all its reads — its page and the edition that keys it in the
page cache come from the same server — by `newsroom.replica_reads`, which gives readers' GETs a
replica and everything else (the admin, a browser that has just written) the primary. Code run
outside a request (management commands, imports, the shell, jobs) is given nothing, so it
reads and writes the primary.

Within a request, a write, or a read inside a transaction of the primary, sends the rest of
the request's reads to the primary too: what it wrote is there, maybe not yet on the replica.
Every `select_for_update` goes to the primary: Django routes it as a write.

Whether a replica may be read (`usable`): it answers, and it is at most
`REPLICA_MAX_LAG_SECONDS` behind the primary. Each process checks each replica at most once
every `REPLICA_CHECK_SECONDS` (one small query) and remembers the answer in between; a replica
that fails a request is checked again at once (`recheck`).

(django-multidb-router, the router commonly used for this, pins a browser to the primary after a
write by a cookie too, but hands out the replicas round-robin for each query, not one per
request, and knows nothing of lag or of a replica that is down; what it would add is the few
lines of pinning here, so Django's own router API is used instead.)
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import random
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)

# How far a standby is behind, in seconds. Caught up with what it received while streaming:
# 0 (an idle primary sends nothing, so the last replayed commit grows old without any lag).
# Otherwise the age of the last commit it replayed. A server that is no standby (promoted, or
# the primary itself named as a replica) is never behind.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
        AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END::float8
"""


def replica_aliases() -> list[str]:
    """The aliases of the configured replicas (`replica_1`, `replica_2`…), in order."""
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


# --- Where this request reads ---------------------------------------------------------------


@dataclass
class Reading:
    """The database a request reads from, and whether it has written (to the primary)."""

    alias: str
    wrote: bool = False


_reading: contextvars.ContextVar[Reading | None] = contextvars.ContextVar(
    "newsroom_reading", default=None
)


def reading_from(alias: str) -> contextvars.Token[Reading | None]:
    """Send this context's reads to `alias` until `stop_reading(token)`."""
    return _reading.set(Reading(alias))


def stop_reading(token: contextvars.Token[Reading | None]) -> None:
    _reading.reset(token)


def current_reading() -> Reading | None:
    return _reading.get()


class PrimaryReplicaRouter:
    """Reads to the database this request was given (the primary when none was), writes to the
    primary, migrations on the primary only."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        reading = _reading.get()
        if reading is None or reading.wrote:
            return DEFAULT_DB_ALIAS
        if reading.alias != DEFAULT_DB_ALIAS and connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return reading.alias

    def db_for_write(self, model: Any, **hints: Any) -> str:
        reading = _reading.get()
        if reading is not None:
            reading.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # every database holds the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


# --- Which replicas may be read -------------------------------------------------------------


@dataclass(frozen=True)
class ReplicaState:
    up: bool
    lag: float | None  # seconds behind the primary; None when down
    checked_at: float  # time.monotonic()

    def usable(self) -> bool:
        return self.up and self.lag is not None and self.lag <= settings.REPLICA_MAX_LAG_SECONDS


class ReplicaStates:
    """Each replica's last known state, per process, checked again once it is older than
    `REPLICA_CHECK_SECONDS`."""

    def __init__(self) -> None:
        self._known: dict[str, ReplicaState] = {}
        self._lock = threading.Lock()

    def state(self, alias: str) -> ReplicaState:
        known = self._known.get(alias)
        if (
            known is not None
            and time.monotonic() - known.checked_at < settings.REPLICA_CHECK_SECONDS
        ):
            return known
        return self.recheck(alias)

    def recheck(self, alias: str) -> ReplicaState:
        state = measure(alias)
        with self._lock:
            previous = self._known.get(alias)
            self._known[alias] = state
        if previous is None or previous.usable() != state.usable():
            if state.usable():
                log.info("replica %s is read again (lag %.1f s)", alias, state.lag)
            elif state.up:
                log.warning("replica %s skipped: %.1f s behind the primary", alias, state.lag)
            else:
                log.warning("replica %s skipped: it does not answer", alias)
        return state

    def usable(self) -> list[str]:
        return [alias for alias in replica_aliases() if self.state(alias).usable()]

    def forget(self) -> None:
        with self._lock:
            self._known.clear()


states = ReplicaStates()


def measure(alias: str) -> ReplicaState:
    """Ask the replica how far behind it is: one query on its own connection."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            (lag,) = cursor.fetchone()
    except DatabaseError as error:
        log.warning("replica %s: %s: %s", alias, type(error).__name__, error)
        close_quietly(alias)
        return ReplicaState(up=False, lag=None, checked_at=time.monotonic())
    return ReplicaState(up=True, lag=float(lag), checked_at=time.monotonic())


def close_quietly(alias: str) -> None:
    """Close the connection to `alias`, broken or not: the next use opens a new one."""
    with contextlib.suppress(DatabaseError):
        connections[alias].close()


def choose() -> str:
    """A replica to read this request from, chosen at random among those usable (so the
    processes spread over them), or the primary when none is."""
    usable = states.usable()
    return random.choice(usable) if usable else DEFAULT_DB_ALIAS
