from typing import Any

from django.db import models
from django.utils import timezone


class Timestamped(models.Model):
    """When a row was created and last changed.

    Plain defaults rather than auto_now: `loaddata` saves raw rows, and a dump loaded back
    must keep its own times.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.updated_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)
