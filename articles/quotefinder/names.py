"""Stage 3, names: which person each name in the story stands for.

A person is named by full name or alias (whole words, case-sensitive, possessives included),
and — once the story has introduced them by a fuller name — by their surname or first name
alone. A name several people go by (“Ashdown” for a brother and a sister) is the one of them
the story introduced, the most recently named if it introduced more than one; a name no
introduced person has is nobody. An alias marked ambiguous (“Chicago”) is taken only when its
sentence also names a relative, it stands in a list of people, or a relation word stands right
before it (“their daughter Sydney”), and never as a place (“his hometown of Chicago”). A
one-word name inside a longer proper noun (“Rolling Stone”) is not the person.
"""

import re
from dataclasses import dataclass

from .paragraphs import Paragraph
from .people import Character
from .vocabulary import HONORIFICS, MONTHS, PLACE_WORDS, RELATION_NOUNS, WEEKDAYS

CALENDAR_WORDS = frozenset([*MONTHS, *WEEKDAYS])


def name_key(name: str) -> str:
    return " ".join(name.replace("’", "'").split())


@dataclass
class Owner:
    person_id: int
    ambiguous: bool  # an alias that is also a word or a place
    implicit: bool  # a surname or first name, good only once the person is introduced


class Directory:
    """The names the people of a story go by."""

    def __init__(self, characters: list[Character]) -> None:
        self.people = {person.id: person for person in characters}
        self.owners: dict[str, dict[int, Owner]] = {}
        for person in characters:
            self.add(person)
        self._pattern: re.Pattern[str] | None = None

    def add(self, person: Character) -> None:
        self.people[person.id] = person
        names = [(person.name, False, False)]
        names += [(alias.name, alias.ambiguous, False) for alias in person.aliases]
        # A surname or first name alone, once the story has used the full name (or an alias
        # of several words: “Renata Olsen” for a person filed under another name).
        for full in [person.name, *(a.name for a in person.aliases if not a.ambiguous)]:
            words = full.split()
            if len(words) >= 2:
                names += [(words[-1], False, True), (words[0], False, True)]
        for name, ambiguous, implicit in names:
            key = name_key(name)
            if not key or (implicit and key in CALENDAR_WORDS):
                continue
            by_person = self.owners.setdefault(key, {})
            known = by_person.get(person.id)
            if known is None:
                by_person[person.id] = Owner(person.id, ambiguous, implicit)
            elif not implicit:
                # Known plainly by a name as well as ambiguously, a person is known by it.
                known.ambiguous = (known.ambiguous or known.implicit) and ambiguous
                known.implicit = False
        self._pattern = None

    @property
    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.owners:
            # Longest first, so “Kim Kardashian” wins over “Kim” at the same place. A digit may
            # follow a name (“North8, Saint6” where the ages lost their commas); a letter may not.
            names = sorted(self.owners, key=len, reverse=True)
            alternatives = "|".join(re.escape(name).replace("'", "['’]") for name in names)
            self._pattern = re.compile(rf"(?<![\w’'-])(?:{alternatives})(?![^\W\d_])")
        return self._pattern


@dataclass
class Name:
    start: int
    end: int
    key: str
    person_id: int | None  # None: nobody the story introduced, or an ambiguous alias not taken
    possessive: bool


# A relation word right before a name: “their daughter Sydney”, “her husband, Tom”.
RELATION_BEFORE = re.compile(
    rf"\b(?:{'|'.join(sorted(RELATION_NOUNS, key=len, reverse=True))}),?\s+$", re.IGNORECASE
)
# Between two items of a list of people: “North8, Saint6, ”, “Paris, 7, and ”.
LIST_SEPARATOR = re.compile(
    r"(?:\s*\(?\d{1,3}\)?)?(?:,\s*\d{1,3})?(?:,\s+(?:and\s+|&\s+)?|\s+(?:and|&)\s+)"
)


