"""Stage 4, attributions: the reporter's words that say who said a quote and how.

After a quote: “…,” she told Vogue. / “…,” Stone, 31, added. / “…,” said Kim. /
“…,” according to Kim. Before it: Stone said: “…” / According to Kim, “…” / he wrote “…”.
The subject is returned as written (“she”, “Kim”, “the singer”, “Marr and Castellanos”); who
it stands for is decided by the story's cast (stage 5). The verb and its few words become the
quote's context (“told Vogue”, “wrote on February 4”).
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from .vocabulary import (
    ABBREVIATIONS,
    ADVERB,
    OTHER_SPEAKERS,
    PAIR_NOUNS,
    PHRASAL_SPEECH_VERBS,
    SPEECH_VERBS,
    person_nouns,
    words_pattern,
)

VERB = rf"(?:{words_pattern([*SPEECH_VERBS, *PHRASAL_SPEECH_VERBS])})"
VERB_WORD = re.compile(rf"(?<![\w-]){VERB}\b")
NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w’'-]*"
# Capitalised words that start a name, not pronouns or sentence openers.
ONE_NAME = (
    r"(?!(?:She|He|They|It|We|I|You|The|A|An|His|Her|Their|This|That|These|Those|But|And)\b)"
    rf"{NAME_WORD}(?:\s+(?:(?:de|van|von|da|di|del|du|le|la)\s+)?{NAME_WORD}){{0,3}}"
)
# One name, or several joined: “Marr and Castellanos”, “Ana, Bo and Cy”.
NAME = rf"{ONE_NAME}(?:(?:,\s+{ONE_NAME})*,?\s+(?:and|&)\s+{ONE_NAME})?"
PRONOUNS = r"(?:she|he|they|both|both\s+of\s+them)"
PHRASE_WORDS = r"(?:[\w’'-]+\s+){0,5}?[\w’'-]+"
THE_PHRASE = rf"the\s+{PHRASE_WORDS}"
OTHER_PHRASE = rf"(?:(?:[Aa]n?|[Oo]ne|[Hh]is|[Hh]er|[Tt]heir)\s+|[A-Z][\w-]*[’']s\s+){PHRASE_WORDS}"
# Where a phrase after an inverted verb ends: “said the singer in a statement”.
PHRASE_END = (
    r"(?=\s*(?:[,.;:!?—–)]|$)|\s+(?:in|on|at|to|of|about|during|while|when|after|before|as|"
    r"from|with|via|who|and)\b)"
)
SUBJECT_BEFORE_VERB = rf"(?P<subject>\b(?:{PRONOUNS}\b|{NAME}|{THE_PHRASE}|{OTHER_PHRASE}))"
SUBJECT_AFTER_VERB = (
    rf"(?P<subject>\b(?:{PRONOUNS}\b|{NAME}|the\s+{PHRASE_WORDS}{PHRASE_END}|"
    rf"(?:a|an|one|his|her|their)\s+{PHRASE_WORDS}{PHRASE_END}))"
)
APPOSITION = r"(?P<apposition>,\s[^,“”\"‘«»]{1,80}?,)?"
INTRO = r"\s*,?\s*(?:[—–]\s*)?"
# After a quote: “…,” she told Vogue. / “…,” Stone, 31, added. / “…,” said Kim.
SAID_AFTER = re.compile(
    rf"{INTRO}{SUBJECT_BEFORE_VERB}{APPOSITION}\s+(?:{ADVERB}\s+){{0,2}}(?P<verb>{VERB})\b"
)
SAID_AFTER_INVERTED = re.compile(rf"{INTRO}(?P<verb>{VERB})\s+{SUBJECT_AFTER_VERB}")
ACCORDING_AFTER = re.compile(rf"{INTRO}according\s+to\s+{SUBJECT_AFTER_VERB}")
# Before a quote, the speaker right before the verb: “Speaking to Vogue, Stone, 31, said:”.
SUBJECT_ENDING = re.compile(
    rf"(?P<subject>\b(?:(?:[Ss]he|[Hh]e|[Tt]hey|[Bb]oth)\b|{NAME}|[Tt]he\s+{PHRASE_WORDS}|"
    rf"{OTHER_PHRASE}))"
    rf"{APPOSITION}\s+(?:{ADVERB}\s+){{0,2}}$"
)
ACCORDING_BEFORE = re.compile(
    rf"(?:^|[\s(])[Aa]ccording\s+to\s+(?P<subject>(?:she|he|they)\b|{NAME}|"
    rf"the\s+{PHRASE_WORDS}|(?:a|an|his|her|their)\s+{PHRASE_WORDS})\s*,\s*$"
)
# What may follow the verb of a lead-in (“told Vogue:”) without being a clause of its own
# (“told Rolling Stone that Ortiz had “taught me…”” is the reporter's sentence).
LEAD_IN_REST = re.compile(r"[^,;:“”\"‘«»]{0,60}?[,:]?\s*")
CLAUSE_WORD = re.compile(
    r"\b(?:that|she|he|they|I|we|it|was|is|were|are|had|has|have|be|who|which|if|whether)\b"
)
# After an attribution, a clause before the quote goes on: “he says, tearing a roll in half,”.
GOES_ON = re.compile(r"[^“”\"‘’«».!?]{0,100}[,—–:]\s*")
CONTEXT_STOP = re.compile(r"[,;:!?“”\"()—–]|\.(?=\s|$)")
CONTEXT_STOPWORDS = frozenset(
    "that who which while when as after before because adding explaining referring and but "
    "about published alongside where if".split()
)
CONTEXT_TRAILING = frozenset("of the a an on in to with for at by from".split())


class LeadIn(StrEnum):
    """How the reporter's words before a quote lead into it."""

    START = "start"  # nothing: the quote opens its sentence
    LEAD = "lead"  # “Stone said:”, “According to Kim,”
    BARE = "bare"  # “he wrote “…”” with no stop: a quote that ends the sentence
    COLON = "colon"  # another colon: “The statement read:”
    CLAUSE = "clause"  # after a comma or a dash: needs an attribution after the quote
    MIDDLE = "middle"  # inside the reporter's sentence: a fragment, a title, a scare quote


