"""Dates as plans write them: Excel dates, or text in the many ways people type a date.

`read_date` returns (date, note, error): a date; or no date and a note such as "Ongoing" (words
that mean no date yet); or an error message for anything else.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from lantern.recommendations.plan_import.shape import NO_DATE_WORDS, normalise

_EXCEL_EPOCH = date(1899, 12, 30)
_TEXT_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%d-%m-%Y",
    "%Y-%m-%d",
    "%d %B %Y",
    "%d %b %Y",
    "%d %B %y",
    "%d %b %y",
    "%B %d %Y",
)
_MONTH_FORMATS = ("%B %Y", "%b %Y", "%b-%y", "%B-%y", "%m/%Y", "%b %y", "%B %y")
_ORDINAL = re.compile(r"(\d{1,2})(st|nd|rd|th)\b", re.I)
# A date at the start of a "Date of completion and outcome" cell: "12/03/2024 - ...",
# "Completed 12 March 2024: ...", "March 2024. ...".
_LEADING_DATE = re.compile(
    r"^\s*(?:(?:completed|complete|closed|achieved|done)\s*(?:on|in)?\s*[:\-–]?\s*)?"
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9},?\s+\d{2,4}"
    r"|[A-Za-z]{3,9}\s+\d{4})"
    r"(?P<rest>.*)$",
    re.S | re.I,
)
_MONTHS = {m.lower() for m in calendar.month_name if m} | {
    m.lower() for m in calendar.month_abbr if m
}


def _from_text(text: str) -> date | None:
    cleaned = _ORDINAL.sub(r"\1", text.strip()).replace(",", " ")
    cleaned = " ".join(cleaned.split())
    for fmt in _TEXT_FORMATS:
        try:
            found = datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
        if found.year >= 1900:  # "%Y" also reads "25" as the year 25
            return found
    for fmt in _MONTH_FORMATS:
        try:
            first = datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
        if first.year < 1900:
            continue
        # "March 2025" in a target date means by the end of March.
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return None


def read_date(value: object) -> tuple[date | None, str, str]:
    """(date, note, error) for a cell that should hold a date."""
    if value is None:
        return None, "", ""
    if isinstance(value, datetime):
        return value.date(), "", ""
    if isinstance(value, date):
        return value, "", ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date stored as a number in a cell formatted as General.
        if 20000 <= value <= 80000:
            return _EXCEL_EPOCH + timedelta(days=int(value)), "", ""
        return None, "", "This is a number, not a date."
    text = str(value).strip()
    if not text:
        return None, "", ""
    if normalise(text) in NO_DATE_WORDS or text in NO_DATE_WORDS:
        return None, text, ""
    found = _from_text(text)
    if found is None:
        return None, "", "Not a date. Write it as 31/03/2025 or 31 March 2025."
    return found, "", ""


def read_completion(value: object) -> tuple[date | None, str, str]:
    """(completed on, outcome, error) for a "Date of completion and outcome" cell."""
    if value is None:
        return None, "", ""
    if isinstance(value, datetime | date) or (
        isinstance(value, int | float) and not isinstance(value, bool)
    ):
        found, _note, error = read_date(value)
        return found, "", error
    text = str(value).strip()
    if not text:
        return None, "", ""
    match = _LEADING_DATE.match(text)
    if match is None:
        return None, text, ""
    token = match.group("date")
    words = token.lower().split()
    if len(words) == 2 and words[0] not in _MONTHS:
        return None, text, ""  # "Training 2024 ..." is an outcome, not a date
    found = _from_text(token)
    if found is None:
        return None, "", f"“{token}” is not a date. Write it as 31/03/2025 or 31 March 2025."
    rest = match.group("rest").strip()
    rest = re.sub(r"^[\s:;,.\-–—]+", "", rest).strip()
    return found, rest, ""


def completion_text(completed_on: date | None, outcome: str) -> str:
    """The cell the writer makes from a completion date and outcome (read back by the above)."""
    if completed_on and outcome:
        return f"{completed_on:%d/%m/%Y} - {outcome}"
    if completed_on:
        return f"{completed_on:%d/%m/%Y}"
    return outcome
