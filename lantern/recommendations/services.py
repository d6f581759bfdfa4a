"""Writes to recommendations and action plans. Pages, the API and the CLI all call these.

Each is one transaction; each checks the caller's capability again; each keeps what changed as
a `PlanChange` (who, when, old and new values) and records one event on the review's timeline
(which is also an audit write).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts.models import Organisation
from lantern.core.errors import Problem, ProblemsError
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.core.uploads import UploadRefused, content_check, scan_upload
from lantern.recommendations.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Action,
    Addressee,
    Evidence,
    Kind,
    PlanChange,
    Recommendation,
    Scope,
    Source,
    Status,
    Theme,
)
from lantern.recommendations.plan_import import PlanRecommendation, read_plan
from lantern.recommendations.selectors import can_update_progress
from lantern.reviews.access import Cap, ensure_can
from lantern.reviews.models import Review, ReviewEvent
from lantern.reviews.services import review_event_record

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_PLAN_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


def _label(user: Any) -> str:
    if user is None:
        return "anonymous"
    if getattr(user, "is_system", False):
        return "console: local system administrator"
    return getattr(user, "username", str(user))


def _value(value: Any) -> Any:
    """A value as it is kept in a change record (JSON)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Organisation):
        return value.name
    return value


def _record(
    *,
    review: Review,
    by: Any,
    kind: str,
    summary: str,
    recommendation: Recommendation | None = None,
    action: Action | None = None,
    note: str = "",
    changes: dict[str, list[Any]] | None = None,
    event_kind: str = ReviewEvent.Kind.MONITORING,
) -> PlanChange:
    subject = (
        action.label if action is not None else recommendation.number if recommendation else ""
    )
    change = PlanChange.objects.create(
        review=review,
        recommendation=recommendation or (action.recommendation if action else None),
        action=action,
        subject=subject,
        kind=kind,
        by=by if getattr(by, "pk", None) else None,
        by_label=_label(by),
        note=note,
        changes=changes or {},
    )
    review_event_record(
        review=review,
        by=by,
        kind=event_kind,
        summary=summary,
        data={"plan_change": change.pk, "subject": subject, "kind": kind},
    )
    return change


def agency_named(name: str) -> Organisation | None:
    """The organisation a plan's "Lead Agency" cell names, if Lantern knows it."""
    name = (name or "").strip()
    if not name:
        return None
    return Organisation.objects.filter(name__iexact=name).first()


# --- checks ------------------------------------------------------------------------------------


def _check_choice(errors: dict[str, list[str]], field_name: str, value: str, choices: Any) -> None:
    if value not in choices.values:
        errors.setdefault(field_name, []).append(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(choices.values)}
        )


def _check_recommendation(data: dict[str, Any], *, review: Review, pk: int | None) -> None:
    errors: dict[str, list[str]] = {}
    number = (data.get("number") or "").strip()
    if not number:
        errors["number"] = [_("Enter the recommendation's number, for example 3 or SA3.")]
    elif (
        Recommendation.objects.filter(review=review, number__iexact=number).exclude(pk=pk).exists()
    ):
        errors["number"] = [_("Recommendation %(n)s is already in this plan.") % {"n": number}]
    if not (data.get("text") or "").strip():
        errors["text"] = [_("Enter the recommendation.")]
    _check_choice(errors, "kind", data.get("kind", ""), Kind)
    _check_choice(errors, "scope", data.get("scope", ""), Scope)
    _check_choice(errors, "source", data.get("source", ""), Source)
    if data.get("addressee"):
        _check_choice(errors, "addressee", data["addressee"], Addressee)
    for theme in data.get("themes") or []:
        _check_choice(errors, "themes", theme, Theme)
    if errors:
        raise ValidationError(errors)


