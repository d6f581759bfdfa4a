"""Chronology pages: agency returns and IMRs. Mounted under /reviews/<reference>/chronology/.

Every page needs VIEW_CHRONOLOGY (so a board member gets 403 and a non-member 404) and shows
only the agencies `agency_ids_visible` allows: an agency author sees their own agency, a panel
member what has been shared (and their own agency), the coordinator, chair and author every
agency. An agency the viewer may not see is 404, as if it were not on the review. Writes need
the capability of the form posted; the services check it again and hold the rules.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lantern.accounts.models import Organisation
from lantern.chronology import imr_template
from lantern.chronology import services_returns as services
from lantern.chronology.forms_returns import (
    AnswerForm,
    AskForm,
    ChaserForm,
    ImrForm,
    ReceivedForm,
    RequestForm,
    ShareForm,
    SignOffForm,
    UploadForm,
)
from lantern.chronology.models import IMR, AgencyReturn, IMRDocument
from lantern.chronology.selectors import can_edit_agency
from lantern.chronology.selectors_returns import (
    DUE_SOON,
    NOT_ASKED,
    ON_TRACK,
    OVERDUE,
    RECEIVED,
    RECEIVED_LATE,
    agencies_on_review,
    agency_visible,
    imrs_for_review,
    return_rows,
    return_status,
    return_working_days,
)
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.access import Cap, review_get_for_user
from lantern.reviews.forms_process import add_service_errors
from lantern.reviews.models import Review

# How each status is shown: words and GOV.UK tag colour.
STATUS_TAGS: dict[str, tuple[Any, str]] = {
    OVERDUE: (gettext_lazy("Overdue"), "red"),
    DUE_SOON: (gettext_lazy("Due soon"), "yellow"),
    ON_TRACK: (gettext_lazy("Awaited"), "blue"),
    RECEIVED: (gettext_lazy("Received"), "green"),
    RECEIVED_LATE: (gettext_lazy("Received late"), "green"),
    NOT_ASKED: (gettext_lazy("Not asked"), "grey"),
}


def status_tag(status: str | None, *, answered: bool = False) -> dict[str, str] | None:
    if status is None or status not in STATUS_TAGS:
        return None
    text, colour = STATUS_TAGS[status]
    if answered and status in (RECEIVED, RECEIVED_LATE):
        text = gettext_lazy("Answered") if status == RECEIVED else gettext_lazy("Answered late")
    return {"text": str(text), "colour": colour}


def _can(review: Review, cap: str) -> bool:
    return cap in review.viewer_caps  # type: ignore[attr-defined]


def _can_edit(request: HttpRequest, review: Review, agency_id: int) -> bool:
    return _can(review, Cap.EDIT_OWN_AGENCY_MATERIAL) and can_edit_agency(
        user=request.user, review=review, agency_id=agency_id
    )


def _agency_or_404(request: HttpRequest, review: Review, agency_id: int) -> Organisation:
    if not agency_visible(user=request.user, review=review, agency_id=agency_id):
        raise Http404
    return get_object_or_404(Organisation, pk=agency_id)


def _render(request: HttpRequest, template: str, review: Review, **context: Any) -> HttpResponse:
    context.update(review=review, caps=review.viewer_caps)  # type: ignore[attr-defined]
    return render(request, f"chronology/{template}", context)


def _audit_read(request: HttpRequest, review: Review, what: str, object_id: str = "") -> None:
    audit_record(
        action=AuditEvent.Action.READ,
        by=request.user,
        review=review,
        object_type=what,
        object_id=object_id or review.reference,
        summary=f"Viewed {what}",
    )


def _title(title: str, *forms_: forms.Form | None) -> str:
    if any(f is not None and f.is_bound and f.errors for f in forms_):
        return _("Error: %(title)s") % {"title": title}
    return title


# --- the returns page --------------------------------------------------------------------------

# The forms on the returns page, the capability each needs, and the class.
BULK_FORMS: dict[str, tuple[str, type]] = {
    "ask": (Cap.MANAGE_RETURNS, AskForm),
    "request": (Cap.MANAGE_RETURNS, RequestForm),
    "received": (Cap.MANAGE_RETURNS, ReceivedForm),
    "chase": (Cap.MANAGE_RETURNS, ChaserForm),
    "share": (Cap.SHARE_AGENCY_MATERIAL, ShareForm),
}


def _apply_bulk(request: HttpRequest, review: Review, name: str, form: forms.Form) -> str:
    """Call the service the form stands for; return the success message."""
    data = form.cleaned_data
    agencies = list(data["agencies"])
    by = request.user
    if name == "ask":
        services.returns_ask(
            review=review,
            by=by,
            agencies=agencies,
            asked_on=data["asked_on"],
            secure_records=data["secure_records"],
        )
        return ngettext(
            "%(count)d agency asked whether it had contact",
            "%(count)d agencies asked whether they had contact",
            len(agencies),
        ) % {"count": len(agencies)}
    if name == "request":
        services.returns_request(
            review=review,
            by=by,
            agencies=agencies,
            what=data["what"],
            requested_on=data["requested_on"],
            due_on=data["due_on"],
        )
        return _("Request recorded for %(agencies)s") % {
            "agencies": ", ".join(a.name for a in agencies)
        }
    returns = {
        r.agency_id: r
        for r in AgencyReturn.objects.filter(review=review, agency__in=agencies).select_related(
            "review", "agency"
        )
    }
    if name in ("received", "chase"):
        missing = [a.name for a in agencies if a.pk not in returns]
        if missing:
            raise ValidationError(
                {
                    "agencies": _("Nothing has been asked of %(names)s yet.")
                    % {"names": ", ".join(missing)}
                }
            )
    if name == "received":
        for agency in agencies:
            services.return_received(
                agency_return=returns[agency.pk],
                by=by,
                what=data["what"],
                received_on=data["received_on"],
            )
        return _("Receipt recorded for %(agencies)s") % {
            "agencies": ", ".join(a.name for a in agencies)
        }
    if name == "chase":
        emailed = 0
        for agency in agencies:
            chaser = services.chaser_send(
                agency_return=returns[agency.pk],
                by=by,
                about=data["about"],
                sent_on=data["sent_on"],
                note=data["note"],
            )
            emailed += chaser.emailed_count
        return ngettext(
            "Chaser recorded and emailed to %(count)d agency author",
            "Chaser recorded and emailed to %(count)d agency authors",
            emailed,
        ) % {"count": emailed}
    # share
    for agency in agencies:
        if data["action"] == "share":
            services.agency_share_with_panel(
                review=review, agency=agency, by=by, shared_on=data["shared_on"]
            )
        else:
            services.agency_unshare(review=review, agency=agency, by=by)
    if data["action"] == "share":
        return _("Shared with the panel: %(agencies)s") % {
            "agencies": ", ".join(a.name for a in agencies)
        }
    return _("Withdrawn from the panel: %(agencies)s") % {
        "agencies": ", ".join(a.name for a in agencies)
    }


def _row_context(row: Any) -> dict[str, Any]:
    status = row.status
    return {
        "agency": row.agency,
        "r": row.agency_return,
        "answer_tag": status_tag(status.answer.status, answered=True) if status else None,
        "chronology_tag": status_tag(status.chronology.status) if status else None,
        "imr_tag": status_tag(status.imr.status) if status else None,
        "chasers": row.chasers,
        "can_answer": row.can_answer and row.agency_return is not None,
        "overall": status.overall if status else NOT_ASKED,
    }


@login_required
def returns(request: HttpRequest, reference: str) -> HttpResponse:
    """Every agency's return: asked, answered, requested, chased, received, shared."""
    posted = request.POST.get("form") if request.method == "POST" else None
    if request.method == "POST" and posted not in BULK_FORMS:
        # Members learn nothing from a malformed post; non-members still get 404.
        review_get_for_user(
            user=request.user, reference=reference, need=Cap.VIEW_CHRONOLOGY, audit=False
        )
        messages.error(request, _("Choose an action and try again."))
        return redirect("chronology:returns", reference=reference)
    need = BULK_FORMS[posted][0] if posted else Cap.VIEW_CHRONOLOGY
    review = review_get_for_user(
        user=request.user,
        reference=reference,
        need=need,
        audit=request.method == "GET",
        what="agency returns",
    )
    if posted:
        review_get_for_user(
            user=request.user,
            reference=reference,
            need=Cap.VIEW_CHRONOLOGY,
            audit=False,
        )
    agencies = agencies_on_review(user=request.user, review=review)
    asked_ids = set(AgencyReturn.objects.filter(review=review).values_list("agency_id", flat=True))

    def choices(name: str) -> list[Organisation]:
        # Receipts and chasers concern agencies that have been asked something.
        if name in ("received", "chase"):
            return [a for a in agencies if a.pk in asked_ids]
        return agencies

    bound: dict[str, forms.Form] = {}
    if posted:
        form_class = BULK_FORMS[posted][1]
        form = form_class(request.POST, agencies=choices(posted))
        bound[posted] = form
        if form.is_valid():
            try:
                with transaction.atomic():
                    message = _apply_bulk(request, review, posted, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, message)
                return redirect("chronology:returns", reference=review.reference)
        _audit_read(request, review, "agency returns")
    forms_shown = {
        name: bound.get(name) or form_class(agencies=choices(name))
        for name, (cap, form_class) in BULK_FORMS.items()
        if _can(review, cap) and choices(name)
    }
    today = timezone.localdate()
    rows = [_row_context(r) for r in return_rows(user=request.user, review=review, today=today)]
    counts = {
        "agencies": len(rows),
        "overdue": sum(1 for r in rows if r["overall"] == OVERDUE),
        "due_soon": sum(1 for r in rows if r["overall"] == DUE_SOON),
        "shared": sum(1 for r in rows if r["r"] and r["r"].shared_with_panel_on),
    }
    return _render(
        request,
        "returns.html",
        review,
        title=_title(_("Agency returns"), *bound.values()),
        rows=rows,
        counts=counts,
        forms=forms_shown,
        open_form=posted,
        error_form=next((f for f in bound.values() if f.errors), None),
        working_days=return_working_days(),
    )


