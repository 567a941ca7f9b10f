"""A picture's renditions are made once it is committed — never inside a reader's request.

`renditions_wanted` is the one place that asks for them: a job (pictures/jobs.py) sent to the
workers once the save commits (run in this process when no job broker is configured).
"""

from typing import Any

from django.apps import apps
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from common.text import check_loaded_text
from history.revisions import record_loaded
from jobs.queue import enqueue

from .jobs import MAKE_RENDITIONS
from .models import Picture

for model in apps.get_app_config("pictures").get_models():
    pre_save.connect(check_loaded_text, sender=model, dispatch_uid=f"text-{model._meta.label}")


def renditions_wanted(picture_id: int) -> None:
    """Make the renditions of picture `picture_id` after the current transaction commits."""
    enqueue(MAKE_RENDITIONS, str(picture_id))


@receiver(post_save, sender=Picture)
def picture_saved(
    sender: type[Picture], instance: Picture, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        record_loaded(instance)
    if instance.ready is None:
        renditions_wanted(instance.pk)
