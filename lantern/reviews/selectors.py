"""Reads about reviews: the clock, the dashboard, and what each role may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from lantern.reviews import clock
from lantern.reviews.access import reviews_visible_to
from lantern.reviews.models import Decision, Pause, Review, Stage


def timescales() -> clock.Timescales:
    return clock.Timescales(**settings.LANTERN["TIMESCALES"])


@dataclass(frozen=True)
class ReviewClock:
    decision: clock.Deadline
    decision_status: str
    decided_on: date | None
    completion: clock.Deadline | None
    completion_status: str | None
    open_pauses: tuple[Pause, ...]
    next_deadline_label: str
    next_deadline: date | None
    next_status: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "decision_due": self.decision.due.isoformat() if self.decision.due else None,
            "decision_status": self.decision_status,
            "decided_on": self.decided_on.isoformat() if self.decided_on else None,
            "completion_due": self.completion.due.isoformat()
            if self.completion and self.completion.due
            else None,
            "completion_base_due": self.completion.base_due.isoformat()
            if self.completion
            else None,
            "completion_status": self.completion_status,
            "paused_days": self.completion.paused_days if self.completion else 0,
            "paused": bool(self.open_pauses),
            "paused_for": [p.get_cause_display() for p in self.open_pauses],
            "next_deadline": self.next_deadline.isoformat() if self.next_deadline else None,
            "next_deadline_label": self.next_deadline_label,
            "next_status": self.next_status,
        }


def _hold_decision(review: Review) -> Decision | None:
    decisions = list(review.decisions.all())
    return decisions[0] if decisions else None


def review_clock(*, review: Review, today: date | None = None) -> ReviewClock:
    """The statutory clock for one review, from pure date functions in `reviews.clock`."""
    today = today or timezone.localdate()
    ts = timescales()
    decision = _hold_decision(review)
    decided_on = decision.decided_on if decision else None
    decision_deadline = clock.decision_deadline(notified=review.notification_date, timescales=ts)
    decision_status = clock.deadline_status(
        due=decision_deadline.due,
        today=today,
        done_on=decided_on,
        due_soon_days=ts.due_soon_days,
    )
    pauses = list(review.pauses.all())
    open_pauses = tuple(p for p in pauses if p.end is None or p.end >= today)
    open_pauses = tuple(p for p in open_pauses if p.start <= today)
    completion = completion_status = None
    holds = decision and decision.outcome != Decision.Outcome.NOT_HOLD
    if holds and decided_on:
        completion = clock.completion_deadline(
            decided=decided_on,
            timescales=ts,
            extensions=[
                clock.Extension(months=e.months, days=e.days) for e in review.extensions.all()
            ],
            pauses=[clock.Pause(start=p.start, end=p.end) for p in pauses],
            today=today,
        )
        done = None
        if (
            review.stage
            in (
                Stage.CSP_SIGNOFF,
                Stage.QA_SUBMITTED,
                Stage.QA_APPROVED,
                Stage.PUBLISHED,
                Stage.CLOSED,
            )
            and review.monitoring_started_on
        ):
            done = review.monitoring_started_on
        completion_status = clock.deadline_status(
            due=completion.due,
            today=today,
            done_on=done,
            due_soon_days=ts.due_soon_days,
            paused=completion.paused,
        )
    if review.stage in (Stage.NOTIFIED, Stage.SCOPING):
        label, due, status = "Decision", decision_deadline.due, decision_status
    elif completion is not None and completion_status not in ("met", "met_late"):
        label, due, status = "Completion", completion.due, completion_status
    else:
        label, due, status = "", None, "none"
    return ReviewClock(
        decision=decision_deadline,
        decision_status=decision_status,
        decided_on=decided_on,
        completion=completion,
        completion_status=completion_status,
        open_pauses=open_pauses,
        next_deadline_label=label,
        next_deadline=due,
        next_status=status,
    )


def dashboard_reviews(*, user: Any, include_closed: bool = False) -> QuerySet[Review]:
    qs = (
        reviews_visible_to(user=user)
        .select_related("csp", "review_type")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("-decided_on", "-id")),
            "pauses",
            "extensions",
        )
    )
    if not include_closed:
        qs = qs.exclude(stage=Stage.CLOSED)
    return qs.order_by("notification_date", "reference")


@dataclass(frozen=True)
class DashboardRow:
    review: Review
    clock: ReviewClock


_STATUS_ORDER = {"overdue": 0, "due_soon": 1, "paused": 2, "on_track": 3, "none": 4}


def dashboard_rows(
    *, user: Any, include_closed: bool = False, today: date | None = None
) -> list[DashboardRow]:
    rows = [
        DashboardRow(review=r, clock=review_clock(review=r, today=today))
        for r in dashboard_reviews(user=user, include_closed=include_closed)
    ]
    rows.sort(
        key=lambda row: (
            _STATUS_ORDER.get(row.clock.next_status, 5),
            row.clock.next_deadline or date.max,
        )
    )
    return rows
