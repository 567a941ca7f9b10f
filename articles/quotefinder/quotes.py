"""Stage 6, quotes: the direct quotes of the dek and the body, in order, each with who said it.

- A quote stands as its own sentence or is attributed (“…,” she told Vogue.); scare quotes,
  titles and fragments woven into the reporter's sentence are not quotes. The headline is not
  read for quotes: quotation marks there are scare quotes or a quote the body repeats.
- A quote broken by its attribution is two quotes by one speaker, also when a clause follows
  the attribution (“…,” he says, putting down his spoon, “…”); a quote over two paragraphs is
  one.
- An unattributed quote right after an attributed one is by the same speaker; otherwise it is
  by the person the sentence before it is about.
- A dialogue-dash paragraph is speech up to its attribution; one without an attribution goes
  on with the dash speaker before, and a dash question answered by the next dash is the
  interviewer's, not a quote.
- A transcript's answers (stage 4a) are quotes of the person answering.
"""

import datetime
import re
from dataclasses import dataclass

from .attribution import (
    OUTLET_BEFORE,
    Attribution,
    LeadIn,
    attribution_after,
    goes_on_after,
    read_lead_in,
)
from .cast import Cast, Speakers
from .dates import date_in
from .marks import Style
from .paragraphs import Paragraph, ends_sentence

INTERVIEW_CONTEXT = "in an interview"


@dataclass(frozen=True)
class Part:
    block: int
    opening: int  # the opening mark
    end: int  # the closing mark, or the end of the paragraph


@dataclass
class QuoteSpan:
    """A quote as written: one quoted span, or several running over paragraphs."""

    parts: list[Part]
    closed: bool
    style: Style

    def text(self, paragraphs: list[Paragraph]) -> str:
        text = " ".join(
            paragraphs[part.block].text[part.opening + 1 : part.end].strip() for part in self.parts
        ).strip()
        # The comma before the closing mark belongs to the reporter's sentence; a nested
        # quote's own comma (“…‘Your dad’s the best,’”) does not sit last.
        return text[:-1].rstrip() if text.endswith(",") else text


@dataclass
class Kept:
    """A quote taken, with what the story says of it."""

    span: QuoteSpan | None  # None for a transcript's answer
    text: str
    speakers: Speakers
    context: str
    said_on: datetime.date | None


