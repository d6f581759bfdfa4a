"""Writes to combined-chronology entries: edits with history, analyst comments and flags.

Edits use optimistic locking: the caller says which `version` of the entry they were looking at,
and the write happens only if the entry is still at that version (one conditional UPDATE, so two
people saving at once cannot both win on SQLite or PostgreSQL). A stale edit stores nothing.

Who may change what:
- holders of `EDIT_ANALYSIS` (coordinator, chair, author): every field of every entry they can see;
- agency authors (`EDIT_OWN_AGENCY_MATERIAL`): the content of their own agency's entries, never
  the analyst comment or flag (those are the panel's analysis, not the agency's account).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.chronology.models import ChronologyEntry, EntryFlag, EntryRevision, Subject
from lantern.chronology.selectors import agency_ids_visible, can_edit_agency
from lantern.chronology.text_notes import entry_notes
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.access import Cap, ensure_can

# The agency's account of the contact.
CONTENT_FIELDS: tuple[str, ...] = (
    "date",
    "date_precision",
    "time",
    "subject",
    "what_happened",
    "action_taken",
    "risk_assessment",
)
# The panel's analysis of it.
ANALYSIS_FIELDS: tuple[str, ...] = ("analyst_comment", "flag")
EDITABLE_FIELDS: tuple[str, ...] = CONTENT_FIELDS + ANALYSIS_FIELDS
# The fields whose text the analysis reads (lantern.chronology.text_notes).
TEXT_FIELDS: frozenset[str] = frozenset({"what_happened", "action_taken", "risk_assessment"})


class StaleEntryError(ValidationError):
    """The entry changed since the caller read it. The API answers 409; pages re-show the form."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            _(
                "Someone else changed this entry since you opened it. Nothing was saved: "
                "reload the entry and make your change again."
            ),
            code="stale",
        )
        self.current_version = current_version


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError({"date": _("Enter the date as a real date, for example 2021-03-14.")})


def _as_time(value: Any) -> dt.time | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value.strip()).replace(second=0, microsecond=0)
        except ValueError:
            pass
    raise ValidationError({"time": _("Enter the time as a 24-hour time, for example 14:30.")})


def _as_text(field: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({field: _("Enter text.")})
    return value.replace("\r\n", "\n").strip()


def _choice(field: str, value: Any, allowed: list[str]) -> str:
    value = "" if value is None else str(value)
    if value not in allowed:
        raise ValidationError(
            {
                field: _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(a or '""' for a in allowed)}
            }
        )
    return value


def _clean(changes: dict[str, Any], entry: ChronologyEntry) -> dict[str, Any]:
    """Parse and check the requested values; the result holds only known fields."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(
            {name: _("This field of an entry cannot be changed here.") for name in unknown}
        )
    cleaned: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "date":
            cleaned[field] = _as_date(value)
        elif field == "time":
            cleaned[field] = _as_time(value)
        elif field == "date_precision":
            cleaned[field] = _choice(field, value, list(ChronologyEntry.Precision.values))
        elif field == "subject":
            cleaned[field] = _choice(field, value, list(Subject.values))
        elif field == "flag":
            cleaned[field] = _choice(field, value, list(EntryFlag.values))
        else:
            cleaned[field] = _as_text(field, value)
    if "what_happened" in cleaned and not cleaned["what_happened"]:
        raise ValidationError({"what_happened": _("Enter what happened.")})
    precision = cleaned.get("date_precision", entry.date_precision)
    if precision == ChronologyEntry.Precision.MONTH:
        # A month-precision date is stored as the first of its month, and has no time.
        cleaned["date"] = cleaned.get("date", entry.date).replace(day=1)
        if "time" in cleaned or entry.time is not None:
            cleaned["time"] = None
    return cleaned


def _jsonable(value: Any) -> Any:
    """Dates and times as ISO strings, for the revision's JSON."""
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _ensure_may_change(*, entry: ChronologyEntry, by: Any, fields: set[str]) -> None:
    """Raise unless `by` may change `fields` of `entry` (404 if they may not even see it)."""
    review = entry.review
    caps = ensure_can(user=by, review=review, need=Cap.VIEW_CHRONOLOGY)
    visible = agency_ids_visible(user=by, review=review)
    if visible is not None and entry.agency_id not in visible:
        raise Http404
    if Cap.EDIT_ANALYSIS in caps:
        return
    if fields & set(ANALYSIS_FIELDS):
        raise PermissionDenied(_("Only the chair, author or coordinator can add analysis."))
    if Cap.EDIT_OWN_AGENCY_MATERIAL in caps and can_edit_agency(
        user=by, review=review, agency_id=entry.agency_id
    ):
        return
    raise PermissionDenied(_("You cannot change this agency's entries."))


@transaction.atomic
def entry_update(
    *, entry: ChronologyEntry, by: Any, changes: dict[str, Any], expected_version: int
) -> ChronologyEntry:
    """Change an entry's fields, keeping the history. Returns the entry as now stored.

    Raises StaleEntryError (a ValidationError) when the entry is no longer at
    `expected_version`, ValidationError for a bad value, PermissionDenied for a field the user may
    not change, and Http404 for an entry they may not see. Nothing is stored in any of those cases.
    """
    _ensure_may_change(entry=entry, by=by, fields=set(changes))
    current = ChronologyEntry.objects.get(pk=entry.pk)
    if current.version != expected_version:
        raise StaleEntryError(current.version)
    cleaned = _clean(changes, current)
    diff = {
        field: [_jsonable(getattr(current, field)), _jsonable(value)]
        for field, value in cleaned.items()
        if getattr(current, field) != value
    }
    if not diff:
        return current
    now = timezone.now()
    new_values: dict[str, Any] = {field: cleaned[field] for field in diff}
    if diff.keys() & TEXT_FIELDS:  # what the analysis reads in the text, read again
        after = {f: new_values.get(f, getattr(current, f)) for f in TEXT_FIELDS}
        new_values["text_notes"], new_values["text_notes_key"] = entry_notes(
            what=after["what_happened"],
            action=after["action_taken"],
            risk=after["risk_assessment"],
        )
    updated = ChronologyEntry.objects.filter(pk=entry.pk, version=expected_version).update(
        **new_values, version=F("version") + 1, updated_at=now
    )
    if updated != 1:  # someone saved between our read and our write
        raise StaleEntryError(ChronologyEntry.objects.get(pk=entry.pk).version)
    EntryRevision.objects.create(
        entry_id=entry.pk, at=now, by=by if getattr(by, "pk", None) else None, changes=diff
    )
    stored = ChronologyEntry.objects.select_related("agency", "review").get(pk=entry.pk)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        by=by,
        review=stored.review,
        obj=stored,
        object_type="chronology entry",
        summary=f"Changed chronology entry {stored.pk}: {', '.join(sorted(diff))}",
        data={"fields": sorted(diff), "version": stored.version},
    )
    return stored


def entry_comment(
    *, entry: ChronologyEntry, by: Any, comment: str, flag: str, expected_version: int
) -> ChronologyEntry:
    """Set the analyst comment and flag (missed opportunity, good practice or none)."""
    return entry_update(
        entry=entry,
        by=by,
        changes={"analyst_comment": comment, "flag": flag},
        expected_version=expected_version,
    )