def _check_action(data: dict[str, Any], *, today: date) -> None:
    errors: dict[str, list[str]] = {}
    if not (data.get("description") or "").strip():
        errors["description"] = [_("Enter the action to take.")]
    status = data.get("status", Status.NOT_STARTED)
    _check_choice(errors, "status", status, Status)
    _check_closure(errors, status, data.get("completed_on"), data.get("outcome") or "", today)
    email = (data.get("lead_officer_email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["lead_officer_email"] = [_("Enter an email address like name@example.org.")]
    if errors:
        raise ValidationError(errors)


def _check_closure(
    errors: dict[str, list[str]], status: str, completed_on: date | None, outcome: str, today: date
) -> None:
    if status == Status.COMPLETE and not completed_on:
        errors.setdefault("completed_on", []).append(_("Enter the date the action was completed."))
    if status in (Status.NOT_ACHIEVED, Status.SUPERSEDED) and not outcome.strip():
        errors.setdefault("outcome", []).append(
            _("Say why the action was not achieved or what superseded it.")
        )
    if status == Status.COMPLETE and not outcome.strip():
        errors.setdefault("outcome", []).append(_("Describe the outcome: what was achieved."))
    if completed_on and status in OPEN_STATUSES:
        errors.setdefault("completed_on", []).append(
            _("A date of completion is for a closed action: change the status too.")
        )
    if completed_on and completed_on > today:
        errors.setdefault("completed_on", []).append(
            _("The date of completion cannot be in the future.")
        )


# --- recommendations ---------------------------------------------------------------------------

_REC_FIELDS = (
    "number",
    "kind",
    "text",
    "scope",
    "addressee",
    "addressed_to",
    "finding",
    "themes",
    "source",
    "source_agency",
)


def _next_position(review: Review) -> int:
    top = Recommendation.objects.filter(review=review).aggregate(m=Max("position"))["m"]
    return (top or 0) + 1


@transaction.atomic
def recommendation_create(
    *,
    review: Review,
    by: Any,
    number: str,
    kind: str,
    text: str,
    scope: str,
    addressee: str = "",
    addressed_to: str = "",
    finding: str = "",
    themes: Sequence[str] = (),
    source: str = Source.PANEL,
    source_agency: Organisation | None = None,
) -> Recommendation:
    ensure_can(user=by, review=review, need=Cap.EDIT_ACTIONS)
    data = {
        "number": number.strip(),
        "kind": kind,
        "text": text.strip(),
        "scope": scope,
        "addressee": addressee,
        "addressed_to": addressed_to.strip(),
        "finding": finding.strip(),
        "themes": list(dict.fromkeys(themes)),
        "source": source,
        "source_agency": source_agency,
    }
    _check_recommendation(data, review=review, pk=None)
    rec = Recommendation.objects.create(
        review=review,
        position=_next_position(review),
        created_by=by if getattr(by, "pk", None) else None,
        addressed_agency=agency_named(data["addressed_to"]),
        **data,
    )
    _record(
        review=review,
        by=by,
        kind=PlanChange.Kind.CREATED,
        recommendation=rec,
        summary=_("Recommendation %(n)s added to the action plan") % {"n": rec.number},
        changes={k: [None, _value(v)] for k, v in data.items() if v not in ("", [], None)},
    )
    return rec


@transaction.atomic
def recommendation_update(
    *, recommendation: Recommendation, by: Any, note: str = "", **changes: Any
) -> Recommendation:
    review = recommendation.review
    ensure_can(user=by, review=review, need=Cap.EDIT_ACTIONS)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    unknown = set(changes) - set(_REC_FIELDS)
    if unknown:
        raise ValidationError(_("These cannot be changed here: %s") % ", ".join(sorted(unknown)))
    data = {f: getattr(recommendation, f) for f in _REC_FIELDS}
    for key, value in changes.items():
        data[key] = value.strip() if isinstance(value, str) and key != "kind" else value
    if "themes" in changes:
        data["themes"] = list(dict.fromkeys(changes["themes"] or []))
    _check_recommendation(data, review=review, pk=recommendation.pk)
    diff = {
        k: [_value(getattr(recommendation, k)), _value(v)]
        for k, v in data.items()
        if getattr(recommendation, k) != v
    }
    if not diff:
        return recommendation
    for key, value in data.items():
        setattr(recommendation, key, value)
    if "addressed_to" in diff:
        recommendation.addressed_agency = agency_named(recommendation.addressed_to)
    recommendation.updated_at = timezone.now()
    recommendation.save()
    _record(
        review=review,
        by=by,
        kind=PlanChange.Kind.EDITED,
        recommendation=recommendation,
        note=note,
        summary=_("Recommendation %(n)s changed: %(fields)s")
        % {"n": recommendation.number, "fields": ", ".join(sorted(diff))},
        changes=diff,
    )
    return recommendation


# --- actions -----------------------------------------------------------------------------------

_ACTION_FIELDS = (
    "description",
    "lead_agency",
    "lead_agency_name",
    "lead_officer",
    "lead_officer_email",
    "milestones",
    "outcome_measure",
    "target_date",
    "target_date_note",
    "status",
    "completed_on",
    "outcome",
)
# A change to any of these on a signed-off action withdraws the sign-off.
_SIGN_OFF_FIELDS = ("status", "completed_on", "outcome")


def _lead(data: dict[str, Any]) -> None:
    """Keep the lead agency's name and organisation together: either may be given."""
    agency = data.get("lead_agency")
    name = (data.get("lead_agency_name") or "").strip()
    if agency is not None and not name:
        data["lead_agency_name"] = agency.name
    elif (
        name
        and agency is None
        or agency is not None
        and name
        and agency.name.lower() != name.lower()
    ):
        data["lead_agency"] = agency_named(name)


@transaction.atomic
def action_create(
    *,
    recommendation: Recommendation,
    by: Any,
    description: str,
    lead_agency: Organisation | None = None,
    lead_agency_name: str = "",
    lead_officer: str = "",
    lead_officer_email: str = "",
    milestones: str = "",
    outcome_measure: str = "",
    target_date: date | None = None,
    target_date_note: str = "",
    status: str = Status.NOT_STARTED,
    completed_on: date | None = None,
    outcome: str = "",
) -> Action:
    review = recommendation.review
    ensure_can(user=by, review=review, need=Cap.EDIT_ACTIONS)
    data: dict[str, Any] = {
        "description": description.strip(),
        "lead_agency": lead_agency,
        "lead_agency_name": lead_agency_name.strip(),
        "lead_officer": lead_officer.strip(),
        "lead_officer_email": lead_officer_email.strip(),
        "milestones": milestones.strip(),
        "outcome_measure": outcome_measure.strip(),
        "target_date": target_date,
        "target_date_note": "" if target_date else target_date_note.strip(),
        "status": status,
        "completed_on": completed_on,
        "outcome": outcome.strip(),
    }
    _lead(data)
    _check_action(data, today=timezone.localdate())
    top = recommendation.actions.aggregate(m=Max("position"))["m"] or 0
    action = Action.objects.create(recommendation=recommendation, position=top + 1, **data)
    _record(
        review=review,
        by=by,
        kind=PlanChange.Kind.CREATED,
        action=action,
        summary=_("Action %(label)s added") % {"label": action.label},
        changes={k: [None, _value(v)] for k, v in data.items() if v not in ("", None)},
    )
    return action


def action_version(action: Action) -> str:
    """What a reader of the action saw: pages and API clients send it back with a change, and a
    change made to an action that has changed since is refused (StaleActionError)."""
    return action.updated_at.isoformat()


class StaleActionError(ValidationError):
    """The action changed since the caller read it. The API answers 409; pages re-show the
    form with this message. Nothing is saved."""

    def __init__(self, action: Action) -> None:
        last = action.changes.select_related("by").order_by("-at", "-id").first()
        who = last.by_label if last is not None and getattr(last, "by_label", "") else ""
        super().__init__(
            _(
                "Someone else%(who)s changed this action since you opened it. Nothing was "
                "saved: reload the page to see their change, then make yours again."
            )
            % {"who": f" ({who})" if who else ""},
            code="stale",
        )
        self.current_version = action_version(action)


def _check_version(action: Action, expected_version: str | None) -> None:
    if expected_version is not None and expected_version != action_version(action):
        raise StaleActionError(action)


def _locked(action: Action) -> Action:
    """The action as stored now, locked for this transaction: a change is made to what is in
    the database, never to a copy someone loaded earlier (which would undo changes since)."""
    # Lock the row alone: PostgreSQL refuses FOR UPDATE on the nullable side of a join.
    Action.objects.select_for_update().filter(pk=action.pk).values_list("pk", flat=True).get()
    return Action.objects.select_related(
        "recommendation", "recommendation__review", "lead_agency"
    ).get(pk=action.pk)


def _apply(action: Action, data: dict[str, Any]) -> dict[str, list[Any]]:
    """Set `data` on the action; the changed fields, old and new (sign-off withdrawn if need be)."""
    diff = {
        k: [_value(getattr(action, k)), _value(v)]
        for k, v in data.items()
        if getattr(action, k) != v
    }
    for key in diff:
        setattr(action, key, data[key])
    if action.signed_off_at and any(k in diff for k in _SIGN_OFF_FIELDS):
        diff["signed_off"] = [True, False]
        action.signed_off_at = None
        action.signed_off_by = None
    return diff


@transaction.atomic
def action_update(
    *,
    action: Action,
    by: Any,
    note: str = "",
    expected_version: str | None = None,
    **changes: Any,
) -> Action:
    """Change any field of an action (coordinator and chair). With `expected_version` (what
    `action_version` gave the reader), refused if the action has changed since."""
    review = action.recommendation.review
    ensure_can(user=by, review=review, need=Cap.EDIT_ACTIONS)
    action = _locked(action)
    _check_version(action, expected_version)
    unknown = set(changes) - set(_ACTION_FIELDS)
    if unknown:
        raise ValidationError(_("These cannot be changed here: %s") % ", ".join(sorted(unknown)))
    data = {f: getattr(action, f) for f in _ACTION_FIELDS}
    for key, value in changes.items():
        data[key] = value.strip() if isinstance(value, str) else value
    if "lead_agency" in changes and "lead_agency_name" not in changes:
        data["lead_agency_name"] = ""
    if "lead_agency_name" in changes and "lead_agency" not in changes:
        data["lead_agency"] = None
    _lead(data)
    if data["target_date"]:
        data["target_date_note"] = ""
    _check_action(data, today=timezone.localdate())
    diff = _apply(action, data)
    if not diff:
        return action
    action.updated_at = timezone.now()
    action.save()
    _record(
        review=review,
        by=by,
        kind=PlanChange.Kind.EDITED,
        action=action,
        note=note,
        summary=_("Action %(label)s changed: %(fields)s")
        % {"label": action.label, "fields": ", ".join(sorted(diff))},
        changes=diff,
    )
    return action


def ensure_can_update_progress(*, user: Any, action: Action) -> frozenset[str]:
    review = action.recommendation.review
    caps = ensure_can(user=user, review=review, need=Cap.VIEW_ACTIONS)
    if not can_update_progress(user=user, review=review, action=action, caps=caps):
        raise PermissionDenied
    return caps


@transaction.atomic
def action_progress(
    *,
    action: Action,
    by: Any,
    status: str,
    completed_on: date | None = None,
    outcome: str = "",
    note: str = "",
    expected_version: str | None = None,
) -> Action:
    """A progress update: status, completion and outcome, and a note. Agency authors make these
    for their own agency's actions; coordinators and chairs for any. With `expected_version`,
    refused if the action has changed since the reader saw it."""
    review = action.recommendation.review
    ensure_can_update_progress(user=by, action=action)
    action = _locked(action)
    _check_version(action, expected_version)
    outcome = outcome.strip()
    note = note.strip()
    errors: dict[str, list[str]] = {}
    _check_choice(errors, "status", status, Status)
    _check_closure(errors, status, completed_on, outcome, timezone.localdate())
    data = {"status": status, "completed_on": completed_on, "outcome": outcome}
    if not errors and not note and all(getattr(action, k) == v for k, v in data.items()):
        errors["note"] = [_("Nothing has changed: add a note on progress, or change the status.")]
    if errors:
        raise ValidationError(errors)
    diff = _apply(action, data)
    action.updated_at = timezone.now()
    action.save()
    if "status" in diff:
        summary = _("Action %(label)s: %(old)s → %(new)s") % {
            "label": action.label,
            "old": Status(diff["status"][0]).label,
            "new": Status(status).label,
        }
    else:
        summary = _("Progress on action %(label)s") % {"label": action.label}
    _record(
        review=review,
        by=by,
        kind=PlanChange.Kind.PROGRESS,
        action=action,
        note=note,
        summary=summary,
        changes=diff,
    )
    return action


@transaction.atomic
def evidence_add(
    *,
    action: Action,
    by: Any,
    note: str = "",
    filename: str = "",
    content: bytes | None = None,
    content_type: str = "",
) -> Evidence:
    """Evidence for an action: a note, a file, or both (whoever may update its progress)."""
    review = action.recommendation.review
    ensure_can_update_progress(user=by, action=action)
    note = note.strip()
    filename = (filename or "").strip().replace("/", "_").replace("\\", "_")
    if not note and content is None:
        raise ValidationError({"note": [_("Add a note or choose a file.")]})
    if content is not None:
        suffix = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
        if suffix not in EVIDENCE_TYPES:
            raise ValidationError(
                {
                    "file": [
                        _("Lantern keeps evidence as %(types)s files.")
                        % {
                            "types": ", ".join(
                                sorted(t.lstrip(".").upper() for t in EVIDENCE_TYPES)
                            )
                        }
                    ]
                }
            )
        if len(content) > MAX_EVIDENCE_BYTES:
            raise ValidationError({"file": [_("The file must be smaller than 10 MB.")]})
        if not content:
            raise ValidationError({"file": [_("The file is empty.")]})
        try:
            scan_upload(content, filename)
            # What it is, not what its name says; a PDF must open, unlocked, with a page.
            content_check(content, filename)
        except UploadRefused as refused:
            raise ValidationError({"file": [str(refused)]}) from refused
        content_type = EVIDENCE_TYPES[suffix]
    evidence = Evidence.objects.create(
        action=action,
        note=note,
        filename=filename if content is not None else "",
        content_type=content_type if content is not None else "",
        content=content,
        size=len(content or b""),
        sha256=hashlib.sha256(content).hexdigest() if content is not None else "",
        added_by=by if getattr(by, "pk", None) else None,
    )
    _record(
        review=review,
        by=by,
        kind=PlanChange.Kind.EVIDENCE,
        action=action,
        note=note,
        summary=_("Evidence added to action %(label)s%(file)s")
        % {"label": action.label, "file": f": {evidence.filename}" if evidence.filename else ""},
        changes={"evidence": [None, evidence.filename or "note"]},
    )
    return evidence


@transaction.atomic
def action_sign_off(*, action: Action, by: Any, note: str = "") -> Action:
    """The coordinator signs a closed action off. Once every action is closed and signed off,
    the review may close (reviews.lifecycle asks `monitoring_state`)."""
    review = action.recommendation.review
    ensure_can(user=by, review=review, need=Cap.SIGN_OFF_ACTIONS)
    action = _locked(action)
    if action.status not in CLOSED_STATUSES:
        raise ValidationError(
            _("Only a closed action (complete, not achieved or superseded) can be signed off.")
        )
    if action.signed_off_at:
        raise ValidationError(_("This action is already signed off."))
    action.signed_off_at = timezone.now()
    action.signed_off_by = by if getattr(by, "pk", None) else None
    action.save(update_fields=["signed_off_at", "signed_off_by"])
    _record(
        review=review,
        by=by,
        kind=PlanChange.Kind.SIGNED_OFF,
        action=action,
        note=note.strip(),
        summary=_("Action %(label)s signed off (%(status)s)")
        % {"label": action.label, "status": action.get_status_display()},
        changes={"signed_off": [False, True]},
    )
    return action


# --- from IMRs ---------------------------------------------------------------------------------


@transaction.atomic
def recommendations_from_imrs(
    *, review: Review, by: Any, chosen: Sequence[tuple[Organisation, str]]
) -> list[Recommendation]:
    """Bring agencies' IMR recommendations into the plan as single-agency recommendations,
    numbered on from the plan's last "SA" number. One already in the plan is not added again."""
    ensure_can(user=by, review=review, need=Cap.EDIT_ACTIONS)
    ensure_can(user=by, review=review, need=Cap.VIEW_ALL_AGENCY_MATERIAL)
    existing = {
        (r.source_agency_id, r.text.strip().lower())
        for r in Recommendation.objects.filter(review=review, source=Source.IMR)
    }
    created = []
    for agency, text in chosen:
        text = text.strip()
        if not text or (agency.pk, text.lower()) in existing:
            continue
        created.append(
            recommendation_create(
                review=review,
                by=by,
                number=_next_single_agency_number(review),
                kind=Kind.SINGLE_AGENCY,
                text=text,
                scope=Scope.SINGLE_AGENCY,
                addressed_to=agency.name,
                source=Source.IMR,
                source_agency=agency,
            )
        )
        existing.add((agency.pk, text.lower()))
    return created


def _next_single_agency_number(review: Review) -> str:
    numbers = Recommendation.objects.filter(review=review, number__istartswith="SA").values_list(
        "number", flat=True
    )
    used = [int(n[2:]) for n in numbers if n[2:].isdigit()]
    return f"SA{max(used, default=0) + 1}"


# --- import ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    review: Review
    recommendations: int
    actions: int
    warnings: list[Problem] = field(default_factory=list)
    replaced: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "review": self.review.reference,
            "recommendations": self.recommendations,
            "actions": self.actions,
            "replaced": self.replaced,
            "warnings": [p.as_dict() for p in self.warnings],
        }


def _progress_since_import(review: Review) -> int:
    return PlanChange.objects.filter(
        review=review,
        kind__in=[
            PlanChange.Kind.PROGRESS,
            PlanChange.Kind.EVIDENCE,
            PlanChange.Kind.SIGNED_OFF,
        ],
    ).count()


@transaction.atomic
def plan_import(
    *, review: Review, by: Any, content: bytes, filename: str, replace: bool = False
) -> ImportResult:
    """Import an action plan workbook (published shape). Any error: nothing is stored and every
    problem is raised at once (ProblemsError). An existing plan is replaced only when asked and
    only while nobody has recorded progress on it."""
    ensure_can(user=by, review=review, need=Cap.EDIT_ACTIONS)
    if len(content) > MAX_PLAN_BYTES:
        # The page refuses this before reading; the API and the CLI reach here.
        raise ProblemsError(
            [Problem(file=filename, message=_("The file must be smaller than 10 MB."))]
        )
    try:
        scan_upload(content, filename)
    except UploadRefused as refused:
        raise ProblemsError([Problem(file=filename, message=refused.reason)]) from refused
    result = read_plan(content, filename=filename)
    if result.errors:
        raise ProblemsError(result.errors)
    existing = Recommendation.objects.filter(review=review)
    replaced = existing.count()
    if replaced and not replace:
        raise ProblemsError(
            [
                Problem(
                    file=filename,
                    message=_(
                        "This review already has an action plan (%(n)d recommendations). "
                        "Import again with “replace” to replace it."
                    )
                    % {"n": replaced},
                )
            ]
        )
    if replaced and _progress_since_import(review):
        raise ProblemsError(
            [
                Problem(
                    file=filename,
                    message=_(
                        "Progress, evidence or sign-off has been recorded on this plan, so it "
                        "cannot be replaced by an import. Change it in Lantern instead."
                    ),
                )
            ]
        )
    if replaced:
        for rec in existing:
            PlanChange.objects.create(
                review=review,
                recommendation=rec,
                subject=rec.number,
                kind=PlanChange.Kind.REMOVED,
                by=by if getattr(by, "pk", None) else None,
                by_label=_label(by),
                note=_("Replaced by an import of %(file)s") % {"file": filename},
            )
        existing.delete()
    actions = _store_plan(review=review, by=by, recommendations=result.recommendations)
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.IMPORTED,
        summary=_("Action plan imported from %(file)s: %(r)d recommendations, %(a)d actions")
        % {"file": filename, "r": len(result.recommendations), "a": actions},
        data={"file": filename, "replaced": replaced},
    )
    audit_record(
        action=AuditEvent.Action.IMPORT,
        by=by,
        review=review,
        object_type="action plan",
        object_id=review.reference,
        summary=f"Imported the action plan from {filename}",
        data={"recommendations": len(result.recommendations), "actions": actions},
    )
    return ImportResult(
        review=review,
        recommendations=len(result.recommendations),
        actions=actions,
        warnings=result.warnings,
        replaced=replaced,
    )


