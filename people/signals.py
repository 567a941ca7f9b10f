"""Keep `Person.search_names` and `Person.name_keys` in step with the person's names and aliases.

Raw saves (`loaddata`) are handled too: a fixture's people must be findable once loaded, and
by the time an alias arrives its person is already there.
"""

from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from common.fulltext import name_keys
from common.text import check_loaded_text
from history.revisions import record_loaded, touch

from .models import Alias, Person, Relationship

# A fixture's text is held to the rule typed text is (common/text.py): raw saves skip validation.
for model in apps.get_app_config("people").get_models():
    pre_save.connect(check_loaded_text, sender=model, dispatch_uid=f"text-{model._meta.label}")


def refresh_search_names(person: Person) -> None:
    names = person.folded_names()
    if names != person.search_names or not person.name_keys:
        keys = name_keys(names)
        Person.objects.filter(pk=person.pk).update(search_names=names, name_keys=keys)
        person.search_names, person.name_keys = names, keys


@receiver(post_save, sender=Person)
def person_saved(sender: type[Person], instance: Person, raw: bool = False, **kwargs: Any) -> None:
    refresh_search_names(instance)
    if raw:
        record_loaded(instance)


@receiver(post_save, sender=Alias)
@receiver(post_save, sender=Relationship)
def part_loaded(
    sender: type[Alias | Relationship],
    instance: Alias | Relationship,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    if raw:
        record_loaded(instance)


@receiver(post_save, sender=Alias)
@receiver(post_delete, sender=Alias)
def alias_changed(sender: type[Alias], instance: Alias, raw: bool = False, **kwargs: Any) -> None:
    person = Person.objects.filter(pk=instance.person_id).first()
    if person is not None:
        refresh_search_names(person)
        if not raw:
            touch(Person, person.pk)


@receiver(post_save, sender=Relationship)
@receiver(post_delete, sender=Relationship)
def relationship_changed(
    sender: type[Relationship], instance: Relationship, raw: bool = False, **kwargs: Any
) -> None:
    """Both people's pages changed: neither form may overwrite it unawares."""
    if not raw:
        touch(Person, instance.person_a_id)
        touch(Person, instance.person_b_id)
