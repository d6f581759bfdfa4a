"""The publication API: drafts and finals, circulation and factual-accuracy comments, the
family's reading, CSP sign-off, the submission pack and checklist, QA rounds, the publication
record with its frozen files, and the briefing's dissemination.

Mounted under /reviews, so every route is /api/reviews/{reference}/publication/... Access is
decided in authentication (`member(need, what)`): 404 for non-members whatever they send, 403
for members without the capability; GETs are audited. Writes call the same services as the
pages and the CLI, which check again (an agency author comments and acknowledges for their own
agency only).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Status, UploadedFile

from lantern.accounts.api import organisation_from_input
from lantern.accounts.models import Organisation, ReviewRole, User
from lantern.accounts.schemas import error_responses, file_response
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.publishing import selectors, services, services_briefing, services_qa
from lantern.publishing.models import (
    BriefingRecipient,
    BriefingSend,
    CspSignOff,
    DraftComment,
    DraftVersion,
    FamilyReading,
    PublishedFile,
    QaSubmission,
    RequiredChange,
)
from lantern.publishing.pack import checklist
from lantern.publishing.schemas import (
    AcknowledgeIn,
    BriefingSendIn,
    BriefingSendOut,
    ChangeIn,
    ChecklistItemOut,
    CirculationIn,
    CirculationOut,
    CommentIn,
    CommentOut,
    DraftKindCode,
    FamilyReadingIn,
    FamilyReadingOut,
    FamilyReadingPatchIn,
    LearningIn,
    PackIn,
    PublicationIn,
    PublicationOut,
    PublicationPatchIn,
    PublicationSignOffIn,
    PublicationStatusOut,
    RecipientOut,
    RequiredChangeOut,
    RequiredChangeResolveIn,
    ResponseIn,
    SignOffOut,
    SubmissionOut,
    SubmitIn,
    VersionOut,
    change_out,
    circulation_out,
    comment_out,
    publication_out,
    reading_out,
    recipient_out,
    send_out,
    signoff_out,
    submission_out,
    version_out,
)
from lantern.reviews.access import Cap
from lantern.reviews.api import member, refuse_nulls
from lantern.reviews.api import request_actor as _actor
from lantern.reviews.api import request_caps as _caps
from lantern.reviews.api import request_review as _review

router = Router(tags=["Publication"])
ERRORS = error_responses(403, 404, 422)
ZIP_TYPE = "application/zip"
P = "/{reference}/publication"


def _file(
    request: HttpRequest,
    *,
    content: Any,
    filename: str,
    content_type: str,
    what: str,
    object_id: str,
) -> HttpResponse:
    audit_record(
        action=AuditEvent.Action.EXPORT,
        by=_actor(request),
        review=_review(request),
        object_type=what,
        object_id=object_id,
        summary=f"Downloaded {what} {filename} through the API",
    )
    response = HttpResponse(bytes(content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename.replace(chr(34), "")}"'
    return response


_NOTE = Form("")
_FINAL = Form(False)


# --- status ------------------------------------------------------------------------------------


@router.get(
    P + "/status",
    response={200: PublicationStatusOut, **ERRORS},
    auth=member(Cap.VIEW_PUBLICATION, "publication"),
    operation_id="publication_status",
    summary="Where each step stands, what is next, and what blocks publication",
)
def publication_status(request: HttpRequest, reference: str) -> Any:
    return selectors.status(_review(request))


# --- drafts ------------------------------------------------------------------------------------


@router.get(
    P + "/drafts",
    response={200: list[VersionOut], **ERRORS},
    auth=member(Cap.VIEW_DOCUMENTS, "drafts"),
    operation_id="drafts_list",
    summary="Every uploaded version of the author's documents, the finals marked",
)
def drafts_list(request: HttpRequest, reference: str) -> Any:
    return [version_out(v) for v in selectors.versions(_review(request))]


@router.post(
    P + "/drafts",
    response={201: VersionOut, **ERRORS},
    auth=member(Cap.EDIT_DRAFTS, "drafts"),
    operation_id="draft_upload",
    summary="Upload a version (DOCX or PDF) of the overview report, executive summary or appendix",
)
def draft_upload(
    request: HttpRequest,
    reference: str,
    kind: Form[DraftKindCode],
    file: File[UploadedFile],
    note: str = _NOTE,
    final: bool = _FINAL,
) -> Any:
    if file.size > services.MAX_DRAFT_BYTES:
        raise ValidationError({"file": ["The file must be smaller than 25 MB."]})
    version = services.draft_upload(
        review=_review(request),
        by=_actor(request),
        kind=kind,
        filename=file.name or "draft",
        content=file.read(),
        note=note,
        final=final,
    )
    return Status(201, version_out(version))


def _version(request: HttpRequest, id: int) -> DraftVersion:
    return get_object_or_404(DraftVersion.objects.defer("content"), review=_review(request), pk=id)


@router.get(
    P + "/drafts/{id}/file",
    response={200: None, **ERRORS},
    auth=member(Cap.VIEW_DOCUMENTS, "draft"),
    operation_id="draft_download",
    summary="Download a version",
    openapi_extra=file_response(*services.CONTENT_TYPES.values()),
)
def draft_download(request: HttpRequest, reference: str, id: int) -> Any:
    v = get_object_or_404(DraftVersion, review=_review(request), pk=id)
    return _file(
        request,
        content=v.content,
        filename=f"{reference}-{v.kind.replace('_', '-')}-v{v.version}.{v.format}",
        content_type=v.content_type,
        what="draft",
        object_id=str(v.pk),
    )


@router.post(
    P + "/drafts/{id}/final",
    response={200: VersionOut, **ERRORS},
    auth=member(Cap.EDIT_DRAFTS, "drafts"),
    operation_id="draft_mark_final",
    summary="Mark a version final: the one checked, submitted and published",
)
def draft_mark_final(request: HttpRequest, reference: str, id: int) -> Any:
    return version_out(services.draft_mark_final(version=_version(request, id), by=_actor(request)))


# --- circulation and comments ------------------------------------------------------------------


@router.get(
    P + "/circulations",
    response={200: list[CirculationOut], **ERRORS},
    auth=member(Cap.COMMENT_ON_DRAFTS, "circulations"),
    operation_id="circulations_list",
    summary="Drafts circulated for factual-accuracy comments (to your agency, unless you run "
    "the report)",
)
def circulations_list(request: HttpRequest, reference: str) -> Any:
    qs = selectors.circulations_visible(
        review=_review(request), user=_actor(request), caps=_caps(request)
    ).prefetch_related("agencies", "panel_members")
    return [circulation_out(c) for c in qs]


@router.post(
    P + "/circulations",
    response={201: CirculationOut, **ERRORS},
    auth=member(Cap.EDIT_DRAFTS, "circulations"),
    operation_id="circulation_create",
    summary="Circulate a version to agencies and panel members for factual-accuracy comments",
)
def circulation_create(request: HttpRequest, reference: str, payload: CirculationIn) -> Any:
    review = _review(request)
    version = DraftVersion.objects.defer("content").filter(review=review, pk=payload.version_id)
    if not version.exists():
        raise ValidationError({"version_id": "No such version of this review."})
    on_review = Organisation.objects.filter(pk__in=review.agencies.values("organisation_id"))
    agencies = [
        organisation_from_input(a, field="agencies", among=on_review, required=True)
        for a in payload.agencies
    ]
    members = []
    for username in payload.panel_members:
        user = User.objects.filter(
            username=username,
            memberships__review=review,
            memberships__role=ReviewRole.PANEL_MEMBER,
            memberships__ended_at__isnull=True,
        ).first()
        if user is None:
            raise ValidationError({"panel_members": f"“{username}” is not on this review's panel."})
        members.append(user)
    circulation = services.circulation_create(
        version=version.get(),
        by=_actor(request),
        circulated_on=payload.circulated_on,
        due_on=payload.due_on,
        agencies=agencies,  # type: ignore[arg-type]
        panel_members=members,
        note=payload.note,
    )
    return Status(201, circulation_out(circulation))


def _circulation(request: HttpRequest, id: int) -> Any:
    found = (
        selectors.circulations_visible(
            review=_review(request), user=_actor(request), caps=_caps(request)
        )
        .filter(pk=id)
        .first()
    )
    if found is None:
        raise Http404
    return found


@router.get(
    P + "/circulations/{id}/file",
    response={200: None, **ERRORS},
    auth=member(Cap.COMMENT_ON_DRAFTS, "circulated draft"),
    operation_id="circulation_download",
    summary="Download the circulated version (those it was circulated to)",
    openapi_extra=file_response(*services.CONTENT_TYPES.values()),
)
def circulation_download(request: HttpRequest, reference: str, id: int) -> Any:
    circulation = _circulation(request, id)
    v = DraftVersion.objects.get(pk=circulation.version_id)
    return _file(
        request,
        content=v.content,
        filename=f"{reference}-{v.kind.replace('_', '-')}-v{v.version}-draft.{v.format}",
        content_type=v.content_type,
        what="circulated draft",
        object_id=str(v.pk),
    )


@router.get(
    P + "/comments",
    response={200: list[CommentOut], **ERRORS},
    auth=member(Cap.COMMENT_ON_DRAFTS, "factual-accuracy comments"),
    operation_id="comments_list",
    summary="Factual-accuracy comments (your own agency's only, unless you run the report)",
)
def comments_list(request: HttpRequest, reference: str) -> Any:
    qs = selectors.comments_visible(
        review=_review(request), user=_actor(request), caps=_caps(request)
    )
    return [comment_out(c) for c in qs]


@router.post(
    P + "/circulations/{id}/comments",
    response={201: CommentOut, **ERRORS},
    auth=member(Cap.COMMENT_ON_DRAFTS, "factual-accuracy comments"),
    operation_id="comment_add",
    summary="Comment on a circulated draft for your agency (or record one on an agency's behalf)",
)
def comment_add(request: HttpRequest, reference: str, id: int, payload: CommentIn) -> Any:
    circulation = _circulation(request, id)
    agency = organisation_from_input(payload.agency, field="agency")
    comment = services.comment_add(
        circulation=circulation,
        by=_actor(request),
        text=payload.text,
        section=payload.section,
        agency=agency,
        received_on=payload.received_on,
    )
    return Status(201, comment_out(comment))


@router.post(
    P + "/comments/{id}/response",
    response={200: CommentOut, **ERRORS},
    auth=member(Cap.EDIT_DRAFTS, "factual-accuracy comments"),
    operation_id="comment_respond",
    summary="The author's response: accepted, or not accepted with the reason",
)
def comment_respond(request: HttpRequest, reference: str, id: int, payload: ResponseIn) -> Any:
    comment = get_object_or_404(
        DraftComment.objects.select_related("circulation", "agency"),
        circulation__review=_review(request),
        pk=id,
    )
    comment = services.comment_respond(
        comment=comment, by=_actor(request), response=payload.response, reason=payload.reason
    )
    return comment_out(comment)


# --- the family's reading ----------------------------------------------------------------------


@router.get(
    P + "/family-readings",
    response={200: list[FamilyReadingOut], **ERRORS},
    auth=member(Cap.VIEW_FAMILY, "family reading"),
    operation_id="family_readings_list",
    summary="The family's reading of the draft",
)
def family_readings_list(request: HttpRequest, reference: str) -> Any:
    return [reading_out(r) for r in selectors.family_readings(_review(request))]


@router.post(
    P + "/family-readings",
    response={201: FamilyReadingOut, **ERRORS},
    auth=member(Cap.MANAGE_PUBLICATION, "family reading"),
    operation_id="family_reading_record",
    summary="Record that the family was offered the draft, and their reading of it",
)
def family_reading_record(request: HttpRequest, reference: str, payload: FamilyReadingIn) -> Any:
    review = _review(request)
    data = payload.model_dump()
    version_id, person_id = data.pop("version_id"), data.pop("person_id")
    version = _version(request, version_id) if version_id else None
    person = review.people.filter(pk=person_id).first() if person_id else None
    if person_id and person is None:
        raise ValidationError({"person_id": "No such person on this review."})
    reading = services.family_reading_record(
        review=review, by=_actor(request), version=version, person=person, **data
    )
    return Status(201, reading_out(reading))


@router.patch(
    P + "/family-readings/{id}",
    response={200: FamilyReadingOut, **ERRORS},
    auth=member(Cap.MANAGE_PUBLICATION, "family reading"),
    operation_id="family_reading_update",
    summary="Add the date read (or declined), the family's comments and how they were addressed",
)
def family_reading_update(
    request: HttpRequest, reference: str, id: int, payload: FamilyReadingPatchIn
) -> Any:
    reading = get_object_or_404(FamilyReading, review=_review(request), pk=id)
    changes = refuse_nulls(payload.model_dump(exclude_unset=True), FamilyReading)
    return reading_out(
        services.family_reading_update(reading=reading, by=_actor(request), **changes)
    )


# --- sign-off, checklist and pack --------------------------------------------------------------


@router.get(
    P + "/sign-offs",
    response={200: list[SignOffOut], **ERRORS},
    auth=member(Cap.VIEW_PUBLICATION, "CSP sign-off"),
    operation_id="signoffs_list",
    summary="The CSP's sign-offs, newest first",
)
def signoffs_list(request: HttpRequest, reference: str) -> Any:
    qs = CspSignOff.objects.filter(review=_review(request)).select_related("overview", "summary")
    return [signoff_out(s) for s in qs]


@router.post(
    P + "/sign-offs",
    response={201: SignOffOut, **ERRORS},
    auth=member(Cap.EDIT_DRAFTS, "CSP sign-off"),
    operation_id="signoff_record",
    summary="Record the CSP's sign-off of the finals (moves a review in drafting on)",
)
def signoff_record(request: HttpRequest, reference: str, payload: PublicationSignOffIn) -> Any:
    signoff = services.signoff_record(
        review=_review(request), by=_actor(request), **payload.model_dump()
    )
    return Status(201, signoff_out(signoff))


@router.get(
    P + "/checklist",
    response={200: list[ChecklistItemOut], **ERRORS},
    auth=member(Cap.VIEW_PUBLICATION, "submission checklist"),
    operation_id="publication_checklist",
    summary="What the Home Office QA panel looks for, from the review's records, gaps flagged",
)
def publication_checklist(request: HttpRequest, reference: str) -> Any:
    return [i.as_dict() for i in checklist(_review(request))]


@router.post(
    P + "/pack",
    response={200: None, **ERRORS},
    auth=member(Cap.MANAGE_PUBLICATION, "submission pack"),
    operation_id="publication_pack",
    summary="Build the Home Office submission pack (zip); refused without final versions",
    openapi_extra=file_response(ZIP_TYPE),
)
def publication_pack(request: HttpRequest, reference: str, payload: PackIn) -> Any:
    pack = services_qa.pack_download(
        review=_review(request), by=_actor(request), include_briefing=payload.include_briefing
    )
    response = HttpResponse(pack.content, content_type=ZIP_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{pack.filename}"'
    response["X-Pack-SHA256"] = pack.sha256
    return response


# --- QA ----------------------------------------------------------------------------------------


@router.get(
    P + "/qa",
    response={200: list[SubmissionOut], **ERRORS},
    auth=member(Cap.VIEW_PUBLICATION, "Home Office QA"),
    operation_id="qa_rounds_list",
    summary="Each submission to the Home Office QA panel, its letter and required changes",
)
def qa_rounds_list(request: HttpRequest, reference: str) -> Any:
    return [submission_out(s) for s in selectors.submissions(_review(request))]


@router.post(
    P + "/qa",
    response={201: SubmissionOut, **ERRORS},
    auth=member(Cap.MANAGE_PUBLICATION, "Home Office QA"),
    operation_id="qa_submit",
    summary="Submit (or resubmit) to the QA panel: the pack is built and kept with its sha256",
)
def qa_submit(request: HttpRequest, reference: str, payload: SubmitIn) -> Any:
    submission = services_qa.qa_submit(
        review=_review(request), by=_actor(request), **payload.model_dump()
    )
    return Status(201, submission_out(submission))


def _submission(request: HttpRequest, id: int) -> QaSubmission:
    return get_object_or_404(QaSubmission, review=_review(request), pk=id)


_OPTIONAL_FILE = File(None)


@router.post(
    P + "/qa/{id}/outcome",
    response={200: SubmissionOut, **ERRORS},
    auth=member(Cap.MANAGE_PUBLICATION, "Home Office QA"),
    operation_id="qa_outcome",
    summary="Record the panel's feedback letter: outcome, the letter, strengths, changes",
)
def qa_outcome(
    request: HttpRequest,
    reference: str,
    id: int,
    outcome: Form[str],
    letter_received_on: Form[str],
    strengths: str = _NOTE,
    notes: str = _NOTE,
    changes: str = Form("", description="The changes required, one a line"),
    letter: UploadedFile | None = _OPTIONAL_FILE,
) -> Any:
    from datetime import date

    try:
        received = date.fromisoformat(letter_received_on)
    except ValueError:
        raise ValidationError({"letter_received_on": "Enter a date as YYYY-MM-DD."})
    submission = services_qa.qa_feedback_record(
        submission=_submission(request, id),
        by=_actor(request),
        outcome=outcome,
        letter_received_on=received,
        strengths=strengths,
        notes=notes,
        changes=[line for line in changes.splitlines() if line.strip()],
        letter_filename=letter.name if letter is not None else "",
        letter=letter.read() if letter is not None else None,
    )
    return submission_out(submission)


@router.get(
    P + "/qa/{id}/letter",
    response={200: None, **ERRORS},
    auth=member(Cap.VIEW_PUBLICATION, "QA letter"),
    operation_id="qa_letter_download",
    summary="Download the panel's feedback letter of a round",
    openapi_extra=file_response(*services.CONTENT_TYPES.values()),
)
def qa_letter_download(request: HttpRequest, reference: str, id: int) -> Any:
    s = _submission(request, id)
    if not s.letter_filename:
        raise Http404
    return _file(
        request,
        content=s.letter,
        filename=s.letter_filename,
        content_type=s.letter_content_type,
        what="QA letter",
        object_id=str(s.pk),
    )


@router.get(
    P + "/qa/{id}/pack",
    response={200: None, **ERRORS},
    auth=member(Cap.VIEW_DOCUMENTS, "submitted pack"),
    operation_id="qa_pack_download",
    summary="Download the pack exactly as submitted in a round",
    openapi_extra=file_response(ZIP_TYPE),
)
def qa_pack_download(request: HttpRequest, reference: str, id: int) -> Any:
    s = _submission(request, id)
    return _file(
        request,
        content=s.pack,
        filename=s.pack_filename,
        content_type=ZIP_TYPE,
        what="submitted pack",
        object_id=str(s.pk),
    )


@router.post(
    P + "/qa/{id}/changes",
    response={201: RequiredChangeOut, **ERRORS},
    auth=member(Cap.MANAGE_PUBLICATION, "Home Office QA"),
    operation_id="qa_change_add",
    summary="Add a change the panel's letter requires",
)
def qa_change_add(request: HttpRequest, reference: str, id: int, payload: ChangeIn) -> Any:
    change = services_qa.required_change_add(
        submission=_submission(request, id), by=_actor(request), **payload.model_dump()
    )
    return Status(201, change_out(change))


@router.post(
    P + "/required-changes/{id}/resolve",
    response={200: RequiredChangeOut, **ERRORS},
    auth=member(Cap.EDIT_DRAFTS, "Home Office QA"),
    operation_id="qa_change_resolve",
    summary="Record how a required change was made, by whom and when",
)
def qa_change_resolve(
    request: HttpRequest, reference: str, id: int, payload: RequiredChangeResolveIn
) -> Any:
    change = get_object_or_404(
        RequiredChange.objects.select_related("submission"),
        submission__review=_review(request),
        pk=id,
    )
    return change_out(
        services_qa.required_change_resolve(
            change=change, by=_actor(request), **payload.model_dump()
        )
    )


# --- publication -------------------------------------------------------------------------------


@router.get(
    P + "/record",
    response={200: PublicationOut, **ERRORS},
    auth=member(Cap.VIEW_PUBLICATION, "publication record"),
    operation_id="publication_get",
    summary="The publication record and its frozen files (or what blocks publication)",
)
def publication_get(request: HttpRequest, reference: str) -> Any:
    review = _review(request)
    publication = selectors.publication_of(review)
    blockers = [] if publication else selectors.publication_blockers(review)
    return publication_out(publication, blockers=blockers)


@router.post(
    P + "/record",
    response={201: PublicationOut, **ERRORS},
    auth=member(Cap.MANAGE_PUBLICATION, "publication record"),
    operation_id="publication_record",
    summary="Publish: refused until QA allows it, the CSP signed off and every final is clear",
)
def publication_record(request: HttpRequest, reference: str, payload: PublicationIn) -> Any:
    publication = services_qa.publication_record(
        review=_review(request), by=_actor(request), **payload.model_dump()
    )
    return Status(201, publication_out(publication, blockers=[]))


@router.patch(
    P + "/record",
    response={200: PublicationOut, **ERRORS},
    auth=member(Cap.MANAGE_PUBLICATION, "publication record"),
    operation_id="publication_update",
    summary="Record copies sent and the family told (the published files never change)",
)
def publication_update(request: HttpRequest, reference: str, payload: PublicationPatchIn) -> Any:
    publication = selectors.publication_of(_review(request))
    if publication is None:
        raise ValidationError("The review has not been published.")
    publication = services_qa.publication_update(
        publication=publication, by=_actor(request), **payload.model_dump(exclude_unset=True)
    )
    return publication_out(publication, blockers=[])


def _published_file(request: HttpRequest, id: int) -> PublishedFile:
    return get_object_or_404(
        PublishedFile.objects.select_related("publication__review"),
        publication__review=_review(request),
        pk=id,
    )


@router.get(
    P + "/record/files/{id}",
    response={200: None, **ERRORS},
    auth=member(Cap.VIEW_PUBLICATION, "published file"),
    operation_id="published_file_download",
    summary="Download a file frozen as published",
    openapi_extra=file_response(*services.CONTENT_TYPES.values()),
)
def published_file_download(request: HttpRequest, reference: str, id: int) -> Any:
    f = _published_file(request, id)
    return _file(
        request,
        content=f.content,
        filename=f.filename,
        content_type=f.content_type,
        what="published file",
        object_id=str(f.pk),
    )


@router.delete(
    P + "/record/files/{id}",
    response={200: None, **ERRORS},
    auth=member(Cap.MANAGE_PUBLICATION, "published file"),
    operation_id="published_file_delete",
    summary="Always refused (422): files frozen as published are never deleted",
)
def published_file_delete(request: HttpRequest, reference: str, id: int) -> Any:
    services_qa.published_file_delete(file=_published_file(request, id), by=_actor(request))


# --- dissemination -----------------------------------------------------------------------------


@router.get(
    P + "/briefings",
    response={200: list[BriefingSendOut], **ERRORS},
    auth=member(Cap.VIEW_PUBLICATION, "dissemination"),
    operation_id="briefings_list",
    summary="Each sending of the 7-minute briefing, with every agency's acknowledgement",
)
def briefings_list(request: HttpRequest, reference: str) -> Any:
    review = _review(request)
    recipients = list(
        selectors.recipients_visible(review=review, user=_actor(request), caps=_caps(request))
    )
    return [send_out(s, recipients) for s in selectors.briefing_sends(review)]


@router.post(
    P + "/briefings",
    response={201: BriefingSendOut, **ERRORS},
    auth=member(Cap.MANAGE_PUBLICATION, "dissemination"),
    operation_id="briefing_send",
    summary="Send the briefing to agencies: checked for identifying details, kept as sent",
)
def briefing_send(request: HttpRequest, reference: str, payload: BriefingSendIn) -> Any:
    review = _review(request)
    on_review = Organisation.objects.filter(pk__in=review.agencies.values("organisation_id"))
    agencies = [
        organisation_from_input(a, field="agencies", among=on_review, required=True)
        for a in payload.agencies
    ]
    send = services_briefing.briefing_send(
        review=review,
        by=_actor(request),
        agencies=agencies,  # type: ignore[arg-type]
        sent_on=payload.sent_on,
        fmt=payload.format,
        accept_findings=payload.accept_findings,
        note=payload.note,
    )
    return Status(201, send_out(send, list(send.recipients.select_related("agency"))))


@router.get(
    P + "/briefings/{id}/file",
    response={200: None, **ERRORS},
    auth=member(Cap.VIEW, "briefing as sent"),
    operation_id="briefing_download",
    summary="Download the briefing as sent (the publication's readers, and agencies sent it)",
    openapi_extra=file_response(*services_briefing.BRIEFING_FORMATS.values()),
)
def briefing_download(request: HttpRequest, reference: str, id: int) -> Any:
    review, caps = _review(request), _caps(request)
    send = get_object_or_404(BriefingSend, review=review, pk=id)
    if Cap.VIEW_PUBLICATION not in caps and not (
        Cap.ACKNOWLEDGE_BRIEFING in caps
        and selectors.recipients_visible(
            review=review, user=_actor(request), caps=caps, own_only=True
        )
        .filter(send=send)
        .exists()
    ):
        raise PermissionDenied
    return _file(
        request,
        content=send.content,
        filename=send.filename,
        content_type=send.content_type,
        what="briefing as sent",
        object_id=str(send.pk),
    )


@router.get(
    P + "/acknowledgements",
    response={200: list[RecipientOut], **ERRORS},
    auth=member(Cap.ACKNOWLEDGE_BRIEFING, "briefing acknowledgement"),
    operation_id="acknowledgements_list",
    summary="The briefings sent to your agency, with its acknowledgement and use",
)
def acknowledgements_list(request: HttpRequest, reference: str) -> Any:
    qs = selectors.recipients_visible(
        review=_review(request), user=_actor(request), caps=_caps(request), own_only=True
    )
    return [recipient_out(r) for r in qs]


def _recipient(request: HttpRequest, id: int) -> BriefingRecipient:
    return get_object_or_404(
        BriefingRecipient.objects.select_related("send", "agency", "send__review"),
        send__review=_review(request),
        pk=id,
    )


@router.post(
    P + "/acknowledgements/{id}/acknowledge",
    response={200: RecipientOut, **ERRORS},
    auth=member(Cap.VIEW, "briefing acknowledgement", audit=False),
    operation_id="briefing_acknowledge",
    summary="Acknowledge the briefing for your agency (or, as coordinator, on its behalf)",
)
def briefing_acknowledge(
    request: HttpRequest, reference: str, id: int, payload: AcknowledgeIn
) -> Any:
    recipient = services_briefing.briefing_acknowledge(
        recipient=_recipient(request, id),
        by=_actor(request),
        acknowledged_on=payload.acknowledged_on,
    )
    return recipient_out(recipient)


@router.post(
    P + "/acknowledgements/{id}/learning",
    response={200: RecipientOut, **ERRORS},
    auth=member(Cap.VIEW, "briefing acknowledgement", audit=False),
    operation_id="briefing_learning",
    summary="Record how your agency used the learning",
)
def briefing_learning(request: HttpRequest, reference: str, id: int, payload: LearningIn) -> Any:
    recipient = services_briefing.briefing_learning_record(
        recipient=_recipient(request, id),
        by=_actor(request),
        learning_use=payload.learning_use,
        used_on=payload.used_on,
    )
    return recipient_out(recipient)
