"""What Lantern holds about one person, for a subject access request (UK GDPR article 15) or a
Freedom of Information request.

- A person in a review's people register (`person_export`): the register entry, the chronology
  entries about them (their role as the entry's subject, or their name, an alias or their
  pseudonym in the text), the family contacts recorded with them, and IMR passages naming them.
  For a subject access request the text is as held; for FOI (`purpose="foi"`), which discloses
  to the world, other people's real names are replaced with their pseudonyms and the register
  entry carries no real name or date of birth (third-party personal data is exempt from FOI,
  section 40).
- A Lantern account (`user_export`): the account, its organisation and roles, the reviews it
  was a member of, its API tokens (names only), and the audit trail of what it did.

Only the console's system administrator or a coordinator of the review's partnership may
export; every export is recorded in the audit trail.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts.models import OrgRole
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.models import Person, Review

PURPOSES = ("subject_access", "foi")
_SUBJECT_FOR_ROLE = {"victim": "victim", "perpetrator": "perpetrator", "child": "child"}


def _ensure_may_export(*, by: Any, review: Review | None) -> None:
    if getattr(by, "is_system", False):
        return
    if (
        review is not None
        and getattr(by, "org_role", "") == OrgRole.COORDINATOR
        and by.organisation_id == review.csp_id
    ):
        return
    raise PermissionDenied


def _names(person: Person) -> list[str]:
    names = [person.real_name, person.pseudonym, *(person.aliases or [])]
    out: list[str] = []
    for name in names:
        if not isinstance(name, str) or not name.strip():
            continue
        out.append(name.strip())
        parts = name.split()
        if len(parts) > 1:
            out.extend(p for p in parts if len(p) > 2)
    return sorted(set(out), key=len, reverse=True)


def _mentions(names: list[str]) -> re.Pattern[str] | None:
    if not names:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)


def person_export(
    *, review: Review, person: Person, by: Any, purpose: str = "subject_access"
) -> dict[str, Any]:
    _ensure_may_export(by=by, review=review)
    if purpose not in PURPOSES:
        raise ValidationError({"purpose": _("Choose subject_access or foi.")})
    if person.review_id != review.pk:
        raise ValidationError({"person": _("That person is not in this review's register.")})
    from lantern.chronology.models import IMR, ChronologyEntry
    from lantern.chronology.selectors_entries import pseudonymiser_for

    foi = purpose == "foi"
    pseudonymise = pseudonymiser_for(review).apply if foi else (lambda text: text)
    pattern = _mentions(_names(person))
    subject = _SUBJECT_FOR_ROLE.get(person.role)
    entries = []
    for entry in (
        ChronologyEntry.objects.filter(review=review)
        .select_related("agency")
        .order_by("date", "id")
    ):
        text = " ".join(
            (entry.what_happened, entry.action_taken, entry.risk_assessment, entry.analyst_comment)
        )
        about = subject is not None and entry.subject == subject
        named = bool(pattern and pattern.search(text))
        if not (about or named):
            continue
        entries.append(
            {
                "date": entry.date.isoformat(),
                "agency": entry.agency.name,
                "source_record": "" if foi else entry.source_record,
                "subject": entry.subject,
                "what_happened": pseudonymise(entry.what_happened),
                "action_taken": pseudonymise(entry.action_taken),
                "risk_assessment": pseudonymise(entry.risk_assessment),
                "analyst_comment": pseudonymise(entry.analyst_comment),
                "why_included": "about them" if about else "names them",
            }
        )
    imr_passages = []
    if pattern is not None:
        for imr in IMR.objects.filter(review=review).select_related("agency"):
            for section, text in (imr.sections or {}).items():
                if isinstance(text, str) and pattern.search(text):
                    imr_passages.append(
                        {"agency": imr.agency.name, "section": section, "text": pseudonymise(text)}
                    )
    register = {
        "role": person.role,
        "pseudonym": person.pseudonym,
        "sex": person.sex,
        "ethnicity": person.ethnicity,
        "relationship_to_victim": person.relationship_to_victim,
    }
    if not foi:
        register.update(
            real_name=person.real_name,
            aliases=list(person.aliases or []),
            date_of_birth=person.date_of_birth.isoformat() if person.date_of_birth else None,
            notes=person.notes,
        )
    contacts = [
        {
            "date": c.date.isoformat(),
            "kind": c.kind,
            "contact_with": "" if foi else c.contact_with,
            "summary": pseudonymise(c.summary),
        }
        for c in review.family_contacts.filter(person=person).order_by("date", "id")
    ]
    result = {
        "purpose": purpose,
        "review": review.reference,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "person": register,
        "chronology_entries": entries,
        "family_contacts": contacts,
        "imr_passages": imr_passages,
        "note": _(
            "Everything Lantern holds about this person on this review. Review records other "
            "than these (decisions, the action plan) do not name people."
        ),
    }
    audit_record(
        action=AuditEvent.Action.EXPORT,
        by=by,
        review=review,
        object_type="subject access" if not foi else "FOI disclosure",
        object_id=str(person.pk),
        summary=f"{purpose} export about {person.pseudonym or person.role}: "
        f"{len(entries)} entries, {len(contacts)} contacts, {len(imr_passages)} IMR passages",
        data={"purpose": purpose, "person": person.pk, "entries": len(entries)},
    )
    return result


def user_export(*, user: Any, by: Any) -> dict[str, Any]:
    """Everything held about a Lantern account (the person asking is a member of staff)."""
    if not getattr(by, "is_system", False):
        raise PermissionDenied
    from lantern.reviews.models import Membership

    memberships = [
        {
            "review": m.review.reference,
            "role": m.role,
            "agency": m.agency.name if m.agency_id else None,
            "added_at": m.added_at.isoformat(),
            "ended_at": m.ended_at.isoformat() if m.ended_at else None,
        }
        for m in Membership.objects.filter(user=user).select_related("review", "agency")
    ]
    events = [
        {
            "at": e.at.isoformat(),
            "action": e.action,
            "channel": e.channel,
            "review": e.review.reference if e.review_id else None,
            "what": e.object_type,
            "summary": e.summary,
        }
        for e in AuditEvent.objects.filter(actor=user).select_related("review").order_by("at", "id")
    ]
    result = {
        "purpose": "subject_access",
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "job_title": user.job_title,
            "organisation": user.organisation.name if user.organisation_id else None,
            "organisation_role": user.org_role,
            "active": user.is_active,
            "joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "single_sign_on_linked": bool(user.oidc_subject),
        },
        "memberships": memberships,
        "api_tokens": [{"name": t.name, "prefix": t.prefix} for t in user.api_tokens.all()],
        "audit_trail": events,
    }
    audit_record(
        action=AuditEvent.Action.EXPORT,
        by=by,
        object_type="subject access",
        object_id=user.username,
        summary=f"Subject access export for the account {user.username}: {len(events)} events",
    )
    return result
