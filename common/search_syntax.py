"""Web-search syntax read the way readers type it — for the portable (SQLite) search, for
highlighting and for the admin's name searches: words, "exact phrases", -excluded words and
`or` between alternatives.

    kanye "family back" -tiktok        kanye AND the phrase AND NOT tiktok
    divorce or split vogue             (divorce OR split) AND vogue

Nothing here can fail: unbalanced quotes close at the end, lone operators are ignored.
"""

import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Punctuation around a word is not part of it; inside (“co-parent’s”) it is.
EDGES = re.compile(r"^[^\w]+|[^\w]+$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class ParsedQuery:
    groups: list[list[str]] = field(default_factory=list)  # all groups must match, any term
    excluded: list[str] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        return [term for group in self.groups for term in group]

    def __bool__(self) -> bool:
        return bool(self.groups)


def clean(text: str, limit: int) -> tuple[str, bool]:
    """Control characters removed, whitespace collapsed, cut to `limit` at a word boundary."""
    text = " ".join(CONTROL.sub(" ", text or "").split())
    if len(text) <= limit:
        return text, False
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut, True


def parse(text: str) -> ParsedQuery:
    parsed, pending_or = ParsedQuery(), False
    for match in TOKEN.finditer(text):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None:
            negated = word.startswith("-")
            word = EDGES.sub("", word.lstrip("-"))
            if word.lower() == "or" and not negated:
                pending_or = bool(parsed.groups)
                continue
            term = word
        else:
            term = " ".join(EDGES.sub("", w) for w in phrase.split())
            term = " ".join(term.split())
        if not term:
            continue
        if negated:
            parsed.excluded.append(term)
        elif pending_or:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        pending_or = False
    return parsed


def words_of(text: str) -> list[str]:
    """The words a typed search looks for: phrases split into words, excluded words and
    operators left out — `"Kim Kardashian" -kanye or Ye` looks for Kim, Kardashian and Ye."""
    return [word for term in parse(text).terms for word in term.split()]


def highlight(text: str, terms: list[str], *, around: int = 110) -> SafeString:
    """An escaped excerpt of `text` around the first term found, with every term in <mark>."""
    if not text:
        return mark_safe("")
    pattern = (
        re.compile(
            r"\b(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + ")",
            re.IGNORECASE,
        )
        if terms
        else None
    )
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - around) if first else 0
    end = min(len(text), (first.end() if first else 0) + around * 2)
    if start > 0:
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    excerpt = text[start:end]
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(excerpt) if pattern else ():
        parts.append(escape(excerpt[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(excerpt[last:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 — every piece is escaped


def marked(snippet: str, start: str, stop: str) -> SafeString:
    """A database highlight (with `start`/`stop` sentinels round matches) made safe HTML."""
    text = escape(snippet or "")
    return mark_safe(text.replace(start, "<mark>").replace(stop, "</mark>"))  # noqa: S308
