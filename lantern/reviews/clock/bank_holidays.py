"""Bank holidays in England and Wales, from a data file kept in the repository.

Deadlines must not change because a website was down or a library was upgraded, and a review
system must work offline, so the dates are generated once (``scripts/generate_bank_holidays.py``)
into ``bank_holidays_england_wales.json``, reviewed like code, and read from there. One-off
holidays (jubilees, coronations, state funerals) are announced a year or so ahead: regenerate the
file, check the diff against https://www.gov.uk/bank-holidays, and commit it.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from importlib import resources

__all__ = ["BANK_HOLIDAYS_FILE", "bank_holiday_years", "england_and_wales_bank_holidays"]

BANK_HOLIDAYS_FILE = "bank_holidays_england_wales.json"


@lru_cache(maxsize=1)
def _load() -> tuple[range, frozenset[date]]:
    text = resources.files(__package__).joinpath(BANK_HOLIDAYS_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    first, last = data["years"]["first"], data["years"]["last"]
    days = frozenset(date.fromisoformat(day) for day in data["holidays"])
    covered = range(first, last + 1)
    stray = sorted(d for d in days if d.year not in covered)
    if stray:
        raise ValueError(f"{BANK_HOLIDAYS_FILE} lists dates outside {first}-{last}: {stray}")
    return covered, days


def bank_holiday_years() -> range:
    """The years the data file covers, so callers can tell "no holidays" from "no data"."""
    return _load()[0]


def england_and_wales_bank_holidays(years: range | None = None) -> frozenset[date]:
    """Return the bank holidays in England and Wales, optionally only those in ``years``.

    Only weekdays are listed, as on GOV.UK: when Christmas falls on a Sunday the holiday is the
    substitute day. A year outside the data file raises ValueError rather than returning an
    empty set, because silently counting Christmas as a working day is the worse failure.
    """
    covered, days = _load()
    if years is None:
        return days
    if not isinstance(years, range):
        raise TypeError(f"years must be a range, not {type(years).__name__}")
    if len(years) == 0:
        return frozenset()
    missing = [y for y in (min(years), max(years)) if y not in covered]
    if missing:
        raise ValueError(
            f"no bank holiday data for {missing[0]}: {BANK_HOLIDAYS_FILE} covers "
            f"{covered.start}-{covered.stop - 1}; regenerate it with "
            "scripts/generate_bank_holidays.py"
        )
    wanted = set(years)
    return frozenset(d for d in days if d.year in wanted)
