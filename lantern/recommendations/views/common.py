"""What the recommendation pages share: fetch-and-check, rendering with the audit of reads."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.recommendations.models import Action, Recommendation, Status
from lantern.reviews.models import Review

# Shared with every app's review pages; this app's views import them from here.
from lantern.reviews.pages import page_title as page_title
from lantern.reviews.pages import render_page as render_page
from lantern.reviews.pages import review_for as review_for

STATUS_COLOURS = {
    Status.NOT_STARTED: "grey",
    Status.IN_PROGRESS: "light-blue",
    Status.COMPLETE: "green",
    Status.NOT_ACHIEVED: "orange",
    Status.SUPERSEDED: "purple",
}
OVERDUE_TEXT = gettext_lazy("Overdue")


def status_tag(action: Action) -> dict[str, str]:
    return {"text": action.get_status_display(), "colour": STATUS_COLOURS.get(action.status, "")}


def recommendation_or_404(review: Review, rec_id: int) -> Recommendation:
    rec = (
        Recommendation.objects.select_related("review", "source_agency")
        .filter(review=review, pk=rec_id)
        .first()
    )
    if rec is None:
        raise Http404
    return rec


def action_or_404(review: Review, action_id: int) -> Action:
    action = (
        Action.objects.select_related(
            "recommendation", "recommendation__review", "lead_agency", "signed_off_by"
        )
        .filter(recommendation__review=review, pk=action_id)
        .first()
    )
    if action is None:
        raise Http404
    return action


FIELD_LABELS = {
    "number": gettext_lazy("Number"),
    "kind": gettext_lazy("Kind"),
    "text": gettext_lazy("Recommendation"),
    "scope": gettext_lazy("Scope"),
    "addressee": gettext_lazy("Addressee"),
    "addressed_to": gettext_lazy("Addressed to"),
    "finding": gettext_lazy("Finding"),
    "themes": gettext_lazy("Themes"),
    "source": gettext_lazy("Source"),
    "source_agency": gettext_lazy("IMR of"),
    "description": gettext_lazy("Action to take"),
    "lead_agency": gettext_lazy("Lead agency"),
    "lead_agency_name": gettext_lazy("Lead agency"),
    "lead_officer": gettext_lazy("Lead officer"),
    "lead_officer_email": gettext_lazy("Lead officer's email"),
    "milestones": gettext_lazy("Key milestones"),
    "outcome_measure": gettext_lazy("Measurable outcome"),
    "target_date": gettext_lazy("Target date"),
    "target_date_note": gettext_lazy("Target date note"),
    "status": gettext_lazy("Status"),
    "completed_on": gettext_lazy("Date of completion"),
    "outcome": gettext_lazy("Outcome"),
    "signed_off": gettext_lazy("Signed off"),
    "evidence": gettext_lazy("Evidence"),
}


def _shown(field: str, value: Any) -> str:
    from lantern.recommendations.models import Addressee, Kind, Scope, Source, Theme

    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    tables = {
        "status": Status,
        "kind": Kind,
        "scope": Scope,
        "addressee": Addressee,
        "source": Source,
    }
    if field in tables and value in tables[field].values:
        return str(tables[field](value).label)
    if field == "evidence" and value == "note":
        return str(_("a note"))
    if field == "themes" and isinstance(value, list):
        return ", ".join(str(Theme(v).label) if v in Theme.values else str(v) for v in value)
    if field in ("target_date", "completed_on") and isinstance(value, str):
        from datetime import date as _date

        from django.utils.formats import date_format

        try:
            return date_format(_date.fromisoformat(value), "j F Y")
        except ValueError:
            return value
    return str(value)


def with_details(changes: list[Any]) -> list[Any]:
    """Each change with `details`: (what, was, now) in words a reader knows."""
    for change in changes:
        details = []
        for field, (old, new) in (change.changes or {}).items():
            if field == "lead_agency" and "lead_agency_name" in change.changes:
                continue
            details.append(
                (
                    str(FIELD_LABELS.get(field, field.replace("_", " ").capitalize())),
                    _shown(field, old) if old is not None else None,
                    _shown(field, new),
                )
            )
        change.details = details
    return changes
