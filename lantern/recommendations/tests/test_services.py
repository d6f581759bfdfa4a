"""Writing the plan: recommendations, actions, progress, evidence, sign-off, import, closure."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from lantern.chronology.models import IMR
from lantern.conftest import Cast
from lantern.core.errors import ProblemsError
from lantern.core.models import AuditEvent
from lantern.recommendations import selectors, services
from lantern.recommendations.models import Action, Evidence, PlanChange, Recommendation
from lantern.recommendations.plan_import import write_xlsx
from lantern.recommendations.tests.conftest import TODAY, Plan
from lantern.recommendations.tests.workbooks import published_rows, write_published_plan
from lantern.reviews.lifecycle import TransitionError, review_transition
from lantern.reviews.models import Review, ReviewEvent, Stage
from lantern.testing.factories import ReviewFactory
from lantern.testing.pdfs import tiny_pdf

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Recommendation.objects.count(),
        Action.objects.count(),
        PlanChange.objects.count(),
        ReviewEvent.objects.count(),
    )


# --- import ------------------------------------------------------------------------------------


def test_a_published_plan_is_imported_with_its_own_numbering(cast: Cast, tmp_path: Path) -> None:
    path = write_published_plan(tmp_path / "plan.xlsx")
    result = services.plan_import(
        review=cast.review, by=cast.coordinator, content=path.read_bytes(), filename="plan.xlsx"
    )
    assert (result.recommendations, result.actions) == (6, 10)
    recs = list(selectors.plan_recommendations(review=cast.review))
    assert [r.number for r in recs] == ["1", "2", "3", "SA1", "SA2", "SA3"]
    police = recs[3].actions.first()
    assert police.lead_agency == cast.police  # the name matched an organisation
    assert police.lead == "Northbridge Police"
    housing = recs[5].actions.first()
    assert housing.lead_agency == cast.housing
    gp = recs[4].actions.first()
    assert gp.lead_agency is None and gp.lead == "Kestrel Lane Surgery"  # kept as written
    assert PlanChange.objects.filter(review=cast.review, kind="imported").count() == 10
    assert AuditEvent.objects.filter(review=cast.review, action="import").count() == 1
    assert cast.review.events.filter(kind=ReviewEvent.Kind.IMPORTED).count() == 1


def test_a_file_with_a_bad_date_stores_nothing_and_names_the_cell(
    cast: Cast, tmp_path: Path
) -> None:
    rows = published_rows()
    rows[8].cells[6] = "31/02/2025"
    path = write_published_plan(tmp_path / "bad.xlsx", rows)
    before = _counts()
    with pytest.raises(ProblemsError) as raised:
        services.plan_import(
            review=cast.review, by=cast.coordinator, content=path.read_bytes(), filename="bad.xlsx"
        )
    assert _counts() == before
    [problem] = raised.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("DHR Action Plan", 14, "G")


def test_a_plan_is_replaced_only_when_asked_and_only_before_progress(
    plan: Plan, cast: Cast, tmp_path: Path
) -> None:
    content = write_published_plan(tmp_path / "plan.xlsx").read_bytes()
    with pytest.raises(ProblemsError, match="already has an action plan"):
        services.plan_import(
            review=plan.review, by=cast.coordinator, content=content, filename="plan.xlsx"
        )
    services.action_progress(
        action=plan.police_action, by=cast.agency_author, status="in_progress", note="Begun"
    )
    with pytest.raises(ProblemsError, match="cannot be replaced"):
        services.plan_import(
            review=plan.review,
            by=cast.coordinator,
            content=content,
            filename="plan.xlsx",
            replace=True,
        )
    assert Recommendation.objects.filter(review=plan.review).count() == 2


def test_replacing_a_plan_keeps_a_record_of_what_was_removed(
    plan: Plan, cast: Cast, tmp_path: Path
) -> None:
    content = write_published_plan(tmp_path / "plan.xlsx").read_bytes()
    services.plan_import(
        review=plan.review, by=cast.coordinator, content=content, filename="p.xlsx", replace=True
    )
    removed = PlanChange.objects.filter(review=plan.review, kind="removed")
    assert sorted(removed.values_list("subject", flat=True)) == ["1", "SA1"]
    assert Recommendation.objects.filter(review=plan.review).count() == 6


def test_only_coordinators_and_chairs_import(cast: Cast, tmp_path: Path) -> None:
    content = write_published_plan(tmp_path / "plan.xlsx").read_bytes()
    for user in (cast.agency_author, cast.board_member, cast.panel_member, cast.author):
        with pytest.raises(PermissionDenied):
            services.plan_import(review=cast.review, by=user, content=content, filename="p.xlsx")
    with pytest.raises(Http404):
        services.plan_import(review=cast.review, by=cast.outsider, content=content, filename="p")
    services.plan_import(review=cast.review, by=cast.chair, content=content, filename="p.xlsx")


def test_an_exported_plan_imports_as_the_same_plan(cast: Cast, tmp_path: Path) -> None:
    path = write_published_plan(tmp_path / "plan.xlsx")
    services.plan_import(
        review=cast.review, by=cast.coordinator, content=path.read_bytes(), filename="plan.xlsx"
    )
    services.recommendation_update(
        recommendation=Recommendation.objects.get(review=cast.review, number="SA1"),
        by=cast.coordinator,
        themes=["training", "identification_of_risk"],
        finding="Call handlers did not ask about care.",
        addressee="police",
        addressed_to="Northbridge Police",
    )
    first = selectors.plan_document(review=cast.review, today=TODAY)
    buffer = io.BytesIO()
    write_xlsx(first, buffer)
    other = ReviewFactory(csp=cast.csp)
    services.plan_import(
        review=other, by=cast.coordinator, content=buffer.getvalue(), filename="export.xlsx"
    )
    second = selectors.plan_document(review=other, today=TODAY)
    assert second.recommendations == first.recommendations
    assert len(second.recommendations) == 6


# --- writing recommendations and actions -------------------------------------------------------


def test_recommendation_numbers_are_unique_within_a_review(plan: Plan, cast: Cast) -> None:
    with pytest.raises(ValidationError) as raised:
        services.recommendation_create(
            review=plan.review,
            by=cast.coordinator,
            number="sa1",
            kind="single_agency",
            text="Again",
            scope="single_agency",
        )
    assert "number" in raised.value.message_dict


def test_a_complete_action_needs_a_date_of_completion_and_an_outcome(
    plan: Plan, cast: Cast
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.action_progress(
            action=plan.police_action, by=cast.agency_author, status="complete"
        )
    assert set(raised.value.message_dict) == {"completed_on", "outcome"}
    with pytest.raises(ValidationError) as raised:
        services.action_progress(
            action=plan.police_action,
            by=cast.agency_author,
            status="complete",
            completed_on=date.today() + timedelta(days=3),
            outcome="Done",
        )
    assert "future" in " ".join(raised.value.message_dict["completed_on"])
    with pytest.raises(ValidationError) as raised:
        services.action_progress(
            action=plan.police_action, by=cast.agency_author, status="superseded"
        )
    assert "outcome" in raised.value.message_dict


def test_an_update_that_changes_nothing_is_refused(plan: Plan, cast: Cast) -> None:
    with pytest.raises(ValidationError) as raised:
        services.action_progress(
            action=plan.police_action, by=cast.coordinator, status="in_progress"
        )
    assert "note" in raised.value.message_dict


# --- who may update ----------------------------------------------------------------------------


def test_agency_authors_update_their_own_agencys_actions_only(plan: Plan, cast: Cast) -> None:
    services.action_progress(
        action=plan.police_action, by=cast.agency_author, status="in_progress", note="Course booked"
    )
    services.evidence_add(action=plan.police_action, by=cast.agency_author, note="Course outline")
    for user in (cast.agency_author, cast.board_member, cast.panel_member, cast.author):
        with pytest.raises(PermissionDenied):
            services.action_progress(
                action=plan.housing_action, by=user, status="in_progress", note="Started"
            )
        with pytest.raises(PermissionDenied):
            services.evidence_add(action=plan.housing_action, by=user, note="Something")
    with pytest.raises(Http404):
        services.action_progress(
            action=plan.housing_action, by=cast.outsider, status="in_progress", note="Started"
        )
    services.action_progress(
        action=plan.housing_action, by=cast.other_agency_author, status="in_progress", note="Go"
    )
    with pytest.raises(PermissionDenied):
        services.action_update(action=plan.police_action, by=cast.agency_author, milestones="x")


def test_every_change_is_kept_with_who_and_when(plan: Plan, cast: Cast) -> None:
    action = plan.police_action
    services.action_progress(
        action=action, by=cast.agency_author, status="in_progress", note="Booked"
    )
    services.action_update(
        action=action, by=cast.coordinator, target_date=TODAY + timedelta(days=30), note="Agreed"
    )
    services.action_progress(
        action=action,
        by=cast.agency_author,
        status="complete",
        completed_on=TODAY - timedelta(days=1),
        outcome="All officers trained",
    )
    history = list(action.changes.order_by("at", "id"))
    assert [(c.kind, c.by, c.by_label) for c in history] == [
        ("created", cast.coordinator, "coordinator"),
        ("progress", cast.agency_author, "agency_author"),
        ("edited", cast.coordinator, "coordinator"),
        ("progress", cast.agency_author, "agency_author"),
    ]
    assert all(c.at for c in history)
    assert history[1].note == "Booked"
    assert history[2].changes["target_date"] == [
        (TODAY - timedelta(days=10)).isoformat(),
        (TODAY + timedelta(days=30)).isoformat(),
    ]
    assert history[3].changes["status"] == ["in_progress", "complete"]
    monitoring_events = plan.review.events.filter(kind=ReviewEvent.Kind.MONITORING)
    assert monitoring_events.filter(by=cast.agency_author).count() == 2


REGISTER_PDF = tiny_pdf("Attendance register")


def test_evidence_files_are_checked_and_kept(plan: Plan, cast: Cast) -> None:
    evidence = services.evidence_add(
        action=plan.police_action,
        by=cast.agency_author,
        note="Register",
        filename="register.pdf",
        content=REGISTER_PDF,
    )
    assert (evidence.content_type, evidence.size) == ("application/pdf", len(REGISTER_PDF))
    assert bytes(Evidence.objects.get(pk=evidence.pk).content) == REGISTER_PDF
    with pytest.raises(ValidationError):
        services.evidence_add(
            action=plan.police_action, by=cast.agency_author, filename="run.exe", content=b"MZ"
        )
    with pytest.raises(ValidationError):
        services.evidence_add(action=plan.police_action, by=cast.agency_author)


# --- sign-off and closure ----------------------------------------------------------------------


def _close(action: Action, by: object) -> None:
    services.action_progress(
        action=action,
        by=by,
        status="complete",
        completed_on=date.today() - timedelta(days=1),
        outcome="Done and evidenced",
    )


def test_only_the_coordinator_signs_off_and_only_a_closed_action(plan: Plan, cast: Cast) -> None:
    with pytest.raises(ValidationError, match="Only a closed action"):
        services.action_sign_off(action=plan.police_action, by=cast.coordinator)
    _close(plan.police_action, cast.agency_author)
    for user in (cast.chair, cast.agency_author, cast.board_member):
        with pytest.raises(PermissionDenied):
            services.action_sign_off(action=plan.police_action, by=user)
    services.action_sign_off(action=plan.police_action, by=cast.coordinator, note="Seen")
    plan.police_action.refresh_from_db()
    assert plan.police_action.signed_off_by == cast.coordinator
    with pytest.raises(ValidationError, match="already signed off"):
        services.action_sign_off(action=plan.police_action, by=cast.coordinator)


def test_reopening_a_signed_off_action_withdraws_the_sign_off(plan: Plan, cast: Cast) -> None:
    _close(plan.police_action, cast.agency_author)
    services.action_sign_off(action=plan.police_action, by=cast.coordinator)
    services.action_progress(
        action=plan.police_action, by=cast.coordinator, status="in_progress", note="Not done"
    )
    plan.police_action.refresh_from_db()
    assert plan.police_action.signed_off_at is None
    latest = plan.police_action.changes.first()
    assert latest.changes["signed_off"] == [True, False]


def test_the_review_cannot_close_until_every_action_is_closed_and_signed_off(
    plan: Plan, cast: Cast
) -> None:
    # Set up a published review directly: walking it through every stage is for reviews' tests.
    Review.objects.filter(pk=plan.review.pk).update(stage=Stage.PUBLISHED)
    review = Review.objects.get(pk=plan.review.pk)
    with pytest.raises(TransitionError, match="3 still open"):
        review_transition(review=review, by=cast.coordinator, target=Stage.CLOSED)
    # Monitoring marked complete by hand does not override the plan Lantern holds.
    Review.objects.filter(pk=review.pk).update(monitoring_completed_on=date.today())
    with pytest.raises(TransitionError):
        review_transition(review=review, by=cast.coordinator, target=Stage.CLOSED)
    _close(plan.police_action, cast.agency_author)
    _close(plan.housing_action, cast.other_agency_author)
    services.action_progress(
        action=plan.police_action2,
        by=cast.coordinator,
        status="superseded",
        outcome="Replaced by the national flag",
    )
    with pytest.raises(TransitionError, match="3 closed but not signed off"):
        review_transition(review=review, by=cast.coordinator, target=Stage.CLOSED)
    for action in (plan.police_action, plan.housing_action, plan.police_action2):
        services.action_sign_off(action=action, by=cast.coordinator)
    review = review_transition(review=review, by=cast.coordinator, target=Stage.CLOSED)
    assert review.stage == Stage.CLOSED


def test_a_review_with_no_plan_in_lantern_still_closes_on_monitoring_recorded(cast: Cast) -> None:
    Review.objects.filter(pk=cast.review.pk).update(stage=Stage.PUBLISHED)
    review = Review.objects.get(pk=cast.review.pk)
    with pytest.raises(TransitionError):
        review_transition(review=review, by=cast.coordinator, target=Stage.CLOSED)
    Review.objects.filter(pk=review.pk).update(monitoring_completed_on=date.today())
    review.refresh_from_db()
    assert review_transition(review=review, by=cast.coordinator, target=Stage.CLOSED).stage == (
        Stage.CLOSED
    )


# --- IMRs --------------------------------------------------------------------------------------


def test_imr_recommendations_join_the_plan_numbered_on(plan: Plan, cast: Cast) -> None:
    IMR.objects.create(
        review=plan.review,
        agency=cast.housing,
        recommendations=["Record tenants' support needs", "Train tenancy officers"],
    )
    [found] = selectors.imr_recommendations(review=plan.review)
    assert [text for _v, text, _in in found.items] == [
        "Record tenants' support needs",
        "Train tenancy officers",
    ]
    created = services.recommendations_from_imrs(
        review=plan.review,
        by=cast.coordinator,
        chosen=[(cast.housing, "Record tenants' support needs")],
    )
    assert [(r.number, r.kind, r.source, r.source_agency) for r in created] == [
        ("SA2", "single_agency", "imr", cast.housing)
    ]
    again = services.recommendations_from_imrs(
        review=plan.review,
        by=cast.coordinator,
        chosen=[
            (cast.housing, "Record tenants' support needs"),
            (cast.housing, "Train tenancy officers"),
        ],
    )
    assert [r.number for r in again] == ["SA3"]
    assert [
        in_plan for _v, _t, in_plan in selectors.imr_recommendations(review=plan.review)[0].items
    ] == [
        True,
        True,
    ]
    with pytest.raises(PermissionDenied):
        services.recommendations_from_imrs(
            review=plan.review, by=cast.author, chosen=[(cast.housing, "x")]
        )


# --- reads -------------------------------------------------------------------------------------


def test_the_summary_and_overdue_rows(plan: Plan) -> None:
    assert selectors.plan_summary(review=plan.review, as_of=TODAY) == {
        "recommendations": 2,
        "overarching": 1,
        "single_agency": 1,
        "actions": 3,
        "by_status": {
            "not_started": 2,
            "in_progress": 1,
            "complete": 0,
            "not_achieved": 0,
            "superseded": 0,
        },
        "overdue": 1,
    }
    rows = [
        selectors.overdue_row(a)
        for a in selectors.overdue_actions(reviews=[plan.review], as_of=TODAY)
    ]
    assert rows == [
        {
            "recommendation": "1",
            "action": "Refresh DASH training for every response officer after Kerry's case",
            "lead": "Northbridge Police",
            "target_date": (TODAY - timedelta(days=10)).isoformat(),
            "status": "in_progress",
        }
    ]
    later = TODAY + timedelta(days=8)
    assert selectors.plan_summary(review=plan.review, as_of=later)["overdue"] == 2


def test_the_smart_check_flags_the_vague_undated_action(plan: Plan) -> None:
    assert [f.code for f in plan.police_action2.smart_flags] == [
        "not_specific",
        "no_date",
        "no_measure",
    ]
    assert plan.police_action.smart_flags == []
