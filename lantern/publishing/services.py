"""Writes to the authored report's life: draft versions, the final, circulation for
factual-accuracy comments and the author's responses, the family's reading, CSP sign-off.

QA, the submission pack and publication are in `services_qa`; the briefing's dissemination in
`services_briefing`. Pages, the API and the CLI all call these. Each is one transaction, checks
the caller's capability again, and records one event on the review's timeline (an audit write).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts.models import Organisation, ReviewRole, User
from lantern.publishing.models import (
    REQUIRED_KINDS,
    Circulation,
    CspSignOff,
    DraftComment,
    DraftKind,
    DraftVersion,
    FamilyReading,
    Response,
)
from lantern.reviews.access import Cap, ensure_can, user_agencies_on_review
from lantern.reviews.models import Membership, Person, Review, ReviewEvent, Stage
from lantern.reviews.services import review_event_record

MAX_DRAFT_BYTES = 25 * 1024 * 1024
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"
CONTENT_TYPES = {"docx": DOCX_CONTENT_TYPE, "pdf": PDF_CONTENT_TYPE}

# Stages in which the authored report can no longer change: it has been published.
_PUBLISHED_STAGES = (Stage.PUBLISHED, Stage.CLOSED)


def actor_label(user: Any) -> str:
    if user is None:
        return "anonymous"
    if getattr(user, "is_system", False):
        return "console: local system administrator"
    name = getattr(user, "display_name", "") or ""
    return name or getattr(user, "username", str(user))


def _actor(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _event(
    *, review: Review, by: Any, summary: str, action: str, kind: str = ReviewEvent.Kind.UPDATED
) -> None:
    review_event_record(
        review=review, by=by, kind=kind, summary=summary, data={"publishing": action}
    )


def _not_future(value: date | None, field: str, what: str) -> None:
    if value and value > timezone.localdate():
        raise ValidationError({field: _("%(what)s cannot be in the future.") % {"what": what}})


def _not_published(review: Review) -> None:
    if review.stage in _PUBLISHED_STAGES or hasattr_publication(review):
        raise ValidationError(
            _(
                "The review has been published: its documents are frozen as published and "
                "cannot change."
            )
        )


def hasattr_publication(review: Review) -> bool:
    from lantern.publishing.models import Publication

    return Publication.objects.filter(review=review).exists()


# --- files -------------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def clean_filename(filename: str, extension: str, fallback: str = "document") -> str:
    stem = os.path.splitext(os.path.basename((filename or "").replace("\\", "/")))[0]
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:150] or fallback
    return f"{stem}.{extension}"


def read_document(
    content: bytes, *, field: str = "file", what: str = "", filename: str = ""
) -> str:
    """ "docx" or "pdf", read from the bytes (as IMR uploads are); anything else refused.

    A Word document that would be a zip bomb or hides parts, or a PDF that is damaged or locked
    with a password, is refused too (`lantern.core.uploads.content_check`), and the file passes
    the virus scanner when one is configured. Messages name the file when it is given."""
    from lantern.chronology.services_returns import document_kind
    from lantern.core.uploads import UploadRefused, content_check, scan_upload

    label = what or _("The selected file")

    def refuse(message: str) -> ValidationError:
        return ValidationError({field: f"{filename}: {message}" if filename else message})

    if not content:
        raise refuse(_("%(what)s is empty.") % {"what": label})
    if len(content) > MAX_DRAFT_BYTES:
        raise refuse(_("%(what)s must be smaller than 25 MB.") % {"what": label})
    kind = document_kind(content)
    if kind == "docm":
        raise refuse(
            _(
                "%(what)s contains macros. Save it as a Word document (.docx) without "
                "macros, or as a PDF."
            )
            % {"what": label}
        )
    if kind not in ("docx", "pdf"):
        raise refuse(_("%(what)s must be a Word document (.docx) or a PDF.") % {"what": label})
    try:
        scan_upload(content, filename or label)
        content_check(content, filename or label, kinds={kind})
    except UploadRefused as refused:
        raise ValidationError({field: str(refused)}) from refused
    return kind


# --- drafts ------------------------------------------------------------------------------------


def finals(review: Review) -> dict[str, DraftVersion]:
    """The version of each kind marked final."""
    return {
        v.kind: v
        for v in DraftVersion.objects.filter(review=review, is_final=True).defer("content")
    }


@transaction.atomic
def draft_upload(
    *,
    review: Review,
    by: Any,
    kind: str,
    filename: str,
    content: bytes,
    note: str = "",
    final: bool = False,
) -> DraftVersion:
    """Keep an uploaded draft of the author's overview report, executive summary or appendix
    as its next version (DOCX or PDF, read from the bytes)."""
    ensure_can(user=by, review=review, need=Cap.EDIT_DRAFTS)
    if kind not in DraftKind.values:
        raise ValidationError(
            {"kind": _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(DraftKind.values)}}
        )
    _not_published(review)
    fmt = read_document(content, filename=filename)
    Review.objects.select_for_update().filter(pk=review.pk).values_list("pk").get()
    number = (
        DraftVersion.objects.filter(review=review, kind=kind).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    label = DraftKind(kind).label
    version = DraftVersion.objects.create(
        review=review,
        kind=kind,
        version=number,
        filename=clean_filename(filename, fmt, fallback=kind.replace("_", "-")),
        content_type=CONTENT_TYPES[fmt],
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        note=note.strip(),
        uploaded_by=_actor(by),
        uploaded_by_label=actor_label(by),
    )
    _event(
        review=review,
        by=by,
        action="draft_uploaded",
        summary=_("Version %(n)d of the %(doc)s uploaded (%(file)s)")
        % {"n": number, "doc": str(label).lower(), "file": version.filename},
    )
    if final:
        version = draft_mark_final(version=version, by=by)
    return version


@transaction.atomic
def draft_mark_final(*, version: DraftVersion, by: Any) -> DraftVersion:
    """Mark a version final: the one checked, submitted and published."""
    review = version.review
    ensure_can(user=by, review=review, need=Cap.EDIT_DRAFTS)
    _not_published(review)
    if review.stage == Stage.QA_SUBMITTED:
        raise ValidationError(
            _(
                "The report is with the Home Office QA panel: record the panel's outcome before "
                "choosing another final version."
            )
        )
    DraftVersion.objects.filter(review=review, kind=version.kind, is_final=True).exclude(
        pk=version.pk
    ).update(is_final=False)
    if not version.is_final:
        DraftVersion.objects.filter(pk=version.pk).update(is_final=True)
        version.is_final = True
        _event(
            review=review,
            by=by,
            action="draft_final",
            summary=_("Version %(n)d of the %(doc)s marked final")
            % {"n": version.version, "doc": str(version.get_kind_display()).lower()},
        )
    return version


# --- circulation and factual-accuracy comments -------------------------------------------------


def _review_agencies(review: Review) -> dict[int, Organisation]:
    return {
        link.organisation_id: link.organisation
        for link in review.agencies.select_related("organisation")
    }


def _panel_members(review: Review) -> dict[int, User]:
    return {
        m.user_id: m.user
        for m in Membership.objects.filter(
            review=review, role=ReviewRole.PANEL_MEMBER, ended_at__isnull=True
        ).select_related("user")
    }


def agency_author_emails(review: Review, agency_ids: Iterable[int]) -> dict[int, list[str]]:
    """The email addresses of the active agency authors of each agency, by agency id."""
    found: dict[int, list[str]] = {}
    for m in Membership.objects.filter(
        review=review,
        role=ReviewRole.AGENCY_AUTHOR,
        ended_at__isnull=True,
        agency_id__in=list(agency_ids),
        user__is_active=True,
    ).select_related("user"):
        if m.user.email:
            found.setdefault(m.agency_id, []).append(m.user.email)
    return found


def email_later(*, subject: str, body: str, recipients: Sequence[str]) -> None:
    """Send once the transaction commits (nothing is sent for a write that is rolled back)."""
    recipients = sorted(set(recipients))
    if not recipients:
        return
    transaction.on_commit(
        lambda: send_mail(
            subject=subject,
            message=body,
            from_email=None,
            recipient_list=recipients,
            fail_silently=True,
        )
    )


@transaction.atomic
def circulation_create(
    *,
    version: DraftVersion,
    by: Any,
    circulated_on: date,
    due_on: date,
    agencies: Sequence[Organisation] = (),
    panel_members: Sequence[User] = (),
    note: str = "",
) -> Circulation:
    """Circulate a version for factual-accuracy comments to chosen agencies of the review and
    panel members; their agency authors and the panel members are emailed (reference only)."""
    review = version.review
    ensure_can(user=by, review=review, need=Cap.EDIT_DRAFTS)
    _not_published(review)
    errors: dict[str, list[str]] = {}
    on_review = _review_agencies(review)
    panel = _panel_members(review)
    strangers = [a.name for a in agencies if a.pk not in on_review]
    if strangers:
        errors["agencies"] = [
            _("Not an agency of this review: %(names)s.") % {"names": ", ".join(strangers)}
        ]
    not_panel = [u.username for u in panel_members if u.pk not in panel]
    if not_panel:
        errors["panel_members"] = [
            _("Not on this review's panel: %(names)s.") % {"names": ", ".join(not_panel)}
        ]
    if not agencies and not panel_members:
        errors.setdefault("agencies", []).append(
            _("Choose at least one agency or panel member to send the draft to.")
        )
    if due_on < circulated_on:
        errors["due_on"] = [_("Comments cannot be due before the draft is circulated.")]
    try:
        _not_future(circulated_on, "circulated_on", _("The date circulated"))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    circulation = Circulation.objects.create(
        review=review,
        version=version,
        circulated_on=circulated_on,
        due_on=due_on,
        note=note.strip(),
        created_by=_actor(by),
    )
    circulation.agencies.set(agencies)
    circulation.panel_members.set(panel_members)
    names = [a.name for a in agencies] + [panel[u.pk].display_name for u in panel_members]
    _event(
        review=review,
        by=by,
        action="circulated",
        summary=_("%(doc)s version %(n)d circulated for factual-accuracy comments to %(to)s")
        % {"doc": version.get_kind_display(), "n": version.version, "to": ", ".join(names)},
    )
    recipients = [
        e for es in agency_author_emails(review, [a.pk for a in agencies]).values() for e in es
    ] + [u.email for u in panel_members if u.email]
    url = reverse("publishing:comments", kwargs={"reference": review.reference})
    email_later(
        subject=_("Lantern: draft for factual-accuracy comments, %(ref)s")
        % {"ref": review.reference},
        body=_(
            "A draft of the %(doc)s of review %(ref)s has been circulated to you for "
            "factual-accuracy comments, due by %(due)s.\nSign in to Lantern to read it and "
            "comment: %(url)s\n"
        )
        % {
            "doc": str(version.get_kind_display()).lower(),
            "ref": review.reference,
            "due": due_on.isoformat(),
            "url": url,
        },
        recipients=recipients,
    )
    return circulation


def circulation_recipient_agencies(*, circulation: Circulation) -> set[int]:
    """Agencies a circulation reached: those chosen, and the agencies of chosen panel members."""
    ids = set(circulation.agencies.values_list("pk", flat=True))
    members = Membership.objects.filter(
        review=circulation.review,
        user__in=circulation.panel_members.all(),
        ended_at__isnull=True,
    )
    for m in members.select_related("user"):
        if m.agency_id:
            ids.add(m.agency_id)
        elif m.user.organisation_id:
            ids.add(m.user.organisation_id)
    return ids


@transaction.atomic
def comment_add(
    *,
    circulation: Circulation,
    by: Any,
    text: str,
    section: str = "",
    agency: Organisation | None = None,
    received_on: date | None = None,
) -> DraftComment:
    """A factual-accuracy comment for one agency. Agency authors and panel members comment for
    their own agency only; the coordinator or chair may record one received (by email) on an
    agency's behalf."""
    review = circulation.review
    caps = ensure_can(user=by, review=review, need=Cap.COMMENT_ON_DRAFTS)
    _not_published(review)
    own = user_agencies_on_review(user=by, review=review)
    reached = circulation_recipient_agencies(circulation=circulation)
    if agency is None:
        candidates = sorted(own & reached)
        if len(candidates) != 1:
            raise ValidationError({"agency": _("Choose the agency this comment is from.")})
        agency = Organisation.objects.get(pk=candidates[0])
    if agency.pk not in reached:
        raise ValidationError(
            {"agency": _("This draft was not circulated to %(agency)s.") % {"agency": agency.name}}
        )
    on_behalf = agency.pk not in own
    if on_behalf and Cap.MANAGE_PUBLICATION not in caps:
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Enter the comment.")})
    received_on = received_on or timezone.localdate()
    _not_future(received_on, "received_on", _("The date received"))
    comment = DraftComment.objects.create(
        circulation=circulation,
        agency=agency,
        section=section.strip(),
        text=text.strip(),
        received_on=received_on,
        made_by=_actor(by),
        made_by_label=actor_label(by),
        on_behalf=on_behalf,
    )
    _event(
        review=review,
        by=by,
        action="comment",
        summary=_("Factual-accuracy comment from %(agency)s%(behalf)s")
        % {
            "agency": agency.name,
            "behalf": _(" (recorded on its behalf)") if on_behalf else "",
        },
    )
    return comment


