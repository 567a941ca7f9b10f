"""Under what terms each part of the archive is given out, in the dumps and through the API.

The archive's own material — who people are and how they are related, the stories as the
archive tells them, their sources, outlets and tags — is under the licence the operator sets
(`DATA_LICENCE`, `DATA_LICENCE_URL`; CC BY 4.0 unless told otherwise). Quotes are not the
archive's to license: the words belong to the people who said them and, as published, to the
outlets that reported them. The archive passes them on as reported, each with its source.
"""

from dataclasses import asdict, dataclass

from django.conf import settings


@dataclass(frozen=True)
class Licence:
    name: str
    url: str | None = None
    note: str = ""

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


QUOTED_WORDS = Licence(
    name="Not licensed by the archive",
    note="Quoted words belong to the people who said them and, as published, to the outlets "
    "that reported them; they are reproduced as reported, each with its source. Ask the "
    "speaker or the outlet before reusing them beyond quotation.",
)


def archive_licence() -> Licence:
    return Licence(
        name=settings.DATA_LICENCE,
        url=settings.DATA_LICENCE_URL or None,
        note="The archive's own material: people, relationships, stories as the archive tells "
        "them, sources, outlets and tags. Stories quote people; those words stay theirs.",
    )


def licence_of(part: str) -> Licence:
    """The licence of one part of a dump ("people", "quotes"…)."""
    return QUOTED_WORDS if part == "quotes" else archive_licence()
