"""The statutory clock for a Domestic Homicide Review.

Two clocks run in a review (2016 statutory guidance; the timescales are configurable because
guidance changes and some partnerships agree longer ones):

* the *decision* clock: the CSP decides whether to hold a review within one calendar month of
  being notified of the death;
* the *completion* clock: the review is completed within six calendar months of that decision,
  plus any extension agreed with the CSP, plus the time it stood paused for a parallel process
  (criminal trial, inquest, IOPC investigation, SAR, CSPR, mental health homicide review).

Everything here is a pure function of dates so the same answer is given by a page, an API call,
a nightly reminder job and a test, and so it can be tested exhaustively without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .dates import _require_date, add_months

__all__ = [
    "Deadline",
    "DeadlineStatus",
    "Extension",
    "Pause",
    "Timescales",
    "completion_deadline",
    "deadline_status",
    "decision_deadline",
    "merge_pauses",
    "paused_days_between",
]

_ONE_DAY = timedelta(days=1)


def _require_non_negative_int(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative (got {value})")


@dataclass(frozen=True)
class Timescales:
    """The configurable lengths of the clocks; the defaults are the 2016 statutory guidance."""

    decision_months: int = 1
    completion_months: int = 6
    due_soon_days: int = 14
    agency_return_working_days: int = 15

    def __post_init__(self) -> None:
        for name in (
            "decision_months",
            "completion_months",
            "due_soon_days",
            "agency_return_working_days",
        ):
            _require_non_negative_int(getattr(self, name), name)


@dataclass(frozen=True)
class Pause:
    """A period when a parallel process stopped the completion clock.

    Both ends are inclusive: a pause from 1 to 10 March stops the clock for ten days.
    ``end=None`` means the pause is still open.
    """

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        _require_date(self.start, "Pause.start")
        if self.end is not None:
            _require_date(self.end, "Pause.end")
            if self.end < self.start:
                raise ValueError(
                    f"Pause end {self.end.isoformat()} is before its start "
                    f"{self.start.isoformat()}; a pause must end on or after the day it starts"
                )

    @property
    def is_open(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class Extension:
    """An extension to the completion date agreed with the CSP: months first, then days."""

    months: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        _require_non_negative_int(self.months, "Extension.months")
        _require_non_negative_int(self.days, "Extension.days")


@dataclass(frozen=True)
class Deadline:
    """A computed deadline and how it was reached, so a page can explain the date it shows."""

    due: date | None  # None while an open pause is stopping the clock
    base_due: date  # before extensions and pauses
    paused_days: int  # days added by (closed) pauses
    paused: bool  # an open pause is stopping the clock
    extended_by: tuple[Extension, ...]


class DeadlineStatus(StrEnum):
    """What :func:`deadline_status` returns; members compare equal to their plain strings."""

    MET = "met"
    MET_LATE = "met_late"
    PAUSED = "paused"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"


def merge_pauses(pauses: Iterable[Pause]) -> tuple[Pause, ...]:
    """Merge overlapping and back-to-back pauses into disjoint ones, sorted by start.

    Joint reviews often record the same stretch twice (an inquest adjourned for a criminal trial,
    a SAR running alongside); the clock must stop once for each day, not once per process. An
    open pause swallows every pause that starts after it.
    """
    merged: list[Pause] = []
    for pause in sorted(pauses, key=lambda p: p.start):
        if merged:
            last = merged[-1]
            if last.end is None:
                continue
            if pause.start <= last.end + _ONE_DAY:
                end = None if pause.end is None else max(last.end, pause.end)
                merged[-1] = Pause(start=last.start, end=end)
                continue
        merged.append(pause)
    return tuple(merged)


def decision_deadline(*, notified: date, timescales: Timescales = Timescales()) -> Deadline:
    """When the CSP must decide whether to hold a review: ``decision_months`` after notification.

    Only the completion clock takes pauses and extensions, so those fields are always empty here.
    """
    _require_date(notified, "notified")
    due = add_months(notified, timescales.decision_months)
    return Deadline(due=due, base_due=due, paused_days=0, paused=False, extended_by=())


def completion_deadline(
    *,
    decided: date,
    timescales: Timescales = Timescales(),
    extensions: Sequence[Extension] = (),
    pauses: Sequence[Pause] = (),
    today: date | None = None,
) -> Deadline:
    """When the review must be completed, after extensions and pauses.

    The base date is ``completion_months`` calendar months after the decision. Each agreed
    extension is then applied in order to the running date (months with month-end clamping, then
    days), because that is how an extension is agreed: "from 29 February to 29 March".

    Pauses are added last. The clock starts on ``decided`` and the due date is the first day on
    which the clock has run out, so a paused day counts when it falls on or after ``decided`` and
    before the (moving) due date: a pause that began before the decision counts only from the
    decision; one that ends before the decision, or starts on or after the due date it would
    have met, counts nothing; one that starts after the original due date but before a date
    already pushed back by earlier pauses does count. Overlapping pauses are merged first.

    If a counted pause is still open nobody can know the due date yet, so ``due`` is ``None`` and
    ``paused`` is True; ``paused_days`` then holds the days added by the closed pauses before it.

    ``today`` is optional. When given, an open pause that starts after ``today`` has not begun:
    the clock is still running today, so it is left out and the due date is the one that holds
    until the pause starts (a closed pause in the future is counted, as its dates are agreed).
    """
    _require_date(decided, "decided")
    if today is not None:
        _require_date(today, "today")
    exts = tuple(extensions)
    base_due = add_months(decided, timescales.completion_months)

    due = base_due
    for ext in exts:
        if not isinstance(ext, Extension):
            raise TypeError(f"extensions must be Extension objects, not {type(ext).__name__}")
        due = add_months(due, ext.months) + timedelta(days=ext.days)

    in_force = [p for p in pauses if not (p.end is None and today is not None and p.start > today)]
    added = 0
    # Sorted and disjoint, so one pass is the fixed point of "add the paused days before the
    # due date until it stops moving": a counted interval pushes the due date past its own end,
    # and an interval that starts on or after the due date means every later one does too.
    for pause in merge_pauses(in_force):
        start = max(pause.start, decided)
        if pause.end is not None and pause.end < start:
            continue  # over before the clock started
        if start >= due:
            break
        if pause.end is None:
            return Deadline(
                due=None, base_due=base_due, paused_days=added, paused=True, extended_by=exts
            )
        length = (pause.end - start).days + 1
        added += length
        due += timedelta(days=length)
    return Deadline(due=due, base_due=base_due, paused_days=added, paused=False, extended_by=exts)


def paused_days_between(*, start: date, end: date, pauses: Sequence[Pause], today: date) -> int:
    """Count the distinct days from ``start`` to ``end`` (both inclusive) covered by a pause.

    For showing how long a review has stood still ("paused for 143 days since the decision"),
    including the pause still running: an open pause is counted up to and including ``today``
    (and not at all if it starts after ``today``). Overlapping pauses count each day once.
    """
    _require_date(start, "start")
    _require_date(end, "end")
    _require_date(today, "today")
    if end < start:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    total = 0
    for pause in merge_pauses(pauses):
        first = max(pause.start, start)
        last = min(today if pause.end is None else pause.end, end)
        if last >= first:
            total += (last - first).days + 1
    return total


def deadline_status(
    *,
    due: date | None,
    today: date,
    done_on: date | None = None,
    due_soon_days: int = 14,
    paused: bool = False,
) -> str:
    """Classify a deadline for dashboards and reminders; returns a :class:`DeadlineStatus`.

    In order: done on or before ``due`` is "met", done after it "met_late" (done while the clock
    was stopped, ``due`` None, is "met": no date was missed); otherwise "paused" while the clock
    is stopped; "overdue" once ``today`` is after ``due``; "due_soon" from ``due_soon_days``
    before ``due`` up to and including the day itself; else "on_track".
    """
    _require_date(today, "today")
    _require_non_negative_int(due_soon_days, "due_soon_days")
    if due is not None:
        _require_date(due, "due")
    if done_on is not None:
        _require_date(done_on, "done_on")
        if due is None or done_on <= due:
            return DeadlineStatus.MET
        return DeadlineStatus.MET_LATE
    if paused:
        return DeadlineStatus.PAUSED
    if due is None:
        raise ValueError(
            "due is None but paused is False: a deadline without a date must be paused"
        )
    if today > due:
        return DeadlineStatus.OVERDUE
    if (due - today).days <= due_soon_days:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.ON_TRACK
