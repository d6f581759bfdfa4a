"""The anonymisation check's writes, and the gate publication codes against.

run_check(review=, by=, filename=, data=, channel=)   -> Check (stored, audited)
check_review_text(review=, text=)                      -> findings, not stored
check_status(review=, sha256=)                         -> "clear" | "unresolved" | "not_checked"
finding_resolve(finding=, by=, action=, replacement=, reason=)
finding_reopen(finding=, by=)
corrected_file(check=, by=)                            -> (filename, bytes, content type)
known_place_add / known_place_delete
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.anonymisation.check.engine import check_text
from lantern.anonymisation.check.register import KnownPlace as RegisterPlace
from lantern.anonymisation.check.register import Register, RegisterPerson
from lantern.anonymisation.correct import Replacement, correct_docx, correct_txt
from lantern.anonymisation.models import Check, Finding, KnownPlace
from lantern.core.errors import Problem, ProblemsError
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.core.textextract import TextExtractionError, extract_text
from lantern.core.uploads import UploadRefused, scan_upload
from lantern.reviews.access import Cap, ensure_can
from lantern.reviews.models import Review

MAX_CHECK_BYTES = 50 * 1024 * 1024
MAX_REASON = 2000
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"txt": "text/plain; charset=utf-8", "docx": DOCX_TYPE}


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the register -------------------------------------------------------------------------------


def register_for_review(review: Review) -> Register:
    """What the check knows of the review: its people (real names, aliases, pseudonyms, dates
    of birth), the places recorded for it, and its agencies and CSP (never findings)."""
    people = tuple(
        RegisterPerson(
            real_name=p.real_name,
            pseudonym=p.pseudonym,
            aliases=tuple(a for a in (p.aliases or []) if isinstance(a, str)),
            role=p.role,
            date_of_birth=p.date_of_birth,
        )
        for p in review.people.all()
    )
    places = tuple(
        RegisterPlace(kind=k.kind, text=k.text, suggestion=k.suggestion)
        for k in review.known_places.all()
    )
    agencies = [ra.organisation.name for ra in review.agencies.select_related("organisation")]
    agencies.append(review.csp.name)
    if review.notifying_agency_id:
        agencies.append(review.notifying_agency.name)
    extra = (review.pseudonym,) if review.pseudonym else ()
    return Register(
        people=people + tuple(RegisterPerson(real_name="", pseudonym=p) for p in extra),
        places=places,
        agencies=tuple(agencies),
    )


def check_review_text(*, review: Review, text: str, by: Any = None) -> list[dict]:
    """The findings (contract shape) for `text` against the review's register; nothing stored.

    With `by`, the read of the register is recorded in the audit trail."""
    if by is not None:
        ensure_can(user=by, review=review, need=Cap.CHECK_ANONYMISATION)
        audit_record(
            action=AuditEvent.Action.READ,
            by=by,
            review=review,
            object_type="anonymisation check",
            object_id=review.reference,
            summary=f"Checked {len(text)} characters of text for identifying details",
        )
    return [f.as_dict() for f in check_text(text, register_for_review(review))]


# --- a check of a file --------------------------------------------------------------------------


@transaction.atomic
def run_check(
    *, review: Review, by: Any, filename: str, data: bytes, channel: str = "web"
) -> Check:
    """Read the file, check its text, and store the check with its findings.

    A file Lantern cannot read is refused whole (ProblemsError naming the file and why)."""
    ensure_can(user=by, review=review, need=Cap.CHECK_ANONYMISATION)
    filename = (filename or "document").strip()[:255]
    if len(data) > MAX_CHECK_BYTES:
        raise ProblemsError(
            [Problem(file=filename, message=_("The file must be smaller than 50 MB."))]
        )
    try:
        scan_upload(data, filename)  # the file is kept with the check
    except UploadRefused as refused:
        raise ProblemsError([Problem(file=filename, message=refused.reason)]) from refused
    try:
        extracted = extract_text(data, filename=filename)
    except TextExtractionError as error:
        raise ProblemsError([Problem(file=filename, message=error.reason)])
    if not extracted.text.strip():
        reason = (
            _("the PDF has no text layer (a scan?): Lantern cannot check it; use the source file")
            if extracted.format == "pdf"
            else _("the file has no text to check")
        )
        raise ProblemsError([Problem(file=filename, message=reason)])
    findings = check_text(extracted.text, register_for_review(review))
    check = Check.objects.create(
        review=review,
        filename=filename,
        sha256=sha256_of(data),
        format=extracted.format,
        content=data,
        text=extracted.text,
        title=(extracted.title or "")[:300],
        channel=channel,
        created_by=by if getattr(by, "pk", None) else None,
        created_by_label=_label(by),
    )
    Finding.objects.bulk_create(
        Finding(
            check_run=check,
            position=i,
            start=f.start,
            end=f.end,
            text=f.text,
            category=f.category,
            suggestion=f.suggestion[:300],
            rule=f.rule,
        )
        for i, f in enumerate(findings)
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        by=by,
        review=review,
        obj=check,
        object_type="anonymisation check",
        summary=f"Checked {filename} for identifying details: {len(findings)} finding(s)",
        data={"sha256": check.sha256, "findings": len(findings), "format": check.format},
    )
    return check


def _label(user: Any) -> str:
    if getattr(user, "is_system", False):
        return "console: local system administrator"
    return getattr(user, "username", "") or ""


# --- resolving findings -------------------------------------------------------------------------


def _clear_corrected(check: Check) -> None:
    if check.corrected_sha256:
        check.corrected_content = None
        check.corrected_sha256 = ""
        check.corrected_at = None
        check.save(update_fields=["corrected_content", "corrected_sha256", "corrected_at"])


@transaction.atomic
def finding_resolve(
    *, finding: Finding, by: Any, action: str, replacement: str = "", reason: str = ""
) -> Finding:
    """Replace a finding (with the suggestion or other words) or accept it with a reason."""
    check = finding.check_run
    ensure_can(user=by, review=check.review, need=Cap.CHECK_ANONYMISATION)
    replacement = (replacement or "").strip()
    reason = (reason or "").strip()
    if action == "replace":
        if not replacement:
            raise ValidationError({"replacement": _("Enter the words to put in its place.")})
        if len(replacement) > 300:
            raise ValidationError({"replacement": _("Keep the replacement under 300 characters.")})
        if replacement == finding.text:
            raise ValidationError(
                {"replacement": _("The replacement is the same as the text found.")}
            )
        finding.status = Finding.Status.REPLACED
        finding.replacement = replacement
        finding.reason = reason[:MAX_REASON]
    elif action == "accept":
        if not reason:
            raise ValidationError({"reason": _("Say why this can stay as it is.")})
        finding.status = Finding.Status.ACCEPTED
        finding.replacement = ""
        finding.reason = reason[:MAX_REASON]
    else:
        raise ValidationError({"action": _("Choose replace or accept.")})
    finding.resolved_by = by if getattr(by, "pk", None) else None
    finding.resolved_at = timezone.now()
    finding.save()
    _clear_corrected(check)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        by=by,
        review=check.review,
        obj=finding,
        object_type="anonymisation finding",
        summary=(
            f"{'Replaced' if action == 'replace' else 'Accepted'} a {finding.category} finding "
            f"in {check.filename}"
        ),
        data={"check": check.pk, "status": finding.status, "reason": finding.reason},
    )
    return finding


@transaction.atomic
def finding_reopen(*, finding: Finding, by: Any) -> Finding:
    check = finding.check_run
    ensure_can(user=by, review=check.review, need=Cap.CHECK_ANONYMISATION)
    previous = finding.status
    finding.status = Finding.Status.OPEN
    finding.replacement = ""
    finding.reason = ""
    finding.resolved_by = None
    finding.resolved_at = None
    finding.save()
    _clear_corrected(check)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        by=by,
        review=check.review,
        obj=finding,
        object_type="anonymisation finding",
        summary=f"Reopened a {finding.category} finding in {check.filename} (was {previous})",
        data={"check": check.pk, "was": previous},
    )
    return finding


@transaction.atomic
def findings_accept_all(*, check: Check, by: Any, category: str, reason: str) -> int:
    """Accept every open finding of one category with one reason (e.g. dates the family
    agreed may stay)."""
    ensure_can(user=by, review=check.review, need=Cap.CHECK_ANONYMISATION)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why these can stay as they are.")})
    count = 0
    for finding in check.findings.filter(status=Finding.Status.OPEN, category=category):
        finding_resolve(finding=finding, by=by, action="accept", reason=reason)
        count += 1
    return count


# --- the state of a check and the corrected file ------------------------------------------------


def progress(check: Check) -> dict[str, int]:
    counts = dict.fromkeys(Finding.Status.values, 0)
    for status in check.findings.values_list("status", flat=True):
        counts[status] += 1
    total = sum(counts.values())
    return {
        "total": total,
        "resolved": total - counts[Finding.Status.OPEN],
        "open": counts[Finding.Status.OPEN],
        "replaced": counts[Finding.Status.REPLACED],
        "accepted": counts[Finding.Status.ACCEPTED],
    }


def check_state(check: Check) -> str:
    """ "clear" (nothing open, nothing replaced: the file itself may be published),
    "corrected" (nothing open; the corrected file is the one to publish), or "unresolved"."""
    p = progress(check)
    if p["open"]:
        return "unresolved"
    return "corrected" if p["replaced"] else "clear"


@transaction.atomic
def corrected_file(*, check: Check, by: Any) -> tuple[str, bytes, str]:
    """The checked file with every replacement applied, once no finding is open.

    Its SHA-256 is kept, so that publication recognises it as checked."""
    ensure_can(user=by, review=check.review, need=Cap.CHECK_ANONYMISATION)
    if not check.can_correct:
        raise ValidationError(
            _(
                "Lantern cannot write a corrected %(format)s: correct the source document "
                "and check it again."
            )
            % {"format": check.get_format_display()}
        )
    if check.findings.filter(status=Finding.Status.OPEN).exists():
        raise ValidationError(_("Resolve every finding before downloading the corrected file."))
    replacements = [
        Replacement(f.start, f.end, f.replacement)
        for f in check.findings.filter(status=Finding.Status.REPLACED)
    ]
    data = bytes(check.content)
    try:
        if check.format == Check.Format.TXT:
            content = correct_txt(data, replacements)
        else:
            content = correct_docx(data, replacements, filename=check.filename)
    except TextExtractionError as error:
        raise ProblemsError([Problem(file=check.filename, message=error.reason)])
    digest = sha256_of(content)
    if check.corrected_sha256 != digest:
        check.corrected_content = content
        check.corrected_sha256 = digest
        check.corrected_at = timezone.now()
        check.save(update_fields=["corrected_content", "corrected_sha256", "corrected_at"])
    audit_record(
        action=AuditEvent.Action.EXPORT,
        by=by,
        review=check.review,
        obj=check,
        object_type="anonymisation check",
        summary=f"Downloaded the corrected {check.corrected_filename}",
        data={"sha256": digest, "replacements": len(replacements)},
    )
    return check.corrected_filename, content, CONTENT_TYPES[check.format]


def check_status(*, review: Review, sha256: str) -> str:
    """Whether the file with this SHA-256 may be published: "clear" | "unresolved" |
    "not_checked".

    "clear" when the latest check of that file has every finding resolved and none replaced,
    or when the file is the corrected file of a check whose findings are all resolved; a later
    check of the same file decides over an earlier one."""
    sha256 = (sha256 or "").strip().lower()
    if not sha256:
        return "not_checked"
    direct = review.anonymisation_checks.filter(sha256=sha256).order_by("-created_at", "-id")
    corrected = review.anonymisation_checks.filter(corrected_sha256=sha256).order_by(
        "-corrected_at", "-id"
    )
    latest = direct.first()
    made = corrected.first()
    if latest is None and made is None:
        return "not_checked"
    if made is not None and (latest is None or made.corrected_at >= latest.created_at):
        return "clear" if check_state(made) != "unresolved" else "unresolved"
    return "clear" if check_state(latest) == "clear" else "unresolved"


# --- known places -------------------------------------------------------------------------------


@transaction.atomic
def known_place_add(
    *, review: Review, by: Any, kind: str, text: str, suggestion: str = "", notes: str = ""
) -> KnownPlace:
    ensure_can(user=by, review=review, need=Cap.CHECK_ANONYMISATION)
    text = " ".join((text or "").split())
    if kind not in KnownPlace.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of place or identifier this is.")})
    if len(text) < 3:
        raise ValidationError({"text": _("Enter the place or identifier as it is written.")})
    if review.known_places.filter(kind=kind, text__iexact=text).exists():
        raise ValidationError({"text": _("This is already recorded.")})
    place = KnownPlace.objects.create(
        review=review,
        kind=kind,
        text=text[:300],
        suggestion=(suggestion or "").strip()[:300],
        notes=(notes or "").strip()[:500],
        created_by=by if getattr(by, "pk", None) else None,
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        by=by,
        review=review,
        obj=place,
        object_type="known place",
        summary=f"Recorded a {place.get_kind_display().lower()} for the anonymisation check",
    )
    return place


@transaction.atomic
def known_place_delete(*, place: KnownPlace, by: Any) -> None:
    ensure_can(user=by, review=place.review, need=Cap.CHECK_ANONYMISATION)
    audit_record(
        action=AuditEvent.Action.DELETE,
        by=by,
        review=place.review,
        obj=place,
        object_type="known place",
        summary=f"Removed a {place.get_kind_display().lower()} from the anonymisation check",
    )
    place.delete()
