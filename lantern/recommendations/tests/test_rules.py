"""The rules without Django: SMART, overdue, reminder stages, similarity, chart geometry."""

from __future__ import annotations

from datetime import date

import pytest

from lantern.recommendations.charts import stacked_bars
from lantern.recommendations.rules import status
from lantern.recommendations.rules.reminders import stage_rank, stage_reached, stages
from lantern.recommendations.rules.similarity import similar, terms
from lantern.recommendations.rules.smart import ActionFacts, smart_flags

SMART = ActionFacts(
    description="Deliver DASH refresher training to every response officer",
    lead_agency="Northbridge Police",
    target_date=date(2025, 3, 31),
    outcome_measure="95% of response officers trained, checked against the training record",
)


def codes(facts: ActionFacts) -> list[str]:
    return [f.code for f in smart_flags(facts)]


def test_a_smart_action_has_no_flags() -> None:
    assert codes(SMART) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"lead_agency": ""}, ["no_owner"]),
        ({"lead_agency": "", "lead_officer": "Head of training"}, []),
        ({"target_date": None}, ["no_date"]),
        ({"outcome_measure": ""}, ["no_measure"]),
        ({"outcome_measure": "", "milestones": "Course written; first cohort"}, []),
        ({"description": "Training"}, ["not_specific"]),
        (
            {"description": "Consider whether training on DASH would help officers"},
            ["not_specific"],
        ),
        (
            {
                "description": "Explore options",
                "lead_agency": "",
                "target_date": None,
                "outcome_measure": "",
            },
            ["not_specific", "no_owner", "no_date", "no_measure"],
        ),
    ],
)
def test_the_smart_check_flags_what_is_missing(changes: dict, expected: list[str]) -> None:
    facts = ActionFacts(**{**SMART.__dict__, **changes})
    assert codes(facts) == expected


@pytest.mark.parametrize(
    ("state", "target", "as_of", "overdue"),
    [
        ("in_progress", date(2025, 3, 31), date(2025, 4, 1), True),
        ("not_started", date(2025, 3, 31), date(2025, 4, 1), True),
        ("in_progress", date(2025, 3, 31), date(2025, 3, 31), False),  # due today: not yet
        ("complete", date(2025, 3, 31), date(2025, 4, 1), False),
        ("not_achieved", date(2025, 3, 31), date(2025, 4, 1), False),
        ("superseded", date(2025, 3, 31), date(2025, 4, 1), False),
        ("in_progress", None, date(2025, 4, 1), False),
    ],
)
def test_overdue(state: str, target: date | None, as_of: date, overdue: bool) -> None:
    assert status.is_overdue(status=state, target_date=target, as_of=as_of) is overdue


def test_due_within_counts_today_and_the_last_day_but_not_overdue_or_closed() -> None:
    as_of = date(2025, 3, 1)
    due = [
        status.is_due_within(status=s, target_date=t, as_of=as_of, days=30)
        for s, t in [
            ("in_progress", date(2025, 3, 1)),
            ("not_started", date(2025, 3, 31)),
            ("not_started", date(2025, 4, 1)),
            ("in_progress", date(2025, 2, 28)),
            ("complete", date(2025, 3, 10)),
        ]
    ]
    assert due == [True, True, False, False, False]


BEFORE, AFTER = [28, 7], [1, 28]


def test_stages_run_from_the_earliest_reminder_to_the_latest() -> None:
    assert stages(before_days=BEFORE, after_days=AFTER) == [
        "before_28",
        "before_7",
        "after_1",
        "after_28",
    ]
    assert stage_rank("after_1", before_days=BEFORE, after_days=AFTER) == 2


@pytest.mark.parametrize(
    ("as_of", "stage"),
    [
        (date(2025, 3, 2), None),
        (date(2025, 3, 3), "before_28"),
        (date(2025, 3, 24), "before_7"),
        (date(2025, 3, 31), "before_7"),  # the target date itself
        (date(2025, 4, 1), "after_1"),  # overdue from the day after
        (date(2025, 4, 27), "after_1"),
        (date(2025, 4, 28), "after_28"),
        (date(2026, 1, 1), "after_28"),
    ],
)
def test_the_stage_reached(as_of: date, stage: str | None) -> None:
    target = date(2025, 3, 31)
    assert stage_reached(target=target, as_of=as_of, before_days=BEFORE, after_days=AFTER) == stage


PAST = [
    ("a", "Police to ensure that DASH risk assessments are completed at every domestic incident"),
    ("b", "GP practices to record carer relationships on the patient record"),
    ("c", "The CSP to commission training on coercive control for housing officers"),
    ("d", "Probation to share risk information with the IDVA service before release"),
]


def test_similar_recommendations_come_first_and_unrelated_ones_not_at_all() -> None:
    found = similar(
        "Northbridge Police should make sure a DASH risk assessment is completed at each "
        "domestic incident",
        PAST,
    )
    assert [m.key for m in found][:1] == ["a"]
    assert "b" not in [m.key for m in found]
    assert {"dash", "risk"} <= set(found[0].shared)


def test_similarity_needs_words_in_common_and_ignores_stop_words() -> None:
    assert similar("the and of to", PAST) == []
    assert similar("Horticulture budget", PAST) == []
    assert terms("Ensuring the trainings are recorded") == {"train", "record"}


def test_rarer_shared_words_count_for_more() -> None:
    corpus = [
        ("common", "training for staff on strangulation"),
        ("x1", "training for staff"),
        ("x2", "training for managers"),
        ("x3", "training for volunteers"),
    ]
    found = {m.key: m.score for m in similar("strangulation training", corpus, threshold=0)}
    assert found["common"] > found["x1"]


def test_stacked_bars_share_one_scale_and_skip_empty_segments() -> None:
    chart = stacked_bars(
        [("Police", {"overdue": 2, "open": 2}), ("Health", {"closed": 1})],
        [("overdue", "Overdue"), ("open", "Open"), ("closed", "Closed")],
        width=540,
        label_width=100,
    )
    police, health = chart.bars
    assert [s.series for s in police.segments] == ["overdue", "open"]
    assert police.segments[0].x == 100
    assert police.segments[1].x == 100 + police.segments[0].width
    assert sum(s.width for s in police.segments) == pytest.approx(chart.plot_width)
    assert health.segments[0].width == pytest.approx(chart.plot_width / 4)
    assert health.y > police.y
