"""When an action is open, closed, overdue or due soon."""

from __future__ import annotations

from datetime import date

from lantern.recommendations.plan_import.shape import CLOSED_STATUSES, OPEN_STATUSES

__all__ = ["CLOSED_STATUSES", "OPEN_STATUSES", "days_overdue", "is_due_within", "is_overdue"]


def is_overdue(*, status: str, target_date: date | None, as_of: date) -> bool:
    """Overdue: the target date is before `as_of` and the action is not started or in progress."""
    return status in OPEN_STATUSES and target_date is not None and target_date < as_of


def is_due_within(*, status: str, target_date: date | None, as_of: date, days: int) -> bool:
    """Open, not overdue, and due on or before `as_of` + `days`."""
    if status not in OPEN_STATUSES or target_date is None:
        return False
    return 0 <= (target_date - as_of).days <= days


def days_overdue(*, target_date: date | None, as_of: date) -> int:
    if target_date is None:
        return 0
    return max(0, (as_of - target_date).days)
