"""How a quote's caption says how and when it was said, in one wording wherever it shows.

A quote's context often names the day already — the finder keeps “wrote on February 4” as
the story put it — and the context followed by the date would say it twice (“wrote on
February 4, 4 February 2022”). When the context names the day the quote was said, that
mention is written out in full in its place (“wrote on 4 February 2022”) and the date is not
repeated after it.
"""

import datetime
import re
from dataclasses import dataclass

from .quotefinder.dates import DAY_MONTH, MONTH_DAY
from .quotefinder.vocabulary import MONTHS


@dataclass(frozen=True)
class HowAndWhen:
    before: str  # the context up to its mention of the day, or all of it
    after: str = ""  # the context after that mention
    day_in_context: bool = False  # the day stands in the context: not repeated after it


# A year after an abbreviated month's full stop (“4 Feb. 2022”), which the patterns leave out.
YEAR_AFTER = re.compile(r"\.,?\s+(?P<year>\d{4})\b")


def how_and_when(context: str, said_on: datetime.date | None) -> HowAndWhen:
    if said_on is not None:
        for pattern in (MONTH_DAY, DAY_MONTH):
            for match in pattern.finditer(context):
                year, end = match["year"], match.end()
                if year is None and (more := YEAR_AFTER.match(context, end)):
                    year, end = more["year"], more.end()
                if (
                    MONTHS[match["month"]] == said_on.month
                    and int(match["day"]) == said_on.day
                    and (year is None or int(year) == said_on.year)
                ):
                    return HowAndWhen(context[: match.start()], context[end:], True)
    return HowAndWhen(context)
