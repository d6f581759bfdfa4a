"""Pages: the review's documents (issue a copy in any format, the issue log), the 7-minute
briefing as a page, and the document settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.documents import selectors, services
from lantern.documents.forms import IssueForm, SettingsForm
from lantern.documents.models import HeadingSet, Kind
from lantern.reviews.access import Cap, review_get_for_user
from lantern.reviews.models import Review

ISSUE_LOG_SHOWN = 50
FORMAT_LABELS = {
    "docx": gettext_lazy("Word"),
    "pdf": gettext_lazy("PDF"),
    "xlsx": gettext_lazy("Excel"),
    "html": gettext_lazy("Web page"),
}
DESCRIPTIONS = {
    "overview_report": gettext_lazy(
        "The report's skeleton in the standard section order, filled in with the timescales, "
        "panel, contributors, terms of reference, family involvement, parallel reviews, "
        "recommendations, and the action plan and combined chronology as appendices."
    ),
    "executive_summary": gettext_lazy(
        "The summary's skeleton: the review process, contributors, panel, terms of reference, "
        "key issues and the overarching recommendations."
    ),
    "action_plan": gettext_lazy(
        "Every recommendation and action in the published shape (the Excel workbook imports "
        "back into Lantern)."
    ),
    "briefing": gettext_lazy(
        "One or two pages in seven numbered sections, to read aloud in a team meeting."
    ),
}


def _review(request: HttpRequest, reference: str, need: str, what: str) -> Review:
    return review_get_for_user(
        user=request.user,
        reference=reference,
        need=need,
        what=what,
        audit=request.method == "GET",
    )


def _documents_context(review: Review, form: IssueForm) -> dict[str, Any]:
    caps = review.viewer_caps  # type: ignore[attr-defined]
    resolved = selectors.settings_for(review)
    documents = [
        {
            "kind": kind,
            "name": Kind(kind).label,
            "description": DESCRIPTIONS[kind],
            "formats": [
                {"value": f"{kind}.{fmt}", "fmt": fmt, "label": FORMAT_LABELS[fmt]}
                for fmt in services.FORMATS[kind]
            ],
        }
        for kind in services.DOCUMENT_KINDS
    ]
    return {
        "review": review,
        "caps": caps,
        "form": form,
        "documents": documents,
        "settings": resolved,
        "heading_set_label": HeadingSet(resolved.heading_set).label,
        "issues": list(selectors.issue_log(review)[:ISSUE_LOG_SHOWN]),
        "can_edit": Cap.EDIT_DRAFTS in caps,
        "title": _("Documents: %(ref)s") % {"ref": review.reference},
    }


@login_required
def documents(request: HttpRequest, reference: str) -> HttpResponse:
    review = _review(request, reference, Cap.VIEW_DOCUMENTS, "documents")
    return render(request, "documents/documents.html", _documents_context(review, IssueForm()))


@login_required
def issue(request: HttpRequest, reference: str) -> HttpResponse:
    """POST: generate one copy and send it (recorded in the issue log)."""
    review = review_get_for_user(
        user=request.user,
        reference=reference,
        need=Cap.VIEW_DOCUMENTS,
        what="documents",
        audit=False,
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = IssueForm(request.POST)
    if not form.is_valid():
        audit_record(
            action=AuditEvent.Action.READ,
            by=request.user,
            review=review,
            object_type="documents",
            object_id=review.reference,
            summary="Viewed documents",
        )
        context = _documents_context(review, form)
        context["title"] = _("Error: %(title)s") % {"title": context["title"]}
        return render(request, "documents/documents.html", context, status=400)
    kind, fmt = form.cleaned_data["document"]
    issued = services.document_issue(
        review=review,
        kind=kind,
        fmt=fmt,
        by=request.user,
        issued_to=form.cleaned_data["issued_to"],
    )
    response = HttpResponse(issued.content, content_type=issued.content_type)
    response["Content-Disposition"] = f'attachment; filename="{issued.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def briefing(request: HttpRequest, reference: str) -> HttpResponse:
    review = _review(request, reference, Cap.VIEW_DOCUMENTS, "7-minute briefing")
    document = services.build_document(review, "briefing", viewer=request.user)
    return render(
        request,
        "documents/briefing.html",
        {
            "review": review,
            "caps": review.viewer_caps,  # type: ignore[attr-defined]
            "document": document,
            "form": IssueForm(),
            "formats": [
                {"value": f"briefing.{fmt}", "label": FORMAT_LABELS[fmt]}
                for fmt in services.FORMATS["briefing"]
            ],
            "title": _("7-minute briefing: %(ref)s") % {"ref": review.reference},
        },
    )


@login_required
def settings_page(request: HttpRequest, reference: str) -> HttpResponse:
    review = _review(request, reference, Cap.EDIT_DRAFTS, "document settings")
    may_set_default = services.may_set_partnership_default(user=request.user, review=review)
    own = selectors.review_settings(review)
    if request.method == "POST":
        form = SettingsForm(request.POST, may_set_default=may_set_default)
        if form.is_valid():
            services.document_settings_update(
                review=review,
                by=request.user,
                values=form.values(),
                partnership_default=bool(form.cleaned_data.get("partnership_default")),
            )
            messages.success(request, _("The document settings are saved."))
            return redirect("documents:documents", reference=review.reference)
        audit_record(
            action=AuditEvent.Action.READ,
            by=request.user,
            review=review,
            object_type="document settings",
            object_id=review.reference,
            summary="Viewed document settings",
        )
    else:
        initial = {name: getattr(own, name) for name in selectors.SETTING_FIELDS} if own else {}
        form = SettingsForm(initial=initial, may_set_default=may_set_default)
    title = _("Document settings: %(ref)s") % {"ref": review.reference}
    if form.is_bound and form.errors:
        title = _("Error: %(title)s") % {"title": title}
    return render(
        request,
        "documents/settings.html",
        {
            "review": review,
            "caps": review.viewer_caps,  # type: ignore[attr-defined]
            "form": form,
            "resolved": selectors.settings_for(review),
            "title": title,
        },
    )
