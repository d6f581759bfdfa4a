"""Chronology API: agency returns, chasers, sharing with the panel, and IMRs.

Mounted under /api/reviews, paths /{reference}/chronology/returns... and .../imrs... . Access is
as on the pages: each route declares its capability with `member()` (404 for non-members, 403
for members without it, checked before the body is read); an agency whose material the caller
may not see is 404; the services check again and record the timeline and audit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from lantern.accounts.models import Organisation
from lantern.accounts.schemas import ObjectId, error_responses, file_response
from lantern.chronology import imr_template
from lantern.chronology import services_returns as services
from lantern.chronology.models import IMR, AgencyReturn, IMRDocument
from lantern.chronology.selectors import can_edit_agency
from lantern.chronology.selectors_returns import (
    ItemStatus,
    agency_visible,
    imrs_for_review,
    return_rows,
)
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.access import Cap
from lantern.reviews.api import member
from lantern.reviews.api import request_actor as _actor
from lantern.reviews.api import request_review as _review
from lantern.reviews.models import Review

router = Router(tags=["Chronology: returns and IMRs"])

ERRORS = error_responses(403, 404, 422)


def _agency(request: HttpRequest, agency_id: int) -> Organisation:
    if not agency_visible(user=_actor(request), review=_review(request), agency_id=agency_id):
        raise Http404
    return get_object_or_404(Organisation, pk=agency_id)


def _agencies(review: Review, ids: list[int]) -> list[Organisation]:
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        message = _("No organisation with id %(ids)s.") % {"ids": ", ".join(missing)}
        raise ValidationError({"agencies": [message]})
    return [found[i] for i in ids]


def _not_asked(agency: Organisation) -> str:
    return _("Nothing has been asked of %(names)s yet.") % {"names": agency.name}


# --- shapes ------------------------------------------------------------------------------------


class ItemOut(Schema):
    status: str = Field(
        description="not_asked | on_track | due_soon | overdue | received | received_late"
    )
    asked_on: date | None
    due_on: date | None
    done_on: date | None


def _item(item: ItemStatus) -> dict[str, Any]:
    return {
        "status": item.status,
        "asked_on": item.asked_on,
        "due_on": item.due_on,
        "done_on": item.done_on,
    }


class ChaserOut(Schema):
    sent_on: date
    about: str
    note: str
    emailed_count: int


class ReturnOut(Schema):
    agency_id: int
    agency: str
    asked: bool = Field(description="Whether anything has been asked of the agency yet")
    answer: str = Field(description="contact | no_contact | '' (awaited)")
    contact_from: date | None = None
    contact_to: date | None = None
    records_secured_on: date | None = None
    imr_kind: str = ""
    contact_question: ItemOut | None = None
    chronology: ItemOut | None = None
    imr: ItemOut | None = None
    overall: str
    chasers: list[ChaserOut] = []
    shared_with_panel_on: date | None = None


def _return_out(row: Any) -> dict[str, Any]:
    r: AgencyReturn | None = row.agency_return
    out: dict[str, Any] = {
        "agency_id": row.agency.pk,
        "agency": row.agency.name,
        "asked": r is not None,
        "answer": r.answer if r else "",
        "overall": row.status.overall if row.status else "not_asked",
    }
    if r is not None:
        out.update(
            contact_from=r.contact_from,
            contact_to=r.contact_to,
            records_secured_on=r.records_secured_on,
            imr_kind=r.imr_kind,
            contact_question=_item(row.status.answer),
            chronology=_item(row.status.chronology),
            imr=_item(row.status.imr),
            chasers=[
                {
                    "sent_on": c.sent_on,
                    "about": c.about,
                    "note": c.note,
                    "emailed_count": c.emailed_count,
                }
                for c in row.chasers
            ],
            shared_with_panel_on=r.shared_with_panel_on,
        )
    return out


def _rows(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _return_out(row)
        for row in return_rows(
            user=_actor(request), review=_review(request), today=timezone.localdate()
        )
    ]


class ReturnsActionIn(Schema):
    action: Literal["ask", "request", "received"] = Field(
        description="ask: the contact question (and secure records); request: a chronology, "
        "IMR or summary; received: record that a chronology or IMR arrived"
    )
    agencies: list[ObjectId] = Field(min_length=1, description="Organisation ids")
    on: date = Field(description="The date asked, requested or received")
    what: Literal["chronology", "imr", "summary"] | None = Field(
        None, description="For request and received"
    )
    due_on: date | None = Field(
        None, description="For request: default the configured number of working days"
    )
    secure_records: bool = Field(True, description="For ask: tell the agencies to secure records")


class AnswerIn(Schema):
    answer: Literal["contact", "no_contact"]
    answered_on: date
    contact_from: date | None = None
    contact_to: date | None = None


class ChaserIn(Schema):
    agencies: list[ObjectId] = Field(min_length=1)
    about: Literal["answer", "chronology", "imr"]
    sent_on: date
    note: str = Field("", description="For the record only; never put in the email")


class ShareIn(Schema):
    agencies: list[ObjectId] = Field(min_length=1)
    shared: bool = Field(True, description="true to share with the panel, false to withdraw")
    on: date | None = Field(None, description="Date shared (required when sharing)")


class ImrDocumentOut(Schema):
    version: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class ImrOut(Schema):
    agency_id: int
    agency: str
    exists: bool
    kind: str
    sections: dict[str, str]
    author_name: str
    independence_statement: str
    recommendations: list[str]
    senior_manager_name: str
    senior_manager_signed_off_on: date | None
    documents: list[ImrDocumentOut]
    can_edit: bool


class ImrIn(Schema):
    sections: dict[str, str] = Field(
        default_factory=dict,
        description="Section code -> text; codes: " + ", ".join(imr_template.text_codes()),
    )
    author_name: str = ""
    independence_statement: str = ""
    recommendations: list[str] = []


class ImrSignOffIn(Schema):
    senior_manager_name: str
    signed_off_on: date


def _imr_out(request: HttpRequest, agency: Organisation, imr: IMR | None) -> dict[str, Any]:
    review = _review(request)
    requested = AgencyReturn.objects.filter(review=review, agency=agency).first()
    return {
        "agency_id": agency.pk,
        "agency": agency.name,
        "exists": imr is not None,
        "kind": imr.kind if imr else (requested.imr_kind if requested else "") or "imr",
        "sections": dict(imr.sections or {}) if imr else {},
        "author_name": imr.author_name if imr else "",
        "independence_statement": imr.independence_statement if imr else "",
        "recommendations": list(imr.recommendations or []) if imr else [],
        "senior_manager_name": imr.senior_manager_name if imr else "",
        "senior_manager_signed_off_on": imr.senior_manager_signed_off_on if imr else None,
        "documents": list(imr.documents.all()) if imr else [],
        "can_edit": Cap.EDIT_OWN_AGENCY_MATERIAL in review.viewer_caps  # type: ignore[attr-defined]
        and can_edit_agency(user=_actor(request), review=review, agency_id=agency.pk),
    }


# --- returns -----------------------------------------------------------------------------------


@router.get(
    "/{reference}/chronology/returns",
    response={200: list[ReturnOut], **ERRORS},
    auth=member(Cap.VIEW_CHRONOLOGY, "agency returns"),
    operation_id="returns_list",
    summary="Every agency's return that you may see: asked, answered, requested, received",
)
def returns_list(request: HttpRequest, reference: str) -> Any:
    return _rows(request)


@router.post(
    "/{reference}/chronology/returns",
    response={200: list[ReturnOut], **ERRORS},
    auth=member(Cap.MANAGE_RETURNS, "agency returns"),
    operation_id="returns_record",
    summary="Ask agencies about contact, request chronologies or IMRs, or record receipt",
)
def returns_record(request: HttpRequest, reference: str, payload: ReturnsActionIn) -> Any:
    review, by = _review(request), _actor(request)
    agencies = _agencies(review, payload.agencies)
    if payload.action == "ask":
        services.returns_ask(
            review=review,
            by=by,
            agencies=agencies,
            asked_on=payload.on,
            secure_records=payload.secure_records,
        )
    elif payload.what is None:
        raise ValidationError({"what": [_("Say what is requested or received.")]})
    elif payload.action == "request":
        services.returns_request(
            review=review,
            by=by,
            agencies=agencies,
            what=payload.what,
            requested_on=payload.on,
            due_on=payload.due_on,
        )
    else:
        with transaction.atomic():
            for agency in agencies:
                agency_return = AgencyReturn.objects.filter(review=review, agency=agency).first()
                if agency_return is None:
                    raise ValidationError({"agencies": [_not_asked(agency)]})
                services.return_received(
                    agency_return=agency_return, by=by, what=payload.what, received_on=payload.on
                )
    return _rows(request)


@router.post(
    "/{reference}/chronology/returns/{int:agency_id}/answer",
    response={200: ReturnOut, **ERRORS},
    auth=member(Cap.EDIT_OWN_AGENCY_MATERIAL, "agency return", audit=False),
    operation_id="return_answer",
    summary="Answer the contact question for your agency (the coordinator: for any agency)",
)
def return_answer(request: HttpRequest, reference: str, agency_id: int, payload: AnswerIn) -> Any:
    review = _review(request)
    agency = _agency(request, agency_id)
    agency_return = AgencyReturn.objects.filter(review=review, agency=agency).first()
    if agency_return is None:
        raise Http404
    services.return_answer(agency_return=agency_return, by=_actor(request), **payload.model_dump())
    rows = [r for r in _rows(request) if r["agency_id"] == agency.pk]
    return rows[0]


@router.post(
    "/{reference}/chronology/returns/chasers",
    response={200: list[ChaserOut], **ERRORS},
    auth=member(Cap.MANAGE_RETURNS, "agency returns"),
    operation_id="chasers_send",
    summary="Chase agencies; their authors on the review are emailed the reference and what is due",
)
def chasers_send(request: HttpRequest, reference: str, payload: ChaserIn) -> Any:
    review, by = _review(request), _actor(request)
    agencies = _agencies(review, payload.agencies)
    chasers = []
    with transaction.atomic():
        for agency in agencies:
            agency_return = AgencyReturn.objects.filter(review=review, agency=agency).first()
            if agency_return is None:
                raise ValidationError({"agencies": [_not_asked(agency)]})
            chasers.append(
                services.chaser_send(
                    agency_return=agency_return,
                    by=by,
                    about=payload.about,
                    sent_on=payload.sent_on,
                    note=payload.note,
                )
            )
    return chasers


@router.post(
    "/{reference}/chronology/returns/share",
    response={200: list[ReturnOut], **ERRORS},
    auth=member(Cap.SHARE_AGENCY_MATERIAL, "agency returns"),
    operation_id="returns_share",
    summary="Share agencies' material with the panel, or withdraw it",
)
def returns_share(request: HttpRequest, reference: str, payload: ShareIn) -> Any:
    review, by = _review(request), _actor(request)
    agencies = _agencies(review, payload.agencies)
    if payload.shared and payload.on is None:
        raise ValidationError({"on": [_("Give the date the material was shared.")]})
    with transaction.atomic():
        for agency in agencies:
            if payload.shared:
                services.agency_share_with_panel(
                    review=review,
                    agency=agency,
                    by=by,
                    shared_on=payload.on,  # type: ignore[arg-type]
                )
            else:
                services.agency_unshare(review=review, agency=agency, by=by)
    return _rows(request)


# --- IMRs --------------------------------------------------------------------------------------


@router.get(
    "/{reference}/chronology/imrs",
    response={200: list[ImrOut], **ERRORS},
    auth=member(Cap.VIEW_CHRONOLOGY, "IMRs"),
    operation_id="imrs_list",
    summary="The IMRs you may see on the review",
)
def imrs_list(request: HttpRequest, reference: str) -> Any:
    review = _review(request)
    return [
        _imr_out(request, imr.agency, imr)
        for imr in imrs_for_review(user=_actor(request), review=review).prefetch_related(
            "documents"
        )
    ]


@router.get(
    "/{reference}/chronology/imrs/{int:agency_id}",
    response={200: ImrOut, **ERRORS},
    auth=member(Cap.VIEW_CHRONOLOGY, "IMR", audit=False),
    operation_id="imr_get",
    summary="One agency's IMR (404 for an agency whose material you may not see)",
)
def imr_get(request: HttpRequest, reference: str, agency_id: int) -> Any:
    review = _review(request)
    agency = _agency(request, agency_id)
    audit_record(
        action=AuditEvent.Action.READ,
        by=_actor(request),
        review=review,
        object_type="IMR",
        object_id=str(agency.pk),
        summary=f"Viewed {agency.name}'s IMR",
    )
    return _imr_out(request, agency, IMR.objects.filter(review=review, agency=agency).first())


@router.put(
    "/{reference}/chronology/imrs/{int:agency_id}",
    response={200: ImrOut, **ERRORS},
    auth=member(Cap.EDIT_OWN_AGENCY_MATERIAL, "IMR"),
    operation_id="imr_save",
    summary="Save your agency's IMR text (withdraws a sign-off if the text changes)",
)
def imr_put(request: HttpRequest, reference: str, agency_id: int, payload: ImrIn) -> Any:
    review = _review(request)
    agency = _agency(request, agency_id)
    imr = services.imr_save(
        review=review, agency=agency, by=_actor(request), **payload.model_dump()
    )
    return _imr_out(request, agency, imr)


@router.post(
    "/{reference}/chronology/imrs/{int:agency_id}/sign-off",
    response={200: ImrOut, **ERRORS},
    auth=member(Cap.EDIT_OWN_AGENCY_MATERIAL, "IMR"),
    operation_id="imr_sign_off",
    summary="Record the senior manager's sign-off of your agency's IMR",
)
def imr_sign_off(
    request: HttpRequest, reference: str, agency_id: int, payload: ImrSignOffIn
) -> Any:
    review = _review(request)
    agency = _agency(request, agency_id)
    imr = IMR.objects.filter(review=review, agency=agency).first()
    if imr is None:
        raise ValidationError([_("Write the IMR before it is signed off.")])
    imr = services.imr_sign_off(imr=imr, by=_actor(request), **payload.model_dump())
    return _imr_out(request, agency, imr)


@router.post(
    "/{reference}/chronology/imrs/{int:agency_id}/documents",
    response={201: ImrDocumentOut, **ERRORS},
    auth=member(Cap.EDIT_OWN_AGENCY_MATERIAL, "IMR"),
    operation_id="imr_document_upload",
    summary="Upload a new version of your agency's IMR document (DOCX or PDF, under 20 MB)",
)
def imr_document_upload(
    request: HttpRequest, reference: str, agency_id: int, document: File[UploadedFile]
) -> Any:
    review = _review(request)
    agency = _agency(request, agency_id)
    if document.size and document.size > services.MAX_DOCUMENT_BYTES:
        raise ValidationError({"document": [_("The selected file must be smaller than 20 MB.")]})
    with transaction.atomic():
        imr = services.imr_start(review=review, agency=agency, by=_actor(request))
        stored = services.imr_document_upload(
            imr=imr, by=_actor(request), filename=document.name or "", content=document.read()
        )
    return Status(201, stored)


@router.get(
    "/{reference}/chronology/imrs/{int:agency_id}/documents/{int:version}",
    response={200: None, **ERRORS},
    auth=member(Cap.VIEW_CHRONOLOGY, "IMR document", audit=False),
    operation_id="imr_document_download",
    summary="Download one version of an agency's IMR document",
    openapi_extra=file_response(services.DOCX_CONTENT_TYPE, services.PDF_CONTENT_TYPE),
)
def imr_document_download(
    request: HttpRequest, reference: str, agency_id: int, version: int
) -> HttpResponse:
    from lantern.chronology.views.returns import document_response

    review = _review(request)
    agency = _agency(request, agency_id)
    document = get_object_or_404(
        IMRDocument, imr__review=review, imr__agency=agency, version=version
    )
    return document_response(_actor(request), review, agency, document)


@router.get(
    "/{reference}/chronology/imr-template.docx",
    response={200: None, **ERRORS},
    auth=member(Cap.VIEW_CHRONOLOGY, "IMR template"),
    operation_id="imr_template",
    summary="The IMR template as a Word document",
    openapi_extra=file_response(services.DOCX_CONTENT_TYPE),
)
def imr_template_docx(request: HttpRequest, reference: str) -> HttpResponse:
    review = _review(request)
    response = HttpResponse(
        imr_template.imr_template_docx(reference=review.reference),
        content_type=services.DOCX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"IMR template {review.reference}.docx"
    )
    return response
