"""Dates known only to a year or a month: “2014”, “May 2014”, “24 May 2014”."""

import datetime

from django.db import models


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


PARTIAL_DATE_HELP = (
    "Enter the first day of the month or year when only the month or the year is known, "
    "and set the precision."
)


def precision_field() -> "models.CharField[str, str]":
    """How much of the date beside it is known (a year-only date is never 1 January)."""
    return models.CharField(
        "known to the", max_length=5, choices=Precision.choices, default=Precision.DAY
    )


def truncate(value: datetime.date | None, precision: str) -> datetime.date | None:
    """The first day of the period a partial date stands for, so such dates sort and compare."""
    if value is None:
        return None
    if precision == Precision.YEAR:
        return value.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return value.replace(day=1)
    return value


def format_partial(value: datetime.date | None, precision: str) -> str:
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return str(value.year)
    if precision == Precision.MONTH:
        return f"{value:%B} {value.year}"
    return f"{value.day} {value:%B} {value.year}"


def iso_partial(value: datetime.date | None, precision: str) -> str | None:
    """The date as ISO 8601 writes a date known only so far, for machines: “2014”,
    “2014-05”, “2014-05-24” — a year-only date never reads as 1 January."""
    if value is None:
        return None
    length = {str(Precision.YEAR): 4, str(Precision.MONTH): 7}.get(precision, 10)
    return value.isoformat()[:length]


def age_on(born_on: datetime.date | None, day: datetime.date | None) -> int | None:
    if born_on is None or day is None or day < born_on:
        return None
    return day.year - born_on.year - ((day.month, day.day) < (born_on.month, born_on.day))
