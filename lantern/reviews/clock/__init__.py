"""The statutory clock for Domestic Homicide Reviews, as pure functions of dates.

No Django and no I/O beyond reading the bank holiday data file shipped beside this module, so the
rules can be tested exhaustively in milliseconds and reused by views, the API, reminder tasks and
the CLI alike. See DOMAIN.md section 2 for the rules and the individual modules for the details.
"""

from .bank_holidays import bank_holiday_years, england_and_wales_bank_holidays
from .dates import add_months, add_working_days, is_working_day, next_working_day
from .deadlines import (
    Deadline,
    DeadlineStatus,
    Extension,
    Pause,
    Timescales,
    completion_deadline,
    deadline_status,
    decision_deadline,
    merge_pauses,
    paused_days_between,
)

__all__ = [
    "Deadline",
    "DeadlineStatus",
    "Extension",
    "Pause",
    "Timescales",
    "add_months",
    "add_working_days",
    "bank_holiday_years",
    "completion_deadline",
    "deadline_status",
    "decision_deadline",
    "england_and_wales_bank_holidays",
    "is_working_day",
    "merge_pauses",
    "next_working_day",
    "paused_days_between",
]