class NameReader:
    """Reads the names of a story's paragraphs in order, remembering who was named last."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.last_named: dict[int, tuple[int, int]] = {}  # person → (block, offset)

    def read(self, paragraphs: list[Paragraph]) -> None:
        for index, paragraph in enumerate(paragraphs):
            paragraph.names = self.read_paragraph(index, paragraph)

    def read_paragraph(self, block: int, paragraph: Paragraph) -> list[Name]:
        directory = self.directory
        if directory.pattern is None:
            return []
        names = []
        for match in directory.pattern.finditer(paragraph.text):
            key = name_key(match.group())
            possessive = bool(re.match(r"[’']s\b", paragraph.text[match.end() :]))
            name = Name(match.start(), match.end(), key, None, possessive)
            name.person_id = self.owner(paragraph, name, block)
            if name.person_id is not None:
                self.last_named[name.person_id] = (block, name.start)
            names.append(name)
        self.take_ambiguous(paragraph, names, block)
        return names

    def owner(self, paragraph: Paragraph, name: Name, block: int) -> int | None:
        owners = [o for o in self.directory.owners[name.key].values() if not o.ambiguous]
        if not owners:
            return None  # an ambiguous alias: see take_ambiguous
        # A name the archive gives someone (an alias) before a surname or first name the story
        # shares with them (“Reyes” is Dario Reyes, not his son Milo Reyes named since).
        explicit = [o for o in owners if not o.implicit]
        introduced = [o for o in explicit if o.person_id in self.last_named] or [
            o for o in owners if o.person_id in self.last_named
        ]
        candidates = introduced or explicit
        if not candidates:
            return None
        if len(candidates) > 1 and not introduced:
            return None  # shared by people the story has not introduced: nobody can tell
        # The most recently named of those the story introduced.
        chosen = max(candidates, key=lambda o: self.last_named.get(o.person_id, (-1, -1)))
        if chosen.implicit and self.looks_like_place_or_thing(paragraph, name, proper=False):
            return None  # “in June”, “from Paris”: a first name that is also a word
        if self.part_of_other_name(paragraph, name, chosen.person_id):
            return None
        return chosen.person_id

    def part_of_other_name(self, paragraph: Paragraph, name: Name, person_id: int) -> bool:
        """A one-word name inside a longer proper noun: “Rolling Stone” is not Ava Stone, nor
        “Stone Roses”. Headlines capitalise every word, so there it is taken as it stands."""
        person = self.directory.people[person_id]
        text = paragraph.text
        if paragraph.headline or " " in name.key or name.key == name_key(person.name):
            return False
        if re.match(r"\s+[A-ZÀ-ÖØ-Þ]", text[name.end :]):
            return True
        word = re.search(r"(?<![\w’'-])([A-ZÀ-ÖØ-Þ][\w’'-]*)\s+$", text[: name.start])
        if word is None or word.group(1) in HONORIFICS or word.group(1).endswith(("’s", "'s")):
            return False
        # A capitalised word opening a sentence or a clause is just that: “Then Stone said”.
        opening = text[: word.start()].rstrip()
        return not (
            word.start() in paragraph.sentence_starts or not opening or opening[-1] in ':;“"‘(—–'
        )

    def take_ambiguous(self, paragraph: Paragraph, names: list[Name], block: int) -> None:
        """An ambiguous alias is taken from its sentence: a relative named beside it, a list of
        people it stands in, or a relation word before it. Taking one can vouch for the next,
        hence the rounds."""
        for _ in range(3):
            taken = False
            for index, name in enumerate(names):
                owners = self.directory.owners[name.key]
                if name.person_id is not None or len(owners) != 1:
                    continue
                (owner,) = owners
                if self.looks_like_place_or_thing(paragraph, name):
                    continue
                sentence = paragraph.sentence_index(name.start)
                named = {
                    other.person_id
                    for other in names
                    if other.person_id is not None
                    and other.person_id != owner
                    and paragraph.sentence_index(other.start) == sentence
                }
                related = self.directory.people[owner].related_ids
                if (
                    related & named
                    or self.in_list_of_people(paragraph, names, index, owner)
                    or RELATION_BEFORE.search(paragraph.text[max(0, name.start - 40) : name.start])
                ):
                    name.person_id = owner
                    self.last_named[owner] = max(
                        self.last_named.get(owner, (block, name.start)), (block, name.start)
                    )
                    taken = True
            if not taken:
                break

    @staticmethod
    def looks_like_place_or_thing(paragraph: Paragraph, name: Name, proper: bool = True) -> bool:
        text = paragraph.text
        word_before = re.search(r"(?<![\w’'-])([A-Za-z]+)\s+$", text[: name.start])
        if word_before and word_before.group(1).lower() in PLACE_WORDS:
            return True
        # Part of a longer proper noun: “Chicago Bulls”, “Paris Fashion Week”.
        return proper and bool(re.match(r"\s+[A-Z]", text[name.end :]))

    @staticmethod
    def in_list_of_people(paragraph: Paragraph, names: list[Name], index: int, owner: int) -> bool:
        name, text = names[index], paragraph.text
        neighbours = []
        if index > 0:
            neighbours.append((names[index - 1], text[names[index - 1].end : name.start]))
        if index + 1 < len(names):
            neighbours.append((names[index + 1], text[name.end : names[index + 1].start]))
        return any(
            other.person_id not in (None, owner) and LIST_SEPARATOR.fullmatch(between)
            for other, between in neighbours
        )
