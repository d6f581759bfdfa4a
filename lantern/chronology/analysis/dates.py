"""Calendar arithmetic the analysis needs: month keys, month runs, whole months between dates."""

from __future__ import annotations

import calendar
from datetime import date


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_key_of_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the end of a shorter month (31 Mar - 1 = 28 Feb)."""
    index = month_index(day) + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_months_between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier` to `later` (12 Jan -> 11 Apr is 2, -> 12 Apr is 3)."""
    months = month_index(later) - month_index(earlier)
    if later.day < earlier.day and months > 0:
        months -= 1
    return max(months, 0)
