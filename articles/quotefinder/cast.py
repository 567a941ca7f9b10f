"""Stage 5, the cast: who a pronoun, a description or a group stands for at a point of the story.

The story's references are kept in order: every name (stage 3), every description that stands
for someone (“the model”, “the 26-year-old”, “the couple”), every pair or list of names (“Marr
and Castellanos”), and every speaker the quote stage settles on. Then:

- “she”, “he”, “they” are the most recent person whose pronouns agree; “they” is also the most
  recent group when no one who uses they/them is nearer;
- “the model” is the most recent person the story called a model (“Model Selene Farrow”), else
  the most recent person who fits and holds no other profession; “the 31-year-old” the person
  whose age was given as 31;
- “the couple”, “the pair” are the most recent two people named together;
- “a source”, “her publicist”, “the family” are no one the archive knows.
"""

import re
from bisect import bisect_left, insort
from dataclasses import dataclass
from enum import Enum

from .attribution import names_a_speaker
from .names import Directory, Name
from .paragraphs import Paragraph
from .vocabulary import (
    AGE,
    CHILD_NOUNS,
    OTHER_SPEAKERS,
    PAIR_NOUNS,
    PROFESSIONS,
    RELATION_NOUNS,
    Pronoun,
    gender_of,
    person_nouns,
)

Speakers = tuple[int, ...]  # one person, several for words said together, () for no one

PRONOUN = re.compile(r"\b(?:[Ss]he|[Hh]e|[Tt]hey)\b")
# “the model”, “The 26-year-old”, “the couple”: up to three words between “the” and the noun.
DESCRIPTION = re.compile(r"\b[Tt]he\s+((?:[\w’'-]+\s+){0,3}?[\w’'-]+)\b")
# Between two names of a list: “, ”, “ and ”, “, 7, and ”.
LIST_BETWEEN = re.compile(r"(?:,\s*\d{1,3})?(?:\s*,\s+(?:and\s+|&\s+)?|\s+(?:and|&)\s+)")


# Speakers who are no one the story names: “who asked not to be named”.
ANONYMOUS = re.compile(r"\b(?:not\s+to\s+be\s+(?:named|identified)|anonymity|anonymously)\b")
# A description by what the person does for something: “the designer of the dress”.
NEW_BY_RELATION = r"(?:of|for|at|behind|from|close\s+to)\b"


class Seen(Enum):
    """What a paragraph shows of someone, read in order."""

    NAME = "name"
    DESCRIPTION = "description"  # “the model”, “the couple”
    PRONOUN = "pronoun"


@dataclass(frozen=True)
class Sighting:
    offset: int
    kind: Seen
    name: Name | None = None
    match: re.Match[str] | None = None


# Words someone put out, named by whose they are.
OWN_WORDS = re.compile(
    r"\b([Hh]er|[Hh]is|[Tt]heir|[Tt]he\s+(?:couple|pair|duo|exes|newlyweds)[’']s)\s+"
    r"(?:(?:joint|shared|own|first|latest|brief|short|long|written|official)\s+)?"
    r"(?:statement|post|message|caption|note|letter|tweet|announcement|reply|response)\b"
)


@dataclass(frozen=True, order=True)
class Reference:
    block: int
    offset: int
    people: Speakers

    @property
    def is_group(self) -> bool:
        return len(self.people) > 1


