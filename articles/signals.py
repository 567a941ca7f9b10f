"""A change to a part of a story (a quote, a person in it, a source, a correction) is a change
to the story: its revision moves on, so a form opened before cannot overwrite it unawares.

Rows loaded from fixtures (raw saves, which nothing validates) are held to the rules of text
and of tags: a control character or a tag without an address stops `loaddata`, naming it."""

import re
from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from taggit.models import Tag

from common.text import LoadedTextError, check_loaded_text
from history.revisions import record_loaded, touch

from .converters import TagSlug
from .models import Article, Correction, Mention, Quote, SourceLink
from .tags import has_letters_or_digits, tag_name_problem

for model in apps.get_app_config("articles").get_models():
    pre_save.connect(check_loaded_text, sender=model, dispatch_uid=f"text-{model._meta.label}")


@receiver(pre_save, sender=Tag)
def tag_loaded(sender: type[Tag], instance: Tag, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        return
    if problem := tag_name_problem(instance.name):
        raise LoadedTextError(problem)
    if not (re.fullmatch(TagSlug.regex, instance.slug) and has_letters_or_digits(instance.slug)):
        raise LoadedTextError(
            f"The tag “{instance.name}” has the slug “{instance.slug}”: an address needs "
            "letters or digits, and only letters, digits, hyphens and underscores."
        )


@receiver(post_save, sender=Mention)
@receiver(post_save, sender=Quote)
@receiver(post_save, sender=SourceLink)
@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Mention)
@receiver(post_delete, sender=Quote)
@receiver(post_delete, sender=SourceLink)
@receiver(post_delete, sender=Correction)
def story_part_changed(
    sender: type[Mention | Quote | SourceLink | Correction],
    instance: Mention | Quote | SourceLink | Correction,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    if raw:
        record_loaded(instance)
    else:
        touch(Article, instance.article_id)


@receiver(post_save, sender=Article)
def story_saved(sender: type[Article], instance: Article, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        record_loaded(instance)
