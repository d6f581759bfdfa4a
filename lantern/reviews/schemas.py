"""JSON shapes for the reviews API: what each resource looks like going in and coming out.

Output schemas read model instances (ninja resolves attributes); the two that depend on what the
caller may see (a review's sensitive fields, a person's identity) are built by `review_out` and
`person_out`, which leave those fields null for callers without the capability.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from lantern.accounts.models import OrgRole, ReviewRole
from lantern.accounts.schemas import ObjectId, OrganisationRef
from lantern.reviews.access import Cap
from lantern.reviews.criteria import DEATH_TYPES, LEGAL_TESTS, RELATIONSHIPS
from lantern.reviews.models import (
    DeathType,
    Decision,
    FamilyContact,
    LegalTest,
    LiaisonEntry,
    PauseCause,
    Person,
    Review,
    ReviewEvent,
    Stage,
)
from lantern.reviews.selectors import review_clock


def choices(values: Any) -> Any:
    """A Literal of a model's choice values: an inline enum in the OpenAPI document (several
    models have a nested `Kind` or `Role`, which as named schemas would overwrite each other)."""
    return Literal[tuple(values)]  # type: ignore[valid-type]


StageCode = choices(Stage.values)
DeathTypeCode = choices(DeathType.values)
LegalTestCode = choices(LegalTest.values)
PersonRole = choices(Person.Role.values)
EventKind = choices(ReviewEvent.Kind.values)
DecisionOutcome = choices(Decision.Outcome.values)
PauseCauseCode = choices(PauseCause.values)
LiaisonWith = choices(LiaisonEntry.With.values)
FamilyContactKind = choices(FamilyContact.Kind.values)
ReviewRoleCode = choices(ReviewRole.values)
NotificationSource = Literal["police", "other_agency", "other"]
QaOutcome = Literal["publish", "publish_after_changes", "resubmit"]
CriteriaLegalTest = choices(LEGAL_TESTS)
CriteriaRelationship = choices(RELATIONSHIPS)
CriteriaDeathType = choices(DEATH_TYPES)


# --- reviews -----------------------------------------------------------------------------------


class ReviewTypeRef(Schema):
    slug: str
    name: str


class ClockOut(Schema):
    """The statutory clock: the decision is due a month after notification, the review six
    months after the decision, moved by extensions and pauses (both configurable)."""

    decision_due: date | None
    decision_status: str = Field(description="on_track, due_soon, overdue, met or met_late")
    decided_on: date | None
    completion_due: date | None
    completion_base_due: date | None
    completion_status: str | None
    paused_days: int
    paused: bool
    paused_for: list[str]
    next_deadline: date | None
    next_deadline_label: str
    next_status: str


class ReviewSummaryOut(Schema):
    reference: str
    title: str
    review_type: ReviewTypeRef
    csp: OrganisationRef
    stage: StageCode
    stage_label: str
    notification_date: date
    clock: ClockOut

    @staticmethod
    def resolve_stage_label(obj: Review) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_clock(obj: Review) -> dict[str, Any]:
        return review_clock(review=obj).as_dict()


class ReviewOut(Schema):
    """One review. Fields that can identify the people are null for callers who may not see
    them: `pseudonym` and `date_of_death` need the people register (view_people); the
    notification details need real names (view_real_names)."""

    reference: str
    title: str
    review_type: ReviewTypeRef
    csp: OrganisationRef
    co_commissioners: list[OrganisationRef]
    stage: StageCode
    stage_label: str
    stage_changed_at: datetime
    legal_test: LegalTestCode
    joint_with: str
    death_type: DeathTypeCode
    notification_date: date
    notification_source: str
    notifying_agency: OrganisationRef | None
    qa_outcome: str
    monitoring_started_on: date | None
    monitoring_completed_on: date | None
    published_on: date | None
    publication_url: str
    closed_on: date | None
    created_at: datetime
    pseudonym: str | None
    date_of_death: date | None
    place_of_death: str | None
    notifier_name: str | None
    notifier_contact: str | None
    circumstances: str | None
    capabilities: list[str] = Field(description="What the caller may do on this review.")
    clock: ClockOut


def _org(org: Any) -> dict[str, Any] | None:
    return {"id": org.pk, "name": org.name} if org is not None else None


def review_out(review: Review, *, caps: frozenset[str]) -> dict[str, Any]:
    people = Cap.VIEW_PEOPLE in caps
    names = Cap.VIEW_REAL_NAMES in caps
    return {
        "reference": review.reference,
        "title": review.title,
        "review_type": {"slug": review.review_type.slug, "name": review.review_type.name},
        "csp": _org(review.csp),
        "co_commissioners": [_org(o) for o in review.co_commissioners.order_by("name")],
        "stage": review.stage,
        "stage_label": str(review.get_stage_display()),
        "stage_changed_at": review.stage_changed_at,
        "legal_test": review.legal_test,
        "joint_with": review.joint_with,
        "death_type": review.death_type,
        "notification_date": review.notification_date,
        "notification_source": review.notification_source,
        "notifying_agency": _org(review.notifying_agency),
        "qa_outcome": review.qa_outcome,
        "monitoring_started_on": review.monitoring_started_on,
        "monitoring_completed_on": review.monitoring_completed_on,
        "published_on": review.published_on,
        "publication_url": review.publication_url,
        "closed_on": review.closed_on,
        "created_at": review.created_at,
        "pseudonym": review.pseudonym if people else None,
        "date_of_death": review.date_of_death if people else None,
        "place_of_death": review.place_of_death if names else None,
        "notifier_name": review.notifier_name if names else None,
        "notifier_contact": review.notifier_contact if names else None,
        "circumstances": review.circumstances if names else None,
        "capabilities": sorted(caps),
        "clock": review_clock(review=review).as_dict(),
    }


class ReviewNotifyIn(Schema):
    csp: int | str = Field(
        description="The Community Safety Partnership notified: its id or exact name."
    )
    notification_date: date
    notification_source: NotificationSource = "police"
    notifying_agency: int | str | None = Field(
        None, description="The agency that notified: its id or exact name."
    )
    notifier_name: str = ""
    notifier_contact: str = ""
    circumstances: str = ""
    date_of_death: date | None = None
    death_type: DeathTypeCode = "unknown"
    pseudonym: str = ""
    place_of_death: str = ""
    review_type: str = Field("dhr", description="A review type's slug, e.g. dhr, dardr, susr.")
    title: str = ""
    legal_test: LegalTestCode | None = Field(
        None, description="The legal test; by default the one configured for new reviews."
    )


class ReviewPatchIn(Schema):
    """Only the fields sent are changed."""

    title: str | None = None
    pseudonym: str | None = None
    date_of_death: date | None = None
    death_type: DeathTypeCode | None = None
    place_of_death: str | None = None
    notification_date: date | None = None
    notification_source: NotificationSource | None = None
    notifier_name: str | None = None
    notifier_contact: str | None = None
    circumstances: str | None = None
    joint_with: str | None = None
    publication_url: str | None = None
    legal_test: LegalTestCode | None = None
    retention_years: int | None = Field(None, ge=1, le=100)
    co_commissioners: list[int | str] | None = Field(
        None,
        description="Partnerships or a Safeguarding Adults Board commissioning the review "
        "jointly (ids or names); only the lead partnership may change this.",
    )


class TimelineEventOut(Schema):
    id: int
    at: datetime
    by: str | None = Field(description="Username of who made the change, if a person did.")
    kind: EventKind
    summary: str
    data: dict[str, Any]

    @staticmethod
    def resolve_by(obj: Any) -> str | None:
        return obj.by.username if obj.by_id else None


# --- people ------------------------------------------------------------------------------------


class PersonOut(Schema):
    """A person in the register. `real_name`, `aliases` and `date_of_birth` identify the person:
    they are null unless the caller may see real names (view_real_names)."""

    id: int
    role: PersonRole
    pseudonym: str
    sex: str
    ethnicity: str
    relationship_to_victim: str
    notes: str
    position: int
    real_name: str | None
    aliases: list[str] | None
    date_of_birth: date | None


def person_out(person: Person, *, identity: bool) -> dict[str, Any]:
    return {
        "id": person.pk,
        "role": person.role,
        "pseudonym": person.pseudonym,
        "sex": person.sex,
        "ethnicity": person.ethnicity,
        "relationship_to_victim": person.relationship_to_victim,
        "notes": person.notes,
        "position": person.position,
        "real_name": person.real_name if identity else None,
        "aliases": list(person.aliases) if identity else None,
        "date_of_birth": person.date_of_birth if identity else None,
    }


class PersonIn(Schema):
    role: PersonRole
    real_name: str = ""
    pseudonym: str = ""
    aliases: list[str] = []
    date_of_birth: date | None = None
    sex: str = ""
    ethnicity: str = ""
    relationship_to_victim: str = Field(
        "", description="For a perpetrator, one of: " + ", ".join(Person.Relationship.values)
    )
    notes: str = ""


class PersonPatchIn(Schema):
    """Only the fields sent are changed."""

    role: PersonRole | None = None
    real_name: str | None = None
    pseudonym: str | None = None
    aliases: list[str] | None = None
    date_of_birth: date | None = None
    sex: str | None = None
    ethnicity: str | None = None
    relationship_to_victim: str | None = None
    notes: str | None = None


# --- agencies ----------------------------------------------------------------------------------


class AgencyOrganisationOut(Schema):
    id: int
    name: str
    type: str


class AgencyOut(Schema):
    id: int
    organisation: AgencyOrganisationOut
    in_scope: bool
    reason_not_in_scope: str


class AgencyIn(Schema):
    name: str = Field(min_length=1, description="The agency's name; a new one is added.")
    type: str = Field("other", description="An organisation type (see /organisations).")
    in_scope: bool = True


# --- criteria and decisions --------------------------------------------------------------------


class CriteriaIn(Schema):
    """The answers the criteria assessment needs. null always means "not known yet", never
    "no": the two lead to different advice."""

    legal_test: CriteriaLegalTest | None = Field(
        None, description="The legal test to apply; by default the review's."
    )
    victim_age: int | None = Field(None, ge=0)
    relationship: CriteriaRelationship = Field(
        description="The (suspected) perpetrator, to the person who died."
    )
    death_type: CriteriaDeathType
    abuse_indicated: bool | None = None
    perpetrator_age: int | None = Field(None, ge=0)
    police_nfa: bool = False
    accidental_or_open_verdict: bool = False
    concerns_of_coercive_control: bool | None = None


class CriteriaCheckOut(Schema):
    code: str
    label: str
    outcome: Literal["yes", "no", "unknown"]
    reason: str


class CriteriaResultOut(Schema):
    version: int
    legal_test: str
    legal_test_label: str = ""
    outcome: Literal["met", "not_met", "unclear"]
    checks: list[CriteriaCheckOut]
    notes: list[str]
    to_find_out: list[str]


class CriteriaAssessmentOut(Schema):
    id: int
    legal_test: str
    inputs: dict[str, Any]
    result: CriteriaResultOut
    outcome: str
    assessed_at: datetime
    assessed_by: str | None

    @staticmethod
    def resolve_assessed_by(obj: Any) -> str | None:
        return obj.assessed_by.username if obj.assessed_by_id else None


class DecisionOut(Schema):
    id: int
    outcome: DecisionOutcome
    joint_with: str
    decided_on: date
    decided_by: str
    consulted: list[str]
    rationale: str
    legal_test: str
    assessment_id: int | None
    home_office_informed_on: date | None
    family_informed_on: date | None
    challenge: str
    home_secretary_direction_on: date | None
    recorded_at: datetime
    needs_home_office_scrutiny: bool


class DecisionIn(Schema):
    outcome: DecisionOutcome
    decided_on: date
    decided_by: str = Field(description="The CSP chair who decided.")
    consulted: list[str] = Field(
        [],
        description="The partners consulted: a chair deciding alone is rated inadequate by the "
        "Home Office QA panel, so at least one is required.",
    )
    rationale: str = ""
    joint_with: str = ""
    home_office_informed_on: date | None = None
    family_informed_on: date | None = None
    assessment_id: int | None = Field(
        None, description="The criteria assessment relied on; by default the latest."
    )
    challenge: str = ""
    home_secretary_direction_on: date | None = None


# --- lifecycle ---------------------------------------------------------------------------------


class TransitionIn(Schema):
    target: StageCode
    note: str = ""


class TransitionOptionOut(Schema):
    target: StageCode
    label: str
    allowed: bool
    blocked_reason: str | None


class TransitionsOut(Schema):
    stage: StageCode
    stage_label: str
    can_transition: bool = Field(description="Whether the caller may move the review.")
    transitions: list[TransitionOptionOut]


class QaOutcomeIn(Schema):
    outcome: QaOutcome
    letter_received_on: date
    notes: str = ""


class MonitoringCompleteIn(Schema):
    on: date
    note: str = ""


# --- running the review ------------------------------------------------------------------------


class PauseOut(Schema):
    id: int
    cause: PauseCauseCode
    cause_label: str
    start: date
    end: date | None
    agreed_by: str
    home_office_told_on: date | None
    notes: str

    @staticmethod
    def resolve_cause_label(obj: Any) -> str:
        return str(obj.get_cause_display())


class PauseIn(Schema):
    cause: PauseCauseCode
    start: date
    agreed_by: str
    end: date | None = None
    home_office_told_on: date | None = None
    notes: str = ""


class PauseEndIn(Schema):
    end: date


class ExtensionOut(Schema):
    id: int
    months: int
    days: int
    reason: str
    agreed_by: str
    agreed_on: date
    home_office_told_on: date | None


class ExtensionIn(Schema):
    months: int = Field(0, ge=0)
    days: int = Field(0, ge=0)
    reason: str
    agreed_by: str
    agreed_on: date
    home_office_told_on: date | None = None


class LiaisonOut(Schema):
    id: int
    date: date
    with_whom: LiaisonWith
    contact_name: str
    summary: str
    next_steps: str


class LiaisonIn(Schema):
    date: date
    with_whom: LiaisonWith
    summary: str
    contact_name: str = ""
    next_steps: str = ""


class TermsOut(Schema):
    agreed: bool = Field(description="Whether the terms of reference have been agreed.")
    period_start: date | None
    period_end: date | None
    key_lines_of_enquiry: list[str]
    family_involvement: str
    parallel_processes: str
    agreed_on: date | None
    agencies: list[AgencyOut] = Field(description="Agencies named on the review, with scope.")


class TermsIn(Schema):
    period_start: date | None = None
    period_end: date | None = None
    key_lines_of_enquiry: list[str] = []
    family_involvement: str = ""
    parallel_processes: str = ""
    agreed_on: date | None = None
    agencies_in_scope: list[ObjectId] | None = Field(
        None,
        description="Organisation ids of the agencies in scope; the review's other agencies "
        "become out of scope. Leave out to keep the scope as it is.",
    )
    reasons_not_in_scope: dict[ObjectId, str] | None = Field(
        None,
        description="Why each agency left out of scope is left out, by organisation id. Agreed "
        "terms (agreed_on set) must explain every agency out of scope.",
    )


class MemberOut(Schema):
    id: int
    username: str
    name: str
    role: ReviewRoleCode
    role_label: str
    agency: OrganisationRef | None
    independence_statement: str
    independence_declared_on: date | None
    added_at: datetime
    ended_at: datetime | None

    @staticmethod
    def resolve_username(obj: Any) -> str:
        return obj.user.username

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_role_label(obj: Any) -> str:
        return str(obj.get_role_display())


class MemberIn(Schema):
    username: str
    role: ReviewRoleCode = Field(
        description="A role on this review; "
        + ", ".join(r for r in OrgRole.values if r)
        + " are held for an organisation instead."
    )
    agency: int | str | None = Field(
        None,
        description="The agency the member represents (id or exact name); by default their "
        "organisation.",
    )


class FamilyContactOut(Schema):
    id: int
    date: date
    kind: FamilyContactKind
    person_id: int | None
    contact_with: str
    summary: str
    advocacy_offered: bool
    advocacy_provider: str
    pseudonym_agreed: bool
    draft_shared: bool
    recorded_by: str | None

    @staticmethod
    def resolve_recorded_by(obj: Any) -> str | None:
        return obj.recorded_by.username if obj.recorded_by_id else None


class FamilyContactIn(Schema):
    date: date
    kind: FamilyContactKind
    summary: str
    contact_with: str = ""
    person_id: int | None = Field(None, description="A person in this review's register.")
    advocacy_offered: bool = False
    advocacy_provider: str = ""
    pseudonym_agreed: bool = False
    draft_shared: bool = False


class MeetingActionOut(Schema):
    id: int
    description: str
    owner: str
    due_on: date | None
    done_on: date | None


class MeetingOut(Schema):
    id: int
    date: date
    title: str
    attendees: str
    minutes: str
    actions: list[MeetingActionOut]


class MeetingActionIn(Schema):
    description: str = Field(min_length=1)
    owner: str = ""
    due_on: date | None = None


class MeetingIn(Schema):
    date: date
    title: str = "Panel meeting"
    attendees: str = ""
    minutes: str = ""
    actions: list[MeetingActionIn] = []


class AuditEventOut(Schema):
    id: int
    at: datetime
    actor: str = Field(description="Who acted, as recorded at the time.")
    channel: str = Field(description="web, api, cli or task")
    source: str
    action: str
    object_type: str
    object_id: str
    summary: str
    data: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor_label
