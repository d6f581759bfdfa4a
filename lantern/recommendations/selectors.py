"""Reads of recommendations and action plans: one review's plan, its summary, what is overdue,
the board's oversight across reviews, and similar recommendations from other reviews.

Callers fetch the review through `review_get_for_user` (which audits the read) before calling
these; `oversight` and `similar_recommendations` read several reviews and audit each read here.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from lantern.accounts.models import OrgRole
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.recommendations.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Action,
    Kind,
    Recommendation,
    Status,
    Theme,
)
from lantern.recommendations.plan_import import PlanAction, PlanDocument, PlanRecommendation
from lantern.recommendations.rules import status as status_rules
from lantern.recommendations.rules.similarity import similar
from lantern.reviews.access import Cap, capabilities, reviews_visible_to, user_agencies_on_review
from lantern.reviews.models import Person, Review


def due_soon_days() -> int:
    return int(settings.LANTERN["REMINDERS"]["due_soon_days"])


# --- one review's plan -------------------------------------------------------------------------


def plan_recommendations(*, review: Review) -> QuerySet[Recommendation]:
    """The review's recommendations in plan order, each with its actions."""
    actions = Action.objects.select_related("lead_agency", "signed_off_by").order_by(
        "position", "id"
    )
    return (
        Recommendation.objects.filter(review=review)
        .select_related("review", "source_agency", "addressed_agency")
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("position", "id")
    )


def plan_actions(*, reviews: Iterable[Review] | QuerySet[Review]) -> QuerySet[Action]:
    """Every action of these reviews, in plan order (review, recommendation, action)."""
    return (
        Action.objects.filter(recommendation__review__in=reviews)
        .select_related("recommendation", "recommendation__review", "lead_agency")
        .order_by(
            "recommendation__review__reference",
            "recommendation__position",
            "recommendation_id",
            "position",
            "id",
        )
    )


def grouped_by_kind(
    recommendations: Iterable[Recommendation],
) -> list[tuple[str, Any, list[Recommendation]]]:
    """(kind, heading, recommendations) for each kind the plan has, overarching first."""
    recs = list(recommendations)
    groups = []
    for kind in (Kind.OVERARCHING, Kind.SINGLE_AGENCY):
        members = [r for r in recs if r.kind == kind]
        if members:
            groups.append((kind.value, kind.label, members))
    return groups


def plan_summary(*, review: Review, as_of: date) -> dict[str, Any]:
    """The counts `lantern actions summary --json` prints (and the API returns)."""
    recs = list(Recommendation.objects.filter(review=review).values_list("kind", flat=True))
    actions = list(
        Action.objects.filter(recommendation__review=review).values_list("status", "target_date")
    )
    by_status = dict.fromkeys(Status.values, 0)
    for status, _target in actions:
        by_status[status] = by_status.get(status, 0) + 1
    return {
        "recommendations": len(recs),
        "overarching": sum(1 for k in recs if k == Kind.OVERARCHING),
        "single_agency": sum(1 for k in recs if k == Kind.SINGLE_AGENCY),
        "actions": len(actions),
        "by_status": by_status,
        "overdue": sum(
            1
            for status, target in actions
            if status_rules.is_overdue(status=status, target_date=target, as_of=as_of)
        ),
    }


def overdue_actions(*, reviews: Iterable[Review] | QuerySet[Review], as_of: date) -> list[Action]:
    return list(
        plan_actions(reviews=reviews).filter(status__in=OPEN_STATUSES, target_date__lt=as_of)
    )


def overdue_row(action: Action) -> dict[str, Any]:
    """One overdue action as `lantern actions overdue --json` prints it."""
    return {
        "recommendation": action.recommendation.number,
        "action": action.description,
        "lead": action.lead,
        "target_date": action.target_date.isoformat() if action.target_date else None,
        "status": action.status,
    }


@dataclass(frozen=True)
class MonitoringState:
    actions: int
    open: int
    not_signed_off: int  # closed but not yet signed off

    @property
    def finished(self) -> bool:
        return self.actions > 0 and self.open == 0 and self.not_signed_off == 0


def monitoring_state(*, review: Review) -> MonitoringState:
    """Where the review's action plan stands, for the closure guard in reviews.lifecycle."""
    rows = list(
        Action.objects.filter(recommendation__review=review).values_list("status", "signed_off_at")
    )
    return MonitoringState(
        actions=len(rows),
        open=sum(1 for status, _s in rows if status not in CLOSED_STATUSES),
        not_signed_off=sum(1 for status, s in rows if status in CLOSED_STATUSES and s is None),
    )


def can_update_progress(*, user: Any, review: Review, action: Action, caps: frozenset[str]) -> bool:
    """Coordinators and chairs update any action; agency authors their own agency's only."""
    if Cap.EDIT_ACTIONS in caps:
        return True
    if Cap.UPDATE_OWN_AGENCY_ACTIONS not in caps or not action.lead_agency_id:
        return False
    return action.lead_agency_id in user_agencies_on_review(user=user, review=review)


