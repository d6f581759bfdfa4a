"""A small action plan on the cast's review, written through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from lantern.conftest import Cast
from lantern.recommendations import services
from lantern.recommendations.models import Action, Recommendation
from lantern.reviews.models import Review

TODAY = date(2025, 6, 2)


@dataclass
class Plan:
    review: Review
    rec1: Recommendation
    sa1: Recommendation
    police_action: Action  # 1.1: Northbridge Police, overdue on TODAY
    housing_action: Action  # 1.2: Northbridge Homes, due in a week
    police_action2: Action  # SA1.1: Northbridge Police, no date, not SMART


@pytest.fixture
def plan(cast: Cast) -> Plan:
    by = cast.coordinator
    rec1 = services.recommendation_create(
        review=cast.review,
        by=by,
        number="1",
        kind="overarching",
        scope="local",
        text="Agencies to make sure that risk to Kerry-like victims is assessed after separation.",
        themes=["identification_of_risk", "training"],
        addressee="csp",
        addressed_to=cast.csp.name,
    )
    police_action = services.action_create(
        recommendation=rec1,
        by=by,
        description="Refresh DASH training for every response officer after Kerry's case",
        lead_agency=cast.police,
        milestones="Course written; first cohort",
        outcome_measure="95% of officers trained",
        target_date=TODAY - timedelta(days=10),
        status="in_progress",
    )
    housing_action = services.action_create(
        recommendation=rec1,
        by=by,
        description="Add domestic abuse questions to tenancy reviews",
        lead_agency=cast.housing,
        outcome_measure="Questions in every tenancy review",
        target_date=TODAY + timedelta(days=7),
    )
    sa1 = services.recommendation_create(
        review=cast.review,
        by=by,
        number="SA1",
        kind="single_agency",
        scope="single_agency",
        text="Northbridge Police to record strangulation as a separate risk factor.",
        themes=["record_keeping"],
        source="imr",
        source_agency=cast.police,
    )
    police_action2 = services.action_create(
        recommendation=sa1,
        by=by,
        description="Consider a new flag",
        lead_agency=cast.police,
        target_date_note="Ongoing",
    )
    Review.objects.filter(pk=cast.review.pk).update(
        monitoring_started_on=TODAY - timedelta(days=200)
    )
    cast.review.refresh_from_db()
    return Plan(cast.review, rec1, sa1, police_action, housing_action, police_action2)


def today_is(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """Make `timezone.localdate()` answer `day` (services check dates against today)."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
