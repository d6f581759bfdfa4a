"""The transitions table, the guards, and that stage changes are audited timeline events."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantern.accounts.models import User
from lantern.core.models import AuditEvent
from lantern.reviews import lifecycle
from lantern.reviews.models import Decision, ReviewEvent, Stage
from lantern.reviews.services import (
    decision_record,
    member_add,
    monitoring_complete,
    qa_outcome_record,
    terms_save,
)

pytestmark = pytest.mark.django_db


def go(review, by, *targets):  # noqa: ANN001, ANN201
    for target in targets:
        review = lifecycle.review_transition(review=review, by=by, target=target)
    return review


def hold(review, by, outcome=Decision.Outcome.HOLD):  # noqa: ANN001, ANN201
    return decision_record(
        review=review,
        by=by,
        outcome=outcome,
        decided_on=dt.date(2024, 10, 20),
        decided_by="CSP chair",
        consulted=["Police", "Health"],
        rationale="Criteria met.",
        joint_with="SAR" if outcome == Decision.Outcome.JOINT else "",
    )


def commission(review, cast):  # noqa: ANN001, ANN201
    terms_save(
        review=review,
        by=cast.coordinator,
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2024, 9, 20),
        key_lines_of_enquiry=["Risk"],
        agreed_on=dt.date(2024, 11, 1),
    )
    return review


def test_every_stage_is_reachable_and_every_target_is_a_stage() -> None:
    reachable = {Stage.NOTIFIED}
    frontier = [Stage.NOTIFIED]
    while frontier:
        stage = frontier.pop()
        for t in lifecycle.transitions_from(stage):
            assert t.target in Stage.values
            if t.target not in reachable:
                reachable.add(t.target)
                frontier.append(t.target)
    assert reachable == set(Stage.values)


def test_closed_is_final() -> None:
    assert lifecycle.transitions_from(Stage.CLOSED) == []


def test_full_life_hold_to_closed(cast) -> None:
    review, coord = cast.review, cast.coordinator
    hold(review, coord)
    review.refresh_from_db()
    assert review.stage == Stage.DECIDED
    commission(review, cast)
    review = go(
        review, coord, Stage.COMMISSIONED, Stage.GATHERING, Stage.DRAFTING, Stage.CSP_SIGNOFF
    )
    assert review.monitoring_started_on is not None
    review = go(review, coord, Stage.QA_SUBMITTED)
    review = qa_outcome_record(
        review=review,
        by=coord,
        outcome="publish_after_changes",
        letter_received_on=dt.date(2025, 6, 1),
    )
    assert review.stage == Stage.QA_APPROVED
    review = go(review, coord, Stage.PUBLISHED)
    assert review.published_on is not None
    with pytest.raises(ValidationError, match="action plan"):
        go(review, coord, Stage.CLOSED)
    monitoring_complete(review=review, by=coord, on=dt.date(2026, 1, 1))
    review = go(review, coord, Stage.CLOSED)
    assert review.stage == Stage.CLOSED
    kinds = list(review.events.filter(kind=ReviewEvent.Kind.STAGE).values_list("data", flat=True))
    assert [k["to"] for k in reversed(kinds)] == [
        "scoping",
        "decided",
        "commissioned",
        "gathering",
        "drafting",
        "csp_signoff",
        "qa_submitted",
        "qa_approved",
        "published",
        "closed",
    ]


def test_resubmit_returns_to_drafting_and_clears_outcome(cast) -> None:
    review, coord = cast.review, cast.coordinator
    hold(review, coord)
    commission(review, cast)
    review = go(
        review,
        coord,
        Stage.COMMISSIONED,
        Stage.GATHERING,
        Stage.DRAFTING,
        Stage.CSP_SIGNOFF,
        Stage.QA_SUBMITTED,
    )
    review = qa_outcome_record(
        review=review, by=coord, outcome="resubmit", letter_received_on=dt.date(2025, 6, 1)
    )
    assert review.stage == Stage.DRAFTING
    assert review.qa_outcome == ""


def test_not_held_then_home_secretary_direction(cast) -> None:
    review, coord = cast.review, cast.coordinator
    decision = hold(review, coord, Decision.Outcome.NOT_HOLD)
    review.refresh_from_db()
    assert review.stage == Stage.NOT_HELD
    assert decision.needs_home_office_scrutiny
    with pytest.raises(ValidationError, match="direction"):
        go(review, coord, Stage.DECIDED)
    decision.home_secretary_direction_on = dt.date(2025, 1, 10)
    decision.save()
    review = go(review, coord, Stage.DECIDED)
    assert review.stage == Stage.DECIDED


@pytest.mark.parametrize("target", [Stage.DRAFTING, Stage.PUBLISHED, Stage.CLOSED, Stage.DECIDED])
def test_illegal_jumps_are_refused(cast, target) -> None:
    with pytest.raises(ValidationError):
        go(cast.review, cast.coordinator, target)
    cast.review.refresh_from_db()
    assert cast.review.stage == Stage.NOTIFIED


def test_commissioning_needs_chair_panel_and_terms(cast) -> None:
    review, coord = cast.review, cast.coordinator
    hold(review, coord)
    review.refresh_from_db()
    with pytest.raises(ValidationError, match="terms of reference"):
        go(review, coord, Stage.COMMISSIONED)
    commission(review, cast)
    assert go(review, coord, Stage.COMMISSIONED).stage == Stage.COMMISSIONED


def test_decision_needs_partners_consulted(cast) -> None:
    with pytest.raises(ValidationError) as err:
        decision_record(
            review=cast.review,
            by=cast.coordinator,
            outcome="hold",
            decided_on=dt.date(2024, 10, 1),
            decided_by="Chair",
            consulted=[],
            rationale="x",
        )
    assert "consulted" in err.value.message_dict


@pytest.mark.parametrize("role", ["panel_member", "agency_author", "board_member", "author"])
def test_only_coordinator_and_chair_move_stages(cast, role) -> None:
    with pytest.raises(PermissionDenied):
        go(cast.review, getattr(cast, role), Stage.SCOPING)


def test_chair_can_move_stages(cast) -> None:
    assert go(cast.review, cast.chair, Stage.SCOPING).stage == Stage.SCOPING


def test_stage_change_is_audited(cast) -> None:
    go(cast.review, cast.coordinator, Stage.SCOPING)
    event = AuditEvent.objects.filter(review=cast.review, action="update").first()
    assert event is not None and event.actor == cast.coordinator


def test_closing_deactivates_outside_members_whose_last_review_closed(cast) -> None:
    review, coord = cast.review, cast.coordinator
    hold(review, coord, Decision.Outcome.NOT_HOLD)
    review.refresh_from_db()
    go(review, coord, Stage.CLOSED)
    cast.chair.refresh_from_db()
    cast.coordinator.refresh_from_db()
    assert not cast.chair.is_active
    assert cast.coordinator.is_active


def test_member_with_another_open_review_stays_active(cast) -> None:
    from lantern.testing.factories import ReviewFactory

    other = ReviewFactory(csp=cast.csp)
    member_add(review=other, by=cast.coordinator, user=cast.chair, role="chair")
    hold(cast.review, cast.coordinator, Decision.Outcome.NOT_HOLD)
    cast.review.refresh_from_db()
    go(cast.review, cast.coordinator, Stage.CLOSED)
    assert User.objects.get(pk=cast.chair.pk).is_active