@login_required
def return_answer(request: HttpRequest, reference: str, agency_id: int) -> HttpResponse:
    """The contact question, answered by the agency's author (or the coordinator)."""
    review = review_get_for_user(
        user=request.user,
        reference=reference,
        need=Cap.VIEW_CHRONOLOGY,
        audit=False,
        what="agency return",
    )
    agency = _agency_or_404(request, review, agency_id)
    if not _can_edit(request, review, agency.pk):
        audit_record(
            action=AuditEvent.Action.ACCESS_DENIED,
            by=request.user,
            review=review,
            object_type="agency return",
            object_id=str(agency.pk),
            summary="Refused: answer the contact question for another agency",
        )
        raise PermissionDenied
    agency_return = get_object_or_404(AgencyReturn, review=review, agency=agency)
    _audit_read(request, review, "agency return", str(agency.pk))
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.return_answer(
                    agency_return=agency_return, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Answer recorded for %(agency)s") % {"agency": agency.name}
                )
                return redirect("chronology:returns", reference=review.reference)
    else:
        form = AnswerForm(
            initial={
                "answer": agency_return.answer or None,
                "answered_on": agency_return.answered_on or timezone.localdate(),
                "contact_from": agency_return.contact_from,
                "contact_to": agency_return.contact_to,
            }
        )
    return _render(
        request,
        "returns_answer.html",
        review,
        title=_title(_("Contact with the people in the review"), form),
        agency=agency,
        agency_return=agency_return,
        form=form,
    )


