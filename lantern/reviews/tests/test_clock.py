"""Table-driven and property tests for the statutory clock (lantern.reviews.clock).

No database and no Django: the clock is pure, so these run with ``-p no:django``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.reviews import clock
from lantern.reviews.clock import (
    Deadline,
    DeadlineStatus,
    Extension,
    Pause,
    Timescales,
    add_months,
    add_working_days,
    bank_holiday_years,
    completion_deadline,
    deadline_status,
    decision_deadline,
    england_and_wales_bank_holidays,
    is_working_day,
    merge_pauses,
    next_working_day,
    paused_days_between,
)

D = date.fromisoformat
BH = england_and_wales_bank_holidays()
# No database of examples on disk, and no per-example deadline (the first run imports a lot).
PROPERTY = settings(database=None, deadline=None, max_examples=300)


def P(start: str, end: str | None = None) -> Pause:
    return Pause(start=D(start), end=None if end is None else D(end))


# --------------------------------------------------------------------------- add_months


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        # month ends clamp, leap and non-leap
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2023-08-31", 6, "2024-02-29"),
        ("2022-08-31", 6, "2023-02-28"),
        ("2023-11-30", 3, "2024-02-29"),
        ("2022-11-30", 3, "2023-02-28"),
        ("2024-03-31", 1, "2024-04-30"),
        ("2024-05-31", 6, "2024-11-30"),
        ("2024-01-31", 13, "2025-02-28"),
        ("2024-10-31", 4, "2025-02-28"),
        ("2024-01-30", 1, "2024-02-29"),
        ("2024-01-29", 1, "2024-02-29"),
        ("2023-01-29", 1, "2023-02-28"),
        # a short month does not stretch to the longer month's end
        ("2024-06-30", 1, "2024-07-30"),
        ("2024-02-28", 1, "2024-03-28"),
        ("2023-02-28", 1, "2023-03-28"),
        # 29 February forward
        ("2024-02-29", 1, "2024-03-29"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2024-02-29", 6, "2024-08-29"),
        # century rules: 2000 is a leap year, 2100 is not
        ("2000-01-31", 1, "2000-02-29"),
        ("2099-12-31", 2, "2100-02-28"),
        # December -> January year rollover
        ("2024-12-15", 1, "2025-01-15"),
        ("2024-12-31", 1, "2025-01-31"),
        ("2024-12-31", 2, "2025-02-28"),
        ("2024-07-31", 6, "2025-01-31"),
        ("2024-11-01", 2, "2025-01-01"),
        ("2024-01-01", 24, "2026-01-01"),
        ("2024-06-15", 18, "2025-12-15"),
        # zero months is the identity
        ("2024-01-15", 0, "2024-01-15"),
        ("2024-02-29", 0, "2024-02-29"),
    ],
)
def test_add_months(start: str, months: int, expected: str) -> None:
    assert add_months(D(start), months) == D(expected)


def test_add_months_rejects_negative_months() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        add_months(D("2024-01-31"), -1)


@pytest.mark.parametrize("months", [1.0, "1", True, None])
def test_add_months_rejects_non_int_months(months: object) -> None:
    with pytest.raises(TypeError):
        add_months(D("2024-01-31"), months)  # type: ignore[arg-type]


def test_add_months_rejects_datetime() -> None:
    with pytest.raises(TypeError, match="datetime.date"):
        add_months(datetime(2024, 1, 31, 12, 0), 1)


# --------------------------------------------------------------------------- decision deadline


@pytest.mark.parametrize(
    ("notified", "timescales", "expected"),
    [
        ("2024-03-15", Timescales(), "2024-04-15"),
        ("2024-01-31", Timescales(), "2024-02-29"),
        ("2023-01-31", Timescales(), "2023-02-28"),
        ("2024-12-31", Timescales(), "2025-01-31"),
        ("2024-12-01", Timescales(), "2025-01-01"),
        ("2024-03-31", Timescales(), "2024-04-30"),
        ("2024-02-29", Timescales(), "2024-03-29"),
        ("2024-12-31", Timescales(decision_months=2), "2025-02-28"),
        ("2024-01-10", Timescales(decision_months=0), "2024-01-10"),
    ],
)
def test_decision_deadline(notified: str, timescales: Timescales, expected: str) -> None:
    result = decision_deadline(notified=D(notified), timescales=timescales)
    assert result == Deadline(
        due=D(expected), base_due=D(expected), paused_days=0, paused=False, extended_by=()
    )


def test_default_timescales_are_the_2016_guidance() -> None:
    assert Timescales() == Timescales(
        decision_months=1, completion_months=6, due_soon_days=14, agency_return_working_days=15
    )


@pytest.mark.parametrize(
    "field",
    ["decision_months", "completion_months", "due_soon_days", "agency_return_working_days"],
)
def test_timescales_reject_negative_values(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        Timescales(**{field: -1})


# --------------------------------------------------------------------------- completion deadline

# Decided 10 January 2024: the base due date is 10 July 2024 (182 clock days).
DECIDED = "2024-01-10"

COMPLETION_CASES = [
    # id, decided, extensions, pauses, today, expected due (None = paused), paused_days, paused
    ("no pauses", DECIDED, (), (), None, "2024-07-10", 0, False),
    (
        "one closed pause",
        DECIDED,
        (),
        (P("2024-03-01", "2024-03-10"),),
        None,
        "2024-07-20",
        10,
        False,
    ),
    (
        "single-day pause",
        DECIDED,
        (),
        (P("2024-03-01", "2024-03-01"),),
        None,
        "2024-07-11",
        1,
        False,
    ),
    (
        "two disjoint pauses",
        DECIDED,
        (),
        (P("2024-03-01", "2024-03-10"), P("2024-05-01", "2024-05-05")),
        None,
        "2024-07-25",
        15,
        False,
    ),
    (
        "overlapping pauses count each day once",
        DECIDED,
        (),
        (P("2024-03-01", "2024-03-10"), P("2024-03-05", "2024-03-20")),
        None,
        "2024-07-30",
        20,
        False,
    ),
    (
        "back-to-back pauses",
        DECIDED,
        (),
        (P("2024-03-01", "2024-03-10"), P("2024-03-11", "2024-03-15")),
        None,
        "2024-07-25",
        15,
        False,
    ),
    (
        "pause inside another",
        DECIDED,
        (),
        (P("2024-03-01", "2024-03-31"), P("2024-03-10", "2024-03-12")),
        None,
        "2024-08-10",
        31,
        False,
    ),
    (
        "same pause recorded twice (joint review)",
        DECIDED,
        (),
        (P("2024-03-01", "2024-03-10"), P("2024-03-01", "2024-03-10")),
        None,
        "2024-07-20",
        10,
        False,
    ),
    (
        "three overlapping pauses given out of order",
        DECIDED,
        (),
        (
            P("2024-04-01", "2024-04-30"),
            P("2024-03-20", "2024-04-05"),
            P("2024-04-25", "2024-05-10"),
        ),
        None,
        "2024-08-31",
        52,
        False,
    ),
    (
        "pause ending before the decision",
        DECIDED,
        (),
        (P("2023-12-01", "2024-01-09"),),
        None,
        "2024-07-10",
        0,
        False,
    ),
    (
        "pause straddling the decision counts from the decision",
        DECIDED,
        (),
        (P("2023-12-01", "2024-01-19"),),
        None,
        "2024-07-20",
        10,
        False,
    ),
    (
        "pause starting on the decision date",
        DECIDED,
        (),
        (P("2024-01-10", "2024-01-10"),),
        None,
        "2024-07-11",
        1,
        False,
    ),
    (
        "pause after the due date",
        DECIDED,
        (),
        (P("2024-08-01", "2024-08-31"),),
        None,
        "2024-07-10",
        0,
        False,
    ),
    (
        "pause starting on the due date",
        DECIDED,
        (),
        (P("2024-07-10", "2024-07-20"),),
        None,
        "2024-07-10",
        0,
        False,
    ),
    (
        "pause starting the day before the due date counts in full",
        DECIDED,
        (),
        (P("2024-07-09", "2024-07-20"),),
        None,
        "2024-07-22",
        12,
        False,
    ),
    (
        "pause running across the due date counts in full",
        DECIDED,
        (),
        (P("2024-06-20", "2024-07-30"),),
        None,
        "2024-08-20",
        41,
        False,
    ),
    (
        "later pause inside the window an earlier pause opened",
        DECIDED,
        (),
        (P("2024-06-01", "2024-06-30"), P("2024-07-20", "2024-07-29")),
        None,
        "2024-08-19",
        40,
        False,
    ),
    (
        "later pause starting on the already-moved due date counts nothing",
        DECIDED,
        (),
        (P("2024-06-01", "2024-06-30"), P("2024-08-09", "2024-08-15")),
        None,
        "2024-08-09",
        30,
        False,
    ),
    (
        "later pause starting the day before the moved due date",
        DECIDED,
        (),
        (P("2024-06-01", "2024-06-30"), P("2024-08-08", "2024-08-10")),
        None,
        "2024-08-12",
        33,
        False,
    ),
    (
        "cascade: each pause opens the window for the next",
        DECIDED,
        (),
        (
            P("2024-06-01", "2024-06-30"),
            P("2024-08-01", "2024-08-10"),
            P("2024-08-15", "2024-08-16"),
            P("2024-08-25", "2024-08-31"),
        ),
        None,
        "2024-08-21",
        42,
        False,
    ),
    (
        "pause across new year",
        "2024-09-01",
        (),
        (P("2024-12-20", "2025-01-05"),),
        None,
        "2025-03-18",
        17,
        False,
    ),
    (
        "pause over 29 February",
        "2023-12-01",
        (),
        (P("2024-02-28", "2024-03-01"),),
        None,
        "2024-06-04",
        3,
        False,
    ),
    (
        "pause over 28 Feb-1 Mar, no leap day",
        "2022-12-01",
        (),
        (P("2023-02-28", "2023-03-01"),),
        None,
        "2023-06-03",
        2,
        False,
    ),
    # open pauses
    ("open pause stops the clock", DECIDED, (), (P("2024-03-01"),), None, None, 0, True),
    (
        "open pause after a closed one keeps the closed days",
        DECIDED,
        (),
        (P("2024-03-01", "2024-03-10"), P("2024-05-01")),
        None,
        None,
        10,
        True,
    ),
    ("trial pending at the decision", DECIDED, (), (P("2023-11-01"),), None, None, 0, True),
    (
        "open pause after the due date counts nothing",
        DECIDED,
        (),
        (P("2024-08-01"),),
        None,
        "2024-07-10",
        0,
        False,
    ),
    (
        "open pause starting on the due date counts nothing",
        DECIDED,
        (),
        (P("2024-07-10"),),
        None,
        "2024-07-10",
        0,
        False,
    ),
    (
        "open pause inside a window opened by a closed pause",
        DECIDED,
        (),
        (P("2024-06-01", "2024-06-30"), P("2024-07-15")),
        None,
        None,
        30,
        True,
    ),
    (
        "open pause overlapping a closed one merges into it",
        DECIDED,
        (),
        (P("2024-03-01", "2024-03-10"), P("2024-03-05")),
        None,
        None,
        0,
        True,
    ),
    (
        "open pause not yet started (today before it) leaves the clock running",
        DECIDED,
        (),
        (P("2024-03-01"),),
        "2024-02-01",
        "2024-07-10",
        0,
        False,
    ),
    (
        "open pause starting today stops the clock",
        DECIDED,
        (),
        (P("2024-03-01"),),
        "2024-03-01",
        None,
        0,
        True,
    ),
    (
        "open pause that began before today",
        DECIDED,
        (),
        (P("2024-03-01"),),
        "2024-06-01",
        None,
        0,
        True,
    ),
    (
        "future closed pause is counted even before it starts",
        DECIDED,
        (),
        (P("2024-03-01", "2024-03-10"),),
        "2024-02-01",
        "2024-07-20",
        10,
        False,
    ),
    # extensions
    ("extension in months", DECIDED, (Extension(months=2),), (), None, "2024-09-10", 0, False),
    ("extension in days", DECIDED, (Extension(days=30),), (), None, "2024-08-09", 0, False),
    (
        "extension in months and days",
        DECIDED,
        (Extension(months=1, days=15),),
        (),
        None,
        "2024-08-25",
        0,
        False,
    ),
    (
        "two extensions in order",
        DECIDED,
        (Extension(months=1), Extension(days=10)),
        (),
        None,
        "2024-08-20",
        0,
        False,
    ),
    ("empty extension", DECIDED, (Extension(),), (), None, "2024-07-10", 0, False),
    (
        "extension clamps at a month end",
        "2023-08-31",
        (Extension(months=1),),
        (),
        None,
        "2024-03-29",
        0,
        False,
    ),
    (
        "extensions apply to the running date",
        "2023-08-31",
        (Extension(months=1), Extension(months=1)),
        (),
        None,
        "2024-04-29",
        0,
        False,
    ),
    (
        "extension from 28 Feb in a non-leap year",
        "2022-08-31",
        (Extension(months=1),),
        (),
        None,
        "2023-03-28",
        0,
        False,
    ),
    (
        "extension across new year",
        "2024-07-10",
        (Extension(months=1),),
        (),
        None,
        "2025-02-10",
        0,
        False,
    ),
    (
        "days extension across new year",
        "2024-06-20",
        (Extension(days=14),),
        (),
        None,
        "2025-01-03",
        0,
        False,
    ),
    (
        "pause inside the extended window counts",
        DECIDED,
        (Extension(months=2),),
        (P("2024-08-01", "2024-08-10"),),
        None,
        "2024-09-20",
        10,
        False,
    ),
    (
        "pause after the extended due date counts nothing",
        DECIDED,
        (Extension(months=2),),
        (P("2024-09-10", "2024-09-20"),),
        None,
        "2024-09-10",
        0,
        False,
    ),
    (
        "open pause inside the extended window stops the clock",
        DECIDED,
        (Extension(days=30),),
        (P("2024-07-20"),),
        None,
        None,
        0,
        True,
    ),
    # base date month ends
    ("decided 31 August, leap February", "2023-08-31", (), (), None, "2024-02-29", 0, False),
    ("decided 31 August, plain February", "2022-08-31", (), (), None, "2023-02-28", 0, False),
    ("decided 31 December", "2024-12-31", (), (), None, "2025-06-30", 0, False),
    ("decided 31 July, due in the new year", "2024-07-31", (), (), None, "2025-01-31", 0, False),
    ("decided 29 February", "2024-02-29", (), (), None, "2024-08-29", 0, False),
]


@pytest.mark.parametrize(
    ("decided", "extensions", "pauses", "today", "due", "paused_days", "paused"),
    [pytest.param(*case[1:], id=case[0]) for case in COMPLETION_CASES],
)
def test_completion_deadline(
    decided: str,
    extensions: tuple[Extension, ...],
    pauses: tuple[Pause, ...],
    today: str | None,
    due: str | None,
    paused_days: int,
    paused: bool,
) -> None:
    result = completion_deadline(
        decided=D(decided),
        extensions=extensions,
        pauses=pauses,
        today=None if today is None else D(today),
    )
    assert result.due == (None if due is None else D(due))
    assert result.paused_days == paused_days
    assert result.paused is paused
    assert result.base_due == add_months(D(decided), 6)
    assert result.extended_by == tuple(extensions)


def test_completion_deadline_configurable_months() -> None:
    result = completion_deadline(decided=D(DECIDED), timescales=Timescales(completion_months=9))
    assert result.due == result.base_due == D("2024-10-10")


def test_completion_deadline_accepts_lists() -> None:
    result = completion_deadline(
        decided=D(DECIDED),
        extensions=[Extension(months=1)],
        pauses=[P("2024-03-01", "2024-03-10")],
    )
    assert result == Deadline(
        due=D("2024-08-20"),
        base_due=D("2024-07-10"),
        paused_days=10,
        paused=False,
        extended_by=(Extension(months=1),),
    )


def test_closing_an_open_pause_gives_a_due_date() -> None:
    open_ = completion_deadline(decided=D(DECIDED), pauses=[P("2024-03-01")])
    closed = completion_deadline(decided=D(DECIDED), pauses=[P("2024-03-01", "2024-03-31")])
    assert (open_.due, open_.paused) == (None, True)
    assert (closed.due, closed.paused, closed.paused_days) == (D("2024-08-10"), False, 31)


# --------------------------------------------------------------------------- validation


def test_pause_ending_before_it_starts_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"Pause end 2024-03-01 is before its start 2024-03-10"):
        Pause(start=D("2024-03-10"), end=D("2024-03-01"))


def test_single_day_pause_is_allowed() -> None:
    assert Pause(start=D("2024-03-10"), end=D("2024-03-10")).end == D("2024-03-10")


def test_pause_rejects_datetimes() -> None:
    with pytest.raises(TypeError, match="Pause.start"):
        Pause(start=datetime(2024, 3, 10, 9, 0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Pause.end"):
        Pause(start=D("2024-03-10"), end="2024-03-11")  # type: ignore[arg-type]


@pytest.mark.parametrize(("months", "days"), [(-1, 0), (0, -1), (-2, -3)])
def test_negative_extension_is_rejected(months: int, days: int) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        Extension(months=months, days=days)


def test_negative_completion_months_is_rejected() -> None:
    with pytest.raises(ValueError, match="completion_months"):
        completion_deadline(decided=D(DECIDED), timescales=Timescales(completion_months=-6))


def test_completion_rejects_non_extensions() -> None:
    with pytest.raises(TypeError, match="Extension"):
        completion_deadline(decided=D(DECIDED), extensions=[30])  # type: ignore[list-item]


def test_dataclasses_are_frozen() -> None:
    pause = P("2024-03-01")
    with pytest.raises(AttributeError):
        pause.end = D("2024-03-02")  # type: ignore[misc]


# --------------------------------------------------------------------------- merge_pauses


@pytest.mark.parametrize(
    ("pauses", "expected"),
    [
        ((), ()),
        ((P("2024-03-01", "2024-03-10"),), (P("2024-03-01", "2024-03-10"),)),
        (
            (P("2024-05-01", "2024-05-02"), P("2024-03-01", "2024-03-10")),
            (P("2024-03-01", "2024-03-10"), P("2024-05-01", "2024-05-02")),
        ),
        (
            (P("2024-03-01", "2024-03-10"), P("2024-03-11", "2024-03-12")),
            (P("2024-03-01", "2024-03-12"),),
        ),
        (
            (P("2024-03-01", "2024-03-10"), P("2024-03-12", "2024-03-13")),
            (P("2024-03-01", "2024-03-10"), P("2024-03-12", "2024-03-13")),
        ),
        (
            (P("2024-03-01", "2024-03-31"), P("2024-03-05", "2024-03-06")),
            (P("2024-03-01", "2024-03-31"),),
        ),
        ((P("2024-03-01", "2024-03-10"), P("2024-03-05")), (P("2024-03-01"),)),
        ((P("2024-03-01"), P("2024-04-01", "2024-04-10")), (P("2024-03-01"),)),
        ((P("2024-03-01", "2024-03-10"), P("2024-03-11")), (P("2024-03-01"),)),
    ],
)
def test_merge_pauses(pauses: tuple[Pause, ...], expected: tuple[Pause, ...]) -> None:
    assert merge_pauses(pauses) == expected


# --------------------------------------------------------------------------- paused_days_between


@pytest.mark.parametrize(
    ("pauses", "start", "end", "today", "expected"),
    [
        ((), "2024-01-10", "2024-07-10", "2024-12-31", 0),
        ((P("2024-03-01", "2024-03-10"),), "2024-01-10", "2024-07-10", "2024-12-31", 10),
        (
            (P("2024-03-01", "2024-03-10"), P("2024-03-05", "2024-03-20")),
            "2024-01-10",
            "2024-07-10",
            "2024-12-31",
            20,
        ),
        ((P("2023-12-01", "2024-01-09"),), "2024-01-10", "2024-07-10", "2024-12-31", 0),
        ((P("2023-12-01", "2024-01-19"),), "2024-01-10", "2024-07-10", "2024-12-31", 10),
        ((P("2024-07-05", "2024-07-20"),), "2024-01-10", "2024-07-10", "2024-12-31", 6),
        ((P("2024-07-01"),), "2024-01-10", "2024-07-10", "2024-07-05", 5),
        ((P("2024-07-01"),), "2024-01-10", "2024-07-03", "2024-07-05", 3),
        ((P("2024-07-01"),), "2024-01-10", "2024-07-10", "2024-07-01", 1),
        ((P("2024-07-01"),), "2024-01-10", "2024-07-10", "2024-06-30", 0),
        (
            (P("2024-03-01", "2024-03-10"), P("2024-03-08")),
            "2024-01-10",
            "2024-12-31",
            "2024-03-31",
            31,
        ),
        ((P("2024-03-01", "2024-03-01"),), "2024-03-01", "2024-03-01", "2024-03-01", 1),
    ],
)
def test_paused_days_between(
    pauses: tuple[Pause, ...], start: str, end: str, today: str, expected: int
) -> None:
    assert (
        paused_days_between(start=D(start), end=D(end), pauses=pauses, today=D(today)) == expected
    )


def test_paused_days_between_rejects_reversed_range() -> None:
    with pytest.raises(ValueError, match="before start"):
        paused_days_between(
            start=D("2024-02-01"), end=D("2024-01-01"), pauses=(), today=D("2024-03-01")
        )


# --------------------------------------------------------------------------- deadline_status

DUE = "2024-07-10"


@pytest.mark.parametrize(
    ("due", "today", "done_on", "due_soon_days", "paused", "expected"),
    [
        pytest.param(DUE, "2024-07-10", None, 14, False, "due_soon", id="due today is due soon"),
        pytest.param(DUE, "2024-07-11", None, 14, False, "overdue", id="day after due is overdue"),
        pytest.param(DUE, "2025-01-01", None, 14, False, "overdue", id="long overdue"),
        pytest.param(DUE, "2024-06-26", None, 14, False, "due_soon", id="exactly 14 days out"),
        pytest.param(DUE, "2024-06-25", None, 14, False, "on_track", id="15 days out"),
        pytest.param(DUE, "2024-01-10", None, 14, False, "on_track", id="months out"),
        pytest.param(DUE, "2024-07-10", None, 0, False, "due_soon", id="window 0, due today"),
        pytest.param(DUE, "2024-07-09", None, 0, False, "on_track", id="window 0, day before"),
        pytest.param(DUE, "2024-06-10", None, 30, False, "due_soon", id="window 30"),
        pytest.param(DUE, "2024-07-20", "2024-07-10", 14, False, "met", id="done exactly on due"),
        pytest.param(DUE, "2024-07-20", "2024-07-01", 14, False, "met", id="done early"),
        pytest.param(DUE, "2024-07-20", "2024-07-11", 14, False, "met_late", id="done a day late"),
        pytest.param(DUE, "2024-06-01", "2024-06-01", 14, False, "met", id="done before due soon"),
        pytest.param(None, "2024-07-20", None, 14, True, "paused", id="paused without a date"),
        pytest.param(DUE, "2024-08-20", None, 14, True, "paused", id="paused beats overdue"),
        pytest.param(None, "2024-07-20", "2024-07-01", 14, True, "met", id="done while paused"),
        pytest.param(
            DUE, "2024-07-20", "2024-07-15", 14, True, "met_late", id="done wins over paused"
        ),
    ],
)
def test_deadline_status(
    due: str | None,
    today: str,
    done_on: str | None,
    due_soon_days: int,
    paused: bool,
    expected: str,
) -> None:
    status = deadline_status(
        due=None if due is None else D(due),
        today=D(today),
        done_on=None if done_on is None else D(done_on),
        due_soon_days=due_soon_days,
        paused=paused,
    )
    assert status == expected
    assert isinstance(status, str)
    assert status is DeadlineStatus(expected)


def test_deadline_status_without_date_must_be_paused() -> None:
    with pytest.raises(ValueError, match="paused"):
        deadline_status(due=None, today=D("2024-07-10"))


def test_deadline_status_rejects_negative_window() -> None:
    with pytest.raises(ValueError, match="due_soon_days"):
        deadline_status(due=D(DUE), today=D("2024-07-10"), due_soon_days=-1)


def test_status_of_a_computed_deadline() -> None:
    deadline = completion_deadline(decided=D(DECIDED), pauses=[P("2024-03-01")])
    assert (
        deadline_status(due=deadline.due, today=D("2025-01-01"), paused=deadline.paused) == "paused"
    )
    deadline = completion_deadline(decided=D(DECIDED), pauses=[P("2024-03-01", "2024-03-10")])
    assert (
        deadline_status(due=deadline.due, today=D("2024-07-20"), paused=deadline.paused)
        == "due_soon"
    )
    assert (
        deadline_status(due=deadline.due, today=D("2024-07-21"), paused=deadline.paused)
        == "overdue"
    )


# --------------------------------------------------------------------------- working days


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2024-06-03", 0, "2024-06-03"),  # Monday, zero days
        ("2024-06-08", 0, "2024-06-08"),  # Saturday, zero days is still the start
        ("2024-06-03", 1, "2024-06-04"),  # Monday -> Tuesday
        ("2024-06-07", 1, "2024-06-10"),  # Friday -> Monday
        ("2024-06-08", 1, "2024-06-10"),  # Saturday -> Monday
        ("2024-06-09", 1, "2024-06-10"),  # Sunday -> Monday
        ("2024-06-03", 5, "2024-06-10"),
        ("2024-06-03", 15, "2024-06-24"),  # the default agency return, no bank holidays
        ("2024-06-08", 5, "2024-06-14"),  # Saturday + 5 -> Friday
        # Christmas and Boxing Day 2024 (Wed, Thu), New Year's Day 2025 (Wed)
        ("2024-12-24", 1, "2024-12-27"),
        ("2024-12-23", 5, "2025-01-02"),
        ("2024-12-16", 15, "2025-01-09"),
        # Christmas 2022 fell on a Sunday: the substitute days are Mon 26 and Tue 27 Dec
        ("2022-12-23", 1, "2022-12-28"),
        ("2022-12-23", 2, "2022-12-29"),
        # Easter: Good Friday and Easter Monday
        ("2025-04-17", 1, "2025-04-22"),
        ("2024-03-28", 1, "2024-04-02"),
        ("2024-03-27", 2, "2024-04-02"),
        # Early May 2023 and the Coronation (Mon 1 and Mon 8 May)
        ("2023-04-28", 1, "2023-05-02"),
        ("2023-05-05", 1, "2023-05-09"),
        # Platinum Jubilee: Thu 2 and Fri 3 June 2022
        ("2022-06-01", 1, "2022-06-06"),
        # State funeral, Mon 19 September 2022
        ("2022-09-16", 1, "2022-09-20"),
    ],
)
def test_add_working_days_with_bank_holidays(start: str, n: int, expected: str) -> None:
    assert add_working_days(D(start), n, BH) == D(expected)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2024-12-24", 1, "2024-12-25"),
        ("2024-12-20", 1, "2024-12-23"),
        ("2025-04-17", 1, "2025-04-18"),
        ("2024-06-07", 10, "2024-06-21"),
    ],
)
def test_add_working_days_without_holidays_skips_only_weekends(
    start: str, n: int, expected: str
) -> None:
    assert add_working_days(D(start), n) == D(expected)


def test_agency_return_deadline_uses_timescales() -> None:
    due = add_working_days(D("2024-12-16"), Timescales().agency_return_working_days, BH)
    assert due == D("2025-01-09")


def test_add_working_days_rejects_negative() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        add_working_days(D("2024-06-03"), -1, BH)


@pytest.mark.parametrize(
    ("day", "holidays", "expected"),
    [
        ("2024-06-03", BH, "2024-06-03"),  # Monday stays
        ("2024-06-07", BH, "2024-06-07"),  # Friday stays
        ("2024-06-08", BH, "2024-06-10"),  # Saturday
        ("2024-06-09", BH, "2024-06-10"),  # Sunday
        ("2024-12-25", BH, "2024-12-27"),
        ("2024-12-26", BH, "2024-12-27"),
        ("2022-12-24", BH, "2022-12-28"),
        ("2025-04-18", BH, "2025-04-22"),  # Good Friday
        ("2025-04-19", BH, "2025-04-22"),  # Easter Saturday
        ("2024-12-25", frozenset(), "2024-12-25"),
        ("2024-12-28", frozenset(), "2024-12-30"),
    ],
)
def test_next_working_day(day: str, holidays: frozenset[date], expected: str) -> None:
    assert next_working_day(D(day), holidays) == D(expected)


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2024-06-03", True), ("2024-06-08", False), ("2024-12-25", False), ("2024-12-24", True)],
)
def test_is_working_day(day: str, expected: bool) -> None:
    assert is_working_day(D(day), BH) is expected


# --------------------------------------------------------------------------- bank holidays


@pytest.mark.parametrize(
    "day",
    [
        "2024-12-25",  # Christmas Day
        "2024-12-26",  # Boxing Day
        "2025-05-05",  # Early May
        "2022-06-03",  # Platinum Jubilee
        "2022-06-02",  # Spring bank holiday moved for the Jubilee
        "2023-05-08",  # Coronation of King Charles III
        "2022-09-19",  # State funeral of Queen Elizabeth II
        "2022-12-27",  # Christmas substitute day
        "2020-05-08",  # Early May moved to VE Day
        "2012-06-05",  # Diamond Jubilee
        "2011-04-29",  # Royal wedding
        "2002-06-04",  # Golden Jubilee
        "2024-03-29",  # Good Friday
        "2024-04-01",  # Easter Monday
        "2000-01-03",  # New Year substitute, first covered year
        "2040-12-26",  # last covered year
    ],
)
def test_known_bank_holidays(day: str) -> None:
    assert D(day) in BH


@pytest.mark.parametrize(
    "day",
    [
        "2024-12-24",  # Christmas Eve is a working day
        "2022-12-25",  # Sunday: the holiday is the substitute day
        "2023-01-01",  # Sunday: the holiday is Monday 2 January
        "2020-05-04",  # the usual Early May date, moved in 2020
        "2022-05-30",  # the usual Spring date, moved in 2022
        "2024-03-17",  # St Patrick's Day: Northern Ireland only
        "2024-11-30",  # St Andrew's Day: Scotland only
    ],
)
def test_not_bank_holidays(day: str) -> None:
    assert D(day) not in BH


def test_every_year_has_the_eight_regular_holidays_on_weekdays() -> None:
    for year in bank_holiday_years():
        days = england_and_wales_bank_holidays(range(year, year + 1))
        assert len(days) >= 8, year
        assert all(d.weekday() < 5 for d in days)
        assert date(year, 12, 25) in days or date(year, 12, 27) in days


@pytest.mark.parametrize(("years", "count"), [(range(2024, 2025), 8), (range(2022, 2024), 19)])
def test_bank_holidays_filtered_by_years(years: range, count: int) -> None:
    days = england_and_wales_bank_holidays(years)
    assert len(days) == count
    assert {d.year for d in days} == set(years)


def test_bank_holidays_cover_2000_to_2040() -> None:
    assert bank_holiday_years() == range(2000, 2041)
    assert england_and_wales_bank_holidays(range(2000, 2041)) == BH
    assert england_and_wales_bank_holidays(range(2030, 2030)) == frozenset()


@pytest.mark.parametrize("years", [range(1999, 2001), range(2040, 2042), range(2100, 2101)])
def test_bank_holidays_refuse_uncovered_years(years: range) -> None:
    with pytest.raises(ValueError, match="no bank holiday data"):
        england_and_wales_bank_holidays(years)


def test_bank_holidays_reject_non_range() -> None:
    with pytest.raises(TypeError):
        england_and_wales_bank_holidays([2024])  # type: ignore[arg-type]


def test_bank_holiday_file_has_provenance_header() -> None:
    data = json.loads(
        resources.files(clock).joinpath("bank_holidays_england_wales.json").read_text("utf-8")
    )
    assert "holidays" in data["source"]
    assert date.fromisoformat(data["generated"])
    assert data["years"] == {"first": 2000, "last": 2040}


# --------------------------------------------------------------------------- purity


def test_clock_package_imports_no_django() -> None:
    code = (
        "import sys, lantern.reviews.clock as c; c.england_and_wales_bank_holidays(); "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_clock_sources_do_not_import_django() -> None:
    for path in Path(clock.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] == "django" for n in names), path


# --------------------------------------------------------------------------- properties

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
decisions = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def closed_pauses(draw: st.DrawFn, around: date) -> Pause:
    start = around + timedelta(days=draw(st.integers(-120, 500)))
    return Pause(start=start, end=start + timedelta(days=draw(st.integers(0, 150))))


@st.composite
def clock_inputs(draw: st.DrawFn) -> tuple[date, list[Extension], list[Pause]]:
    decided = draw(decisions)
    extensions = draw(
        st.lists(
            st.builds(Extension, months=st.integers(0, 6), days=st.integers(0, 90)), max_size=3
        )
    )
    pauses = draw(st.lists(closed_pauses(decided), max_size=6))
    return decided, extensions, pauses


def _extended_due(decided: date, extensions: list[Extension]) -> date:
    due = add_months(decided, 6)
    for ext in extensions:
        due = add_months(due, ext.months) + timedelta(days=ext.days)
    return due


def _fixed_point_due(decided: date, extensions: list[Extension], pauses: list[Pause]) -> date:
    """The rule exactly as worded: add the paused days before the due date until it is stable."""
    paused = {
        p.start + timedelta(days=i)
        for p in pauses
        for i in range((p.end - p.start).days + 1)  # type: ignore[operator]
    }
    extended = _extended_due(decided, extensions)
    due = extended
    while True:
        counted = sum(1 for d in paused if decided <= d < due)
        moved = extended + timedelta(days=counted)
        if moved == due:
            return due
        due = moved


def _simulated_due(decided: date, extensions: list[Extension], pauses: list[Pause]) -> date:
    """A clock that ticks on every unpaused day from the decision until the budget runs out."""
    paused = {
        p.start + timedelta(days=i)
        for p in pauses
        for i in range((p.end - p.start).days + 1)  # type: ignore[operator]
    }
    budget = (_extended_due(decided, extensions) - decided).days
    day = decided
    while budget:
        if day not in paused:
            budget -= 1
        day += timedelta(days=1)
    return day


@PROPERTY
@given(dates, st.integers(0, 240))
def test_add_months_keeps_or_clamps_the_day(d: date, n: int) -> None:
    result = add_months(d, n)
    assert result.day <= d.day
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    if result.day < d.day:  # clamped, so it must be the last day of its month
        assert (result + timedelta(days=1)).day == 1


@PROPERTY
@given(clock_inputs())
def test_completion_due_is_never_before_base_due(inputs: tuple) -> None:
    decided, extensions, pauses = inputs
    result = completion_deadline(decided=decided, extensions=extensions, pauses=pauses)
    assert result.due is not None
    assert result.due >= result.base_due
    assert result.due == _extended_due(decided, extensions) + timedelta(days=result.paused_days)


@PROPERTY
@given(clock_inputs())
def test_paused_days_never_exceed_total_pause_length(inputs: tuple) -> None:
    decided, extensions, pauses = inputs
    result = completion_deadline(decided=decided, extensions=extensions, pauses=pauses)
    total = sum((p.end - p.start).days + 1 for p in pauses)
    merged_total = sum((p.end - p.start).days + 1 for p in merge_pauses(pauses))
    assert 0 <= result.paused_days <= merged_total <= total


@PROPERTY
@given(clock_inputs(), st.randoms(use_true_random=False))
def test_pause_order_does_not_matter(inputs: tuple, rnd) -> None:
    decided, extensions, pauses = inputs
    shuffled = list(pauses)
    rnd.shuffle(shuffled)
    first = completion_deadline(decided=decided, extensions=extensions, pauses=pauses)
    second = completion_deadline(decided=decided, extensions=extensions, pauses=shuffled)
    assert first == second
    assert merge_pauses(pauses) == merge_pauses(shuffled)


@PROPERTY
@given(clock_inputs())
def test_completion_matches_the_rule_as_worded(inputs: tuple) -> None:
    decided, extensions, pauses = inputs
    result = completion_deadline(decided=decided, extensions=extensions, pauses=pauses)
    assert result.due == _fixed_point_due(decided, extensions, pauses)
    assert result.due == _simulated_due(decided, extensions, pauses)


@PROPERTY
@given(clock_inputs(), st.integers(-120, 700))
def test_an_open_pause_either_stops_the_clock_or_changes_nothing(
    inputs: tuple, offset: int
) -> None:
    decided, extensions, pauses = inputs
    without = completion_deadline(decided=decided, extensions=extensions, pauses=pauses)
    open_pause = Pause(start=decided + timedelta(days=offset))
    with_open = completion_deadline(
        decided=decided, extensions=extensions, pauses=[*pauses, open_pause]
    )
    assert without.due is not None
    if with_open.paused:
        assert with_open.due is None
        assert open_pause.start < without.due
    else:
        assert with_open == without
        assert open_pause.start >= without.due


@PROPERTY
@given(clock_inputs(), decisions, decisions)
def test_paused_days_between_is_bounded_and_order_free(inputs: tuple, a: date, b: date) -> None:
    _, _, pauses = inputs
    start, end = min(a, b), max(a, b)
    counted = paused_days_between(start=start, end=end, pauses=pauses, today=end)
    assert 0 <= counted <= (end - start).days + 1
    assert counted <= sum((p.end - p.start).days + 1 for p in pauses)
    assert counted == paused_days_between(
        start=start, end=end, pauses=list(reversed(pauses)), today=end
    )


@PROPERTY
@given(dates, st.integers(0, 60))
def test_add_working_days_counts_exactly_n_working_days(start: date, n: int) -> None:
    result = add_working_days(start, n, BH)
    between = [start + timedelta(days=i) for i in range(1, (result - start).days + 1)]
    assert sum(is_working_day(d, BH) for d in between) == n
    if n:
        assert is_working_day(result, BH)


@PROPERTY
@given(dates)
def test_next_working_day_is_the_first_working_day_on_or_after(d: date) -> None:
    result = next_working_day(d, BH)
    assert result >= d
    assert is_working_day(result, BH)
    assert next_working_day(result, BH) == result
    assert all(not is_working_day(d + timedelta(days=i), BH) for i in range((result - d).days))


@PROPERTY
@given(dates, dates, st.integers(0, 60))
def test_status_follows_the_calendar(due: date, today: date, window: int) -> None:
    status = deadline_status(due=due, today=today, due_soon_days=window)
    if today > due:
        assert status == "overdue"
    elif (due - today).days <= window:
        assert status == "due_soon"
    else:
        assert status == "on_track"
