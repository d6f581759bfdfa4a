"""Calendar arithmetic for statutory and working-day deadlines.

Pure functions over ``datetime.date``: no Django, no I/O, no time zones. Deadlines in a review are
whole days, so everything here refuses ``datetime`` values rather than silently comparing a
timestamp with a date.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

__all__ = ["add_months", "add_working_days", "is_working_day", "next_working_day"]

_SATURDAY = 5


def _require_date(value: object, name: str) -> date:
    # datetime is a subclass of date; letting one through makes "due today" depend on the hour.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
    return value


def add_months(d: date, months: int) -> date:
    """Return ``d`` plus ``months`` calendar months, clamped to the end of a shorter month.

    Statutory guidance counts in calendar months ("within one month of notification"), so the day
    of the month is kept where it exists and otherwise falls back to the last day of the target
    month: 31 Jan + 1 month is 28 Feb (29 Feb in a leap year), never 2 or 3 March. This matches
    ``dateutil.relativedelta`` without the dependency. The clock only runs forwards, so negative
    ``months`` is rejected rather than guessed at.
    """
    _require_date(d, "d")
    if isinstance(months, bool) or not isinstance(months, int):
        raise TypeError(f"months must be an int, not {type(months).__name__}")
    if months < 0:
        raise ValueError(f"months must not be negative (got {months})")
    month_index = d.month - 1 + months
    year = d.year + month_index // 12
    month = month_index % 12 + 1
    if year > date.max.year:
        raise OverflowError(f"{d.isoformat()} + {months} months is beyond the supported calendar")
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def is_working_day(d: date, holidays: frozenset[date] = frozenset()) -> bool:
    """True for a Monday-to-Friday that is not in ``holidays``.

    Agencies' return deadlines ("15 working days") exclude weekends and bank holidays because
    that is when records teams are not there to search files.
    """
    _require_date(d, "d")
    return d.weekday() < _SATURDAY and d not in holidays


def next_working_day(d: date, holidays: frozenset[date] = frozenset()) -> date:
    """Return ``d`` itself if it is a working day, otherwise the first working day after it.

    Used to roll a deadline that lands on a weekend or bank holiday forward to a day someone can
    act on it; a deadline already on a working day stays put.
    """
    _require_date(d, "d")
    while not is_working_day(d, holidays):
        d += timedelta(days=1)
    return d


def add_working_days(start: date, n: int, holidays: frozenset[date] = frozenset()) -> date:
    """Return the ``n``-th working day after ``start`` (``start`` itself is never counted).

    "15 working days from the request" means fifteen weekdays that are not bank holidays, counted
    from the day after the request was sent, so a request sent on a Saturday and one sent on the
    Friday before share the same first working day (Monday). ``n == 0`` returns ``start``
    unchanged.
    """
    _require_date(start, "start")
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"n must not be negative (got {n})")
    d = start
    remaining = n
    while remaining:
        d += timedelta(days=1)
        if is_working_day(d, holidays):
            remaining -= 1
    return d
