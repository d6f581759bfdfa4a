"""One action: what it is, where it stands, every change with who and when, its evidence; and
progress updates (agency authors for their own agency's actions), evidence, edits, sign-off."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.recommendations import forms, selectors, services
from lantern.recommendations.models import Action
from lantern.recommendations.views.common import (
    OVERDUE_TEXT,
    action_or_404,
    page_title,
    render_page,
    review_for,
    status_tag,
    with_details,
)
from lantern.reviews.access import Cap
from lantern.reviews.models import Review


def _action_page(
    request: HttpRequest,
    review: Review,
    action: Action,
    *,
    progress_form: Any = None,
    evidence_form: Any = None,
    sign_off_form: Any = None,
) -> HttpResponse:
    caps = review.viewer_caps  # type: ignore[attr-defined]
    as_of = timezone.localdate()
    can_update = selectors.can_update_progress(
        user=request.user, review=review, action=action, caps=caps
    )
    if can_update:
        progress_form = progress_form or forms.ProgressForm(
            initial=forms.ProgressForm.initial_for(action), prefix="progress"
        )
        evidence_form = evidence_form or forms.EvidenceForm(prefix="evidence")
    can_sign_off = Cap.SIGN_OFF_ACTIONS in caps and action.is_closed and not action.is_signed_off
    if can_sign_off:
        sign_off_form = sign_off_form or forms.SignOffForm(prefix="signoff")
    overdue = action.is_overdue(as_of)
    title = _("Action %(label)s: %(ref)s") % {"label": action.label, "ref": review.reference}
    return render_page(
        request,
        "recommendations/action_detail.html",
        review,
        "action",
        {
            "title": page_title(title, progress_form, evidence_form, sign_off_form),
            "action": action,
            "rec": action.recommendation,
            "tag": status_tag(action),
            "overdue": overdue,
            "days_overdue": action.days_overdue(as_of) if overdue else 0,
            "flags": action.smart_flags,
            "changes": with_details(list(action.changes.select_related("by"))),
            "evidence": list(action.evidence.select_related("added_by").defer("content")),
            "can_update": can_update,
            "can_edit": Cap.EDIT_ACTIONS in caps,
            "can_sign_off": can_sign_off,
            "progress_form": progress_form if can_update else None,
            "evidence_form": evidence_form if can_update else None,
            "sign_off_form": sign_off_form if can_sign_off else None,
            "overdue_text": OVERDUE_TEXT,
        },
    )


@login_required
def action_detail(request: HttpRequest, reference: str, action_id: int) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_ACTIONS, "action")
    action = action_or_404(review, action_id)
    if request.method != "GET":
        return redirect(
            "recommendations:action_detail", reference=review.reference, action_id=action.pk
        )
    return _action_page(request, review, action)


def _action_for_update(
    request: HttpRequest, reference: str, action_id: int
) -> tuple[Review, Action]:
    """The review and action for a progress update or evidence: 404 for non-members, 403 for
    members who may not update this action (another agency's, or read-only roles)."""
    review = review_for(request, reference, Cap.VIEW_ACTIONS, "action")
    action = action_or_404(review, action_id)
    caps = review.viewer_caps  # type: ignore[attr-defined]
    if not selectors.can_update_progress(
        user=request.user, review=review, action=action, caps=caps
    ):
        audit_record(
            action=AuditEvent.Action.ACCESS_DENIED,
            by=request.user,
            review=review,
            object_type="action",
            object_id=str(action.pk),
            summary="Refused: may not update this action",
        )
        raise PermissionDenied
    return review, action


@login_required
def action_update(request: HttpRequest, reference: str, action_id: int) -> HttpResponse:
    review, action = _action_for_update(request, reference, action_id)
    if request.method != "POST":
        return redirect(
            "recommendations:action_detail", reference=review.reference, action_id=action.pk
        )
    form = forms.ProgressForm(request.POST, prefix="progress")
    if form.is_valid():
        try:
            services.action_progress(action=action, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request, _("Progress on action %(label)s saved.") % {"label": action.label}
            )
            return redirect(
                "recommendations:action_detail", reference=review.reference, action_id=action.pk
            )
    action.refresh_from_db()
    return _action_page(request, review, action, progress_form=form)


@login_required
def evidence_add(request: HttpRequest, reference: str, action_id: int) -> HttpResponse:
    review, action = _action_for_update(request, reference, action_id)
    if request.method != "POST":
        return redirect(
            "recommendations:action_detail", reference=review.reference, action_id=action.pk
        )
    form = forms.EvidenceForm(request.POST, request.FILES, prefix="evidence")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.evidence_add(
                action=action,
                by=request.user,
                note=form.cleaned_data["note"],
                filename=upload.name if upload else "",
                content=upload.read() if upload else None,
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(
                request, _("Evidence added to action %(label)s.") % {"label": action.label}
            )
            return redirect(
                "recommendations:action_detail", reference=review.reference, action_id=action.pk
            )
    return _action_page(request, review, action, evidence_form=form)


@login_required
def evidence_download(
    request: HttpRequest, reference: str, action_id: int, evidence_id: int
) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_ACTIONS, "action evidence")
    action = action_or_404(review, action_id)
    evidence = action.evidence.filter(pk=evidence_id).exclude(filename="").first()
    if evidence is None or evidence.content is None:
        raise Http404
    audit_record(
        action=AuditEvent.Action.EXPORT,
        by=request.user,
        review=review,
        object_type="action evidence",
        object_id=str(evidence.pk),
        summary=f"Downloaded evidence {evidence.filename} for action {action.label}",
    )
    response = HttpResponse(bytes(evidence.content), content_type=evidence.content_type)
    safe_name = evidence.filename.replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    return response


@login_required
def action_sign_off(request: HttpRequest, reference: str, action_id: int) -> HttpResponse:
    review = review_for(request, reference, Cap.SIGN_OFF_ACTIONS, "action")
    action = action_or_404(review, action_id)
    if request.method != "POST":
        return redirect(
            "recommendations:action_detail", reference=review.reference, action_id=action.pk
        )
    form = forms.SignOffForm(request.POST, prefix="signoff")
    if form.is_valid():
        try:
            services.action_sign_off(action=action, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Action %(label)s signed off.") % {"label": action.label})
        return redirect(
            "recommendations:action_detail", reference=review.reference, action_id=action.pk
        )
    return _action_page(request, review, action, sign_off_form=form)


@login_required
def action_edit(request: HttpRequest, reference: str, action_id: int) -> HttpResponse:
    review = review_for(request, reference, Cap.EDIT_ACTIONS, "action")
    action = action_or_404(review, action_id)
    form = forms.ActionForm(
        request.POST or None, initial=forms.ActionForm.initial_for(action), review=review
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(action=action, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Action %(label)s saved.") % {"label": action.label})
            return redirect(
                "recommendations:action_detail", reference=review.reference, action_id=action.pk
            )
    heading = _("Change action %(label)s") % {"label": action.label}
    return render_page(
        request,
        "recommendations/action_form.html",
        review,
        "action",
        {
            "title": page_title(f"{heading}: {review.reference}", form),
            "heading": heading,
            "form": form,
            "rec": action.recommendation,
            "action": action,
        },
    )
