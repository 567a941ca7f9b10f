"""The day an attribution gives (“wrote on February 4”, “said on Monday”), in the year that puts
it on or before the story's date."""

import datetime
import re
from enum import Enum

from .vocabulary import MONTHS, WEEKDAYS, words_pattern

MONTH = rf"(?P<month>{words_pattern(MONTHS)})"
MONTH_DAY = re.compile(
    rf"\b{MONTH}\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}}))?"
)
DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}\b(?:,?\s+(?P<year>\d{{4}}))?"
)
WEEKDAY = re.compile(rf"\b(?:on|last)\s+(?P<weekday>{'|'.join(WEEKDAYS)})\b")
RELATIVE_DAY = re.compile(r"\b(?P<word>yesterday|today)\b")


class DayWord(Enum):
    DATE = "date"
    WEEKDAY = "weekday"
    RELATIVE = "relative"


def date_in(text: str, published_on: datetime.date) -> datetime.date | None:
    found = []
    for pattern in (MONTH_DAY, DAY_MONTH):
        found += [(match.start(), DayWord.DATE, match) for match in pattern.finditer(text)]
    found += [(match.start(), DayWord.WEEKDAY, match) for match in WEEKDAY.finditer(text)]
    found += [(match.start(), DayWord.RELATIVE, match) for match in RELATIVE_DAY.finditer(text)]
    for _, kind, match in sorted(found, key=lambda item: item[0]):
        if kind == DayWord.WEEKDAY:
            back = (published_on.weekday() - WEEKDAYS.index(match["weekday"])) % 7
            return published_on - datetime.timedelta(days=back)
        if kind == DayWord.RELATIVE:
            days = 1 if match["word"] == "yesterday" else 0
            return published_on - datetime.timedelta(days=days)
        month, day = MONTHS[match["month"]], int(match["day"])
        year = int(match["year"]) if match["year"] else published_on.year
        try:
            date = datetime.date(year, month, day)
            if not match["year"] and date > published_on:
                date = datetime.date(year - 1, month, day)
        except ValueError:
            continue
        return date
    return None
