"""Retention: what a review keeps after it closes, and the purge that ends it.

A closed review is kept for its retention period (`Review.retention_years`, or the installation's
`LANTERN["RETENTION_YEARS"]`) from the day it closed. After that, `review_purge` removes the
personal data and the uploaded files, in one transaction, unless a legal hold is on:

- the people register keeps each person's role, pseudonym, sex, ethnicity and relationship (the
  anonymised facts the statistics need) and loses real names, aliases, dates of birth and notes;
  the notification loses the notifier, the circumstances and the place of death;
- family contacts, liaison notes, meeting attendees and minutes, chronology entries and files,
  IMR texts and documents, evidence files, anonymisation checks and known places, draft reports,
  factual-accuracy comments, the family's reading and QA packs and letters are removed;
- kept: the review's reference, type, partnership, dates and stage, decisions, terms of
  reference, the panel, recommendations and the action plan (the learning), the published
  documents and briefings as published, the issue log, the audit trail, and a snapshot of
  anonymised statistics taken just before the purge (`Review.retained_statistics`).

The purge records what it removed, in the review's timeline and the audit trail.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.models import Review, ReviewEvent, Stage


def default_retention_years() -> int:
    return int(getattr(settings, "LANTERN", {}).get("RETENTION_YEARS", 10))


def retention_years(review: Review) -> int:
    return review.retention_years or default_retention_years()


def retain_until(review: Review) -> date | None:
    """The first day the review may be purged (None while it is open)."""
    if review.closed_on is None:
        return None
    years = retention_years(review)
    closed = review.closed_on
    try:
        return closed.replace(year=closed.year + years)
    except ValueError:  # 29 February
        return closed.replace(year=closed.year + years, day=28)


def _ensure_may_manage(*, review: Review, by: Any) -> None:
    """The console's system administrator, or a coordinator of the lead partnership."""
    from lantern.accounts.models import OrgRole

    if getattr(by, "is_system", False):
        return
    if getattr(by, "org_role", "") == OrgRole.COORDINATOR and by.organisation_id == review.csp_id:
        return
    raise PermissionDenied


@transaction.atomic
def legal_hold_set(*, review: Review, by: Any, reason: str) -> Review:
    _ensure_may_manage(review=review, by=by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the review is held (for example the claim or the court case).")}
        )
    review.legal_hold = True
    review.legal_hold_reason = reason
    review.save(update_fields=["legal_hold", "legal_hold_reason"])
    _record(review, by, _("Legal hold placed: %s") % reason, {"legal_hold": True, "reason": reason})
    return review


@transaction.atomic
def legal_hold_release(*, review: Review, by: Any, reason: str = "") -> Review:
    _ensure_may_manage(review=review, by=by)
    review.legal_hold = False
    review.save(update_fields=["legal_hold"])
    _record(
        review,
        by,
        _("Legal hold released") + (f": {reason.strip()}" if reason.strip() else ""),
        {"legal_hold": False, "reason": reason.strip()},
    )
    return review


def _record(review: Review, by: Any, summary: str, data: dict[str, Any]) -> None:
    from lantern.reviews.services import review_event_record

    review_event_record(
        review=review, by=by, kind=ReviewEvent.Kind.UPDATED, summary=summary, data=data
    )
    audit_record(
        action=AuditEvent.Action.UPDATE,
        by=by,
        review=review,
        object_type="retention",
        object_id=review.reference,
        summary=summary[:500],
        data=data,
    )


def reviews_due_for_purge(*, today: date | None = None) -> list[Review]:
    today = today or timezone.localdate()
    due = []
    for review in Review.objects.filter(stage=Stage.CLOSED, purged_at__isnull=True):
        until = retain_until(review)
        if until is not None and until <= today:
            due.append(review)
    return due


@dataclass
class PurgeReport:
    reference: str
    dry_run: bool
    removed: dict[str, int] = field(default_factory=dict)
    statistics: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "review": self.reference,
            "dry_run": self.dry_run,
            "removed": self.removed,
            "statistics": self.statistics,
        }


def statistics_of(review: Review) -> dict[str, Any]:
    """Anonymised counts kept after the purge: no text, no names, no exact dates."""
    from lantern.chronology.models import ChronologyEntry, ThemeTag
    from lantern.recommendations.models import Action, Recommendation

    entries = ChronologyEntry.objects.filter(review=review)
    by_agency = dict(
        entries.values_list("agency__name").annotate(n=Count("id")).values_list("agency__name", "n")
    )
    by_year = {
        str(y): n
        for y, n in entries.annotate(y=ExtractYear("date"))
        .values_list("y")
        .annotate(n=Count("id"))
        .values_list("y", "n")
    }
    themes = Counter(
        ThemeTag.objects.filter(
            entry__review=review, status__in=("confirmed", "suggested")
        ).values_list("theme", flat=True)
    )
    actions = Counter(
        Action.objects.filter(recommendation__review=review).values_list("status", flat=True)
    )
    people = Counter(review.people.values_list("role", flat=True))
    return {
        "taken_on": timezone.localdate().isoformat(),
        "chronology_entries": entries.count(),
        "entries_by_agency": dict(sorted(by_agency.items())),
        "entries_by_year": dict(sorted(by_year.items())),
        "agencies": len(by_agency),
        "theme_tags": dict(sorted(themes.items())),
        "people_by_role": dict(sorted(people.items())),
        "recommendations": Recommendation.objects.filter(review=review).count(),
        "actions_by_status": dict(sorted(actions.items())),
        "family_contacts": review.family_contacts.count(),
        "imrs": review.imrs.count() if hasattr(review, "imrs") else 0,
    }


