import datetime

import pytest

from people.dates import Precision, age_on, format_partial, iso_partial, truncate

D = datetime.date


@pytest.mark.parametrize(
    "precision, expected",
    [("day", "24 May 2014"), ("month", "May 2014"), ("year", "2014")],
)
def test_a_date_is_written_to_its_precision(precision, expected):
    assert format_partial(D(2014, 5, 24), precision) == expected


def test_an_unknown_date_is_written_as_nothing():
    assert format_partial(None, "day") == ""


def test_truncate_keeps_only_what_is_known():
    assert truncate(D(2014, 5, 24), "month") == D(2014, 5, 1)
    assert truncate(D(2014, 5, 24), "year") == D(2014, 1, 1)
    assert truncate(D(2014, 5, 24), "day") == D(2014, 5, 24)


def test_age_on_a_leap_day_birthday():
    assert age_on(D(2000, 2, 29), D(2001, 2, 28)) == 0
    assert age_on(D(2000, 2, 29), D(2001, 3, 1)) == 1


def test_a_date_is_written_for_machines_as_far_as_it_is_known():
    day = datetime.date(2014, 5, 24)
    assert iso_partial(day, Precision.DAY) == "2014-05-24"
    assert iso_partial(datetime.date(2014, 5, 1), Precision.MONTH) == "2014-05"
    assert iso_partial(datetime.date(1977, 1, 1), Precision.YEAR) == "1977"
    assert iso_partial(datetime.date(33, 1, 1), Precision.YEAR) == "0033"
    assert iso_partial(None, Precision.DAY) is None


@pytest.mark.parametrize(
    "precision, expected", [("day", "2014-05-24"), ("month", "2014-05"), ("year", "2014")]
)
def test_a_partial_date_is_written_in_iso_8601_to_its_precision(precision, expected):
    assert iso_partial(D(2014, 5, 24), precision) == expected
    assert iso_partial(None, precision) is None