class QuoteReader:
    def __init__(
        self, paragraphs: list[Paragraph], cast: Cast, published_on: datetime.date
    ) -> None:
        self.paragraphs = paragraphs
        self.cast = cast
        self.published_on = published_on

    def quotes(self) -> list[Kept]:
        found: list[Kept] = []
        previous: Kept | None = None
        for item in self.items():
            if isinstance(item, QuoteSpan):
                kept = self.read_quote(item, previous)
            else:
                kept = self.read_answer(item)
            if kept is None:
                continue
            previous = kept
            if any(k.text == kept.text and k.speakers == kept.speakers for k in found):
                continue  # a dek repeating a quote of the body
            found.append(kept)
        return found

    def items(self) -> list:
        """Quote spans and transcript answers (their first block), in order."""
        items: list = []
        running: QuoteSpan | None = None
        for block, paragraph in enumerate(self.paragraphs):
            if block == 0:
                continue
            if paragraph.turn is not None:
                if running:
                    items.append(running)
                    running = None
                if not paragraph.turn.continues:
                    items.append(block)
                continue
            for number, span in enumerate(paragraph.spans):
                part = Part(block, span.opening, span.end)
                if (
                    running
                    and number == 0
                    and not paragraph.text[: span.opening].strip()
                    and span.style == running.style
                ):
                    running.parts.append(part)
                else:
                    if running:
                        items.append(running)
                    running = QuoteSpan([part], span.closed, span.style)
                running.closed = span.closed
                if span.closed or span.end < len(paragraph.text):
                    items.append(running)
                    running = None
            if running and not paragraph.spans:
                items.append(running)
                running = None
        if running:
            items.append(running)
        return items

    def read_answer(self, block: int) -> Kept | None:
        turn = self.paragraphs[block].turn
        if turn is None or turn.question:
            return None
        texts = [self.paragraphs[block].text[turn.said_start :].strip()]
        for following in self.paragraphs[block + 1 :]:
            if following.turn is None or not following.turn.continues:
                break
            texts.append(following.text.strip())
        text = " ".join(texts)
        if not re.search(r"\w", text):
            return None
        self.cast.note(turn.speakers, block, 0)
        return Kept(None, text, turn.speakers, INTERVIEW_CONTEXT, None)

    def read_quote(self, span: QuoteSpan, previous: Kept | None) -> Kept | None:
        text = span.text(self.paragraphs)
        if not re.search(r"\w", text):
            return None
        first, last = span.parts[0], span.parts[-1]
        paragraph = self.paragraphs[first.block]

        # What comes before it: a sentence start, a lead-in (“Stone said:”) or the middle of the
        # reporter's sentence (the “power couple”).
        sentence_start = paragraph.sentence_at(first.opening)[0]
        previous_end = max(
            (s.end for s in paragraph.spans if s.closed and s.end < first.opening), default=-1
        )
        lead_start = max(sentence_start, previous_end + 1)
        lead = paragraph.text[lead_start : first.opening]
        # Right after the kept quote before it, in one sentence: “A,” she said, adding: “B.”
        after_previous = (
            previous is not None
            and previous.span is not None
            and previous_end >= sentence_start
            and (previous.span.parts[-1].block, previous.span.parts[-1].end)
            == (first.block, previous_end)
        )

        # What comes after it: an attribution, the end of the sentence, or more of it.
        closing = self.paragraphs[last.block]
        if span.closed:
            next_opening = min(
                (s.opening for s in closing.spans if s.opening > last.end),
                default=len(closing.text),
            )
            after = closing.text[last.end + 1 : next_opening]
        else:
            after = ""
        inner = closing.text[last.opening + 1 : last.end]
        clause_end = closing.sentence_at(min(last.end + 1, len(closing.text)))[1]
        clause = closing.masked[last.end + 1 : clause_end]
        attribution = attribution_after(last.block, last.end + 1, after, inner, clause)
        ends = ends_sentence(inner, after)

        if not lead.strip():
            kind = LeadIn.START if lead_start == sentence_start else LeadIn.MIDDLE
            lead_in = None
        else:
            kind, lead_in = read_lead_in(first.block, lead_start, lead)

        # “…,” he says, tearing a bread roll in half, “…”: the same speaker goes on.
        if (
            previous is not None
            and after_previous
            and attribution is None
            and kind in (LeadIn.CLAUSE, LeadIn.MIDDLE)
            and goes_on_after(first.block, previous_end + 1, lead) is not None
        ):
            return Kept(span, text, previous.speakers, previous.context, previous.said_on)
        if kind == LeadIn.MIDDLE:
            return None
        # Opening in lower case, the words go on the reporter's sentence: “learned to cook
        # and, she says, “slept for a year”.”, “She had one word for it: “brilliant”.”
        if text[:1].islower() and not after_previous:
            return None
        if kind == LeadIn.CLAUSE and attribution is None:
            return None
        if kind in (LeadIn.START, LeadIn.COLON, LeadIn.BARE) and attribution is None and not ends:
            return None

        if attribution is not None:
            return self.keep(span, text, attribution, previous, after_previous)
        if lead_in is not None and kind in (LeadIn.LEAD, LeadIn.COLON, LeadIn.BARE):
            return self.keep(span, text, lead_in, previous, after_previous)
        if span.style == Style.DASH:
            if text.endswith("?") and self.answered_by_dash(last.block):
                return None  # the interviewer's question
            if previous is not None and previous.span and previous.span.style == Style.DASH:
                return Kept(span, text, previous.speakers, previous.context, previous.said_on)
        if previous is not None and previous.span and self.follows(previous.span, span):
            return Kept(span, text, previous.speakers, previous.context, previous.said_on)
        # Standing alone after a sentence about someone, the quote is theirs, and that sentence
        # may say to whom (“Speaking to The Guardian, Petrova described…”).
        about = self.sentence_before(first.block, first.opening)
        speakers = self.cast.first_person(*about) if about else ()
        self.cast.note(speakers, first.block, first.opening)
        outlet = about and OUTLET_BEFORE.search(
            self.paragraphs[about[0]].masked[about[1] : about[2]]
        )
        context = f"told {outlet['outlet']}" if outlet else "said"
        return Kept(span, text, speakers, context, None)

    def keep(
        self,
        span: QuoteSpan,
        text: str,
        said: Attribution,
        previous: Kept | None,
        after_previous: bool,
    ) -> Kept:
        first = span.parts[0]
        if said.subject is not None:
            speakers = self.cast.resolve_subject(said.block, said.subject_start, said.subject)
        elif previous is not None and after_previous:  # “A,” she said, adding: “B.”
            speakers = previous.speakers
        else:
            paragraph = self.paragraphs[first.block]
            start = paragraph.sentence_at(first.opening)[0]
            speakers = self.cast.first_person(first.block, start, first.opening)
            if not speakers and (about := self.sentence_before(first.block, first.opening)):
                speakers = self.cast.first_person(*about)
        self.cast.note(speakers, said.block, said.subject_start)
        return Kept(span, text, speakers, said.context, date_in(said.clause, self.published_on))

    def answered_by_dash(self, block: int) -> bool:
        following = self.paragraphs[block + 1] if block + 1 < len(self.paragraphs) else None
        return bool(following and following.spans and following.spans[0].style == Style.DASH)

    def follows(self, earlier: QuoteSpan, later: QuoteSpan) -> bool:
        """Whether `later` opens the sentence right after the one `earlier` ends in (its
        attribution, if any), in the same paragraph or at the start of the next."""
        end, opening = earlier.parts[-1], later.parts[0]
        before, after = self.paragraphs[end.block], self.paragraphs[opening.block]
        if opening.block == end.block:
            return after.sentence_index(opening.opening) - before.sentence_index(end.end) <= 1
        return (
            opening.block == end.block + 1
            and after.sentence_index(opening.opening) == 0
            and before.sentence_index(end.end) == len(before.sentences) - 1
        )

    def sentence_before(self, block: int, offset: int) -> tuple[int, int, int] | None:
        """The sentence before `offset`, in its paragraph or at the end of the one before; never
        the headline's."""
        paragraph = self.paragraphs[block]
        index = paragraph.sentence_index(offset)
        if index > 0:
            return (block, *paragraph.sentences[index - 1])
        if block > 1:
            return (block - 1, *self.paragraphs[block - 1].sentences[-1])
        return None