@dataclass
class Attribution:
    """Who said a quote, as written, and how: found before or after it."""

    block: int
    subject: str | None  # the words naming the speaker, or None when the speaker is inherited
    subject_start: int
    context: str
    clause: str  # where a date may be given: “wrote on February 4”


def with_apposition(match: re.Match) -> str:
    """The subject with the words set off after it: “His manager, Ana Ruiz,” names Ana Ruiz."""
    groups = match.groupdict()
    return match["subject"] + (groups.get("apposition") or "")


def names_a_speaker(subject: str) -> bool:
    """A pronoun, a name, or a phrase about a person: “the singer”, “a source”, not “the
    story” (“Blue Hour” told the story of…)."""
    if subject.lower() in ("she", "he", "they", "both", "both of them"):
        return True
    first = subject.split()[0]
    if first.lower() in ("the", "a", "an", "one", "his", "her", "their") or first.endswith(
        ("’s", "'s")
    ):
        return bool(person_nouns(subject))
    return True


def is_other_speaker(subject: str) -> bool:
    """“a source”, “her rep”, “the family”: someone who is not a person of the archive."""
    nouns = person_nouns(subject)
    return bool(nouns) and nouns[0] in OTHER_SPEAKERS and nouns[0] not in PAIR_NOUNS


def attribution_after(
    block: int, offset: int, after: str, inner: str, clause: str
) -> Attribution | None:
    """The attribution that follows a quote's closing mark, if any. `after` is the text from
    the closing mark to the next quote; `inner` the quote's words (a full stop in them decides
    whether a capitalised name after them opens a new sentence)."""
    match = ACCORDING_AFTER.match(after)
    if match:
        return Attribution(block, match["subject"], offset + match.start("subject"), "said", clause)
    for pattern in (SAID_AFTER, SAID_AFTER_INVERTED):
        match = pattern.match(after)
        if not match or not names_a_speaker(match["subject"]):
            continue
        # After a full stop a capitalised name opens the next sentence (“…more.” Okoye,
        # a novelist…): only “she said”, “said Kim” style attributions follow a full stop.
        if (
            inner.rstrip().endswith(".")
            and match.start("subject") < match.start("verb")
            and not match["subject"][0].islower()
        ):
            continue
        rest_start = max(match.end("verb"), match.end("subject"))
        return Attribution(
            block,
            with_apposition(match),
            offset + match.start("subject"),
            verb_phrase(match["verb"], after[rest_start:]),
            clause,
        )
    return None


