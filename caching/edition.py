"""Which edition of the archive readers see, and the signal handlers that start a new one.

`current()` is what each request asks: it reads the one row at most once a second per process
(an edition made by another worker is seen within that second; one made in this process, at
once), from the database the request reads its page from (with read replicas, the replica's
edition keys the replica's page: they never disagree, however far behind it is).
`changed()` runs after the commit of any change to the models of the apps readers see —
saves, deletions, tag changes, loaddata included — once per transaction. Bulk writes that
send no signals (the archive generator) call `start_new()` themselves.
"""

import datetime
import threading
import time
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, router, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

# The apps whose rows readers see.
PUBLIC_APPS = ("pictures", "people", "articles", "taggit")
FRESH_FOR = 1.0  # seconds a process trusts the number it last read
BEGINNING = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class CurrentEdition:
    number: int
    changed_at: object  # an aware datetime


_lock = threading.Lock()
# Per database alias: the edition last read there, and when (time.monotonic()).
_known: dict[str, tuple[CurrentEdition, float]] = {}


def current():
    from caching.models import Edition

    alias = router.db_for_read(Edition)
    now = time.monotonic()
    known = _known.get(alias)
    if known is not None and now - known[1] < FRESH_FOR:
        return known[0]
    stamp = read(alias)
    with _lock:
        _known[alias] = (stamp, now)
    return stamp


def read(alias=None):
    """The edition as the database `alias` (by default, where reads are routed) has it."""
    from caching.models import Edition

    editions = Edition.objects.using(alias) if alias else Edition.objects
    edition = editions.filter(pk=1).values_list("number", "changed_at").first()
    if edition is None:  # nothing has changed since the database was created
        return CurrentEdition(0, BEGINNING)
    return CurrentEdition(*edition)


def start_new():
    """A new edition, now (outside a transaction) or when the current one commits."""
    transaction.on_commit(_bump)


def _bump():
    from caching.models import Edition

    updated = Edition.objects.filter(pk=1).update(number=F("number") + 1, changed_at=timezone.now())
    if not updated:
        Edition.objects.get_or_create(pk=1, defaults={"number": 1})
    forget()


def forget():
    """Read the edition again on the next request (after a change made in this process)."""
    with _lock:
        _known.clear()


def changed(sender, **kwargs):
    """Any change to a public model: one new edition per transaction, after it commits
    (at once outside a transaction)."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed is sent before and after a change; "post_" is enough
    if not any(func is _bump for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_bump)


def connect():
    for label in PUBLIC_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"edition-{model._meta.label}"
            post_save.connect(changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                if not isinstance(through, str):
                    m2m_changed.connect(changed, sender=through, dispatch_uid=f"{uid}-{field.name}")
