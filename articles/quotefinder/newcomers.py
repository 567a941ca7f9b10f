"""Stage 3a, people the archive does not know: a name of two to four capitalised words that the
story treats as a person's.

A capitalised phrase is a person's name only on the story's word — no list of first names is
consulted: a role right before it (“stylist Bea Lind”, “her mother, Ana Ruiz,”), an age or a
role after it (“Ana Ruiz, 52,”, “Ana Ruiz, a lawyer,”, “Ana Ruiz, who…”), an honorific (“Mrs
Ruiz”), or a speech verb it is the subject of (“Ana Ruiz told…”, “said Ana Ruiz”). Phrases
ending in a word of a place or an organisation (“Royal Albert Hall”) and the names of known
people are not proposed. What the role says of them (“mother”) gives their pronouns.
"""

import re
from dataclasses import dataclass

from .attribution import ADVERB, VERB
from .paragraphs import Paragraph
from .people import Character
from .vocabulary import (
    HONORIFIC_PRONOUNS,
    HONORIFICS,
    INSTITUTION_WORDS,
    MONTHS,
    NOT_NAMES,
    ROLE_WORDS,
    WEEKDAYS,
    gender_of,
    person_nouns,
    pronoun_keys,
)

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ"
TOKEN = (
    rf"[{UPPER}](?:[{LOWER}]+|[’'][{UPPER}][{LOWER}]+)(?:[{UPPER}][{LOWER}]+)?"
    rf"(?:-[{UPPER}][{LOWER}]+)?"
)
PARTICLE = r"(?:de|van|von|da|di|del|della|du|le|la|bin|ben|al|ter|ten|dos|das)"
CANDIDATE = re.compile(
    rf"(?<![\w’'-]){TOKEN}(?:\s+(?:{PARTICLE}\s+)?{TOKEN}){{1,3}}(?![\w-]|[’'][{LOWER}]{{2}})"
)
AGE_AFTER = re.compile(r"\s*(?:,\s*(?:now\s+|aged\s+)?\d{1,3}\s*,|\s\(\d{1,3}\))")
ROLE_AFTER = re.compile(r",\s+(?:a|an|the|his|her|their|our|its)\s+((?:[\w’'-]+\s+){0,4}[\w’'-]+)")
WHO_AFTER = re.compile(r",?\s+who\b")
# The subject of a speech verb: “Ana Ruiz told…”, “Ana Ruiz, 52, said”; not a place before an
# inverted attribution (“dinner at Chateau Marmont, said a source”).
SAID_AFTER = re.compile(
    rf"(?:,\s*(?:now\s+|aged\s+)?\d{{1,3}},|(?!,\s+{VERB}\s+(?:a|an|the|his|her|their|one)\b),)?"
    rf"\s+(?:{ADVERB}\s+){{0,2}}{VERB}\b"
)
# What someone made or whom they are related to: “directed by Anselm Brückner”, “son of …”.
BY_SOMEONE = re.compile(
    r"\b(?:(?:directed|written|co-written|produced|photographed|choreographed|designed|"
    r"founded|hosted|presented|composed|styled|created|narrated|voiced|interviewed|"
    r"raised|adopted|coached|managed)\s+by|married\s+to|engaged\s+to|"
    r"(?:daughter|son|wife|husband|widow|widower|mother|father|sister|brother|child|"
    r"granddaughter|grandson)\s+of)\s+$"
)
SAID_BEFORE = re.compile(
    r"\b(?:said|says|added|adds|recalled|recalls|explained|explains|continued|continues|"
    r"wrote|writes|admitted|admits|insisted|insists|according\s+to)\s+$"
)
CLAUSE_START = re.compile(r"[.;:!?“”\"‘«»()—–]")
CALENDAR = frozenset([*MONTHS, *WEEKDAYS])


@dataclass(frozen=True)
class Evidence:
    roles: tuple[str, ...]  # what the story calls them: “mother”, “52-year-old”
    pronouns: str