class Cast:
    def __init__(self, paragraphs: list[Paragraph], directory: Directory) -> None:
        self.paragraphs = paragraphs
        self.directory = directory
        self.people = directory.people
        self.references: list[Reference] = []
        self.read_roles()
        for block, paragraph in enumerate(paragraphs):
            self.read_references(block, paragraph)

    # Reading the story ---------------------------------------------------------------------

    def read_roles(self) -> None:
        """What the story calls each person: “producer Theo Blake”, “Okoye, a novelist”,
        “Selene Farrow, 31,”."""
        for paragraph in self.paragraphs:
            for name in paragraph.names:
                if name.person_id is None:
                    continue
                roles = self.people[name.person_id].roles
                before = re.search(r"([\w-]+),?\s+$", paragraph.text[: name.start])
                if before:
                    roles.update(person_nouns(before.group(1)))
                after = paragraph.text[name.end :]
                apposition = re.match(
                    r",\s+(?:a|an|the|who\s+is\s+an?)\s+((?:[^\s,.;:“”\"]+\s*){1,6})", after
                )
                if apposition and not name.possessive:
                    roles.update(person_nouns(apposition.group(1)))
                age = re.match(r",\s*(?:now\s+|aged\s+)?(\d{1,3})\s*,", after)
                if age and not name.possessive:
                    roles.add(f"{age.group(1)}-year-old")

    def read_references(self, block: int, paragraph: Paragraph) -> None:
        if paragraph.turn is not None:
            return  # a transcript's turn is speech, not the reporter's
        names = [
            name
            for name in paragraph.names
            if name.person_id is not None and not paragraph.in_quote(name.start)
        ]
        seen = [Sighting(name.start, Seen.NAME, name=name) for name in names]
        if not paragraph.headline:
            seen += [
                Sighting(m.start(), Seen.DESCRIPTION, match=m)
                for m in DESCRIPTION.finditer(paragraph.masked)
            ]
            seen += [
                Sighting(m.start(), Seen.PRONOUN, match=m)
                for m in PRONOUN.finditer(paragraph.masked)
            ]
        for sighting in sorted(seen, key=lambda sighting: sighting.offset):
            at = (block, sighting.offset)
            if sighting.name is not None and sighting.name.person_id is not None:
                self.add(Reference(*at, (sighting.name.person_id,)))
            elif sighting.match is not None and sighting.kind == Seen.PRONOUN:
                # “she met Colm Hardiman”: she is still the person she was a moment ago.
                if people := self.resolve_pronoun(sighting.match.group(), at):
                    self.add(Reference(*at, people))
            elif sighting.match is not None:
                self.read_description(paragraph, at, sighting.match)
        # Names joined by “and” or in a list: a group, just after its last name.
        for first, second in zip(names, names[1:], strict=False):
            if first.possessive or second.possessive or first.person_id == second.person_id:
                continue
            if second.person_id is not None and LIST_BETWEEN.fullmatch(
                paragraph.text[first.end : second.start]
            ):
                group = self.group_ending_at(block, first)
                self.add(Reference(block, second.start + 1, (*group, second.person_id)))

    def read_description(
        self, paragraph: Paragraph, at: tuple[int, int], match: re.Match[str]
    ) -> None:
        """“The 26-year-old laughs”: a description standing for someone is a reference to them,
        and what the story calls them from now on."""
        phrase = match.group(1)
        if re.search(r"[’']s\b", phrase) or re.match(r"[’']s\b", paragraph.text[match.end() :]):
            return  # “the singer’s mother”, “the couple’s son”: someone else
        if re.match(r",?\s+[A-ZÀ-ÖØ-Þ]", paragraph.text[match.end() :]):
            return  # “the director Camille Dorval”: the name says who
        nouns = person_nouns(phrase)
        if not nouns or nouns[-1] in OTHER_SPEAKERS:
            return
        people = self.resolve_description(nouns[-1], at)
        if people:
            self.add(Reference(*at, people))
            if len(people) == 1 and nouns[-1] not in PAIR_NOUNS:
                self.people[people[0]].roles.add(nouns[-1])

    def group_ending_at(self, block: int, name: Name) -> Speakers:
        """The people of a list that ends at `name`, `name` included."""
        for reference in reversed(self.references):
            if (reference.block, reference.offset) == (block, name.start + 1):
                return reference.people
        return (name.person_id,) if name.person_id is not None else ()

    def add(self, reference: Reference) -> None:
        insort(self.references, reference)

    def note(self, people: Speakers, block: int, offset: int) -> None:
        """A speaker the quote stage settled on is the most recent person at that point."""
        if people:
            self.add(Reference(block, offset, people))

    # Resolving -----------------------------------------------------------------------------

    def recent(self, at: tuple[int, int]) -> list[Reference]:
        """The references before `at`, the most recent first."""
        index = bisect_left(self.references, Reference(*at, ()))
        return self.references[:index][::-1]

    def recent_people(self, at: tuple[int, int]) -> list[int]:
        people = []
        for reference in self.recent(at):
            if not reference.is_group and reference.people[0] not in people:
                people.append(reference.people[0])
        return people

    def resolve_pronoun(self, pronoun: str, at: tuple[int, int]) -> Speakers:
        """The most recent person whose pronouns agree. Someone whose pronouns are unknown may
        agree too, unless an agreeing person is named in the same paragraph. “They” is also
        the most recent group, when no one who uses they/them is nearer."""
        pronoun = Pronoun(pronoun.lower())
        unknown = None
        for reference in self.recent(at):
            if unknown is not None and reference.block != unknown.block:
                break
            if reference.is_group:
                if pronoun == Pronoun.THEY:
                    return reference.people
                continue
            keys = self.people[reference.people[0]].pronouns
            if pronoun in keys:
                return reference.people
            if not keys and unknown is None:
                unknown = reference
        return unknown.people if unknown else ()

    def resolve_group(self, at: tuple[int, int]) -> Speakers:
        for reference in self.recent(at):
            if reference.is_group:
                return reference.people
        people = self.recent_people(at)[:2]
        return tuple(people) if len(people) == 2 else ()

    def resolve_description(self, noun: str, at: tuple[int, int]) -> Speakers:
        """“The singer”: the most recent person who fits the description."""
        if noun in PAIR_NOUNS:
            return self.resolve_group(at)
        if noun in OTHER_SPEAKERS:
            return ()
        people = self.recent_people(at)
        roles = {person: self.people[person].roles for person in people}
        if AGE.fullmatch(noun):
            holders = [person for person in people if noun in roles[person]]
            if holders:
                return (holders[0],)
            noun = "star"
        if noun in PROFESSIONS or noun in RELATION_NOUNS:
            holders = [person for person in people if noun in roles[person]]
            if holders:
                return (holders[0],)
        if noun in PROFESSIONS:
            people = [
                person
                for person in people
                if not roles[person] & PROFESSIONS and not roles[person] & CHILD_NOUNS
            ]
        gender = gender_of(noun)
        if gender:
            agreeing = [p for p in people if gender in self.people[p].pronouns]
            if agreeing:
                return (agreeing[0],)
            people = [p for p in people if not self.people[p].pronouns]
        return (people[0],) if people else ()

    def resolve_subject(self, block: int, start: int, subject: str) -> Speakers:
        """Who the words naming a speaker stand for: “she”, “Kim”, “the rapper Kanye West”,
        “Marr and Castellanos”, “the couple”; () for “a source close to Nell”."""
        at = (block, start)
        lowered = subject.lower()
        if lowered in ("she", "he", "they"):
            return self.resolve_pronoun(lowered, at)
        if lowered in ("both", "both of them"):
            return self.resolve_group(at)
        paragraph = self.paragraphs[block]
        # Names heading the words, or right after a description of their person: “Kim”, “the
        # rapper Kanye West”, “Marr and Castellanos”; not “Kanye’s rep”, “a source close to Nell”.
        found: list[int] = []
        previous_end = start
        for name in paragraph.names:
            if not start <= name.start < start + len(subject):
                continue
            if name.possessive or name.person_id is None:
                if found:
                    break
                continue
            between = paragraph.text[previous_end : name.start]
            if not found:
                word_before = between.rstrip(" ,").rsplit(" ", 1)[-1]
                set_off = re.fullmatch(r"[^,]+,\s+", between)  # “His manager, Ana Ruiz,”
                if (
                    name.start != start
                    and not person_nouns(word_before)
                    and not (set_off and person_nouns(between))
                ):
                    continue
            elif not LIST_BETWEEN.fullmatch(between):
                break
            found.append(name.person_id)
            previous_end = name.end
        if found:
            return tuple(dict.fromkeys(found))
        if not names_a_speaker(subject) or ANONYMOUS.search(lowered):
            return ()
        nouns = person_nouns(subject)
        if lowered.startswith("the ") and nouns and nouns[-1] not in OTHER_SPEAKERS:
            if re.search(rf"\b{re.escape(nouns[0])}\s+{NEW_BY_RELATION}", lowered):
                return ()  # “the designer of the dress”: someone the story has not named
            if re.search(r"[’']s\b", subject):
                return ()  # “the model’s sister”: someone else, whom the story has not named
            return self.resolve_description(nouns[0], at)
        return ()

    def first_person(self, block: int, start: int, end: int) -> Speakers:
        """Whom a stretch of the reporter's text is about: the first person it names (not in
        a possessive if it can help it), refers to as “she”, or describes as “the actress”."""
        paragraph = self.paragraphs[block]
        candidates: list[tuple[int, Speakers]] = []
        names = [
            name
            for name in paragraph.names
            if start <= name.start < end
            and name.person_id is not None
            and not paragraph.in_quote(name.start)
        ]
        plain = [name for name in names if not name.possessive]
        if plain:
            first = plain[0]
            group: Speakers = (first.person_id,) if first.person_id is not None else ()
            for reference in self.references:
                if (
                    reference.block == block
                    and reference.is_group
                    and reference.people[0] == first.person_id
                    and first.start < reference.offset <= end
                    and reference.offset - first.start < 80
                ):
                    group = reference.people
                    break
            candidates.append((first.start, group))
        pronoun = PRONOUN.search(paragraph.masked, start, end)
        if pronoun:
            people = self.resolve_pronoun(pronoun.group(), (block, pronoun.start()))
            candidates.append((pronoun.start(), people))
        for description in DESCRIPTION.finditer(paragraph.masked, start, end):
            phrase = description.group(1)
            if re.search(r"[’']s\b", phrase) or re.match(
                r"[’']s\b", paragraph.text[description.end() :]
            ):
                continue
            nouns = person_nouns(phrase)
            if nouns and nouns[-1] not in OTHER_SPEAKERS:
                people = self.resolve_description(nouns[-1], (block, description.start()))
                candidates.append((description.start(), people))
                break
        # “Their joint statement read:”, “the couple’s post said”, “her statement read:”.
        statement = OWN_WORDS.search(paragraph.masked, start, end)
        if statement:
            at = (block, statement.start())
            owner = statement.group(1).lower()
            if owner in ("her", "his", "their"):
                whose = {"her": "she", "his": "he", "their": "they"}[owner]
                candidates.append((statement.start(), self.resolve_pronoun(whose, at)))
            else:
                candidates.append((statement.start(), self.resolve_group(at)))
        candidates = [c for c in candidates if c[1]]
        if candidates:
            return min(candidates)[1]
        possessive = [name.person_id for name in names if name.possessive]
        return (possessive[0],) if possessive and possessive[0] is not None else ()
