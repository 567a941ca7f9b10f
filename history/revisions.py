"""What keeps editors from losing each other's work: a revision number on what they edit.

Every save of a revisioned row adds one to `revision`; the admin form carries the number it
was opened at, and a save from a form opened at an older number is refused with what changed
meanwhile (see `StaleEditGuard` in people/admin.py and articles/admin.py).
"""

from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone


class Revisioned(models.Model):
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.revision += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        super().save(*args, **kwargs)


def touch(model: type[models.Model], pk: int) -> None:
    """A part of `model` row `pk` (a quote of a story, an alias of a person) changed: count it
    as a new revision, so that a form opened before cannot overwrite it unawares."""
    rows = model._default_manager.filter(pk=pk)
    rows.update(revision=F("revision") + 1, updated_at=timezone.now())


def record_loaded(instance: Any) -> None:
    """A row loaded by `loaddata` (a raw save, which keeps no version) gets its first version,
    so that later edits can be compared with it and it can be restored. `instance` is a row of
    a model registered with django-simple-history (its `history` manager is made at run time)."""
    history = type(instance).history
    if not history.filter(**{instance._meta.pk.attname: instance.pk}).exists():
        history.bulk_history_create([instance], default_change_reason="Loaded from a fixture")
