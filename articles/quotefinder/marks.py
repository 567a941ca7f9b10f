"""Stage 1, quotation marks: where each quoted span of a paragraph opens and ends.

Four conventions are read, in any mix:

- double marks, curly (“…”) or straight ("…"), the American press's;
- single marks (‘…’, or straight '…'), the British press's, with double marks inside;
- guillemets (« … », and the reversed » … « of German print);
- dialogue dashes: a paragraph opening with a dash is speech up to its attribution
  (“— I never asked, he says. — It was our rule.”).

Only the outermost spans count: a span inside another (“She said ‘Be kind,’ and left”) is
part of it. An apostrophe is not a quotation mark: ’ between two letters (don’t), before a
digit or after a space (’90s, ’em), and a closing ’ right after an s that the sentence goes on
from (the Quayles’ house) are read as apostrophes.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from .attribution import attribution_after


class Style(StrEnum):
    DOUBLE = "double"
    SINGLE = "single"
    GUILLEMET = "guillemet"
    DASH = "dash"


@dataclass(frozen=True)
class Span:
    """A quoted span: `opening` is the index of its opening mark, `end` that of its closing mark
    (or the end of the text when it is still open: it may go on in the next paragraph)."""

    opening: int
    end: int
    closed: bool
    style: Style = Style.DOUBLE


OPENING_CONTEXT = "([{—–-/ \n\t"
DASHES = "—–―"
DIALOGUE_OPENING = re.compile(rf"^\s*[{DASHES}]\s*")


@dataclass
class Mark:
    index: int
    style: Style
    opens: bool
    closes: bool
    strong: bool = True  # a weak closing single mark may be an apostrophe after an s


def read_marks(text: str) -> list[Mark]:
    """Every character that may open or close a span, with what it can do."""
    marks = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        opens_by_spacing = (before.isspace() or before in OPENING_CONTEXT) and not after.isspace()
        closes_by_spacing = not before.isspace() and (after.isspace() or not after.isalnum())
        if char in '“”"':
            if char == "“":
                opens, closes = True, closes_by_spacing and not opens_by_spacing
            elif char == "”":
                opens, closes = opens_by_spacing and not closes_by_spacing, True
            else:
                opens, closes = opens_by_spacing, closes_by_spacing
            marks.append(Mark(index, Style.DOUBLE, opens, closes))
        elif char in "«»":
            # « … » in French print, » … « in German: whichever comes first opens.
            marks.append(Mark(index, Style.GUILLEMET, True, True))
        elif char in "‘’'":
            if before.isalnum() and after.isalnum():
                continue  # don’t, it’s, O’Neil
            if char == "‘" and after.isdigit():
                continue  # ‘90s typed with the wrong mark
            # ’90s, ’em, ’til: an elision after a space; unless a straight mark opening.
            if (
                char in "’'"
                and not before.isalnum()
                and before not in ".,!?;:…”»)]—–-"
                and (char == "’" or not opens_by_spacing)
            ):
                continue
            opens = char == "‘" or (char == "'" and opens_by_spacing)
            closes = char != "‘" and closes_by_spacing
            # An s’ followed by a lower-case word is a plural possessive (the Quayles’ house)
            # unless nothing else can close the span.
            strong = not (
                closes and before in "sz" and re.match(r"\s+[a-z]", text[index + 1 : index + 3])
            )
            if opens or closes:
                marks.append(Mark(index, Style.SINGLE, opens, closes, strong))
    return marks


def quoted_spans(text: str) -> list[Span]:
    """The outermost quoted spans of a paragraph, in order."""
    if DIALOGUE_OPENING.match(text):
        return []  # read by dialogue_spans, with its attributions
    marks = read_marks(text)
    spans: list[Span] = []
    stack: list[Mark] = []  # open marks, innermost last
    for position, mark in enumerate(marks):
        innermost = stack[-1] if stack else None
        if mark.style == Style.GUILLEMET:
            if (
                innermost
                and innermost.style == Style.GUILLEMET
                and text[mark.index] != text[innermost.index]
            ):
                close(stack, spans, mark)
            elif mark.opens:
                stack.append(mark)
            continue
        same = [m for m in stack if m.style == mark.style]
        if mark.closes and same:
            if not mark.strong and later_closer(marks, position, mark.style):
                continue
            if (
                mark.opens
                and mark.style == Style.DOUBLE
                and innermost is not None
                and innermost.style != Style.DOUBLE
            ):
                stack.append(mark)  # a straight mark opening inside a single-quoted span
                continue
            # Close the innermost span of this style, and any opened inside it and left open.
            while stack and stack[-1].style != mark.style:
                stack.pop()
            close(stack, spans, mark)
        elif mark.opens:
            if mark.style == Style.DOUBLE and innermost and innermost.style == Style.DOUBLE:
                # A second opening double mark: the first was a typo, or never closed.
                if len(stack) == 1:
                    spans.append(Span(stack[0].index, mark.index, False, Style.DOUBLE))
                stack.pop()
            stack.append(mark)
    if stack:
        spans.append(Span(stack[0].index, len(text), False, stack[0].style))
    return sorted(spans, key=lambda span: span.opening)


def close(stack: list[Mark], spans: list[Span], mark: Mark) -> None:
    opening = stack.pop()
    if not stack:
        spans.append(Span(opening.index, mark.index, True, opening.style))


def later_closer(marks: list[Mark], position: int, style: Style) -> bool:
    """Whether a strong closing mark of `style` comes later, before a new opening one."""
    for mark in marks[position + 1 :]:
        if mark.style != style:
            continue
        if mark.closes and mark.strong:
            return True
        if mark.opens and not mark.closes:
            return False
    return False


# Dialogue dashes: “— I never asked, he says. — It was our rule.” ----------------------------

DASH_SEGMENT = re.compile(r"\s[—–―]\s+")


def dialogue_spans(text: str) -> list[Span]:
    """The spoken parts of a paragraph that opens with a dialogue dash: from each dash to the
    comma of its attribution (“, he says”), or to the end. A dash inside the speech (“I was —
    how to put it — lost”) starts no new part; only a dash after an attribution does."""
    opening_match = DIALOGUE_OPENING.match(text)
    if not opening_match:
        return []
    spans: list[Span] = []
    opening, start = text.index(opening_match.group().strip()[0]), opening_match.end()
    while True:
        ends = [
            (comma.start(), said)
            for comma in re.finditer(r",", text[start:])
            if (said := attribution_after(0, 0, text[start + comma.start() :], "", "")) is not None
        ]
        if not ends:
            spans.append(Span(opening, len(text.rstrip()), True, Style.DASH))
            return spans
        comma, _ = ends[0]
        spans.append(Span(opening, start + comma, True, Style.DASH))
        following = DASH_SEGMENT.search(text, start + comma)
        if not following:
            return spans
        opening = following.start() + 1
        start = following.end()
