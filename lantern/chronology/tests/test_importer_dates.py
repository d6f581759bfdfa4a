"""Dates as agencies write them, day first; anything uncertain is refused with a reason."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from lantern.chronology.importer.dates import (
    DAY,
    MONTH,
    DateError,
    ParsedDate,
    excel_serial,
    parse_date,
    parse_time,
)

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # cells Excel typed as dates
        (date(2021, 3, 3), ParsedDate(date(2021, 3, 3))),
        (datetime(2021, 3, 3, 0, 0), ParsedDate(date(2021, 3, 3))),  # midnight: no time given
        (datetime(2021, 3, 3, 14, 30), ParsedDate(date(2021, 3, 3), DAY, time(14, 30))),
        # Excel serial numbers (a number in a date column, or a formula's stored value)
        (44258, ParsedDate(date(2021, 3, 3))),
        (44258.5, ParsedDate(date(2021, 3, 3), DAY, time(12, 0))),
        ("44258", ParsedDate(date(2021, 3, 3))),
        # day first, with every separator
        ("03/03/2021", ParsedDate(date(2021, 3, 3))),
        ("3/3/2021", ParsedDate(date(2021, 3, 3))),
        ("13/03/2021", ParsedDate(date(2021, 3, 13))),
        ("03.03.21", ParsedDate(date(2021, 3, 3))),
        ("3.3.21", ParsedDate(date(2021, 3, 3))),
        ("03-03-2021", ParsedDate(date(2021, 3, 3))),
        ("03/03/99", ParsedDate(date(1999, 3, 3))),  # two-digit years: not in the future
        # ISO
        ("2021-03-03", ParsedDate(date(2021, 3, 3))),
        ("2021-03-03T14:30:00", ParsedDate(date(2021, 3, 3), DAY, time(14, 30))),
        ("20210303", ParsedDate(date(2021, 3, 3))),
        # words
        ("3rd March 2021", ParsedDate(date(2021, 3, 3))),
        ("3 March 2021", ParsedDate(date(2021, 3, 3))),
        ("3rd of March 2021", ParsedDate(date(2021, 3, 3))),
        ("21st Sept 2021", ParsedDate(date(2021, 9, 21))),
        ("Wednesday 3 March 2021", ParsedDate(date(2021, 3, 3))),
        ("Wed, 3rd Mar. 2021", ParsedDate(date(2021, 3, 3))),
        ("March 3rd, 2021", ParsedDate(date(2021, 3, 3))),
        ("3-Mar-21", ParsedDate(date(2021, 3, 3))),
        ("03-Mar-2021", ParsedDate(date(2021, 3, 3))),
        ("  3 MARCH 2021 ", ParsedDate(date(2021, 3, 3))),
        # month only: kept as a month, stored as its first day
        ("March 2021", ParsedDate(date(2021, 3, 1), MONTH)),
        ("Mar 2021", ParsedDate(date(2021, 3, 1), MONTH)),
        ("Mar-21", ParsedDate(date(2021, 3, 1), MONTH)),
        ("03/2021", ParsedDate(date(2021, 3, 1), MONTH)),
        ("2021-03", ParsedDate(date(2021, 3, 1), MONTH)),
        # date and time in one cell
        ("03/03/2021 14:30", ParsedDate(date(2021, 3, 3), DAY, time(14, 30))),
        ("03/03/2021 14:30:15", ParsedDate(date(2021, 3, 3), DAY, time(14, 30, 15))),
        ("03/03/2021 14.30", ParsedDate(date(2021, 3, 3), DAY, time(14, 30))),
        ("03.03.21 09.05", ParsedDate(date(2021, 3, 3), DAY, time(9, 5))),
        ("03/03/2021 2:30pm", ParsedDate(date(2021, 3, 3), DAY, time(14, 30))),
        ("3 March 2021 at 2.30 pm", ParsedDate(date(2021, 3, 3), DAY, time(14, 30))),
        ("3 March 2021, 9am", ParsedDate(date(2021, 3, 3), DAY, time(9, 0))),
        ("03/03/2021 00:00", ParsedDate(date(2021, 3, 3), DAY, time(0, 0))),  # written: kept
        ("03/03/2021 14:30hrs", ParsedDate(date(2021, 3, 3), DAY, time(14, 30))),
    ],
)
def test_dates_agencies_write_are_read(value: object, expected: ParsedDate) -> None:
    assert parse_date(value, today=TODAY) == expected


def test_a_two_digit_year_is_never_read_into_the_future() -> None:
    assert parse_date("03/03/26", today=date(2026, 6, 1)).date == date(2026, 3, 3)
    assert parse_date("03/03/27", today=date(2026, 6, 1)).date == date(1927, 3, 3)
    assert parse_date("3 Mar 99", today=date(2026, 6, 1)).date == date(1999, 3, 3)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2021", "there is no 31 February 2021"),
        ("29/02/2021", "there is no 29 February 2021"),
        ("31/04/2021", "there is no 31 April 2021"),
        ("03/25/2021", "day first"),  # month/day order
        ("00/03/2021", "there is no 0 March 2021"),
        ("soon", "not a date"),
        ("", "empty"),
        ("   ", "empty"),
        (None, "empty"),
        ("03/03", "no year"),
        ("3 March", "no year"),
        ("2021", "year only"),
        ("c. March 2021", "not an exact date"),
        ("early 2021", "not an exact date"),
        ("03/03/2091", "in the future"),
        ("1 January 1850", "before 1900"),
        ("Smarch 2021", "not a date"),
        (time(14, 30), "a time with no date"),
        (True, "not a date"),
        (12, "a number, not a date"),
        (2021, "a year only"),
        ("03/03/2021 25:00", "time that cannot be read"),
        ("#VALUE!", "not a date"),
    ],
)
def test_dates_that_cannot_be_read_for_certain_are_refused(value: object, message: str) -> None:
    with pytest.raises(DateError) as error:
        parse_date(value, today=TODAY)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("14:30", time(14, 30)),
        ("9:05", time(9, 5)),
        ("14.30", time(14, 30)),
        ("1430", time(14, 30)),
        ("1430hrs", time(14, 30)),
        (1430, time(14, 30)),
        ("2:30pm", time(14, 30)),
        ("2pm", time(14, 0)),
        ("12am", time(0, 0)),
        ("14:30:20", time(14, 30, 20)),
        (time(14, 30), time(14, 30)),
        (datetime(1899, 12, 30, 14, 30), time(14, 30)),
        (0.5, time(12, 0)),
    ],
)
def test_times_are_read(value: object, expected: time | None) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize("value", ["25:00", "14:61", "afternoon", "13pm", "2", True])
def test_times_that_cannot_be_read_are_refused(value: object) -> None:
    with pytest.raises(DateError):
        parse_time(value)


def test_excel_serials_follow_excels_calendar() -> None:
    assert excel_serial(1) == datetime(1900, 1, 1)
    assert excel_serial(61) == datetime(1900, 3, 1)  # Excel's phantom 29 February 1900 skipped
    assert excel_serial(45658.75) == datetime(2025, 1, 1, 18, 0)
