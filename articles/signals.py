"""A change to a part of a story (a quote, a person in it, a source, a correction) is a change
to the story: its revision moves on, so a form opened before cannot overwrite it unawares."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from history.revisions import record_loaded, touch

from .models import Article, Correction, Mention, Quote, SourceLink


@receiver(post_save, sender=Mention)
@receiver(post_save, sender=Quote)
@receiver(post_save, sender=SourceLink)
@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Mention)
@receiver(post_delete, sender=Quote)
@receiver(post_delete, sender=SourceLink)
@receiver(post_delete, sender=Correction)
def story_part_changed(sender, instance, raw=False, **kwargs):
    if raw:
        record_loaded(instance)
    else:
        touch(Article, instance.article_id)


@receiver(post_save, sender=Article)
def story_saved(sender, instance, raw=False, **kwargs):
    if raw:
        record_loaded(instance)