def read_lead_in(block: int, lead_start: int, lead: str) -> tuple[LeadIn, Attribution]:
    """How the text before a quote leads into it, and the attribution it makes."""
    stripped = lead.rstrip()
    according = ACCORDING_BEFORE.search(stripped + " ")
    if according:
        start = lead_start + according.start("subject")
        return LeadIn.LEAD, Attribution(block, according["subject"], start, "said", lead)
    verbs = list(VERB_WORD.finditer(lead))
    if verbs:
        verb = verbs[-1]
        rest = lead[verb.end() :]
        said = Attribution(block, None, lead_start, verb_phrase(verb.group(), rest), lead)
        subject = SUBJECT_ENDING.search(lead[: verb.start()])
        inverted = re.match(rf"\s+{SUBJECT_AFTER_VERB}", rest)
        if subject and names_a_speaker(subject["subject"]):
            said.subject = with_apposition(subject)
            said.subject_start = lead_start + subject.start("subject")
        elif inverted and names_a_speaker(inverted["subject"]):
            said.subject = inverted["subject"]
            said.subject_start = lead_start + verb.end() + inverted.start("subject")
            rest = rest[inverted.end() :]
        # “said, “…”, “told Vogue: “…”; not “says their film “Salt Lake””. A verb right
        # before the quote with no stop between (“he wrote “…””) leads in a quote that ends
        # the sentence, not one woven into it (“he said “no comment” and left”).
        if LEAD_IN_REST.fullmatch(rest) and not CLAUSE_WORD.search(rest):
            if stripped.endswith((",", ":")):
                return LeadIn.LEAD, said
            if not rest.strip():
                return LeadIn.BARE, said
        if stripped.endswith(":"):
            return LeadIn.COLON, said
    if stripped.endswith(":"):
        return LeadIn.COLON, Attribution(block, None, lead_start, "said", lead)
    if stripped.endswith((",", ";", "—", "–", "(")):
        return LeadIn.CLAUSE, Attribution(block, None, lead_start, "said", lead)
    return LeadIn.MIDDLE, Attribution(block, None, lead_start, "said", lead)


def goes_on_after(block: int, offset: int, lead: str) -> Attribution | None:
    """The attribution of the quote before, when the words between two quotes of one sentence
    are that attribution and a clause going on to the next quote: “…,” he says, putting down
    his spoon, “…” — the second part is the same speaker's."""
    said = attribution_after(block, offset, lead, "", lead)
    if said is None:
        return None
    match = SAID_AFTER.match(lead) or SAID_AFTER_INVERTED.match(lead)
    if match is None:
        return None  # “according to…”: no clause goes on from it
    rest = lead[max(match.end("verb"), match.end("subject")) :]
    if rest.strip() and GOES_ON.fullmatch(rest) and not VERB_WORD.search(rest):
        return said
    return None


def verb_phrase(verb: str, rest: str) -> str:
    """The verb and its few words: “told Vogue”, “wrote on February 4”, “captioned the post”."""
    end = len(rest)
    for stop in CONTEXT_STOP.finditer(rest):
        last = re.search(r"(\S+)$", rest[: stop.start()])
        if stop.group() == "." and last and last.group(1) in ABBREVIATIONS:
            continue
        end = stop.start()
        break
    words: list[str] = []
    for word in rest[:end].split():
        if word.lower() in CONTEXT_STOPWORDS or len(words) == 4:
            break
        words.append(word)
    while words and words[-1].lower() in CONTEXT_TRAILING:
        words.pop()
    return " ".join([" ".join(verb.split()), *words])


OUTLET_BEFORE = re.compile(
    r"(?:\btold|[Ss]peaking\s+to|[Tt]alking\s+to|interview\s+with|[Ii]nterviewed\s+by)\s+"
    r"(?P<outlet>(?:[Tt]he\s+)?[A-Z][\w’'&-]*(?:\s+[A-Z][\w’'&-]*){0,3})"
)
