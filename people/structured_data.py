"""schema.org JSON-LD for pages, embedded safely in a <script> element."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

# Inside <script>, "</script>" or "<!--" in the data would end or bend the element: escape
# every <, > and & as JSON unicode escapes (what Django's json_script does).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def as_script(data: dict | list) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return mark_safe(  # noqa: S308 — every <, > and & is escaped above
        '<script type="application/ld+json">' + text.translate(_SCRIPT_ESCAPES) + "</script>"
    )


def person_data(person, absolute) -> dict:
    """`absolute` turns a path into an absolute URL (request.build_absolute_uri)."""
    data = {
        "@type": "Person",
        "name": person.name,
        "url": absolute(person.get_absolute_url()),
    }
    names = [alias.name for alias in person.aliases.all()]
    if person.full_name:
        names.insert(0, person.full_name)
    if names:
        data["alternateName"] = names
    if person.born_on:
        data["birthDate"] = person.born_iso
    if person.died_on:
        data["deathDate"] = person.died_iso
    if person.bio:
        data["description"] = person.bio
    if person.wikidata_id:
        data["sameAs"] = [f"https://www.wikidata.org/wiki/{person.wikidata_id}"]
    return data


def person_reference(person, absolute) -> dict:
    return {"@type": "Person", "name": person.name, "url": absolute(person.get_absolute_url())}


def with_context(data: dict) -> dict:
    return {"@context": "https://schema.org", **data}