def find_newcomers(
    paragraphs: list[Paragraph], known: dict[str, int], first_id: int = -1
) -> list[Character]:
    """The people the story names whom the archive does not know, in order of appearance,
    with negative ids from `first_id` down. `known` maps name keys of known people to ids."""
    found: dict[str, Character] = {}
    for paragraph in paragraphs:
        if paragraph.headline:
            continue
        for match in CANDIDATE.finditer(paragraph.text):
            name = trimmed(match.group())
            if name is None or name in found or covers_known(name, known):
                continue
            start = match.start() + match.group().index(name)
            evidence = evidence_for(paragraph, start, start + len(name))
            if evidence is None:
                continue
            sentence_start, sentence_end = paragraph.sentence_at(start)
            person = Character(
                id=first_id - len(found),
                name=name,
                sentence=paragraph.text[sentence_start:sentence_end].strip(),
            )
            person.roles.update(evidence.roles)
            if evidence.pronouns:
                person.pronouns = pronoun_keys(evidence.pronouns)
            found[name] = person
    return list(found.values())


def trimmed(phrase: str) -> str | None:
    """The name in a capitalised phrase: sentence openers and honorifics dropped from its start
    (“When Jonah Pike” is Jonah Pike); None when it is not a person's name."""
    words = phrase.split()
    while words and (
        words[0] in NOT_NAMES
        or words[0] in HONORIFICS
        or words[0] in CALENDAR
        or words[0].lower() in ROLE_WORDS  # “Host Delphine Arceneaux” opening a sentence
    ):
        words.pop(0)
    if len(words) < 2 or len(words) > 4:
        return None
    if any(word in INSTITUTION_WORDS or word in CALENDAR or word in NOT_NAMES for word in words):
        return None
    return " ".join(words)


def covers_known(name: str, known: dict[str, int]) -> bool:
    """A known person's name, or a phrase made of one (“Lena Voss Calls”)."""
    key = name.replace("’", "'")
    return any(
        key == other or key.startswith(other + " ") or key.endswith(" " + other)
        for other in known
        if " " in other
    )


def evidence_for(paragraph: Paragraph, start: int, end: int) -> Evidence | None:
    text = paragraph.text
    before, after = text[:start], text[end:]
    possessive = re.match(r"[’']s\b", after)
    if possessive:
        after = after[possessive.end() :]
    roles: list[str] = []
    pronouns = ""
    word = re.search(r"(?<![\w’'-])([\w’'-]+)\.?\s+$", before)
    if word and word.group(1) in HONORIFICS:
        pronouns = HONORIFIC_PRONOUNS.get(word.group(1), "")
        return Evidence((), pronouns)
    # A role right before: “chef Jonah Pike”, “the director Camille Dorval”.
    if word and word.group(1).lower() in ROLE_WORDS:
        roles.append(word.group(1).lower())
        before = re.sub(r"(?:\b(?:the|a|an|his|her|their|our)\s+)?[\w’'-]+\s+$", "", before)
    # A role in the clause before a comma: “Her voice teacher at the time, Renata Olsen”,
    # “his daughter, the director Camille Dorval”.
    if before.rstrip().endswith(","):
        clause = before.rstrip()[:-1]
        opening = max((m.end() for m in CLAUSE_START.finditer(clause)), default=0)
        opening = max(opening, clause.rfind(",") + 1)
        words = clause[opening:].split()
        # The whole clause when short (“Her voice teacher at the time”), else its last words
        # (“… and his business partner”).
        words = words if len(words) <= 8 else words[-3:]
        roles += [w for w in person_nouns(" ".join(words)) if w in ROLE_WORDS]
    if not possessive:
        age = AGE_AFTER.match(after)
        if age:
            years = "".join(filter(str.isdigit, age.group()))
            roles.append(f"{years}-year-old")
        role = ROLE_AFTER.match(after)
        if role:
            roles += [w for w in person_nouns(role.group(1)) if w in ROLE_WORDS]
        if (
            WHO_AFTER.match(after)
            or SAID_AFTER.match(after)
            or SAID_BEFORE.search(before)
            or BY_SOMEONE.search(before)
        ):
            roles.append("")
    if not roles:
        return None
    for noun in roles:
        gender = gender_of(noun)
        if gender and not pronouns:
            pronouns = f"{gender}/{'her' if gender == 'she' else 'him'}"
    return Evidence(tuple(role for role in roles if role), pronouns)
