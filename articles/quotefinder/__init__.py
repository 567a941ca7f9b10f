"""The quote finder: the people a story names and its direct quotes, with who said them.

Plain text in, plain dataclasses out — no models and no request — so the admin (when an
editor saves a story), the importer and a background job share one reading of a story, and it
can be tested on stories alone. `find(story, people)` reads a story in stages, one module each:

0. `vocabulary` — the words the finder knows (speech verbs, roles, group nouns…);
1. `marks` — where quotations open and close: double, single, guillemets, dialogue dashes;
2. `paragraphs` — paragraphs and their sentences, split around quotes;
3. `newcomers` and `names` — who each name stands for, people the archive does not know
   included (they are proposed to the editors);
4. `attribution` and `transcripts` — the words that say who spoke, and Q&A turns;
5. `cast` — who a pronoun, a description (“the model”) or a group (“the couple”) stands for;
6. `quotes` — the quotes, in order, with their speakers, context and date.

`recording` keeps the findings in the database for the editors (docs/finding.md).
"""

from collections.abc import Callable

from .cast import Cast
from .names import Directory, NameReader, name_key
from .newcomers import find_newcomers
from .paragraphs import Paragraph
from .people import (
    AliasRef,
    Character,
    Findings,
    FoundMention,
    FoundQuote,
    NewPerson,
    PersonRef,
    Role,
    StoryText,
)
from .quotes import QuoteReader
from .transcripts import read_transcript

__all__ = [
    "AliasRef",
    "Findings",
    "FoundMention",
    "FoundQuote",
    "NewPerson",
    "PersonRef",
    "Role",
    "StoryText",
    "find",
]


def find(story: StoryText, people: list[PersonRef]) -> Findings:
    """Everything the finder sees in `story`, given the people of the archive it may name."""
    paragraphs = [
        Paragraph(story.title, headline=True),
        Paragraph(story.dek),
        *(Paragraph(text) for text in story.paragraphs),
    ]
    known = [Character.known(person) for person in people]
    directory = Directory(known)
    known_names = {
        name_key(name): person.id
        for person in known
        for name in [person.name, *(alias.name for alias in person.aliases)]
    }
    newcomers = find_newcomers(paragraphs, known_names, first_id=-1)
    for person in newcomers:
        directory.add(person)
    NameReader(directory).read(paragraphs)

    read_transcript(paragraphs, story_subject(paragraphs), label_reader(paragraphs, directory))
    cast = Cast(paragraphs, directory)
    kept = QuoteReader(paragraphs, cast, story.published_on).quotes()

    mentions: dict[int, FoundMention] = {}
    for block, paragraph in enumerate(paragraphs):
        for name in paragraph.names:
            if name.person_id is None or name.person_id < 0:
                continue
            mention = mentions.setdefault(
                name.person_id, FoundMention(name.person_id, Role.MENTIONED)
            )
            if block == 0:
                mention.role = Role.SUBJECT
    names_of_new = {person.id: person.name for person in newcomers}
    quotes = [
        FoundQuote(
            text=quote.text,
            speaker_ids=tuple(person for person in quote.speakers if person > 0),
            context=quote.context,
            said_on=quote.said_on,
            position=position,
            new_speakers=tuple(names_of_new[p] for p in quote.speakers if p < 0),
        )
        for position, quote in enumerate(kept, start=1)
    ]
    new_people = [
        NewPerson(person.name, person.sentence, pronouns_text(person)) for person in newcomers
    ]
    return Findings(list(mentions.values()), quotes, new_people)


def story_subject(paragraphs: list[Paragraph]) -> tuple[int, ...]:
    """Who answers the “A:” of a transcript: the first person of the headline, else of the dek,
    else of the first paragraph."""
    for paragraph in paragraphs[:3]:
        for name in paragraph.names:
            if name.person_id is not None:
                return (name.person_id,)
    return ()


def label_reader(
    paragraphs: list[Paragraph], directory: Directory
) -> Callable[[int, str], tuple[int, ...]]:
    """Who a transcript's label stands for: a name the story read there (“Vance:”), or, in
    capitals (“WHITLOCK:”), the one person going by that name."""

    def who(block: int, label: str) -> tuple[int, ...]:
        paragraph = paragraphs[block]
        start = len(paragraph.text) - len(paragraph.text.lstrip())
        for name in paragraph.names:
            if name.start == start and name.end == start + len(label) and name.person_id:
                return (name.person_id,)
        owners = directory.owners.get(name_key(label.title()), {})
        plain = [owner.person_id for owner in owners.values() if not owner.ambiguous]
        if len(plain) == 1:
            return tuple(plain)
        # Initials (“OV:”): the one person of the story whose name has them.
        if label.isupper() and 2 <= len(label) <= 3:
            named = {name.person_id for p in paragraphs for name in p.names if name.person_id}
            matching = [
                person
                for person in named
                if "".join(word[0] for word in directory.people[person].name.split()) == label
            ]
            return tuple(matching) if len(matching) == 1 else ()
        return ()

    return who


PRONOUN_TEXT = {"she": "she/her", "he": "he/him", "they": "they/them"}


def pronouns_text(person: Character) -> str:
    return ", ".join(PRONOUN_TEXT[key] for key in sorted(person.pronouns))
