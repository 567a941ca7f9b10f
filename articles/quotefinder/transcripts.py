"""Stage 4a, Q&A transcripts: paragraphs opened by who speaks (“Q:”, “A:”, “Vance:”).

A story is read as a transcript when at least two of its paragraphs are turns and two speakers
take turns. Answers are quotes of the person answering; questions are not. “Q” is the
interviewer and “A” the story's subject (the first person named in the headline, else in the
dek or the first paragraph). Among named speakers, the interviewer is the one whose turns are
mostly questions, when another's are mostly not. A paragraph with no label after an answer goes
on with it when it speaks in the first person (“I still have…”), and is the reporter's again
when it does not (“She is less forthcoming about…”). Quotation marks inside a turn are part of
the answer, not quotes of their own.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .paragraphs import Paragraph
from .vocabulary import NOT_SPEAKER_LABELS

LABEL = re.compile(
    r"^\s*(?P<label>[QA]|[A-ZÀ-ÖØ-Þ][\w’'.-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w’'.-]*){0,2})"
    r"\s*(?P<mark>:|\.(?=\s)|\s[—–])\s*(?P<said>\S.*)$",
    re.DOTALL,
)
FIRST_PERSON = re.compile(r"\b(?:I|I’m|I'm|I’ve|I've|I’d|I'd|I’ll|I'll|me|my|mine|we|our|us)\b")
THIRD_PERSON_OPENING = re.compile(
    r"^\s*(?:[Ss]he|[Hh]e|[Tt]hey|The|[A-Z][\w’'-]+\s+(?:says|said))\b"
)


@dataclass
class Turn:
    label: str  # “Q”, “A”, “Vance”
    said_start: int  # where the words spoken start in the paragraph
    speakers: tuple[int, ...] = ()  # who answers; () for a question or an unknown speaker
    question: bool = False  # the interviewer's: not a quote
    continues: bool = False  # a paragraph with no label going on with the answer before


def label_of(paragraph: Paragraph) -> tuple[str, int] | None:
    match = LABEL.match(paragraph.text)
    if not match:
        return None
    label = match["label"]
    if label not in ("Q", "A") and match["mark"] != ":":
        return None
    if label.lower() in NOT_SPEAKER_LABELS or len(label) > 40:
        return None
    return label, match.start("said")


def read_transcript(
    paragraphs: list[Paragraph],
    subject: tuple[int, ...],
    who: Callable[[int, str], tuple[int, ...]],
) -> bool:
    """Mark the turns of a transcript on `paragraphs` (their `turn`). `subject` is who “A”
    is; `who(block, label)` the person a named label stands for, if known. Returns whether the
    story has a transcript."""
    labels = {}
    for block, paragraph in enumerate(paragraphs):
        if block < 2:
            continue  # the headline and the dek are not turns
        found = label_of(paragraph)
        if found:
            labels[block] = found
    if len(labels) < 2:
        return read_questions_and_answers(paragraphs, subject)
    counts = Counter(label for label, _ in labels.values())
    if len(counts) < 2:
        return read_questions_and_answers(paragraphs, subject)
    # A named label must be a person the story names, or speak more than once.
    speakers = {}
    for block, (label, _) in labels.items():
        if label in ("Q", "A"):
            continue
        person = who(block, label)
        if person:
            speakers[label] = person
        elif counts[label] < 2:
            labels.pop(block)
    counts = Counter(label for label, _ in labels.values())
    if len(labels) < 2 or len(counts) < 2:
        return False

    questions: Counter[str] = Counter()
    for block, (label, _) in labels.items():
        if paragraphs[block].text.rstrip().rstrip('”’"»').endswith("?"):
            questions[label] += 1
    share = {label: questions[label] / counts[label] for label in counts}
    interviewer = None
    if "Q" in counts:
        interviewer = "Q"
    else:
        asking = [label for label in counts if share[label] >= 0.5]
        answering = [label for label in counts if share[label] < 0.5]
        if asking and answering:
            interviewer = max(asking, key=lambda label: share[label])

    previous = None
    for block, paragraph in enumerate(paragraphs):
        if block in labels:
            label, start = labels[block]
            if label == interviewer:
                turn = Turn(label, start, question=True)
            elif label == "A":
                turn = Turn(label, start, subject)
            else:
                turn = Turn(label, start, speakers.get(label, ()))
            paragraph.turn = turn
            previous = turn
        elif (
            previous is not None
            and not previous.question
            and block > 1
            and FIRST_PERSON.search(paragraph.text)
            and not THIRD_PERSON_OPENING.match(paragraph.text)
        ):
            paragraph.turn = Turn(previous.label, 0, previous.speakers, continues=True)
        else:
            previous = None
    return True


def is_question(paragraph: Paragraph) -> bool:
    """A paragraph that is only a question of the interviewer's: short, ending with a question
    mark, with no quotation of its own."""
    text = paragraph.text.strip()
    return (
        text.endswith("?")
        and not paragraph.spans
        and len(text.split()) <= 40
        and not FIRST_PERSON_SINGULAR.search(text)
    )


# The reporter again, inside a transcript: “She laughs.”, “Marchetti says…”.
NARRATION_OPENING = re.compile(r"^\s*(?:[Ss]he|[Hh]e|[Tt]hey)\b|^[^.?!]*\b(?:says|said)\b")
FIRST_PERSON_SINGULAR = re.compile(r"\b(?:I|I’m|I'm|me|my)\b")


def read_questions_and_answers(paragraphs: list[Paragraph], subject: tuple[int, ...]) -> bool:
    """A transcript with no labels (the questions were set in bold): paragraphs that are only a
    question, each answered by the next paragraph in the first person with no quotation marks.
    Two such exchanges make a transcript; the answers are the story's subject's."""
    exchanges = [
        block
        for block in range(2, len(paragraphs) - 1)
        if is_question(paragraphs[block]) and answers(paragraphs[block + 1])
    ]
    if len(exchanges) < 2 or not subject:
        return False
    # Once the exchanges show a transcript, an answer need not speak in the first person
    # (“The five minutes before the curtain.”).
    exchanges = [
        block
        for block in range(exchanges[0], len(paragraphs) - 1)
        if is_question(paragraphs[block]) and answers(paragraphs[block + 1], strict=False)
    ]
    for block in exchanges:
        paragraphs[block].turn = Turn("Q", 0, question=True)
        paragraphs[block + 1].turn = Turn("A", 0, subject)
        following = block + 2
        while (
            following < len(paragraphs)
            and not is_question(paragraphs[following])
            and answers(paragraphs[following])
        ):
            paragraphs[following].turn = Turn("A", 0, subject, continues=True)
            following += 1
    return True


def answers(paragraph: Paragraph, strict: bool = True) -> bool:
    return (
        not paragraph.spans
        and (not strict or bool(FIRST_PERSON.search(paragraph.text)))
        and not (THIRD_PERSON_OPENING if strict else NARRATION_OPENING).match(paragraph.text)
        and not is_question(paragraph)
    )