@transaction.atomic
def comment_respond(*, comment: DraftComment, by: Any, response: str, reason: str = "") -> Any:
    """The author's response to a comment: accepted, or not accepted with the reason."""
    review = comment.circulation.review
    ensure_can(user=by, review=review, need=Cap.EDIT_DRAFTS)
    _not_published(review)
    if response not in Response.values:
        raise ValidationError({"response": _("Choose accepted or not accepted.")})
    reason = reason.strip()
    if response == Response.NOT_ACCEPTED and not reason:
        raise ValidationError({"reason": _("Say why the comment was not accepted.")})
    comment.response = response
    comment.response_reason = reason
    comment.responded_by = _actor(by)
    comment.responded_at = timezone.now()
    comment.save(update_fields=["response", "response_reason", "responded_by", "responded_at"])
    _event(
        review=review,
        by=by,
        action="comment_response",
        summary=_("Response to %(agency)s's comment: %(response)s")
        % {"agency": comment.agency.name, "response": comment.get_response_display()},
    )
    return comment


# --- the family's reading ----------------------------------------------------------------------


def _check_reading(
    *, offered_on: date, read_on: date | None, declined: bool, comments: str, how_addressed: str
) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if offered_on > today:
        errors["offered_on"] = [_("The date offered cannot be in the future.")]
    if read_on and read_on < offered_on:
        errors["read_on"] = [_("The family cannot have read the draft before it was offered.")]
    if read_on and read_on > today:
        errors["read_on"] = [_("The date read cannot be in the future.")]
    if read_on and declined:
        errors["declined"] = [_("Either the family read the draft or chose not to: not both.")]
    if how_addressed.strip() and not comments.strip():
        errors["comments"] = [_("Record the family's comments before how they were addressed.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def family_reading_record(
    *,
    review: Review,
    by: Any,
    offered_on: date,
    version: DraftVersion | None = None,
    person: Person | None = None,
    read_on: date | None = None,
    declined: bool = False,
    comments: str = "",
    how_addressed: str = "",
) -> FamilyReading:
    """Record that the family was offered the draft, and (when known) their reading of it."""
    ensure_can(user=by, review=review, need=Cap.MANAGE_PUBLICATION)
    ensure_can(user=by, review=review, need=Cap.VIEW_FAMILY)
    if version is not None and version.review_id != review.pk:
        raise ValidationError({"version": _("That version is not of this review.")})
    if person is not None and person.review_id != review.pk:
        raise ValidationError({"person": _("That person is not on this review.")})
    _check_reading(
        offered_on=offered_on,
        read_on=read_on,
        declined=declined,
        comments=comments,
        how_addressed=how_addressed,
    )
    reading = FamilyReading.objects.create(
        review=review,
        version=version,
        person=person,
        offered_on=offered_on,
        read_on=read_on,
        declined=declined,
        comments=comments.strip(),
        how_addressed=how_addressed.strip(),
        recorded_by=_actor(by),
    )
    _event(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.FAMILY,
        action="family_reading",
        summary=_("The family offered the draft on %(date)s") % {"date": offered_on.isoformat()},
    )
    return reading


@transaction.atomic
def family_reading_update(*, reading: FamilyReading, by: Any, **changes: Any) -> FamilyReading:
    """Add what happened since: the date read (or declined), the comments, how addressed."""
    review = reading.review
    ensure_can(user=by, review=review, need=Cap.MANAGE_PUBLICATION)
    ensure_can(user=by, review=review, need=Cap.VIEW_FAMILY)
    allowed = {"read_on", "declined", "comments", "how_addressed", "offered_on"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("These cannot be changed here: %s") % ", ".join(sorted(unknown)))
    data = {f: getattr(reading, f) for f in allowed}
    data.update(changes)
    _check_reading(**data)
    for key, value in data.items():
        setattr(reading, key, value.strip() if isinstance(value, str) else value)
    reading.save()
    _event(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.FAMILY,
        action="family_reading",
        summary=_("The family's reading of the draft updated: %(fields)s")
        % {"fields": ", ".join(sorted(changes))},
    )
    return reading


# --- CSP sign-off ------------------------------------------------------------------------------


def _missing_finals(review: Review) -> list[str]:
    have = finals(review)
    return [str(DraftKind(k).label).lower() for k in REQUIRED_KINDS if k not in have]


@transaction.atomic
def signoff_record(
    *, review: Review, by: Any, signed_off_on: date, signed_off_by: str, note: str = ""
) -> CspSignOff:
    """The CSP's sign-off of the final overview report and executive summary (the CSP chair is
    named by role title). A review in drafting moves to "CSP sign-off"."""
    from lantern.reviews.lifecycle import review_transition

    ensure_can(user=by, review=review, need=Cap.EDIT_DRAFTS)
    ensure_can(user=by, review=review, need=Cap.TRANSITION)
    missing = _missing_finals(review)
    if missing:
        raise ValidationError(
            _("Mark a final version of the %(docs)s before the CSP signs it off.")
            % {"docs": _(" and the ").join(missing)}
        )
    if not signed_off_by.strip():
        raise ValidationError(
            {"signed_off_by": _("Enter who signed it off, for example “Chair of the CSP”.")}
        )
    _not_future(signed_off_on, "signed_off_on", _("The date of sign-off"))
    if review.stage not in (Stage.DRAFTING, Stage.CSP_SIGNOFF):
        raise ValidationError(
            _("The CSP signs the report off at the end of drafting; the review is at “%(s)s”.")
            % {"s": review.get_stage_display()}
        )
    have = finals(review)
    signoff = CspSignOff.objects.create(
        review=review,
        signed_off_on=signed_off_on,
        signed_off_by=signed_off_by.strip(),
        overview=have[DraftKind.OVERVIEW_REPORT],
        summary=have[DraftKind.EXECUTIVE_SUMMARY],
        note=note.strip(),
        recorded_by=_actor(by),
    )
    _event(
        review=review,
        by=by,
        action="signed_off",
        summary=_("Signed off by %(who)s on %(date)s (overview v%(o)d, summary v%(s)d)")
        % {
            "who": signoff.signed_off_by,
            "date": signed_off_on.isoformat(),
            "o": signoff.overview.version,
            "s": signoff.summary.version,
        },
    )
    if review.stage == Stage.DRAFTING:
        review_transition(review=review, by=by, target=Stage.CSP_SIGNOFF, on=signed_off_on)
        review.refresh_from_db()
    return signoff