def _store_plan(*, review: Review, by: Any, recommendations: Iterable[PlanRecommendation]) -> int:
    actor = by if getattr(by, "pk", None) else None
    agencies: dict[str, Organisation | None] = {}

    def agency(name: str) -> Organisation | None:
        key = name.strip().lower()
        if key not in agencies:
            agencies[key] = agency_named(name)
        return agencies[key]

    count = 0
    changes = []
    for position, plan_rec in enumerate(recommendations, start=1):
        rec = Recommendation.objects.create(
            review=review,
            number=plan_rec.number,
            kind=plan_rec.kind,
            text=plan_rec.text,
            scope=plan_rec.scope,
            addressee=plan_rec.addressee,
            addressed_to=plan_rec.addressed_to,
            addressed_agency=agency(plan_rec.addressed_to),
            finding=plan_rec.finding,
            themes=plan_rec.themes,
            source=plan_rec.source,
            source_agency=agency(plan_rec.source_agency),
            position=position,
            created_by=actor,
        )
        for index, plan_action in enumerate(plan_rec.actions, start=1):
            action = Action.objects.create(
                recommendation=rec,
                position=index,
                description=plan_action.description,
                lead_agency=agency(plan_action.lead_agency),
                lead_agency_name=plan_action.lead_agency,
                lead_officer=plan_action.lead_officer,
                milestones=plan_action.milestones,
                outcome_measure=plan_action.outcome_measure,
                target_date=plan_action.target_date,
                target_date_note=plan_action.target_date_note,
                status=plan_action.status,
                completed_on=plan_action.completed_on,
                outcome=plan_action.outcome,
            )
            count += 1
            changes.append(
                PlanChange(
                    review=review,
                    recommendation=rec,
                    action=action,
                    subject=f"{rec.number}.{index}",
                    kind=PlanChange.Kind.IMPORTED,
                    by=actor,
                    by_label=_label(by),
                    changes={"status": [None, plan_action.status]},
                )
            )
    PlanChange.objects.bulk_create(changes)
    return count
