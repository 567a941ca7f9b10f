"""A picture's renditions are made once it is committed — never inside a reader's request.

`renditions_wanted` is the one place that asks for them: moving the work onto a job queue is
a change to this function alone.
"""

from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from common.text import check_loaded_text
from history.revisions import record_loaded

from .models import Picture
from .renditions import make_renditions

for model in apps.get_app_config("pictures").get_models():
    pre_save.connect(check_loaded_text, sender=model, dispatch_uid=f"text-{model._meta.label}")


def renditions_wanted(picture_id: int) -> None:
    """Make the renditions of picture `picture_id` after the current transaction commits."""

    def make() -> None:
        picture = Picture.objects.filter(pk=picture_id).first()
        if picture is not None:
            make_renditions(picture)

    transaction.on_commit(make, robust=True)


@receiver(post_save, sender=Picture)
def picture_saved(
    sender: type[Picture], instance: Picture, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        record_loaded(instance)
    if instance.ready is None:
        renditions_wanted(instance.pk)