def own_agency_ids(*, user: Any, review: Review, caps: frozenset[str]) -> set[int]:
    if Cap.UPDATE_OWN_AGENCY_ACTIONS not in caps:
        return set()
    return user_agencies_on_review(user=user, review=review)


# --- oversight across reviews ------------------------------------------------------------------


def may_oversee(user: Any) -> bool:
    """The oversight pages are for coordinators and CSP board members (and the console)."""
    if getattr(user, "is_system", False):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.org_role in (OrgRole.COORDINATOR, OrgRole.BOARD_MEMBER)


def plan_reviews_visible_to(*, user: Any) -> list[Review]:
    """Reviews whose action plans `user` may read, by reference."""
    reviews = reviews_visible_to(user=user).select_related("csp").order_by("reference")
    return [r for r in reviews if Cap.VIEW_ACTIONS in capabilities(user=user, review=r)]


@dataclass
class OversightRow:
    action: Action
    review: Review
    overdue: bool
    days_overdue: int
    due_soon: bool
    open_since: date


@dataclass
class Oversight:
    as_of: date
    reviews: list[Review]
    rows: list[OversightRow]
    due_soon_days: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_agency: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    by_theme: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    by_review: list[tuple[Review, dict[str, int]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def open_rows(self) -> list[OversightRow]:
        return [r for r in self.rows if r.action.is_open]

    @property
    def overdue(self) -> list[OversightRow]:
        return sorted(
            (r for r in self.rows if r.overdue),
            key=lambda r: (-r.days_overdue, r.review.reference),
        )

    @property
    def due_soon(self) -> list[OversightRow]:
        return sorted(
            (r for r in self.rows if r.due_soon),
            key=lambda r: (r.action.target_date, r.review.reference),
        )

    @property
    def oldest_open(self) -> list[OversightRow]:
        return sorted(
            self.open_rows,
            key=lambda r: (r.open_since, r.action.target_date or date.max, r.action.pk),
        )[:10]

    @property
    def closed(self) -> int:
        return sum(1 for r in self.rows if r.action.is_closed)


def _progress_bucket(row: OversightRow) -> str:
    if row.action.is_closed:
        return "closed"
    if row.overdue:
        return "overdue"
    return "open"


def oversight(*, user: Any, as_of: date, reference: str | None = None) -> Oversight:
    """Every action across the reviews the user may oversee, counted every way the board asks:
    by status, overdue, due soon, by agency, by theme, oldest open. Each review read is audited."""
    reviews = plan_reviews_visible_to(user=user)
    if reference:
        reviews = [r for r in reviews if r.reference == reference]
    soon = due_soon_days()
    rows = []
    for action in plan_actions(reviews=reviews):
        review = action.recommendation.review
        rows.append(
            OversightRow(
                action=action,
                review=review,
                overdue=action.is_overdue(as_of),
                days_overdue=action.days_overdue(as_of) if action.is_overdue(as_of) else 0,
                due_soon=status_rules.is_due_within(
                    status=action.status, target_date=action.target_date, as_of=as_of, days=soon
                ),
                open_since=review.monitoring_started_on or action.created_at.date(),
            )
        )
    result = Oversight(as_of=as_of, reviews=reviews, rows=rows, due_soon_days=soon)
    result.by_status = dict.fromkeys(Status.values, 0)
    agencies: dict[str, Counter[str]] = defaultdict(Counter)
    themes: dict[str, Counter[str]] = defaultdict(Counter)
    per_review: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        result.by_status[row.action.status] += 1
        bucket = _progress_bucket(row)
        agencies[row.action.lead or "—"][bucket] += 1
        per_review[row.review.pk][bucket] += 1
        for theme in row.action.recommendation.themes or ["_none"]:
            themes[theme][bucket] += 1
    result.by_agency = sorted(
        ((name, dict(c)) for name, c in agencies.items()),
        key=lambda item: (-item[1].get("overdue", 0), -sum(item[1].values()), item[0]),
    )
    theme_labels = dict(Theme.choices)
    result.by_theme = [
        (str(theme_labels.get(code, "")) or "—", dict(themes[code]))
        for code in [*Theme.values, "_none"]
        if code in themes
    ]
    result.by_review = [(r, dict(per_review[r.pk])) for r in reviews if r.pk in per_review]
    for review in reviews:
        audit_record(
            action=AuditEvent.Action.READ,
            by=user,
            review=review,
            object_type="action plan oversight",
            object_id=review.reference,
            summary="Viewed the action plan in the board's oversight",
        )
    return result


# --- recurring recommendations -----------------------------------------------------------------

_NAME_MIN = 3


def _names_in(review_ids: Iterable[int]) -> dict[int, list[str]]:
    """Real names, aliases and their parts, per review, longest first: to take out of text."""
    names: dict[int, set[str]] = defaultdict(set)
    for person in Person.objects.filter(review_id__in=list(review_ids)):
        for value in [person.real_name, *(person.aliases or [])]:
            value = (value or "").strip()
            if not value:
                continue
            names[person.review_id].add(value)
            names[person.review_id].update(p for p in value.split() if len(p) >= _NAME_MIN)
    return {k: sorted(v, key=len, reverse=True) for k, v in names.items()}


def scrub_names(text: str, names: Iterable[str], replacement: str = "[name]") -> str:
    for name in names:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", replacement, text, flags=re.I)
    return text


@dataclass(frozen=True)
class SimilarRecommendation:
    reference: str
    number: str
    text: str  # anonymised: real names taken out
    score: float
    shared: tuple[str, ...]
    recommendation_id: int


def similar_recommendations(
    *, user: Any, text: str, exclude_review: Review | None = None, limit: int = 5
) -> list[SimilarRecommendation]:
    """Recommendations like `text` in other reviews the user may read the plans of."""
    if len(text.split()) < 3:
        return []
    reviews = [
        r
        for r in plan_reviews_visible_to(user=user)
        if exclude_review is None or r.pk != exclude_review.pk
    ]
    recs = list(
        Recommendation.objects.filter(review__in={r.pk for r in reviews}).select_related("review")
    )
    if not recs:
        return []
    names = _names_in({r.review_id for r in recs})
    cleaned = {r.pk: scrub_names(r.text, names.get(r.review_id, [])) for r in recs}
    matches = similar(text, [(r.pk, cleaned[r.pk]) for r in recs], limit=limit)
    by_id = {r.pk: r for r in recs}
    found = []
    for match in matches:
        rec = by_id[match.key]
        found.append(
            SimilarRecommendation(
                reference=rec.review.reference,
                number=rec.number,
                text=cleaned[rec.pk],
                score=match.score,
                shared=match.shared,
                recommendation_id=rec.pk,
            )
        )
    for reference in sorted({f.reference for f in found}):
        review = next(r for r in reviews if r.reference == reference)
        audit_record(
            action=AuditEvent.Action.READ,
            by=user,
            review=review,
            object_type="similar recommendations",
            object_id=reference,
            summary="Shown as a similar recommendation while writing another review's",
        )
    return found


# --- the plan as a document, and IMRs' recommendations -----------------------------------------


def plan_document(*, review: Review, today: date) -> PlanDocument:
    """The review's plan in the published shape, for the XLSX and DOCX exports."""
    recs = []
    for rec in plan_recommendations(review=review):
        recs.append(
            PlanRecommendation(
                number=rec.number,
                kind=rec.kind,
                text=rec.text,
                scope=rec.scope,
                themes=list(rec.themes or []),
                addressee=rec.addressee,
                addressed_to=rec.addressed_to,
                finding=rec.finding,
                source=rec.source,
                source_agency=rec.source_agency.name if rec.source_agency_id else "",
                actions=[
                    PlanAction(
                        description=a.description,
                        lead_agency=a.lead,
                        lead_officer=a.lead_officer,
                        milestones=a.milestones,
                        outcome_measure=a.outcome_measure,
                        target_date=a.target_date,
                        target_date_note=a.target_date_note,
                        status=a.status,
                        completed_on=a.completed_on,
                        outcome=a.outcome,
                    )
                    for a in rec.actions.all()
                ],
            )
        )
    return PlanDocument(
        title=f"Action plan: {review.reference}",
        subtitle_lines=[
            f"{review.review_type.name}, {review.csp.name}",
            f"Exported from Lantern on {today:%d/%m/%Y}",
        ],
        recommendations=recs,
    )


@dataclass
class ImrRecommendations:
    agency_id: int
    agency: str
    items: list[tuple[str, str, bool]]  # (choice value, text, already in the plan)


def imr_recommendations(*, review: Review) -> list[ImrRecommendations]:
    """Each agency's IMR recommendations, marked where they are already in the plan."""
    from lantern.chronology.models import IMR

    in_plan = {
        (r.source_agency_id, r.text.strip().lower())
        for r in Recommendation.objects.filter(review=review, source="imr")
    }
    found = []
    for imr in IMR.objects.filter(review=review).select_related("agency").order_by("agency__name"):
        texts = [str(t).strip() for t in (imr.recommendations or []) if str(t).strip()]
        if not texts:
            continue
        found.append(
            ImrRecommendations(
                agency_id=imr.agency_id,
                agency=imr.agency.name,
                items=[
                    (f"{imr.agency_id}:{i}", text, (imr.agency_id, text.lower()) in in_plan)
                    for i, text in enumerate(texts)
                ],
            )
        )
    return found
