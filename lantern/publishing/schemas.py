"""JSON shapes for the publication API. Outputs are built by the `*_out` functions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from lantern.publishing.models import (
    BriefingRecipient,
    BriefingSend,
    Circulation,
    CspSignOff,
    DraftComment,
    DraftKind,
    DraftVersion,
    FamilyReading,
    Publication,
    PublishedFile,
    QaOutcome,
    QaSubmission,
    RequiredChange,
    Response,
)
from lantern.reviews.schemas import choices

DraftKindCode = choices(DraftKind.values)
QaOutcomeCode = choices(QaOutcome.values)
ResponseCode = choices(Response.values)
FormatCode = choices(["pdf", "docx"])


# --- out ---------------------------------------------------------------------------------------


class StepOut(Schema):
    key: str = Field(examples=["signoff"])
    title: str
    status: str = Field(description="done | in_progress | not_started | blocked")
    detail: str
    problems: list[str]


class FinalOut(Schema):
    id: int
    version: int
    filename: str
    sha256: str
    anonymisation: str = Field(description="clear | unresolved | not_checked")


class PublicationStatusOut(Schema):
    review: str
    stage: str
    qa_outcome: str
    finals: dict[str, FinalOut]
    steps: list[StepOut]
    next: str | None = Field(description="The key of the first step not done")
    can_publish: bool
    publication_blockers: list[str]


class VersionOut(Schema):
    id: int
    kind: DraftKindCode
    version: int
    filename: str
    format: str
    size: int
    sha256: str
    note: str
    is_final: bool
    uploaded_at: datetime
    uploaded_by: str


class CirculationOut(Schema):
    id: int
    version_id: int
    kind: DraftKindCode
    version: int
    circulated_on: date
    due_on: date
    note: str
    agencies: list[str]
    panel_members: list[str]


class CommentOut(Schema):
    id: int
    circulation_id: int
    agency: str
    section: str
    text: str
    received_on: date
    made_by: str
    on_behalf: bool
    response: str
    response_reason: str
    responded_at: datetime | None


class FamilyReadingOut(Schema):
    id: int
    version_id: int | None
    person_id: int | None
    offered_on: date
    read_on: date | None
    declined: bool
    comments: str
    how_addressed: str


class SignOffOut(Schema):
    id: int
    signed_off_on: date
    signed_off_by: str
    overview_version: int
    summary_version: int
    note: str


class ChecklistItemOut(Schema):
    key: str
    title: str
    status: str = Field(description="met | gap | n/a")
    detail: str


class RequiredChangeOut(Schema):
    id: int
    number: int
    section: str
    text: str
    resolution: str
    resolved_on: date | None
    resolved_by: str


class SubmissionOut(Schema):
    id: int
    round: int
    submitted_on: date
    pack_sha256: str
    pack_filename: str
    note: str
    outcome: str
    letter_received_on: date | None
    strengths: str
    notes: str
    letter_filename: str
    letter_sha256: str
    changes: list[RequiredChangeOut]


class PublishedFileOut(Schema):
    id: int
    kind: DraftKindCode
    filename: str
    size: int
    sha256: str
    frozen_at: datetime


class PublicationOut(Schema):
    published: bool
    published_on: date | None = None
    location: str = ""
    commissioner_sent_on: date | None = None
    home_office_sent_on: date | None = None
    family_told_on: date | None = None
    files: list[PublishedFileOut] = []
    blockers: list[str] = Field(
        default=[], description="Why it cannot be published yet (before publication)"
    )


class RecipientOut(Schema):
    id: int
    send_id: int
    agency: str
    agency_id: int
    emailed: int
    acknowledged_on: date | None
    acknowledged_by: str
    acknowledged_on_behalf: bool
    learning_use: str
    learning_used_on: date | None


class BriefingSendOut(Schema):
    id: int
    sent_on: date
    format: str
    filename: str
    sha256: str
    size: int
    findings: list[dict[str, Any]]
    findings_accepted: bool
    sent_by: str
    note: str
    recipients: list[RecipientOut]


# --- in ----------------------------------------------------------------------------------------


class CirculationIn(Schema):
    version_id: int
    circulated_on: date
    due_on: date
    agencies: list[int | str] = Field(default=[], description="Organisation ids or names")
    panel_members: list[str] = Field(default=[], description="Usernames of panel members")
    note: str = ""


class CommentIn(Schema):
    text: str
    section: str = ""
    agency: int | str | None = Field(
        default=None,
        description="Your own agency by default; the coordinator or chair may name any agency "
        "the draft went to, to record a comment received on its behalf",
    )
    received_on: date | None = None


class ResponseIn(Schema):
    response: ResponseCode
    reason: str = ""


class FamilyReadingIn(Schema):
    offered_on: date
    version_id: int | None = None
    person_id: int | None = None
    read_on: date | None = None
    declined: bool = False
    comments: str = ""
    how_addressed: str = ""


class FamilyReadingPatchIn(Schema):
    offered_on: date | None = None
    read_on: date | None = None
    declined: bool | None = None
    comments: str | None = None
    how_addressed: str | None = None


class PublicationSignOffIn(Schema):
    signed_off_on: date
    signed_off_by: str = Field(examples=["Chair of the Northbridge CSP"])
    note: str = ""


class PackIn(Schema):
    include_briefing: bool = False


class SubmitIn(Schema):
    submitted_on: date
    include_briefing: bool = False
    note: str = ""


class ChangeIn(Schema):
    text: str
    section: str = ""


class RequiredChangeResolveIn(Schema):
    resolution: str
    resolved_on: date


class PublicationIn(Schema):
    published_on: date
    location: str
    commissioner_sent_on: date | None = None
    home_office_sent_on: date | None = None
    family_told_on: date | None = None


class PublicationPatchIn(Schema):
    location: str | None = None
    commissioner_sent_on: date | None = None
    home_office_sent_on: date | None = None
    family_told_on: date | None = None


class BriefingSendIn(Schema):
    agencies: list[int | str] = Field(description="Organisation ids or names of the review's")
    sent_on: date
    format: FormatCode = "pdf"
    accept_findings: bool = False
    note: str = ""


class AcknowledgeIn(Schema):
    acknowledged_on: date | None = None


class LearningIn(Schema):
    learning_use: str
    used_on: date


# --- builders ----------------------------------------------------------------------------------


def version_out(v: DraftVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "kind": v.kind,
        "version": v.version,
        "filename": v.filename,
        "format": v.format,
        "size": v.size,
        "sha256": v.sha256,
        "note": v.note,
        "is_final": v.is_final,
        "uploaded_at": v.uploaded_at,
        "uploaded_by": v.uploaded_by_label,
    }


def circulation_out(c: Circulation) -> dict[str, Any]:
    return {
        "id": c.pk,
        "version_id": c.version_id,
        "kind": c.version.kind,
        "version": c.version.version,
        "circulated_on": c.circulated_on,
        "due_on": c.due_on,
        "note": c.note,
        "agencies": sorted(a.name for a in c.agencies.all()),
        "panel_members": sorted(u.username for u in c.panel_members.all()),
    }


def comment_out(c: DraftComment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "circulation_id": c.circulation_id,
        "agency": c.agency.name,
        "section": c.section,
        "text": c.text,
        "received_on": c.received_on,
        "made_by": c.made_by_label,
        "on_behalf": c.on_behalf,
        "response": c.response,
        "response_reason": c.response_reason,
        "responded_at": c.responded_at,
    }


def reading_out(r: FamilyReading) -> dict[str, Any]:
    return {
        "id": r.pk,
        "version_id": r.version_id,
        "person_id": r.person_id,
        "offered_on": r.offered_on,
        "read_on": r.read_on,
        "declined": r.declined,
        "comments": r.comments,
        "how_addressed": r.how_addressed,
    }


def signoff_out(s: CspSignOff) -> dict[str, Any]:
    return {
        "id": s.pk,
        "signed_off_on": s.signed_off_on,
        "signed_off_by": s.signed_off_by,
        "overview_version": s.overview.version,
        "summary_version": s.summary.version,
        "note": s.note,
    }


def change_out(c: RequiredChange) -> dict[str, Any]:
    return {
        "id": c.pk,
        "number": c.number,
        "section": c.section,
        "text": c.text,
        "resolution": c.resolution,
        "resolved_on": c.resolved_on,
        "resolved_by": c.resolved_by_label,
    }


def submission_out(s: QaSubmission) -> dict[str, Any]:
    return {
        "id": s.pk,
        "round": s.round,
        "submitted_on": s.submitted_on,
        "pack_sha256": s.pack_sha256,
        "pack_filename": s.pack_filename,
        "note": s.note,
        "outcome": s.outcome,
        "letter_received_on": s.letter_received_on,
        "strengths": s.strengths,
        "notes": s.outcome_notes,
        "letter_filename": s.letter_filename,
        "letter_sha256": s.letter_sha256,
        "changes": [change_out(c) for c in s.changes.all()],
    }


def file_out(f: PublishedFile) -> dict[str, Any]:
    return {
        "id": f.pk,
        "kind": f.kind,
        "filename": f.filename,
        "size": f.size,
        "sha256": f.sha256,
        "frozen_at": f.frozen_at,
    }


def publication_out(p: Publication | None, *, blockers: list[str]) -> dict[str, Any]:
    if p is None:
        return {"published": False, "blockers": blockers}
    return {
        "published": True,
        "published_on": p.published_on,
        "location": p.location,
        "commissioner_sent_on": p.commissioner_sent_on,
        "home_office_sent_on": p.home_office_sent_on,
        "family_told_on": p.family_told_on,
        "files": [file_out(f) for f in p.files.defer("content")],
        "blockers": [],
    }


def recipient_out(r: BriefingRecipient) -> dict[str, Any]:
    return {
        "id": r.pk,
        "send_id": r.send_id,
        "agency": r.agency.name,
        "agency_id": r.agency_id,
        "emailed": r.emailed,
        "acknowledged_on": r.acknowledged_on,
        "acknowledged_by": r.acknowledged_by_label,
        "acknowledged_on_behalf": r.acknowledged_on_behalf,
        "learning_use": r.learning_use,
        "learning_used_on": r.learning_used_on,
    }


def send_out(s: BriefingSend, recipients: list[BriefingRecipient]) -> dict[str, Any]:
    return {
        "id": s.pk,
        "sent_on": s.sent_on,
        "format": s.format,
        "filename": s.filename,
        "sha256": s.sha256,
        "size": s.size,
        "findings": s.findings,
        "findings_accepted": s.findings_accepted,
        "sent_by": s.sent_by_label,
        "note": s.note,
        "recipients": [recipient_out(r) for r in recipients if r.send_id == s.pk],
    }
