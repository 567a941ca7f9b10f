"""Stage 2, paragraphs and sentences: each paragraph's quoted spans (stage 1), its text with
the quoted words masked, and its sentences, split around quotes rather than inside them.

Block 0 is the headline, block 1 the dek, the body's paragraphs follow: one list, so that a
position in the story is (block, offset).
"""

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .marks import Span, dialogue_spans, quoted_spans
from .vocabulary import ABBREVIATIONS

if TYPE_CHECKING:
    from .names import Name
    from .transcripts import Turn

SENTENCE_END = re.compile(r"([.!?…]+)(?:\s?[”’\"»')\]])*(?=\s+(?:[“\"«»‘—–(\[]|[A-ZÀ-ÖØ-Þ0-9]))")
ENDS_WITH_STOP = re.compile(r"[.!?…][’'”»\"]*\s*$")


@dataclass
class Paragraph:
    """One paragraph (or the dek, or the headline): its quoted spans and sentences. The names
    in it are added by the name stage."""

    text: str
    headline: bool = False
    spans: list[Span] = field(init=False)
    masked: str = field(init=False)
    sentences: list[tuple[int, int]] = field(init=False)
    names: list["Name"] = field(default_factory=list)  # in order, read by stage 3
    turn: "Turn | None" = None  # when the paragraph is a turn of a Q&A (stage 4a)

    def __post_init__(self) -> None:
        self.spans = dialogue_spans(self.text) or quoted_spans(self.text)
        self.masked = mask_quotes(self.text, self.spans)
        self.sentences = split_sentences(self.masked)
        self.sentence_starts = [start for start, _ in self.sentences]

    def sentence_index(self, offset: int) -> int:
        return max(bisect_right(self.sentence_starts, offset) - 1, 0)

    def sentence_at(self, offset: int) -> tuple[int, int]:
        return self.sentences[self.sentence_index(offset)]

    def in_quote(self, offset: int) -> bool:
        return any(span.opening < offset < span.end for span in self.spans)


def mask_quotes(text: str, spans: list[Span]) -> str:
    """The text with quoted words masked, so that sentences are split around quotes, not in
    them; a quote's own closing stop is kept, as it ends the reporter's sentence too."""
    chars = list(text)
    for span in spans:
        inner = text[span.opening + 1 : span.end]
        stop = ENDS_WITH_STOP.search(inner)
        end = span.opening + 1 + (stop.start() if stop else len(inner))
        for index in range(span.opening + 1, end):
            if not chars[index].isspace():
                chars[index] = "x"
    return "".join(chars)


def split_sentences(masked: str) -> list[tuple[int, int]]:
    sentences, start = [], 0
    for match in SENTENCE_END.finditer(masked):
        last = re.search(r"(\S+)$", masked[: match.start()])
        word = last.group(1) if last else ""
        if match.group(1) == "." and (
            word in ABBREVIATIONS or re.fullmatch(r"[A-Z]|(?:[A-Za-z]\.)+[A-Za-z]", word)
        ):
            continue
        sentences.append((start, match.end()))
        start = match.end() + len(masked[match.end() :]) - len(masked[match.end() :].lstrip())
    sentences.append((start, len(masked)))
    return sentences


def ends_sentence(inner: str, after: str) -> bool:
    """Whether a quote ending with `inner` and followed by `after` ends its sentence."""
    if not after.strip() or re.match(r"\s*[.!?…]", after):
        return True
    return bool(ENDS_WITH_STOP.search(inner)) and bool(
        re.match(r"\s+(?:[“\"«‘(\[—–]|[A-Z0-9])", after)
    )
