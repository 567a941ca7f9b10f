"""Whether the services the site depends on answer: a small registry of named checks, and
each read replica with how far behind it is.

Each check is one small round trip and reports `ok` or `unavailable` (the reason is logged,
not shown). `/healthz` (liveness) and `/readyz` (readiness) report every registered check by
its name (newsroom/views.py); `/readyz` answers 503 when a *required* one is not ok — one
without which no page can be served. The database is required; the cache is not (pages are
served without it).

Another part of the site adds its own with `register()`, typically from its app's `ready()`:

    health.register("queue", broker_state, required=False)

A check returns a `State`; one that raises counts as unavailable, and its error is logged.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.core.cache import cache
from django.db import connection

from common.replicas import replica_aliases, states

log = logging.getLogger(__name__)


class State(StrEnum):
    OK = "ok"
    UNAVAILABLE = "unavailable"
    LAGGING = "lagging"  # a replica that answers, too far behind the primary to be read


@dataclass(frozen=True)
class Check:
    name: str
    probe: Callable[[], State]
    # Readiness fails (503) while a required check is not ok.
    required: bool
    # What a failure is logged as: "health: <subject> does not answer (…)".
    subject: str


# In the order they were registered, which is the order they are reported in.
CHECKS: dict[str, Check] = {}


def register(name: str, probe: Callable[[], State], *, required: bool, subject: str = "") -> Check:
    """Adds (or, under a name already taken, replaces) a check; `subject` names it in the log
    (its name when not given)."""
    check = Check(name, probe, required, subject or name)
    CHECKS[name] = check
    return check


def database() -> State:
    """`SELECT 1` on the default database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return State.OK


def cache_state() -> State:
    """A short-lived key of its own written and read back: a cache that answers reads but
    refuses writes (a full Redis with `noeviction`) is not ok."""
    token = uuid.uuid4().hex
    key = f"health:{token}"
    cache.set(key, token, 5)
    if cache.get(key) != token:
        log.error("health: the cache did not keep a value written to it")
        return State.UNAVAILABLE
    return State.OK


register("database", database, required=True, subject="the database")
register("cache", cache_state, required=False, subject="the cache")


def run(check: Check) -> State:
    try:
        return check.probe()
    except Exception as error:  # a dead server, refused credentials, a full disk: all "no"
        log.error("health: %s does not answer (%s: %s)", check.subject, type(error).__name__, error)
        return State.UNAVAILABLE


def dependencies() -> dict[str, State]:
    """Every registered check's state, by name."""
    return {check.name: run(check) for check in list(CHECKS.values())}


def ready(states: dict[str, State]) -> bool:
    """Whether every required check among `states` is ok."""
    return all(states.get(check.name) == State.OK for check in CHECKS.values() if check.required)


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
