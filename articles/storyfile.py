"""Read a story text file in the archive's format.

    ' date 2022-02-09 Interview'   header: optional leading space, "date", ISO date, kind
    ''
    'Kim Kardashian Admits…'        headline
    ''
    'Kim Kardashian opened up…'     dek (the standfirst)
    ''
    'Sometimes co-parenting…'       body paragraphs, separated by blank lines

Whitespace is normalised (no-break spaces, runs of spaces, hard-wrapped lines, trailing blank
lines, Windows and old Mac line ends); the typography (curly quotes, apostrophes, dashes) is
kept as written. A control character (common/text.py) is refused with its line: it cannot be
seen, and feeds cannot carry it.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.text import slugify

from common.text import describe, first_control_character, normalise_line_ends

from .models import ArticleKind

HEADER = re.compile(r"^\s*date\s+(?P<date>\S+)\s+(?P<kind>\S.*?)\s*$", re.IGNORECASE)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# No-break, figure, narrow no-break and other Unicode spaces, tabs: all become one space.
SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2000-\u200a\u3000]+")
INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
SLUG_LENGTH = 200


class StoryFileError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


@dataclass
class Story:
    published_on: datetime.date
    kind: str
    title: str
    dek: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return slug_for(self.title)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def identity(self) -> tuple[datetime.date, str]:
        """Two files with the same identity are the same story."""
        return (self.published_on, self.slug)


def slug_for(title: str) -> str:
    slug = slugify(title)
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH].rsplit("-", 1)[0]
    return slug


def kind_from_label(label: str) -> str | None:
    value = re.sub(r"[\s_-]+", "_", label.strip().lower())
    return value if value in ArticleKind.values else None


def decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is allowed); StoryFileError names the line of a bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise StoryFileError(
            line, f"not UTF-8 text (byte 0x{data[error.start]:02x} cannot be decoded)"
        ) from None


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", INVISIBLE.sub("", text))
    return SPACES.sub(" ", text).strip()


def paragraphs_with_lines(lines: list[str], first_number: int = 1) -> list[tuple[int, str]]:
    """Blank-line separated paragraphs, each with the line number it starts on."""
    paragraphs: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=first_number):
        if normalise(line):
            if not current:
                start = number
            current.append(line)
        elif current:
            paragraphs.append((start, normalise(" ".join(current))))
            current = []
    if current:
        paragraphs.append((start, normalise(" ".join(current))))
    return paragraphs


def split_lines(text: str) -> list[str]:
    """The file's lines, numbered as an editor's text editor numbers them (line feeds, CR LF or
    CR alone); StoryFileError names the line of a control character."""
    lines = normalise_line_ends(text).split("\n")
    for number, line in enumerate(lines, start=1):
        found = first_control_character(line, lines=True)
        if found is not None:
            position, character = found
            raise StoryFileError(
                number,
                f"remove {describe(character)} at character {position}: control characters "
                "cannot be seen, and feeds cannot carry them",
            )
    return lines


def parse(data: bytes | str) -> Story:
    text = decode(data) if isinstance(data, bytes) else data
    lines = split_lines(text)
    header_index = next((i for i, line in enumerate(lines) if normalise(line)), None)
    if header_index is None:
        raise StoryFileError(1, "the file is empty")

    header_line, header = header_index + 1, normalise(lines[header_index])
    match = HEADER.match(header)
    if match is None:
        raise StoryFileError(
            header_line,
            f"expected a header like “date 2022-02-09 Interview”, found “{shorten(header)}”",
        )
    published_on = parse_date(match["date"], header_line)
    kind = kind_from_label(match["kind"])
    if kind is None:
        known = ", ".join(label for label in ArticleKind.labels)
        raise StoryFileError(
            header_line, f"unknown kind “{shorten(match['kind'])}” (known kinds: {known})"
        )

    blocks = paragraphs_with_lines(lines[header_index + 1 :], first_number=header_line + 1)
    if not blocks:
        raise StoryFileError(header_line, "the header is not followed by a headline")
    headline_line, title = blocks[0]
    if HEADER.match(title):
        raise StoryFileError(headline_line, "a second header where the headline should be")
    if len(title) > 300:
        raise StoryFileError(headline_line, "the headline is longer than 300 characters")
    if not slug_for(title):
        # Web addresses keep only a–z (accents dropped) and digits: other scripts vanish.
        raise StoryFileError(
            headline_line,
            f"the headline “{shorten(title)}” has no letters a–z or digits to make its web "
            "address from: add some, e.g. a name in Latin letters",
        )
    if len(blocks) < 2:
        raise StoryFileError(headline_line, "the headline is not followed by any text")

    return Story(
        published_on=published_on,
        kind=kind,
        title=title,
        dek=blocks[1][1],
        paragraphs=[paragraph for _, paragraph in blocks[2:]],
    )


def parse_date(value: str, line: int) -> datetime.date:
    if not ISO_DATE.match(value):
        raise StoryFileError(line, f"“{shorten(value)}” is not a date in the form YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise StoryFileError(line, f"{value} is not a real date ({error})") from None


def shorten(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
