"""schema.org JSON-LD describing a person."""

from collections.abc import Callable
from typing import Any

from pictures.sharing import image_data, of_picture

from .models import Person


def person_data(person: Person, absolute: Callable[[str], str]) -> dict[str, Any]:
    """`absolute` turns a path into an absolute URL (request.build_absolute_uri)."""
    data = {
        "@type": "Person",
        "name": person.name,
        "url": absolute(person.get_absolute_url()),
    }
    names = person.other_names()
    if names:
        data["alternateName"] = names
    if person.born_on:
        data["birthDate"] = person.born_iso
    if person.died_on:
        data["deathDate"] = person.died_iso
    if person.bio:
        data["description"] = person.bio
    if person.portrait is not None:  # no query without a portrait_id
        data["image"] = image_data(of_picture(person.portrait), absolute)
    if person.wikidata_id:
        data["sameAs"] = [f"https://www.wikidata.org/wiki/{person.wikidata_id}"]
    return data


def person_reference(person: Person, absolute: Callable[[str], str]) -> dict[str, str]:
    return {"@type": "Person", "name": person.name, "url": absolute(person.get_absolute_url())}
