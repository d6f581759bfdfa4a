"""JSON shapes for the recommendations API. Outputs are built by the `*_out` functions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from lantern.recommendations.models import (
    Action,
    Addressee,
    Evidence,
    Kind,
    PlanChange,
    Recommendation,
    Scope,
    Source,
    Status,
    Theme,
)
from lantern.reviews.schemas import choices

KindCode = choices(Kind.values)
ScopeCode = choices(Scope.values)
StatusCode = choices(Status.values)
ThemeCode = choices(Theme.values)
AddresseeCode = choices(["", *Addressee.values])
SourceCode = choices(Source.values)


# --- out ---------------------------------------------------------------------------------------


class SmartFlagOut(Schema):
    code: str = Field(examples=["no_date"])
    message: str


class ActionOut(Schema):
    version: str = Field(
        description="Send it back with a change (PATCH or progress): a change to an action "
        "that has changed since is refused with 409."
    )
    id: int
    label: str = Field(examples=["SA3.1"], description="Recommendation number and place")
    recommendation: str = Field(examples=["SA3"])
    description: str
    lead: str = Field(description="The lead agency as the plan names it")
    lead_agency_id: int | None
    lead_officer: str
    lead_officer_email: str
    milestones: str
    outcome_measure: str
    target_date: date | None
    target_date_note: str
    status: StatusCode
    completed_on: date | None
    outcome: str
    overdue: bool
    signed_off_at: datetime | None
    signed_off_by: str | None
    smart_flags: list[SmartFlagOut]
    can_update: bool = Field(description="Whether the caller may record progress on it")


class RecommendationOut(Schema):
    id: int
    number: str
    kind: KindCode
    text: str
    scope: ScopeCode
    addressee: AddresseeCode
    addressed_to: str
    finding: str
    themes: list[ThemeCode]
    source: SourceCode
    source_agency: str | None
    actions: list[ActionOut]


class PlanChangeOut(Schema):
    at: datetime
    by: str
    kind: str
    subject: str
    note: str
    changes: dict[str, list[Any]]


class ActionEvidenceOut(Schema):
    id: int
    note: str
    filename: str
    size: int
    sha256: str
    added_at: datetime
    added_by: str | None


class ActionDetailOut(ActionOut):
    changes: list[PlanChangeOut]
    evidence: list[ActionEvidenceOut]


class SummaryOut(Schema):
    recommendations: int
    overarching: int
    single_agency: int
    actions: int
    by_status: dict[str, int]
    overdue: int


class OverdueOut(Schema):
    recommendation: str
    action: str
    lead: str
    target_date: date | None
    status: StatusCode


class SimilarOut(Schema):
    reference: str
    number: str
    text: str = Field(description="With the real names of people in that review taken out")
    score: float
    shared: list[str]


class ImportWarningOut(Schema):
    file: str
    message: str
    field: str = ""
    value: str = ""
    row: int | None = None
    sheet: str = ""
    column: str = ""
    severity: str = "warning"


class PlanImportOut(Schema):
    review: str
    recommendations: int
    actions: int
    replaced: int
    warnings: list[ImportWarningOut]


class OversightActionOut(OverdueOut):
    review: str
    label: str
    overdue: bool
    days_overdue: int
    due_soon: bool
    completed_on: date | None
    signed_off: bool


class OversightGroupOut(Schema):
    name: str
    overdue: int
    open: int
    closed: int


class OversightSummaryOut(Schema):
    as_of: date
    reviews: list[str]
    actions: int
    by_status: dict[str, int]
    overdue: int
    due_soon: int
    due_soon_days: int
    by_agency: list[OversightGroupOut]
    by_theme: list[OversightGroupOut]


def action_out(action: Action, *, as_of: date, can_update: bool) -> dict[str, Any]:
    return {
        "id": action.pk,
        "version": action.updated_at.isoformat(),
        "label": action.label,
        "recommendation": action.recommendation.number,
        "description": action.description,
        "lead": action.lead,
        "lead_agency_id": action.lead_agency_id,
        "lead_officer": action.lead_officer,
        "lead_officer_email": action.lead_officer_email,
        "milestones": action.milestones,
        "outcome_measure": action.outcome_measure,
        "target_date": action.target_date,
        "target_date_note": action.target_date_note,
        "status": action.status,
        "completed_on": action.completed_on,
        "outcome": action.outcome,
        "overdue": action.is_overdue(as_of),
        "signed_off_at": action.signed_off_at,
        "signed_off_by": action.signed_off_by.username if action.signed_off_by_id else None,
        "smart_flags": [{"code": f.code, "message": f.message} for f in action.smart_flags],
        "can_update": can_update,
    }


def recommendation_out(
    rec: Recommendation, *, as_of: date, can_update: Any = lambda action: False
) -> dict[str, Any]:
    return {
        "id": rec.pk,
        "number": rec.number,
        "kind": rec.kind,
        "text": rec.text,
        "scope": rec.scope,
        "addressee": rec.addressee,
        "addressed_to": rec.addressed_to,
        "finding": rec.finding,
        "themes": list(rec.themes or []),
        "source": rec.source,
        "source_agency": rec.source_agency.name if rec.source_agency_id else None,
        "actions": [
            action_out(a, as_of=as_of, can_update=can_update(a)) for a in rec.actions.all()
        ],
    }


def change_out(change: PlanChange) -> dict[str, Any]:
    return {
        "at": change.at,
        "by": change.by_label,
        "kind": change.kind,
        "subject": change.subject,
        "note": change.note,
        "changes": change.changes,
    }


def evidence_out(evidence: Evidence) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "note": evidence.note,
        "filename": evidence.filename,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "added_at": evidence.added_at,
        "added_by": evidence.added_by.username if evidence.added_by_id else None,
    }


# --- in ----------------------------------------------------------------------------------------


class RecommendationIn(Schema):
    number: str = Field(examples=["SA3"])
    kind: KindCode
    text: str
    scope: ScopeCode
    addressee: AddresseeCode = ""
    addressed_to: str = ""
    finding: str = ""
    themes: list[ThemeCode] = []
    source: SourceCode = "panel"
    source_agency: int | str | None = Field(None, description="Organisation id or exact name")


class RecommendationPatchIn(Schema):
    """Only the fields sent are changed."""

    number: str | None = None
    kind: KindCode | None = None
    text: str | None = None
    scope: ScopeCode | None = None
    addressee: AddresseeCode | None = None
    addressed_to: str | None = None
    finding: str | None = None
    themes: list[ThemeCode] | None = None
    source: SourceCode | None = None
    note: str = ""


class ActionIn(Schema):
    description: str
    lead: str = Field("", description="The lead agency: an organisation's name, or other text")
    lead_officer: str = ""
    lead_officer_email: str = ""
    milestones: str = ""
    outcome_measure: str = ""
    target_date: date | None = None
    target_date_note: str = ""
    status: StatusCode = "not_started"
    completed_on: date | None = None
    outcome: str = ""


class ActionPatchIn(Schema):
    """Only the fields sent are changed."""

    description: str | None = None
    lead: str | None = None
    lead_officer: str | None = None
    lead_officer_email: str | None = None
    milestones: str | None = None
    outcome_measure: str | None = None
    target_date: date | None = None
    target_date_note: str | None = None
    status: StatusCode | None = None
    completed_on: date | None = None
    outcome: str | None = None
    note: str = ""
    version: str | None = Field(
        None,
        description="The action's `version` as you read it: if it has changed since, nothing "
        "is saved and the answer is 409.",
    )


class ProgressIn(Schema):
    status: StatusCode
    completed_on: date | None = None
    outcome: str = ""
    note: str = ""
    version: str | None = Field(
        None,
        description="The action's `version` as you read it: if it has changed since, nothing "
        "is saved and the answer is 409.",
    )


class StaleActionOut(Schema):
    detail: str
    version: str


class ActionSignOffIn(Schema):
    note: str = ""
