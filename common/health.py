"""Whether the services the site depends on answer: the database, its replicas and the cache.

Each check is one small round trip and reports `ok` or `unavailable` (the reason is logged,
not shown). `/healthz` (liveness) and `/readyz` (readiness) report them (newsroom/views.py).
"""

import logging
import uuid
from enum import StrEnum

from django.core.cache import cache
from django.db import connection

from common.replicas import replica_aliases, states

log = logging.getLogger(__name__)


class State(StrEnum):
    OK = "ok"
    UNAVAILABLE = "unavailable"
    LAGGING = "lagging"  # a replica that answers, too far behind the primary to be read


def database() -> State:
    """`SELECT 1` on the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # a dead server, refused credentials, a full disk: all "no"
        log.error("health: the database does not answer (%s: %s)", type(error).__name__, error)
        return State.UNAVAILABLE
    return State.OK


def cache_state() -> State:
    """A short-lived key of its own written and read back: a cache that answers reads but
    refuses writes (a full Redis with `noeviction`) is not ok."""
    token = uuid.uuid4().hex
    key = f"health:{token}"
    try:
        cache.set(key, token, 5)
        answered = cache.get(key)
    except Exception as error:
        log.error("health: the cache does not answer (%s: %s)", type(error).__name__, error)
        return State.UNAVAILABLE
    if answered != token:
        log.error("health: the cache did not keep a value written to it")
        return State.UNAVAILABLE
    return State.OK


def dependencies() -> dict[str, State]:
    return {"database": database(), "cache": cache_state()}


def replicas() -> dict[str, dict[str, object]]:
    """Each read replica checked now (and remembered so by the router): its state and how many
    seconds it is behind the primary (None when it does not answer)."""
    report: dict[str, dict[str, object]] = {}
    for alias in replica_aliases():
        found = states.recheck(alias)
        state = State.LAGGING if found.up else State.UNAVAILABLE
        if found.usable():
            state = State.OK
        lag = None if found.lag is None else round(found.lag, 3)
        report[alias] = {"state": state, "lag_seconds": lag}
    return report
