"""A review's recommendations and action plan: the plan, one recommendation traced to its
evidence, writing recommendations (with similar ones from other reviews), importing and
exporting the plan, and bringing IMR recommendations in."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lantern.accounts.models import Organisation
from lantern.core.errors import ProblemsError
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.recommendations import forms, selectors, services
from lantern.recommendations.models import PlanChange, Status
from lantern.recommendations.plan_import import write_docx, write_xlsx
from lantern.recommendations.views.common import (
    OVERDUE_TEXT,
    page_title,
    recommendation_or_404,
    render_page,
    review_for,
    status_tag,
    with_details,
)
from lantern.reviews.access import Cap
from lantern.reviews.models import Review

MAX_IMPORT_BYTES = 10 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _action_row(
    action: Any, *, as_of: Any, own_agencies: set[int], caps: frozenset[str]
) -> dict[str, Any]:
    overdue = action.is_overdue(as_of)
    return {
        "action": action,
        "tag": status_tag(action),
        "overdue": overdue,
        "days_overdue": action.days_overdue(as_of) if overdue else 0,
        "flags": action.smart_flags,
        "own": action.lead_agency_id in own_agencies,
        "can_update": Cap.EDIT_ACTIONS in caps or action.lead_agency_id in own_agencies,
    }


def _keep(row: dict[str, Any], filters: dict[str, Any]) -> bool:
    action = row["action"]
    if filters.get("status") and action.status != filters["status"]:
        return False
    if filters.get("agency") and action.lead != filters["agency"]:
        return False
    if filters.get("overdue") and not row["overdue"]:
        return False
    return not (filters.get("not_smart") and not row["flags"])


@login_required
def plan(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_ACTIONS, "action plan")
    caps = review.viewer_caps  # type: ignore[attr-defined]
    as_of = timezone.localdate()
    recommendations = list(selectors.plan_recommendations(review=review))
    agencies = sorted({a.lead for r in recommendations for a in r.actions.all() if a.lead})
    filter_form = forms.PlanFilterForm(request.GET or None, agencies=agencies)
    filters = filter_form.cleaned_data if filter_form.is_bound and filter_form.is_valid() else {}
    own = selectors.own_agency_ids(user=request.user, review=review, caps=caps)
    groups = []
    shown = 0
    for kind, heading, recs in selectors.grouped_by_kind(recommendations):
        items = []
        for rec in recs:
            rows = [
                _action_row(a, as_of=as_of, own_agencies=own, caps=caps) for a in rec.actions.all()
            ]
            kept = [r for r in rows if _keep(r, filters)]
            if filters and any(filters.values()) and not kept:
                continue
            shown += len(kept)
            items.append({"rec": rec, "rows": kept, "all_count": len(rows)})
        if items:
            groups.append({"kind": kind, "heading": heading, "items": items})
    summary = selectors.plan_summary(review=review, as_of=as_of)
    status_counts = [
        {"code": code, "label": label, "count": summary["by_status"].get(code, 0)}
        for code, label in Status.choices
    ]
    not_smart = sum(1 for r in recommendations for a in r.actions.all() if a.smart_flags)
    return render_page(
        request,
        "recommendations/plan.html",
        review,
        "action plan",
        {
            "title": _("Recommendations and action plan: %(ref)s") % {"ref": review.reference},
            "groups": groups,
            "summary": summary,
            "status_counts": status_counts,
            "not_smart": not_smart,
            "filter_form": filter_form,
            "filtered": bool(filters and any(filters.values())),
            "shown": shown,
            "monitoring": selectors.monitoring_state(review=review),
            "can_edit": Cap.EDIT_ACTIONS in caps,
            "can_bring_imrs": Cap.EDIT_ACTIONS in caps and Cap.VIEW_ALL_AGENCY_MATERIAL in caps,
            "own_agencies": bool(own),
            "overdue_text": OVERDUE_TEXT,
            "import_warnings": request.session.pop("lantern_import_warnings", []),
        },
    )


@login_required
def recommendation_detail(request: HttpRequest, reference: str, rec_id: int) -> HttpResponse:
    """One recommendation followed through: its actions, every change, and the evidence."""
    review = review_for(request, reference, Cap.VIEW_ACTIONS, "recommendation")
    rec = recommendation_or_404(review, rec_id)
    caps = review.viewer_caps  # type: ignore[attr-defined]
    as_of = timezone.localdate()
    own = selectors.own_agency_ids(user=request.user, review=review, caps=caps)
    actions = []
    for action in rec.actions.select_related("lead_agency", "signed_off_by").order_by("position"):
        row = _action_row(action, as_of=as_of, own_agencies=own, caps=caps)
        row["evidence"] = list(action.evidence.select_related("added_by").defer("content"))
        row["changes"] = with_details(list(action.changes.select_related("by")[:50]))
        actions.append(row)
    return render_page(
        request,
        "recommendations/recommendation_detail.html",
        review,
        "recommendation",
        {
            "title": _("Recommendation %(n)s: %(ref)s")
            % {"n": rec.number, "ref": review.reference},
            "rec": rec,
            "actions": actions,
            "changes": with_details(
                list(
                    PlanChange.objects.filter(recommendation=rec, action__isnull=True)
                    .exclude(kind=PlanChange.Kind.IMPORTED)
                    .select_related("by")
                )
            ),
            "can_edit": Cap.EDIT_ACTIONS in caps,
            "overdue_text": OVERDUE_TEXT,
        },
    )


def _similar(request: HttpRequest, review: Review, text: str) -> list[Any]:
    return selectors.similar_recommendations(user=request.user, text=text, exclude_review=review)


@login_required
def recommendation_new(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for(request, reference, Cap.EDIT_ACTIONS, "action plan")
    return _recommendation_form(request, review, None)


@login_required
def recommendation_edit(request: HttpRequest, reference: str, rec_id: int) -> HttpResponse:
    review = review_for(request, reference, Cap.EDIT_ACTIONS, "recommendation")
    return _recommendation_form(request, review, recommendation_or_404(review, rec_id))


def _recommendation_form(request: HttpRequest, review: Review, rec: Any) -> HttpResponse:
    initial = forms.RecommendationForm.initial_for(rec) if rec else {}
    checking = request.method == "POST" and "check" in request.POST
    if checking:
        # "Check for similar recommendations" (without JavaScript): the form again, unsaved
        # and not yet judged, with what was typed.
        typed = {name: request.POST.get(name, "") for name in forms.RecommendationForm.base_fields}
        typed["themes"] = request.POST.getlist("themes")
        form = forms.RecommendationForm(initial=typed, review=review)
        similar = _similar(request, review, request.POST.get("text", ""))
    else:
        form = forms.RecommendationForm(request.POST or None, initial=initial, review=review)
    if not checking and request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if rec is None:
                rec = services.recommendation_create(review=review, by=request.user, **data)
                messages.success(
                    request,
                    _("Recommendation %(n)s added. Now add its actions.") % {"n": rec.number},
                )
                return redirect(
                    "recommendations:action_new", reference=review.reference, rec_id=rec.pk
                )
            services.recommendation_update(recommendation=rec, by=request.user, **data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Recommendation %(n)s saved.") % {"n": rec.number})
            return redirect(
                "recommendations:recommendation_detail", reference=review.reference, rec_id=rec.pk
            )
    if not checking:
        typed_text = request.POST.get("text", "") if request.method == "POST" else ""
        text = typed_text or (rec.text if rec else "")
        similar = _similar(request, review, text) if text else []
    heading = (
        _("Change recommendation %(n)s") % {"n": rec.number} if rec else _("Add a recommendation")
    )
    return render_page(
        request,
        "recommendations/recommendation_form.html",
        review,
        "action plan",
        {
            "title": page_title(f"{heading}: {review.reference}", form),
            "heading": heading,
            "form": form,
            "rec": rec,
            "similar": similar,
            "checked": checking,
        },
    )


@login_required
def similar(request: HttpRequest, reference: str) -> HttpResponse:
    """Similar recommendations from other reviews, for the form (htmx swaps this in)."""
    review = review_for(request, reference, Cap.EDIT_ACTIONS, "action plan")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    text = request.GET.get("text", "")[:5000]
    return render(
        request,
        "recommendations/_similar.html",
        {"review": review, "similar": _similar(request, review, text), "checked": bool(text)},
    )


@login_required
def action_new(request: HttpRequest, reference: str, rec_id: int) -> HttpResponse:
    review = review_for(request, reference, Cap.EDIT_ACTIONS, "action plan")
    rec = recommendation_or_404(review, rec_id)
    form = forms.ActionForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.service_kwargs()
            data.pop("expected_version", None)  # a new action has no earlier version
            action = services.action_create(recommendation=rec, by=request.user, **data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Action %(label)s added.") % {"label": action.label})
            if "another" in request.POST:
                return redirect(
                    "recommendations:action_new", reference=review.reference, rec_id=rec.pk
                )
            return redirect(
                "recommendations:recommendation_detail", reference=review.reference, rec_id=rec.pk
            )
    heading = _("Add an action to recommendation %(n)s") % {"n": rec.number}
    return render_page(
        request,
        "recommendations/action_form.html",
        review,
        "action plan",
        {
            "title": page_title(f"{heading}: {review.reference}", form),
            "heading": heading,
            "form": form,
            "rec": rec,
            "action": None,
        },
    )


# --- import, export, IMRs ----------------------------------------------------------------------


@login_required
def plan_import(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for(request, reference, Cap.EDIT_ACTIONS, "action plan")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", _("The file must be smaller than 10 MB."))
        else:
            try:
                result = services.plan_import(
                    review=review,
                    by=request.user,
                    content=upload.read(),
                    filename=upload.name,
                    replace=form.cleaned_data["replace"],
                )
            except ProblemsError as error:
                problems = error.problems
            else:
                text = _("Imported %(r)d recommendations and %(a)d actions from %(file)s.") % {
                    "r": result.recommendations,
                    "a": result.actions,
                    "file": upload.name,
                }
                if result.warnings:
                    text += " " + ngettext(
                        "%(n)d row was left out or needs a look: see below.",
                        "%(n)d rows were left out or need a look: see below.",
                        len(result.warnings),
                    ) % {"n": len(result.warnings)}
                    request.session["lantern_import_warnings"] = [str(w) for w in result.warnings]
                messages.success(request, text)
                return redirect("recommendations:plan", reference=review.reference)
    has_plan = review.recommendations.exists()
    return render_page(
        request,
        "recommendations/import.html",
        review,
        "action plan",
        {
            "title": page_title(
                _("Import an action plan: %(ref)s") % {"ref": review.reference}, form
            )
            if not problems
            else _("Error: Import an action plan: %(ref)s") % {"ref": review.reference},
            "form": form,
            "problems": problems,
            "has_plan": has_plan,
        },
    )


def _export(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_ACTIONS, "action plan")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    today = timezone.localdate()
    document = selectors.plan_document(review=review, today=today)
    buffer = io.BytesIO()
    (write_xlsx if kind == "xlsx" else write_docx)(document, buffer)
    audit_record(
        action=AuditEvent.Action.EXPORT,
        by=request.user,
        review=review,
        object_type="action plan",
        object_id=review.reference,
        summary=f"Downloaded the action plan ({kind.upper()})",
    )
    response = HttpResponse(
        buffer.getvalue(), content_type=XLSX_TYPE if kind == "xlsx" else DOCX_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{review.reference}-action-plan.{kind}"'
    )
    return response


@login_required
def export_xlsx(request: HttpRequest, reference: str) -> HttpResponse:
    return _export(request, reference, "xlsx")


@login_required
def export_docx(request: HttpRequest, reference: str) -> HttpResponse:
    return _export(request, reference, "docx")


@login_required
def from_imrs(request: HttpRequest, reference: str) -> HttpResponse:
    """Bring agencies' single-agency recommendations from their IMRs into the plan."""
    review = review_for(request, reference, Cap.EDIT_ACTIONS, "IMR recommendations")
    if Cap.VIEW_ALL_AGENCY_MATERIAL not in review.viewer_caps:  # type: ignore[attr-defined]
        raise PermissionDenied
    imrs = selectors.imr_recommendations(review=review)
    texts = {value: text for imr in imrs for value, text, in_plan in imr.items if not in_plan}
    form = forms.ImrForm(request.POST or None, choices=list(texts.items()))
    if request.method == "POST" and form.is_valid():
        agencies = {
            o.pk: o for o in Organisation.objects.filter(pk__in=[i.agency_id for i in imrs])
        }
        chosen = [
            (agencies[int(value.split(":")[0])], texts[value])
            for value in form.cleaned_data["chosen"]
        ]
        created = services.recommendations_from_imrs(review=review, by=request.user, chosen=chosen)
        messages.success(
            request,
            ngettext(
                "%(n)d recommendation brought into the action plan: add its actions.",
                "%(n)d recommendations brought into the action plan: add their actions.",
                len(created),
            )
            % {"n": len(created)},
        )
        return redirect("recommendations:plan", reference=review.reference)
    return render_page(
        request,
        "recommendations/from_imrs.html",
        review,
        "IMR recommendations",
        {
            "title": page_title(
                _("Recommendations from IMRs: %(ref)s") % {"ref": review.reference}, form
            ),
            "form": form,
            "imrs": imrs,
        },
    )
