"""What the finder is given about people, and what it hands back: plain dataclasses, no models.

`PersonRef` is a person of the archive as the finder needs them (names, pronouns, whom they
are related to); `NewPerson` is someone a story names whom the archive does not know yet.
Inside the finder both are `Character`s of the story, known ones under their row's id and new
ones under negative ids.
"""

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from .vocabulary import Pronoun, pronoun_keys


@dataclass(frozen=True)
class AliasRef:
    name: str  # “Ye”, “Kim”
    ambiguous: bool = False  # also an ordinary word or a place: “Chicago”


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str  # “Kim Kardashian”
    aliases: tuple[AliasRef, ...] = ()
    pronouns: str = ""  # "she/her", "he/him", "they/them" or ""
    related_ids: frozenset[int] = frozenset()  # people this person has any relationship with


@dataclass(frozen=True)
class StoryText:
    """A story as the finder reads it."""

    title: str
    dek: str
    paragraphs: list[str]
    published_on: datetime.date
    kind: str = ""  # "interview", "news"…: a Q&A is read in any kind of story


class Role(StrEnum):
    SUBJECT = "subject"  # named in the headline
    MENTIONED = "mentioned"


@dataclass
class FoundMention:
    person_id: int
    role: Role


@dataclass(frozen=True)
class NewPerson:
    """Someone the story names whom the archive does not know: proposed to the editors."""

    name: str  # “Renata Olsen”
    sentence: str  # the sentence they were found in
    pronouns: str = ""  # what the story says of them: “her mother, …” is she/her


@dataclass
class FoundQuote:
    text: str  # without the quotation marks around it or a trailing comma of the sentence
    speaker_ids: tuple[int, ...]  # people of the archive; several for a joint statement
    context: str  # how it was said: "told Vogue", "wrote on February 4", "added"
    said_on: datetime.date | None
    position: int  # 1, 2, 3… in order of appearance
    new_speakers: tuple[str, ...] = ()  # names of NewPersons who said it too

    @property
    def speaker_id(self) -> int | None:
        """The first speaker the archive knows, if any."""
        return self.speaker_ids[0] if self.speaker_ids else None


@dataclass
class Findings:
    mentions: list[FoundMention] = field(default_factory=list)
    quotes: list[FoundQuote] = field(default_factory=list)
    new_people: list[NewPerson] = field(default_factory=list)


@dataclass
class Character:
    """A person of one story: known to the archive (id > 0) or new to it (id < 0)."""

    id: int
    name: str
    aliases: tuple[AliasRef, ...] = ()
    pronouns: frozenset[Pronoun] = frozenset()
    related_ids: frozenset[int] = frozenset()
    sentence: str = ""  # for a new person: where they were found
    roles: set[str] = field(default_factory=set)  # “model”, “mother”, “31-year-old”

    @property
    def is_new(self) -> bool:
        return self.id < 0

    @classmethod
    def known(cls, person: PersonRef) -> "Character":
        return cls(
            person.id,
            person.name,
            person.aliases,
            pronoun_keys(person.pronouns),
            person.related_ids,
        )
