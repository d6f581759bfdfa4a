"""Dates as published reports write them, reduced to what the facts need: the year."""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
DATE_RE = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\s*,?\s+(?P<year>{_YEAR})"
    rf"|(?P<month2>{_MONTH})\s+(?:(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?(?P<year2>{_YEAR})"
    rf"|(?P<day3>\d{{1,2}})[./](?P<month3>\d{{1,2}})[./](?P<year3>{_YEAR})"
    rf"|(?P<year4>{_YEAR})-(?P<month4>\d{{2}})-(?P<day4>\d{{2}}))\b",
    re.IGNORECASE,
)
YEAR_RE = re.compile(rf"\b{_YEAR}\b")


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    year: int
    month: int | None


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[FoundDate]:
    """Dates with at least a month and a year in text[start:end]."""
    found: list[FoundDate] = []
    for match in DATE_RE.finditer(text, start, len(text) if end is None else end):
        groups = match.groupdict()
        year = groups["year"] or groups["year2"] or groups["year3"] or groups["year4"]
        month_text = groups["month"] or groups["month2"]
        if month_text:
            month: int | None = MONTHS.get(month_text.lower().rstrip("."))
        else:
            month = int(groups["month3"] or groups["month4"])
            if not 1 <= month <= 12:
                continue
        found.append(FoundDate(match.start(), match.end(), int(year), month))
    return found


def find_years(text: str, start: int = 0, end: int | None = None) -> list[FoundDate]:
    """Dates with a month, and bare years ("in 2019"), in text[start:end]."""
    dates = find_dates(text, start, end)
    covered = [(d.start, d.end) for d in dates]
    for match in YEAR_RE.finditer(text, start, len(text) if end is None else end):
        if any(s <= match.start() < e for s, e in covered):
            continue
        dates.append(FoundDate(match.start(), match.end(), int(match.group(0)), None))
    return sorted(dates, key=lambda d: d.start)
