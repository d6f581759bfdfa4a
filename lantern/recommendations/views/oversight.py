"""The board's oversight across reviews: where every action stands, as charts people would
rather look at than read (each with the same numbers as a table), and as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font

from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.core.spreadsheets import keep_as_text, neutralise_value
from lantern.recommendations import forms, selectors
from lantern.recommendations.charts import stacked_bars
from lantern.recommendations.models import Status
from lantern.recommendations.views.common import OVERDUE_TEXT, status_tag


def _progress_series() -> list[tuple[str, str]]:
    return [("overdue", _("Overdue")), ("open", _("Open, not overdue")), ("closed", _("Closed"))]


def _table(
    rows: list[tuple[str, dict[str, int]]], series: list[tuple[str, str]]
) -> list[tuple[str, list[int]]]:
    """A chart's numbers as table rows: each series, then the total."""
    return [
        (label, [counts.get(code, 0) for code, _label in series] + [sum(counts.values())])
        for label, counts in rows
    ]


def _oversight_for(request: HttpRequest) -> tuple[selectors.Oversight, forms.OversightFilterForm]:
    if not selectors.may_oversee(request.user):
        raise PermissionDenied
    references = [r.reference for r in selectors.plan_reviews_visible_to(user=request.user)]
    form = forms.OversightFilterForm(request.GET or None, references=references)
    reference = None
    if form.is_bound and form.is_valid():
        reference = form.cleaned_data.get("review") or None
    data = selectors.oversight(
        user=request.user, as_of=form.as_of_or(timezone.localdate()), reference=reference
    )
    return data, form


def _row(row: selectors.OversightRow) -> dict[str, Any]:
    return {"row": row, "action": row.action, "review": row.review, "tag": status_tag(row.action)}


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    data, form = _oversight_for(request)
    status_series = list(Status.choices)
    status_chart = stacked_bars(
        [(_("All actions"), data.by_status)], status_series, width=900, label_width=120
    )
    series = _progress_series()
    agency_chart = stacked_bars(data.by_agency, series, width=900, label_width=330)
    theme_chart = stacked_bars(data.by_theme, series, width=900, label_width=330)
    by_review = [(r.reference, counts) for r, counts in data.by_review]
    review_chart = stacked_bars(by_review, series, width=900, label_width=330)
    open_count = len(data.open_rows)
    return render(
        request,
        "recommendations/oversight.html",
        {
            "title": _("Action plans: oversight"),
            "data": data,
            "form": form,
            "status_rows": [
                {"code": code, "label": label, "count": data.by_status.get(code, 0)}
                for code, label in status_series
            ],
            "status_chart": status_chart,
            "agency_chart": agency_chart,
            "theme_chart": theme_chart,
            "review_chart": review_chart,
            "series": series,
            "agency_table": _table(data.by_agency, series),
            "theme_table": _table(data.by_theme, series),
            "review_table": _table(by_review, series),
            "overdue": [_row(r) for r in data.overdue],
            "due_soon": [_row(r) for r in data.due_soon],
            "oldest_open": [_row(r) for r in data.oldest_open],
            "open_count": open_count,
            "query": request.GET.urlencode(),
            "overdue_text": OVERDUE_TEXT,
        },
    )


EXPORT_HEADINGS = (
    gettext_lazy("Review"),
    gettext_lazy("Recommendation"),
    gettext_lazy("Kind"),
    gettext_lazy("Scope"),
    gettext_lazy("Themes"),
    gettext_lazy("Action"),
    gettext_lazy("Action to take"),
    gettext_lazy("Lead agency"),
    gettext_lazy("Target date"),
    gettext_lazy("Status"),
    gettext_lazy("Overdue"),
    gettext_lazy("Days overdue"),
    gettext_lazy("Due soon"),
    gettext_lazy("Date of completion"),
    gettext_lazy("Outcome"),
    gettext_lazy("Signed off"),
)


def _export_rows(data: selectors.Oversight) -> list[list[Any]]:
    rows = []
    for row in data.rows:
        action, rec = row.action, row.action.recommendation
        rows.append(
            [
                row.review.reference,
                rec.number,
                rec.get_kind_display(),
                rec.get_scope_display(),
                "; ".join(rec.theme_labels),
                action.label,
                action.description,
                action.lead,
                action.target_date,
                action.get_status_display(),
                _("Yes") if row.overdue else _("No"),
                row.days_overdue,
                _("Yes") if row.due_soon else _("No"),
                action.completed_on,
                action.outcome,
                action.signed_off_at.date() if action.signed_off_at else None,
            ]
        )
    return rows


def _audit_export(request: HttpRequest, data: selectors.Oversight, kind: str) -> None:
    for review in data.reviews:
        audit_record(
            action=AuditEvent.Action.EXPORT,
            by=request.user,
            review=review,
            object_type="action plan oversight",
            object_id=review.reference,
            summary=f"Downloaded the oversight of action plans ({kind})",
        )


def _filename(data: selectors.Oversight, suffix: str) -> str:
    return f"action-plans-{data.as_of.isoformat()}.{suffix}"


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    data, _form = _oversight_for(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in EXPORT_HEADINGS])
    for row in _export_rows(data):
        writer.writerow(
            [
                "" if v is None else v.isoformat() if hasattr(v, "isoformat") else v
                for v in map(neutralise_value, row)
            ]
        )
    _audit_export(request, data, "CSV")
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(data, "csv")}"'
    return response


@login_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    data, _form = _oversight_for(request)
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    summary.append([_("Action plans as of %(date)s") % {"date": f"{data.as_of:%d/%m/%Y}"}])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([])
    summary.append([_("Actions"), data.total])
    summary.append([_("Overdue"), len(data.overdue)])
    summary.append(
        [_("Due within %(days)d days") % {"days": data.due_soon_days}, len(data.due_soon)]
    )
    summary.append([])
    summary.append([_("Status"), _("Actions")])
    for code, label in Status.choices:
        summary.append([str(label), data.by_status.get(code, 0)])
    for title, groups in ((_("Lead agency"), data.by_agency), (_("Theme"), data.by_theme)):
        summary.append([])
        summary.append([title, *(str(label) for _code, label in _progress_series())])
        for name, counts in groups:
            summary.append(
                [name, counts.get("overdue", 0), counts.get("open", 0), counts.get("closed", 0)]
            )
    summary.column_dimensions["A"].width = 40
    sheet = workbook.create_sheet("Actions")
    sheet.append([str(h) for h in EXPORT_HEADINGS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _export_rows(data):
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            keep_as_text(cell)
            if cell.column_letter in ("I", "N", "P") and cell.value:
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    _audit_export(request, data, "XLSX")
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(data, "xlsx")}"'
    return response