# --- IMRs --------------------------------------------------------------------------------------


@login_required
def imrs(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_get_for_user(
        user=request.user,
        reference=reference,
        need=Cap.VIEW_CHRONOLOGY,
        what="IMRs",
        audit=request.method == "GET",
    )
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    today = timezone.localdate()
    by_agency = {
        i.agency_id: i
        for i in imrs_for_review(user=request.user, review=review).prefetch_related("documents")
    }
    returns_by_agency = {r.agency_id: r for r in AgencyReturn.objects.filter(review=review)}
    total_parts = len(imr_template.text_codes())
    rows = []
    for agency in agencies_on_review(user=request.user, review=review):
        imr = by_agency.get(agency.pk)
        agency_return = returns_by_agency.get(agency.pk)
        status = return_status(agency_return, today).imr if agency_return else None
        requested = status is not None and status.status != NOT_ASKED
        can_edit = _can_edit(request, review, agency.pk)
        # Agencies with an IMR, or asked for one; an agency author also sees their own agency
        # (to start it before the request arrives).
        own = can_edit and not _can(review, Cap.VIEW_ALL_AGENCY_MATERIAL)
        if imr is None and not requested and not own:
            continue
        documents = list(imr.documents.all()) if imr else []
        rows.append(
            {
                "agency": agency,
                "imr": imr,
                "kind": (imr.get_kind_display() if imr else "")
                or (agency_return.get_imr_kind_display() if agency_return else ""),
                "due_on": agency_return.imr_due_on if agency_return else None,
                "tag": status_tag(status.status) if requested and status else None,
                "written": len(imr.sections or {}) if imr else 0,
                "total": total_parts,
                "latest": documents[0] if documents else None,
                "can_edit": can_edit,
            }
        )
    return _render(request, "imrs.html", review, rows=rows, title=_("IMRs"))


@login_required
def imr_template_download(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_get_for_user(
        user=request.user,
        reference=reference,
        need=Cap.VIEW_CHRONOLOGY,
        what="IMR template",
        audit=request.method == "GET",
    )
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    content = imr_template.imr_template_docx(reference=review.reference)
    response = HttpResponse(content, content_type=services.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, f"IMR template {review.reference}.docx"
    )
    return response


IMR_FORMS = ("imr", "sign_off", "upload")


@login_required
def imr(request: HttpRequest, reference: str, agency_id: int) -> HttpResponse:
    """One agency's IMR: its sections, the independence statement, recommendations, sign-off
    and uploaded versions. Read-only for those who may see but not edit it."""
    review = review_get_for_user(
        user=request.user, reference=reference, need=Cap.VIEW_CHRONOLOGY, audit=False, what="IMR"
    )
    agency = _agency_or_404(request, review, agency_id)
    can_edit = _can_edit(request, review, agency.pk)
    record = IMR.objects.filter(review=review, agency=agency).first()
    posted = request.POST.get("form") if request.method == "POST" else None
    if request.method == "POST" and not can_edit:
        audit_record(
            action=AuditEvent.Action.ACCESS_DENIED,
            by=request.user,
            review=review,
            object_type="IMR",
            object_id=str(agency.pk),
            summary=f"Refused: change {agency.name}'s IMR",
        )
        raise PermissionDenied
    audit_record(
        action=AuditEvent.Action.READ,
        by=request.user,
        review=review,
        object_type="IMR",
        object_id=str(agency.pk),
        summary=f"Viewed {agency.name}'s IMR",
    )
    imr_form = sign_off_form = upload_form = None
    if can_edit:
        imr_form = ImrForm(
            request.POST if posted == "imr" else None, initial=ImrForm.initial_for(record)
        )
        sign_off_form = SignOffForm(
            request.POST if posted == "sign_off" else None,
            initial={
                "senior_manager_name": record.senior_manager_name if record else "",
                "signed_off_on": (record.senior_manager_signed_off_on if record else None)
                or timezone.localdate(),
            },
        )
        upload_form = UploadForm(
            request.POST if posted == "upload" else None,
            request.FILES if posted == "upload" else None,
        )
    if posted == "imr" and imr_form is not None and imr_form.is_valid():
        try:
            services.imr_save(
                review=review, agency=agency, by=request.user, **imr_form.service_kwargs()
            )
        except ValidationError as error:
            add_service_errors(imr_form, error)
        else:
            messages.success(request, _("IMR saved"))
            return redirect("chronology:imr", reference=review.reference, agency_id=agency.pk)
    elif posted == "sign_off" and sign_off_form is not None and sign_off_form.is_valid():
        try:
            if record is None:
                raise ValidationError(_("Write the IMR before it is signed off."))
            services.imr_sign_off(imr=record, by=request.user, **sign_off_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(sign_off_form, error)
        else:
            messages.success(request, _("Senior manager's sign-off recorded"))
            return redirect("chronology:imr", reference=review.reference, agency_id=agency.pk)
    elif posted == "upload" and upload_form is not None and upload_form.is_valid():
        upload = upload_form.cleaned_data["document"]
        try:
            with transaction.atomic():
                record = services.imr_start(review=review, agency=agency, by=request.user)
                document = services.imr_document_upload(
                    imr=record, by=request.user, filename=upload.name, content=upload.read()
                )
        except ValidationError as error:
            add_service_errors(upload_form, error)
        else:
            messages.success(
                request,
                _("Version %(version)d uploaded: %(name)s")
                % {"version": document.version, "name": document.filename},
            )
            return redirect("chronology:imr", reference=review.reference, agency_id=agency.pk)
    agency_return = AgencyReturn.objects.filter(review=review, agency=agency).first()
    sections = []
    for section in imr_template.IMR_SECTIONS:
        parts = [
            {
                "code": code,
                "label": label,
                "hint": hint,
                "text": (record.sections or {}).get(code, "") if record else "",
                "field": imr_form.section_field(code) if imr_form else None,
            }
            for s, code, label, hint in imr_template.text_parts()
            if s.code == section.code
        ]
        sections.append({"section": section, "parts": parts})
    kind = record.kind if record else (agency_return.imr_kind if agency_return else "") or "imr"
    heading = (
        _("Summary of involvement") if kind == "summary" else _("Individual Management Review")
    )
    return _render(
        request,
        "imr.html",
        review,
        title=_title(f"{heading}: {agency.name}", imr_form, sign_off_form, upload_form),
        heading=heading,
        agency=agency,
        imr=record,
        agency_return=agency_return,
        sections=sections,
        documents=list(record.documents.all()) if record else [],
        can_edit=can_edit,
        imr_form=imr_form,
        sign_off_form=sign_off_form,
        upload_form=upload_form,
        error_form=next(
            (f for f in (imr_form, sign_off_form, upload_form) if f is not None and f.errors),
            None,
        ),
        status_tag=status_tag(return_status(agency_return, timezone.localdate()).imr.status)
        if agency_return
        else None,
    )


@login_required
def imr_document(
    request: HttpRequest, reference: str, agency_id: int, version: int
) -> HttpResponse:
    """Download one version of an agency's IMR document (recorded in the audit trail)."""
    review = review_get_for_user(
        user=request.user,
        reference=reference,
        need=Cap.VIEW_CHRONOLOGY,
        audit=False,
        what="IMR document",
    )
    agency = _agency_or_404(request, review, agency_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    document = get_object_or_404(
        IMRDocument, imr__review=review, imr__agency=agency, version=version
    )
    return document_response(request.user, review, agency, document)


def document_response(
    user: Any, review: Review, agency: Organisation, document: IMRDocument
) -> HttpResponse:
    # A read like any other (every successful GET of review data is one READ), naming the file.
    audit_record(
        action=AuditEvent.Action.READ,
        by=user,
        review=review,
        obj=document,
        summary=f"Downloaded {agency.name}'s IMR, version {document.version}",
        data={"agency": agency.pk, "version": document.version, "sha256": document.sha256},
    )
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


urlpatterns: list = [
    path("returns/", returns, name="returns"),
    path("returns/<int:agency_id>/answer/", return_answer, name="return_answer"),
    path("imrs/", imrs, name="imrs"),
    path("imrs/template/", imr_template_download, name="imr_template"),
    path("imrs/<int:agency_id>/", imr, name="imr"),
    path("imrs/<int:agency_id>/documents/<int:version>/", imr_document, name="imr_document"),
]
