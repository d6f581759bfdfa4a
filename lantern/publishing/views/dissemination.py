"""Dissemination: sending the 7-minute briefing to partner agencies, and each agency's
acknowledgement and record of how the learning was used."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.publishing import forms, selectors, services_briefing
from lantern.publishing.models import BriefingRecipient, BriefingSend
from lantern.publishing.views.common import download, page_title, render_page, require, review_for
from lantern.reviews.access import Cap
from lantern.reviews.models import Stage


@login_required
def dissemination(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_PUBLICATION, "dissemination")
    caps = review.viewer_caps  # type: ignore[attr-defined]
    if request.method == "POST":
        require(request, review, Cap.MANAGE_PUBLICATION, "dissemination")
    form = None
    published = review.stage in (Stage.PUBLISHED, Stage.CLOSED)
    if Cap.MANAGE_PUBLICATION in caps and published:
        form = forms.BriefingSendForm(
            request.POST if request.method == "POST" else None,
            review=review,
            prefix="send",
            initial={"sent_on": timezone.localdate(), "format": "pdf"},
        )
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            services_briefing.briefing_send(
                review=review,
                by=request.user,
                agencies=form.chosen(),
                sent_on=data["sent_on"],
                fmt=data["format"],
                accept_findings=data["accept_findings"],
                note=data["note"],
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The briefing has been sent."))
            return redirect("publishing:dissemination", reference=review.reference)
    sends = list(selectors.briefing_sends(review))
    recipients = list(selectors.recipients_visible(review=review, user=request.user, caps=caps))
    for send in sends:
        send.rows = [r for r in recipients if r.send_id == send.pk]
    return render_page(
        request,
        "publishing/dissemination.html",
        review,
        "dissemination",
        {
            "title": page_title(
                _("Dissemination of the briefing: %(ref)s") % {"ref": review.reference}, form
            ),
            "sends": sends,
            "form": form,
            "published": published,
            "briefing_page": Cap.ACKNOWLEDGE_BRIEFING in caps,
        },
    )


@login_required
def briefing(request: HttpRequest, reference: str) -> HttpResponse:
    """The briefings sent to the viewer's agency: acknowledge, and record how it was used."""
    review = review_for(request, reference, Cap.ACKNOWLEDGE_BRIEFING, "briefing acknowledgement")
    caps = review.viewer_caps  # type: ignore[attr-defined]
    which = request.POST.get("form") if request.method == "POST" else None
    rows = list(
        selectors.recipients_visible(review=review, user=request.user, caps=caps, own_only=True)
    )
    bound = None
    bound_row = None
    if which in ("acknowledge", "learning"):
        try:
            row_id = int(request.POST.get("row", ""))
        except ValueError:
            raise Http404
        recipient = next((r for r in rows if r.pk == row_id), None)
        if recipient is None:
            if BriefingRecipient.objects.filter(send__review=review, pk=row_id).exists():
                raise PermissionDenied
            raise Http404
        form_class = forms.AcknowledgeForm if which == "acknowledge" else forms.LearningForm
        bound = form_class(request.POST, prefix=f"{which}-{row_id}")
        bound_row = row_id
        if bound.is_valid():
            try:
                if which == "acknowledge":
                    services_briefing.briefing_acknowledge(
                        recipient=recipient,
                        by=request.user,
                        acknowledged_on=bound.cleaned_data["acknowledged_on"],
                    )
                    done = _("Acknowledgement recorded for %(a)s.")
                else:
                    services_briefing.briefing_learning_record(
                        recipient=recipient,
                        by=request.user,
                        learning_use=bound.cleaned_data["learning_use"],
                        used_on=bound.cleaned_data["used_on"],
                    )
                    done = _("How %(a)s used the learning is recorded.")
            except ValidationError as error:
                forms.add_service_errors(bound, error)
            else:
                messages.success(request, done % {"a": recipient.agency.name})
                return redirect("publishing:briefing", reference=review.reference)
    for row in rows:
        row.ack_form = forms.AcknowledgeForm(
            prefix=f"acknowledge-{row.pk}", initial={"acknowledged_on": timezone.localdate()}
        )
        row.learning_form = forms.LearningForm(
            prefix=f"learning-{row.pk}",
            initial={
                "learning_use": row.learning_use,
                "used_on": row.learning_used_on or timezone.localdate(),
            },
        )
        if row.pk == bound_row:
            setattr(row, "ack_form" if which == "acknowledge" else "learning_form", bound)
    return render_page(
        request,
        "publishing/briefing.html",
        review,
        "briefing acknowledgement",
        {
            "title": page_title(
                _("The 7-minute briefing for your agency: %(ref)s") % {"ref": review.reference},
                bound,
            ),
            "rows": rows,
            "bound": bound,
        },
    )


@login_required
def briefing_download(request: HttpRequest, reference: str, send_id: int) -> HttpResponse:
    """The briefing as sent: for the publication's readers, and agencies it was sent to."""
    review = review_for(request, reference, Cap.VIEW, "briefing as sent")
    caps = review.viewer_caps  # type: ignore[attr-defined]
    send = BriefingSend.objects.filter(review=review, pk=send_id).first()
    if send is None:
        raise Http404
    if Cap.VIEW_PUBLICATION not in caps:
        if (
            Cap.ACKNOWLEDGE_BRIEFING not in caps
            or not selectors.recipients_visible(
                review=review, user=request.user, caps=caps, own_only=True
            )
            .filter(send=send)
            .exists()
        ):
            raise PermissionDenied
    return download(
        request=request,
        review=review,
        content=send.content,
        filename=send.filename,
        content_type=send.content_type,
        what="briefing as sent",
        object_id=str(send.pk),
    )
