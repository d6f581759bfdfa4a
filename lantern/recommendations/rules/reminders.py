"""Which reminder an action's owner is due, given its target date and today.

Reminders come in stages: so many days before the target date ("before_28", "before_7"), and
so many days after it ("after_1" is the day after the target date, when the action became
overdue; "after_28" four weeks on). On any day an action is at the latest stage it has reached;
that stage's reminder is sent once, and never after a later stage's has gone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta


def stages(*, before_days: Sequence[int], after_days: Sequence[int]) -> list[str]:
    """Every stage, earliest first."""
    before = [f"before_{d}" for d in sorted(set(before_days), reverse=True) if d >= 0]
    after = [f"after_{d}" for d in sorted(set(after_days)) if d >= 1]
    return before + after


def stage_rank(stage: str, *, before_days: Sequence[int], after_days: Sequence[int]) -> int:
    order = stages(before_days=before_days, after_days=after_days)
    return order.index(stage) if stage in order else -1


def stage_reached(
    *, target: date, as_of: date, before_days: Sequence[int], after_days: Sequence[int]
) -> str | None:
    """The latest stage reached on `as_of`, or None when no reminder is due yet."""
    reached = None
    for stage in stages(before_days=before_days, after_days=after_days):
        kind, days = stage.split("_")
        offset = timedelta(days=int(days))
        starts = target - offset if kind == "before" else target + offset
        if as_of >= starts:
            reached = stage
    return reached


def is_overdue_stage(stage: str) -> bool:
    return stage.startswith("after_")
