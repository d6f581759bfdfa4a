"""The review's lifecycle: the one transitions table, and the one place that assigns `stage`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.reviews.access import Cap, ensure_can
from lantern.reviews.models import Decision, Review, ReviewEvent, Stage
from lantern.reviews.models import Membership as _Membership


def _has_hold_decision(review: Review) -> str | None:
    decision = review.decision
    if decision is None or decision.outcome not in (Decision.Outcome.HOLD, Decision.Outcome.JOINT):
        return str(_("Record a decision to hold the review first."))
    return None


def _has_not_hold_decision(review: Review) -> str | None:
    decision = review.decision
    if decision is None or decision.outcome != Decision.Outcome.NOT_HOLD:
        return str(_("Record a decision not to hold the review first."))
    return None


def _has_direction(review: Review) -> str | None:
    decision = review.decision
    if decision is None or not decision.home_secretary_direction_on:
        return str(_("Record the date of the Home Secretary's direction first."))
    return None


def _commissioned(review: Review) -> str | None:
    problems = []
    members = _Membership.objects.filter(review=review, ended_at__isnull=True)
    if not members.filter(role="chair").exists():
        problems.append(str(_("appoint an independent chair")))
    if not members.filter(role="panel_member").exists():
        problems.append(str(_("add at least one panel member")))
    terms = getattr(review, "terms", None)
    if terms is None or not terms.agreed_on:
        problems.append(str(_("agree the terms of reference")))
    if problems:
        return str(_("Before commissioning: ")) + "; ".join(problems) + "."
    return None


def _qa_outcome(*allowed: str) -> Callable[[Review], str | None]:
    def check(review: Review) -> str | None:
        if review.qa_outcome not in allowed:
            return str(_("Record the Home Office QA panel's outcome first."))
        return None

    return check


def _published(review: Review) -> str | None:
    if review.qa_outcome not in ("publish", "publish_after_changes"):
        return str(_("The Home Office QA panel must approve the report before publication."))
    return None


def _monitoring_finished(review: Review) -> str | None:
    """A review closes once its action plan is finished. Where the plan is kept in Lantern, every
    action must be closed (complete, not achieved or superseded) and signed off, whatever was
    recorded by hand; a review whose plan is kept elsewhere needs monitoring recorded complete."""
    if review.stage == Stage.NOT_HELD:
        return None
    from lantern.recommendations.selectors import monitoring_state

    plan = monitoring_state(review=review)
    if plan.finished:
        return None
    if plan.actions:
        return str(
            _(
                "Every action in the action plan must be closed and signed off before the "
                "review closes: %(open)d still open, %(unsigned)d closed but not signed off."
            )
            % {"open": plan.open, "unsigned": plan.not_signed_off}
        )
    if not review.monitoring_completed_on:
        return str(_("Every action in the action plan must be closed before the review closes."))
    return None


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: Any
    guard: Callable[[Review], str | None] | None = None


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Stage.NOTIFIED, Stage.SCOPING, _("Start scoping")),
    Transition(Stage.SCOPING, Stage.DECIDED, _("Decided to hold a review"), _has_hold_decision),
    Transition(
        Stage.SCOPING, Stage.NOT_HELD, _("Decided not to hold a review"), _has_not_hold_decision
    ),
    Transition(
        Stage.NOT_HELD, Stage.DECIDED, _("Home Secretary directed a review"), _has_direction
    ),
    Transition(Stage.NOT_HELD, Stage.CLOSED, _("Close")),
    Transition(Stage.DECIDED, Stage.COMMISSIONED, _("Commissioned"), _commissioned),
    Transition(Stage.COMMISSIONED, Stage.GATHERING, _("Start gathering information")),
    Transition(Stage.GATHERING, Stage.DRAFTING, _("Start drafting")),
    Transition(Stage.DRAFTING, Stage.CSP_SIGNOFF, _("Signed off by the CSP")),
    Transition(Stage.CSP_SIGNOFF, Stage.QA_SUBMITTED, _("Submitted to Home Office QA")),
    Transition(
        Stage.QA_SUBMITTED,
        Stage.QA_APPROVED,
        _("QA approved for publication"),
        _qa_outcome("publish", "publish_after_changes"),
    ),
    Transition(
        Stage.QA_SUBMITTED, Stage.DRAFTING, _("QA asked for resubmission"), _qa_outcome("resubmit")
    ),
    Transition(Stage.QA_APPROVED, Stage.PUBLISHED, _("Published"), _published),
    Transition(Stage.PUBLISHED, Stage.CLOSED, _("Close"), _monitoring_finished),
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


def transitions_from(stage: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == stage]


def available_transitions(review: Review) -> list[tuple[Transition, str | None]]:
    """Each transition out of the current stage with the reason it is blocked (or None)."""
    return [(t, t.guard(review) if t.guard else None) for t in transitions_from(review.stage)]


class TransitionError(ValidationError):
    pass


@transaction.atomic
def review_transition(
    *, review: Review, by: Any, target: str, note: str = "", on: date | None = None
) -> Review:
    """Move a review to `target`. The only code in Lantern that assigns `review.stage`."""
    ensure_can(user=by, review=review, need=Cap.TRANSITION)
    review = Review.objects.select_for_update().get(pk=review.pk)
    transition = _BY_PAIR.get((review.stage, target))
    if transition is None:
        raise TransitionError(
            _("A review cannot move from “%(source)s” to “%(target)s”.")
            % {
                "source": Stage(review.stage).label,
                "target": Stage(target).label if target in Stage.values else target,
            }
        )
    if transition.guard:
        blocked = transition.guard(review)
        if blocked:
            raise TransitionError(blocked)
    today = on or timezone.localdate()
    source = review.stage
    review.stage = target
    review.stage_changed_at = timezone.now()
    fields = ["stage", "stage_changed_at"]
    if target == Stage.CSP_SIGNOFF and not review.monitoring_started_on:
        review.monitoring_started_on = today
        fields.append("monitoring_started_on")
    if target == Stage.DRAFTING and source == Stage.QA_SUBMITTED:
        review.qa_outcome = ""
        fields.append("qa_outcome")
    if target == Stage.PUBLISHED:
        review.published_on = today
        fields.append("published_on")
    if target == Stage.CLOSED:
        review.closed_on = today
        fields.append("closed_on")
    review.save(update_fields=fields)
    from lantern.reviews.services import review_event_record

    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.STAGE,
        summary=f"{Stage(source).label} → {Stage(target).label}" + (f": {note}" if note else ""),
        data={"from": source, "to": target, "note": note, "on": today.isoformat()},
    )
    if target == Stage.CLOSED:
        from lantern.accounts.services import users_deactivate_after_review_closed

        users_deactivate_after_review_closed(review=review, by=by)
    return review