def _purge_steps(review: Review) -> list[tuple[str, Any, dict[str, Any] | None]]:
    """(label, queryset, None to delete or the values to set)."""
    from lantern.anonymisation.models import Check, KnownPlace
    from lantern.chronology.models import IMR, ChronologyEntry, ChronologyFile, IMRDocument
    from lantern.publishing.models import DraftComment, DraftVersion, FamilyReading, QaSubmission
    from lantern.recommendations.models import Evidence
    from lantern.reviews.models import FamilyContact, LiaisonEntry, Meeting, MeetingAction, Person

    return [
        (
            "people: real names, aliases, dates of birth, notes",
            Person.objects.filter(review=review),
            {"real_name": "", "aliases": [], "date_of_birth": None, "notes": ""},
        ),
        ("family contacts", FamilyContact.objects.filter(review=review), None),
        ("liaison notes", LiaisonEntry.objects.filter(review=review), None),
        ("meeting actions", MeetingAction.objects.filter(meeting__review=review), None),
        (
            "meeting attendees and minutes",
            Meeting.objects.filter(review=review),
            {"attendees": "", "minutes": ""},
        ),
        ("chronology entries", ChronologyEntry.objects.filter(review=review), None),
        ("chronology files", ChronologyFile.objects.filter(review=review), None),
        ("IMR documents", IMRDocument.objects.filter(imr__review=review), None),
        (
            "IMR texts",
            IMR.objects.filter(review=review),
            {"sections": {}, "author_name": "", "independence_statement": ""},
        ),
        (
            "evidence files",
            Evidence.objects.filter(action__recommendation__review=review, content__isnull=False),
            {"content": None},
        ),
        ("anonymisation checks", Check.objects.filter(review=review), None),
        ("known places", KnownPlace.objects.filter(review=review), None),
        (
            "factual-accuracy comments",
            DraftComment.objects.filter(circulation__review=review),
            None,
        ),
        ("the family's reading", FamilyReading.objects.filter(review=review), None),
        ("draft report files", DraftVersion.objects.filter(review=review), {"content": b""}),
        (
            "QA packs and letters",
            QaSubmission.objects.filter(review=review),
            {"pack": b"", "letter": None},
        ),
    ]


def review_purge(
    *, review: Review, by: Any, dry_run: bool = False, today: date | None = None
) -> PurgeReport:
    """Remove the review's personal data and uploaded files (see the module docstring)."""
    _ensure_may_manage(review=review, by=by)
    today = today or timezone.localdate()
    if review.purged_at is not None:
        raise ValidationError(
            _("%s was purged on %s.") % (review.reference, review.purged_at.date())
        )
    if review.legal_hold:
        raise ValidationError(
            _("%(ref)s is under a legal hold (%(reason)s): nothing is purged until it is released.")
            % {"ref": review.reference, "reason": review.legal_hold_reason}
        )
    until = retain_until(review)
    if until is None:
        raise ValidationError(
            _("%s is not closed: only closed reviews are purged.") % review.reference
        )
    if until > today:
        raise ValidationError(
            _("%(ref)s is kept until %(until)s (%(years)d years after it closed).")
            % {
                "ref": review.reference,
                "until": until.isoformat(),
                "years": retention_years(review),
            }
        )
    report = PurgeReport(reference=review.reference, dry_run=dry_run)
    report.statistics = statistics_of(review)
    with transaction.atomic():
        for label, qs, values in _purge_steps(review):
            count = qs.count()
            if not dry_run and count:
                if values is None:
                    qs.delete()
                else:
                    qs.update(**values)
            report.removed[label] = count
        if dry_run:
            return report
        Review.objects.filter(pk=review.pk).update(
            notifier_name="",
            notifier_contact="",
            circumstances="",
            place_of_death="",
            purged_at=timezone.now(),
            retained_statistics=report.statistics,
        )
        review.refresh_from_db()
        _record(
            review,
            by,
            _("Personal data and uploaded files purged after the retention period"),
            {"removed": report.removed, "retention_years": retention_years(review)},
        )
        audit_record(
            action=AuditEvent.Action.DELETE,
            by=by,
            review=review,
            object_type="retention purge",
            object_id=review.reference,
            summary=f"Purged {review.reference}: "
            + ", ".join(f"{k} {v}" for k, v in report.removed.items() if v),
            data=report.as_dict(),
        )
    return report
