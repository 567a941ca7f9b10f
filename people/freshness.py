"""Which pages a change to people moves (caching/topics.py): the rules, without a request.

- `person:N` — the person as pages show them: their page, and every page naming them (a
  story they are in, a quote they said, a relative's page).
- `about:N` — the lists of what is about them: their stories and quotes (moved by
  `articles/freshness.py`).
- `people` — lists of names: the directory, the front page, the quotes.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from caching.topics import ALL, changed, covers

from .models import Alias, FormerSlug, Person, Proposal, Relationship, Source

PEOPLE = "people"
# Outlets' names are in every list of stories, a person's included (articles/freshness.py).
OUTLETS = "outlets"


def person(pk: int) -> str:
    return f"person:{pk}"


def about(pk: int) -> str:
    return f"about:{pk}"


def person_changed(
    sender: type[Person], instance: Person, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        changed(person(instance.pk), PEOPLE)


def part_changed(sender: type[Alias], instance: Alias, raw: bool = False, **kwargs: Any) -> None:
    """An alias: shown on the person's page."""
    if not raw:
        changed(person(instance.person_id))


def relationship_changed(
    sender: type[Relationship], instance: Relationship, raw: bool = False, **kwargs: Any
) -> None:
    """Both people's pages, and those of the people it joined before it was changed."""
    if not raw:
        before = getattr(instance, "_people_before", None) or ()
        people = {instance.person_a_id, instance.person_b_id, *before}
        changed(*(person(pk) for pk in people if pk))


def relationship_before(
    sender: type[Relationship], instance: Relationship, raw: bool = False, **kwargs: Any
) -> None:
    # An attribute of the rules' own on the row being saved, read by relationship_changed.
    instance._people_before = None  # type: ignore[attr-defined]
    if not raw and instance.pk is not None:
        instance._people_before = (  # type: ignore[attr-defined]
            Relationship.objects.filter(pk=instance.pk)
            .values_list("person_a_id", "person_b_id")
            .first()
        )


def source_changed(
    sender: type[Source], instance: Source, raw: bool = False, **kwargs: Any
) -> None:
    """A source is shown on the pages of the people and relationships it supports."""
    if raw or instance.pk is None:
        return
    people = set(instance.people.values_list("pk", flat=True))
    for a, b in instance.relationships.values_list("person_a_id", "person_b_id"):
        people |= {a, b}
    changed(*(person(pk) for pk in people))


def person_sources_changed(
    sender: type[models.Model],
    instance: Person | Source,
    action: str,
    pk_set: set[int] | None = None,
    reverse: bool = False,
    **kwargs: Any,
) -> None:
    """A person's sources (or a source's people: `reverse`)."""
    if not action.startswith("post_") or pk_set == set():
        return
    if not reverse:
        changed(person(instance.pk))
    elif pk_set:
        changed(*(person(pk) for pk in pk_set))
    else:  # a source cleared of its people, whom the signal does not name
        changed(ALL)


def relationship_sources_changed(
    sender: type[models.Model],
    instance: Relationship | Source,
    action: str,
    pk_set: set[int] | None = None,
    reverse: bool = False,
    **kwargs: Any,
) -> None:
    """A relationship's sources (or a source's relationships: `reverse`)."""
    if not action.startswith("post_") or pk_set == set():
        return
    ties: Iterable[tuple[int, int]]
    if not reverse:
        assert isinstance(instance, Relationship)  # the relationship whose sources changed
        ties = [(instance.person_a_id, instance.person_b_id)]
    elif pk_set:
        ties = Relationship.objects.filter(pk__in=pk_set).values_list("person_a_id", "person_b_id")
    else:
        changed(ALL)
        return
    changed(*(person(pk) for tie in ties for pk in tie))


def connect() -> None:
    rules: list[tuple[type[models.Model], Callable[..., None]]] = [
        (Person, person_changed),
        (Alias, part_changed),
        (Relationship, relationship_changed),
    ]
    for model, rule in rules:
        post_save.connect(rule, sender=model, dispatch_uid=f"freshness-{model.__name__}-save")
        post_delete.connect(rule, sender=model, dispatch_uid=f"freshness-{model.__name__}-del")
    pre_save.connect(
        relationship_before, sender=Relationship, dispatch_uid="freshness-Relationship-before"
    )
    post_save.connect(source_changed, sender=Source, dispatch_uid="freshness-Source-save")
    # Before: once deleted, a source's links to people and relationships are gone (its
    # change still waits for the commit).
    pre_delete.connect(source_changed, sender=Source, dispatch_uid="freshness-Source-del")
    m2m_changed.connect(person_sources_changed, sender=Person.sources.through)
    m2m_changed.connect(relationship_sources_changed, sender=Relationship.sources.through)
    # An old address answers with a redirect, and proposals wait for the editors: no page.
    covers(Person, Alias, Relationship, Source, FormerSlug, Proposal)
    covers(Person.sources.through, Relationship.sources.through)
