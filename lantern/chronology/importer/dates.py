"""Dates and times as agencies write them, read in the UK's day-first order.

`parse_date` takes what a cell holds (a datetime from a date-formatted Excel cell, an Excel
serial number, or text such as "03/03/2021", "3.3.21", "3rd March 2021", "Wed 3 Mar 2021 14:30",
"2021-03-03T14:30", "March 2021") and returns the date, its precision (a month-only date is kept
as the first of the month with precision "month", never invented as a day) and any time of day
written with it. Anything it cannot read for certain raises `DateError` with a message for the
person who has to fix the file: an impossible date (31/02/2021), a date in month/day order, a
date with no year, a year alone, a date in the future, text that is not a date.

`parse_time` reads a separate time column ("14:30", "1430", "2.30pm", an Excel time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

DAY, MONTH = "day", "month"

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = re.compile(
    r"\b(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day|sday|nesday|rsday|urday)?\b"
)
_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 1 is 1 January 1900 (Excel's 1900 leap-year bug)
# Serials read as dates: 18 May 1927 to 31 December 2199. A smaller number in a date column is a
# typing slip (a day, a year, a count), not a date.
_SERIAL_MIN, _SERIAL_MAX = 10_000, 109_574
_EARLIEST_YEAR = 1900


class DateError(ValueError):
    """A date or time that cannot be read for certain; `str()` is the message to show."""


@dataclass(frozen=True)
class ParsedDate:
    date: date
    precision: str = DAY  # "day" or "month" (then `date` is the first of the month)
    time: time | None = None


def excel_serial(value: float) -> datetime:
    """An Excel serial number (1900 date system) as a datetime, to the nearest second."""
    days = int(value)
    seconds = round((value - days) * 86_400)
    if days < 60:  # Excel counts 29 February 1900, which never existed
        days += 1
    return _EXCEL_EPOCH + timedelta(days=days, seconds=seconds)


def _year(text: str, today: date) -> int:
    year = int(text)
    if len(text) == 2:
        # 2-digit years: this century unless that would be in the future.
        year += 2000
        if year > today.year:
            year -= 100
    return year


def _build(year: int, month: int, day: int, original: str) -> date:
    if not 1 <= month <= 12:
        if 1 <= day <= 12 and 13 <= month <= 31:
            raise DateError(
                f"“{original}” reads as month {month}: dates must be day first (dd/mm/yyyy)"
            )
        raise DateError(f"“{original}” has no month {month}")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(
            f"there is no {day} {_MONTH_NAMES[month - 1]} {year} (“{original}”)"
        ) from None


_TIME = re.compile(
    r"""(?:^|[\s,@])                   # after a space, a comma or "@"
        (?P<h>\d{1,2})(?:[:.](?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?)?
        \s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?
        \s*(?:hrs|hours|hr|h)?\s*$""",
    re.VERBOSE,
)


def _time_from_parts(h: int, m: int, s: int, ampm: str | None) -> time | None:
    if ampm:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ampm.startswith("p") else 0)
    if h > 23 or m > 59 or s > 59:
        return None
    return time(h, m, s)


def _split_time(text: str) -> tuple[str, time | None]:
    """'03/03/2021 14:30' -> ('03/03/2021', 14:30). A time needs a colon/dot or am/pm."""
    match = _TIME.search(text)
    if not match:
        return text, None
    if match.group("m") is None and not match.group("ampm"):
        return text, None  # "3 March 2021" must not lose its year to a time
    head = re.sub(r"(\s+at|\s*[,@])\s*$", "", text[: match.start()]).strip()
    if not head or not re.search(r"\d|[a-z]{3}", head):
        return text, None
    h, m, s = int(match.group("h")), int(match.group("m") or 0), int(match.group("s") or 0)
    found = _time_from_parts(h, m, s, match.group("ampm"))
    if found is None:
        raise DateError(f"“{text}” has a time that cannot be read")
    return head, found


_NUMERIC_DMY = re.compile(r"^(\d{1,2})[/.\-\\ ](\d{1,2})[/.\-\\ ](\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC_MY = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2}) ([a-z]+) (\d{4}|\d{2})$")
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+) (\d{1,2}) (\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+) (\d{4}|\d{2})$")
_YEAR_ONLY = re.compile(r"^(\d{4})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:[/.\-](\d{1,2})| ([a-z]+))$")


def _month(name: str, original: str) -> int:
    number = _MONTHS.get(name)
    if number is None:
        raise DateError(f"“{original}” is not a date Lantern can read")
    return number


def _clean(text: str) -> str:
    text = text.strip().lower().replace("\u00a0", " ")
    text = _WEEKDAYS.sub(" ", text)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    text = re.sub(r"\bof\b", " ", text)
    text = re.sub(r"(?<=[a-z])\.", " ", text)  # "Mar. 2021"
    text = re.sub(r"[,]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text


def _from_text(original: str, today: date) -> ParsedDate:
    text = _clean(original)
    if not text:
        raise DateError("the date is empty")
    if text.startswith(("c ", "circa", "approx", "about", "around", "early", "mid", "late")):
        raise DateError(f"“{original}” is not an exact date: give a day or a month and year")
    if re.match(r"^\d{4}-\d{2}-\d{2}t", text):
        text = text.replace("t", " ", 1)
    text, at = _split_time(text)
    text = re.sub(r"(?<=[a-z])-(?=\d)|(?<=\d)-(?=[a-z])", " ", text)  # "3-Mar-21", "Mar-21"
    text = text.strip(" -/")

    if m := _ISO.match(text):
        return ParsedDate(_build(int(m[1]), int(m[2]), int(m[3]), original), DAY, at)
    if m := _NUMERIC_DMY.match(text):
        return ParsedDate(_build(_year(m[3], today), int(m[2]), int(m[1]), original), DAY, at)
    if m := _DAY_MONTH_YEAR.match(text):
        month = _month(m[2], original)
        return ParsedDate(_build(_year(m[3], today), month, int(m[1]), original), DAY, at)
    if m := _MONTH_DAY_YEAR.match(text):
        month = _month(m[1], original)
        return ParsedDate(_build(int(m[3]), month, int(m[2]), original), DAY, at)
    if at is None:
        if m := _MONTH_YEAR.match(text):
            month = _month(m[1], original)
            return ParsedDate(_build(_year(m[2], today), month, 1, original), MONTH)
        if m := _NUMERIC_MY.match(text):
            return ParsedDate(_build(int(m[2]), int(m[1]), 1, original), MONTH)
        if m := _ISO_MONTH.match(text):
            return ParsedDate(_build(int(m[1]), int(m[2]), 1, original), MONTH)
        if m := _COMPACT.match(text):
            return ParsedDate(_build(int(m[1]), int(m[2]), int(m[3]), original), DAY)
        if _SERIAL.match(text):
            return _from_number(float(text), original)
        if _YEAR_ONLY.match(text):
            raise DateError(f"“{original}” is a year only: give at least the month")
        if _DAY_MONTH.match(text):
            raise DateError(f"“{original}” has no year")
    raise DateError(f"“{original}” is not a date Lantern can read")


def _from_number(value: float, original: str) -> ParsedDate:
    if value.is_integer() and _EARLIEST_YEAR <= value <= 2200:
        raise DateError(f"“{original}” is a year only: give at least the month")
    if not _SERIAL_MIN <= value <= _SERIAL_MAX:
        raise DateError(f"“{original}” is a number, not a date")
    moment = excel_serial(value)
    return ParsedDate(moment.date(), DAY, moment.time() if moment.time() != time(0) else None)


def _check_range(parsed: ParsedDate, original: object, today: date) -> ParsedDate:
    if parsed.date.year >= _EARLIEST_YEAR and parsed.date <= today:
        return parsed
    if isinstance(original, date):
        original = f"{original:%d/%m/%Y}"
    if parsed.date.year < _EARLIEST_YEAR:
        raise DateError(f"“{original}” is before {_EARLIEST_YEAR}: check the year")
    raise DateError(f"“{original}” is in the future: check the year")


@lru_cache(maxsize=65_536)
def _text_cached(text: str, today: date) -> ParsedDate:
    return _check_range(_from_text(text, today), text, today)


def parse_date(value: object, *, today: date | None = None) -> ParsedDate:
    """Read a cell as a date (and perhaps a time). Raises DateError."""
    today = today or date.today()
    if value is None:
        raise DateError("the date is empty")
    if isinstance(value, datetime):
        # A date typed into a date-and-time cell shows midnight: that is "no time recorded".
        at = value.time().replace(microsecond=0)
        parsed = ParsedDate(value.date(), DAY, at if at != time(0) else None)
        return _check_range(parsed, value, today)
    if isinstance(value, date):
        return _check_range(ParsedDate(value), value, today)
    if isinstance(value, time):
        raise DateError(f"“{value:%H:%M}” is a time with no date")
    if isinstance(value, bool):
        raise DateError(f"“{value}” is not a date")
    if isinstance(value, int | float):
        return _check_range(_from_number(float(value), str(value)), str(value), today)
    text = str(value).strip()
    if not text:
        raise DateError("the date is empty")
    return _text_cached(text, today)


_TIME_ONLY = re.compile(
    r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d{2})(?::(?P<s>\d{2}))?)?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?"
    r"\s*(?:hrs|hours|hr|h)?$"
)
_TIME_COMPACT = re.compile(r"^(?P<h>\d{2})(?P<m>\d{2})\s*(?:hrs|hours|hr|h)?$")


def parse_time(value: object) -> time | None:
    """Read a time-of-day cell; None when empty. Raises DateError when unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value.replace(microsecond=0)
    if isinstance(value, bool):
        raise DateError(f"“{value}” is not a time")
    if isinstance(value, float) and 0 <= value < 1:
        seconds = round(value * 86_400)
        return time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
    text = str(value).strip().lower()
    if isinstance(value, int) and 0 <= value <= 2359:
        text = f"{value:04d}"
    if not text:
        return None
    return _time_text(text, str(value))


@lru_cache(maxsize=4096)
def _time_text(text: str, original: str) -> time:
    match = _TIME_COMPACT.match(text) or _TIME_ONLY.match(text)
    if match:
        groups = match.groupdict()
        if groups.get("m") is not None or groups.get("ampm"):
            found = _time_from_parts(
                int(groups["h"]),
                int(groups["m"] or 0),
                int(groups.get("s") or 0),
                groups.get("ampm"),
            )
            if found is not None:
                return found
    raise DateError(f"“{original}” is not a time Lantern can read (use 24-hour hh:mm)")
