"""Documents generated from a review's data: render them, issue them (logged and audited),
and change their settings.

`render_document` and `render_briefing` are the interface other apps code against (publishing
calls them for the submission pack and the published briefing): they return the bytes and
record nothing. `document_issue` is what pages, the API and the CLI call: it checks access,
renders as the user may see the review, records the copy in the issue log and the audit trail.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.chronology.selectors_entries import pseudonymiser_for
from lantern.core.context import current
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.documents import selectors
from lantern.documents.builders.action_plan import (
    action_plan_docx,
    action_plan_xlsx,
    build_action_plan,
)
from lantern.documents.builders.briefing import build_briefing
from lantern.documents.builders.common import Options
from lantern.documents.builders.report import build_executive_summary, build_overview_report
from lantern.documents.content.docx import render_docx
from lantern.documents.content.html import render_html
from lantern.documents.content.model import Document
from lantern.documents.content.pdf import render_pdf
from lantern.documents.facts import ReviewFacts, review_facts
from lantern.documents.models import DocumentIssue, DocumentSettings, HeadingSet
from lantern.reviews.access import Cap, ensure_can
from lantern.reviews.models import Review

DOCUMENT_KINDS = ("overview_report", "executive_summary", "action_plan", "briefing")
FORMATS: dict[str, tuple[str, ...]] = {
    "overview_report": ("docx", "pdf"),
    "executive_summary": ("docx", "pdf"),
    "action_plan": ("docx", "xlsx", "pdf"),
    "briefing": ("docx", "pdf", "html"),
}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}
FILE_NAMES = {
    "overview_report": "overview-report",
    "executive_summary": "executive-summary",
    "action_plan": "action-plan",
    "briefing": "7-minute-briefing",
}
MAX_ISSUED_TO = 300
MAX_MARKING = 100

_BUILDERS: dict[str, Callable[[ReviewFacts, Options], Document]] = {
    "overview_report": build_overview_report,
    "executive_summary": build_executive_summary,
    "action_plan": build_action_plan,
    "briefing": build_briefing,
}


def check_kind_and_format(kind: str, fmt: str) -> None:
    if kind not in DOCUMENT_KINDS:
        raise ValidationError(
            {
                "kind": _("No document “%(kind)s”: choose one of %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(DOCUMENT_KINDS)}
            }
        )
    if fmt not in FORMATS[kind]:
        raise ValidationError(
            {
                "format": _("The %(kind)s comes as %(formats)s, not “%(fmt)s”.")
                % {"kind": kind.replace("_", " "), "formats": ", ".join(FORMATS[kind]), "fmt": fmt}
            }
        )


def document_filename(review: Review, kind: str, fmt: str) -> str:
    return f"{review.reference}-{FILE_NAMES[kind]}.{fmt}"


def build_document(
    review: Review,
    kind: str,
    *,
    issued_to: str = "",
    marking: str | None = None,
    viewer: Any = None,
    today: date | None = None,
) -> Document:
    """The document as data (sections and blocks), before rendering."""
    check_kind_and_format(kind, FORMATS.get(kind, ("",))[0])
    facts, options = _facts_and_options(
        review, kind, issued_to=issued_to, marking=marking, viewer=viewer, today=today
    )
    return _BUILDERS[kind](facts, options)


def _facts_and_options(
    review: Review,
    kind: str,
    *,
    issued_to: str,
    marking: str | None,
    viewer: Any,
    today: date | None,
) -> tuple[ReviewFacts, Options]:
    today = today or timezone.localdate()
    names = pseudonymiser_for(review)
    options = selectors.options_for(
        review,
        issued_on=today,
        issued_to=names.apply((issued_to or "").strip())[:MAX_ISSUED_TO],
        marking=None if marking is None else marking.strip()[:MAX_MARKING],
    )
    # Text the partnership wrote for the briefing goes through the pseudonymiser too.
    options = dataclasses.replace(
        options,
        local_services=names.apply(options.local_services),
        why_it_matters=names.apply(options.why_it_matters),
        practice_points=names.apply(options.practice_points),
        reflection_questions=names.apply(options.reflection_questions),
    )
    facts = review_facts(
        review=review,
        viewer=viewer,
        today=today,
        chronology_rows=kind == "overview_report",
    )
    return facts, options


def render_document(
    review: Review,
    kind: str,
    *,
    fmt: str,
    issued_to: str = "",
    marking: str | None = None,
    viewer: Any = None,
    today: date | None = None,
) -> bytes:
    """One document of `review` as bytes.

    overview_report and executive_summary: docx or pdf; action_plan: docx, xlsx or pdf;
    briefing: docx, pdf or html. `marking`: None for the review's protective marking, "" for
    none (a published copy). `viewer`: whose view of the agencies' material the chronology
    parts hold (None: all of it). Records nothing: callers that issue a copy use
    `document_issue`.
    """
    check_kind_and_format(kind, fmt)
    facts, options = _facts_and_options(
        review, kind, issued_to=issued_to, marking=marking, viewer=viewer, today=today
    )
    if kind == "action_plan" and fmt == "docx":
        return action_plan_docx(facts, options)
    if kind == "action_plan" and fmt == "xlsx":
        return action_plan_xlsx(facts, options)
    doc = _BUILDERS[kind](facts, options)
    if fmt == "docx":
        return render_docx(doc)
    if fmt == "pdf":
        return render_pdf(doc)
    return render_html(doc, flavour="screen").encode("utf-8")


def render_briefing(
    review: Review,
    *,
    fmt: str,
    issued_to: str = "",
    marking: str | None = None,
    viewer: Any = None,
    today: date | None = None,
) -> bytes:
    """The 7-minute briefing as docx, pdf or html (see `render_document`)."""
    return render_document(
        review,
        "briefing",
        fmt=fmt,
        issued_to=issued_to,
        marking=marking,
        viewer=viewer,
        today=today,
    )


# --- issuing a copy ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedDocument:
    content: bytes
    filename: str
    content_type: str
    issue: DocumentIssue

    def as_dict(self) -> dict[str, Any]:
        return issue_dict(self.issue)


def issue_dict(issue: DocumentIssue) -> dict[str, Any]:
    return {
        "id": issue.pk,
        "kind": issue.kind,
        "format": issue.fmt,
        "filename": issue.filename,
        "issued_to": issue.issued_to,
        "marking": issue.marking,
        "sha256": issue.sha256,
        "bytes": issue.size,
        "generated_at": issue.generated_at.isoformat(),
        "generated_by": issue.generated_by_label,
        "channel": issue.channel,
    }


def _label(user: Any) -> str:
    if getattr(user, "is_system", False):
        return "console: local system administrator"
    return getattr(user, "display_name", "") or getattr(user, "username", "") or str(user)


@transaction.atomic
def document_issue(
    *,
    review: Review,
    kind: str,
    fmt: str,
    by: Any,
    issued_to: str = "",
    marking: str | None = None,
) -> IssuedDocument:
    """Generate a copy for `by` (who needs view_documents), record it in the issue log with
    its SHA-256, and audit it as an export."""
    caps = ensure_can(user=by, review=review, need=Cap.VIEW_DOCUMENTS)
    check_kind_and_format(kind, fmt)
    names = pseudonymiser_for(review)
    issued_to = names.apply((issued_to or "").strip())[:MAX_ISSUED_TO]
    configured = selectors.settings_for(review).marking
    resolved_marking = (configured if marking is None else marking.strip())[:MAX_MARKING]
    if resolved_marking != configured and Cap.EDIT_DRAFTS not in caps:
        # Only those who may change the settings may issue a copy marked otherwise (or not).
        raise PermissionDenied
    content = render_document(
        review, kind, fmt=fmt, issued_to=issued_to, marking=resolved_marking, viewer=by
    )
    digest = hashlib.sha256(content).hexdigest()
    filename = document_filename(review, kind, fmt)
    issue = DocumentIssue.objects.create(
        review=review,
        kind=kind,
        fmt=fmt,
        issued_to=issued_to,
        marking=resolved_marking,
        filename=filename,
        size=len(content),
        sha256=digest,
        generated_by=by
        if getattr(by, "pk", None) and not getattr(by, "is_system", False)
        else None,
        generated_by_label=_label(by),
        channel=current().channel,
    )
    audit_record(
        action=AuditEvent.Action.EXPORT,
        by=by,
        review=review,
        obj=issue,
        object_type="document",
        summary=f"Generated {filename}" + (f" for {issued_to}" if issued_to else ""),
        data={
            "kind": kind,
            "format": fmt,
            "issued_to": issued_to,
            "marking": resolved_marking,
            "sha256": digest,
        },
    )
    return IssuedDocument(content, filename, CONTENT_TYPES[fmt], issue)


# --- settings ---------------------------------------------------------------------------------


def may_set_partnership_default(*, user: Any, review: Review) -> bool:
    """A coordinator of the review's partnership (or the console) sets its defaults."""
    if getattr(user, "is_system", False):
        return True
    return bool(
        getattr(user, "is_coordinator", False)
        and getattr(user, "organisation_id", None) == review.csp_id
    )


