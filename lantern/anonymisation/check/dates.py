"""Exact dates (day, month and year) in every common form; a date of birth when the text says so
("born", "DOB", "date of birth") or when it is the birthday of someone in the register.

A month and year alone ("March 2021") is not a finding: it is what a published report uses
instead. The suggestion for an exact date is its month and year.
"""

from __future__ import annotations

import re
from datetime import date

from lantern.anonymisation.check.findings import DATE_OF_BIRTH, EXACT_DATE, Finding
from lantern.anonymisation.check.register import Register
from lantern.anonymisation.check.text import MONTH_NAMES, MONTHS

_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?:the\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"

WORDY_DMY = re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE)
WORDY_MDY = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE)
NUMERIC = re.compile(
    r"(?<![\d./-])(?P<day>[0-3]?\d)(?P<sep>[/.-])(?P<month>[01]?\d)(?P=sep)(?P<year>(?:19|20)\d{2}|\d{2})(?![\d/-]|\.\d)"
)
ISO = re.compile(r"(?<![\d/-])(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\d-])")
_DOB_CONTEXT = re.compile(
    r"(?:\bborn\b|\bd\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date)[^.\n]{0,60}$", re.IGNORECASE
)


def _year(value: str) -> int:
    if len(value) == 4:
        return int(value)
    number = int(value)
    return 2000 + number if number <= 30 else 1900 + number


def _valid(day: int, month: int, year: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_of(value: str) -> int:
    return MONTHS[value.lower().rstrip(".")]


def _candidates(text: str) -> list[tuple[int, int, date]]:
    found: list[tuple[int, int, date]] = []
    for pattern in (WORDY_DMY, WORDY_MDY):
        for m in pattern.finditer(text):
            d = _valid(int(m.group("day")), _month_of(m.group("month")), int(m.group("year")))
            if d:
                found.append((m.start(), m.end(), d))
    for m in NUMERIC.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if (
            m.group("sep") == "."
            and len(m.group("year")) == 2
            and not text[line_start : m.start()].strip()
        ):
            continue  # "3.4.12 The panel..." is a paragraph number
        d = _valid(int(m.group("day")), int(m.group("month")), _year(m.group("year")))
        if d:
            found.append((m.start(), m.end(), d))
    for m in ISO.finditer(text):
        d = _valid(int(m.group("day")), int(m.group("month")), int(m.group("year")))
        if d:
            found.append((m.start(), m.end(), d))
    return found


def find_dates(text: str, register: Register) -> list[Finding]:
    births = {p.date_of_birth for p in register.people if p.date_of_birth}
    # A register birthday called a birthday gives the date of birth away, whatever the year.
    birthdays = {(b.month, b.day) for b in births}
    out = []
    for start, end, d in _candidates(text):
        before = text[max(0, start - 80) : start]
        near = text[max(0, start - 40) : end + 40].lower()
        is_dob = (
            d in births
            or bool(_DOB_CONTEXT.search(before))
            or ((d.month, d.day) in birthdays and "birthday" in near)
        )
        category = DATE_OF_BIRTH if is_dob else EXACT_DATE
        suggestion = "[date of birth removed]" if is_dob else f"{MONTH_NAMES[d.month - 1]} {d.year}"
        out.append(
            Finding(
                start=start,
                end=end,
                text=text[start:end],
                category=category,
                suggestion=suggestion,
                rule="date",
                priority=70 if is_dob else 65,
            )
        )
    return out
