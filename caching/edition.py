"""The archive's edition: a number that moves with every change readers can see, and when it
last moved. The data dumps record it (opendata/dataset.py); pages no longer depend on it as a
whole — each depends on the topics it shows (caching/topics.py), and the edition moves with
the `EVERYTHING` topic, in the same transaction.

Bulk writes that send no signals (the archive generator) call `start_new()` themselves: every
page is new after them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

BEGINNING = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class CurrentEdition:
    number: int
    changed_at: datetime.datetime  # aware


def read(alias: str | None = None) -> CurrentEdition:
    """The edition as the database `alias` (by default, where reads are routed) has it."""
    from caching.models import Edition

    editions = Edition.objects.using(alias) if alias else Edition.objects
    edition = editions.filter(pk=1).values_list("number", "changed_at").first()
    if edition is None:  # nothing has changed since the database was created
        return CurrentEdition(0, BEGINNING)
    return CurrentEdition(*edition)


def start_new() -> None:
    """Every page new, once the current transaction commits (at once outside one)."""
    from caching import topics

    topics.changed(topics.ALL)


def bump() -> None:
    from caching.models import Edition

    updated = Edition.objects.filter(pk=1).update(number=F("number") + 1, changed_at=timezone.now())
    if not updated:
        Edition.objects.get_or_create(pk=1, defaults={"number": 1})