@transaction.atomic
def document_settings_update(
    *, review: Review, by: Any, values: dict[str, str], partnership_default: bool = False
) -> DocumentSettings:
    """Change the review's document settings (needs edit_drafts); with `partnership_default`,
    also make them the default of every review of the partnership (coordinators only)."""
    ensure_can(user=by, review=review, need=Cap.EDIT_DRAFTS)
    if partnership_default and not may_set_partnership_default(user=by, review=review):
        raise PermissionDenied
    unknown = set(values) - set(selectors.SETTING_FIELDS)
    if unknown:
        raise ValidationError({name: _("Not a document setting.") for name in sorted(unknown)})
    heading_set = values.get("heading_set")
    if heading_set not in (None, "", *HeadingSet.values):
        raise ValidationError(
            {"heading_set": _("Choose %(choices)s.") % {"choices": " or ".join(HeadingSet.values)}}
        )
    cleaned = {name: (value or "").strip() for name, value in values.items()}
    if len(cleaned.get("marking", "")) > MAX_MARKING:
        raise ValidationError({"marking": _("At most %(n)s characters.") % {"n": MAX_MARKING}})
    targets = [DocumentSettings.objects.get_or_create(review=review)[0]]
    if partnership_default:
        targets.append(DocumentSettings.objects.get_or_create(csp_id=review.csp_id)[0])
    changed: dict[str, list[str]] = {}
    for row in targets:
        for name, value in cleaned.items():
            if getattr(row, name) != value:
                if row.review_id:
                    changed[name] = [getattr(row, name), value]
                setattr(row, name, value)
        row.updated_at = timezone.now()
        row.updated_by = (
            by if getattr(by, "pk", None) and not getattr(by, "is_system", False) else None
        )
        row.full_clean()
        row.save()
    audit_record(
        action=AuditEvent.Action.UPDATE,
        by=by,
        review=review,
        obj=targets[0],
        object_type="document settings",
        summary="Changed the document settings"
        + (" and the partnership's defaults" if partnership_default else ""),
        data={"changed": sorted(changed), "partnership_default": partnership_default},
    )
    return targets[0]
