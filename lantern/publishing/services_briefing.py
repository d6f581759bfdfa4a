"""Dissemination: the 7-minute briefing sent to partner agencies as a frozen copy, each agency's
acknowledgement, and its record of how the learning was used."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from lantern.accounts.models import Organisation
from lantern.publishing import selectors
from lantern.publishing.models import BriefingRecipient, BriefingSend
from lantern.publishing.services import (
    _actor,
    _event,
    _not_future,
    actor_label,
    agency_author_emails,
    email_later,
)
from lantern.reviews.access import Cap, capabilities, ensure_can
from lantern.reviews.models import Review, Stage

BRIEFING_FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def briefing_text(content: bytes, *, fmt: str) -> str:
    """The plain text of a rendered briefing, as the anonymisation check reads it."""
    if fmt == "html":
        return strip_tags(content.decode("utf-8"))
    from lantern.core.textextract import extract_text

    return extract_text(content, filename=f"briefing.{fmt}").text


def briefing_findings(*, review: Review, content: bytes, fmt: str) -> list[dict[str, Any]]:
    from lantern.anonymisation.services import check_review_text

    return check_review_text(review=review, text=briefing_text(content, fmt=fmt))


@transaction.atomic
def briefing_send(
    *,
    review: Review,
    by: Any,
    agencies: Sequence[Organisation],
    sent_on: date,
    fmt: str = "pdf",
    accept_findings: bool = False,
    note: str = "",
) -> BriefingSend:
    """Send the 7-minute briefing to chosen agencies of the review. The briefing is rendered
    now and kept as sent (frozen); the anonymisation check reads its text first, and any
    finding stops the sending unless the sender accepts them. Each agency's authors are
    emailed."""
    from lantern.documents.services import render_briefing

    ensure_can(user=by, review=review, need=Cap.MANAGE_PUBLICATION)
    errors: dict[str, list[str]] = {}
    if review.stage not in (Stage.PUBLISHED, Stage.CLOSED):
        raise ValidationError(
            _("The briefing is sent to partner agencies once the review has been published.")
        )
    if fmt not in BRIEFING_FORMATS:
        errors["format"] = [_("Choose PDF or DOCX.")]
    on_review = {link.organisation_id for link in review.agencies.all()}
    strangers = [a.name for a in agencies if a.pk not in on_review]
    if strangers:
        errors["agencies"] = [
            _("Not an agency of this review: %(n)s.") % {"n": ", ".join(strangers)}
        ]
    if not agencies:
        errors["agencies"] = [_("Choose the agencies to send the briefing to.")]
    try:
        _not_future(sent_on, "sent_on", _("The date sent"))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    content = render_briefing(review, fmt=fmt, issued_to=_("Partner agencies"))
    findings = briefing_findings(review=review, content=content, fmt=fmt)
    if findings and not accept_findings:
        shown = "; ".join(f"“{f['text']}” ({f['category']})" for f in findings[:5])
        raise ValidationError(
            {
                "accept_findings": [
                    _(
                        "The anonymisation check found %(n)d possible identifying detail(s) in "
                        "the briefing: %(shown)s. Correct the review's data, or accept them to "
                        "send it as it is."
                    )
                    % {"n": len(findings), "shown": shown}
                ]
            }
        )
    send = BriefingSend.objects.create(
        review=review,
        sent_on=sent_on,
        format=fmt,
        filename=f"{review.reference}-7-minute-briefing.{fmt}",
        content_type=BRIEFING_FORMATS[fmt],
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        findings=findings,
        findings_accepted=bool(findings),
        note=note.strip(),
        sent_by=_actor(by),
        sent_by_label=actor_label(by),
    )
    emails = agency_author_emails(review, [a.pk for a in agencies])
    for agency in sorted(set(agencies), key=lambda a: a.name):
        BriefingRecipient.objects.create(
            send=send, agency=agency, emailed=len(emails.get(agency.pk, []))
        )
    _event(
        review=review,
        by=by,
        action="briefing_sent",
        summary=_("7-minute briefing sent to %(names)s%(accepted)s")
        % {
            "names": ", ".join(sorted(a.name for a in agencies)),
            "accepted": _(" (%(n)d anonymisation finding(s) accepted)") % {"n": len(findings)}
            if findings
            else "",
        },
    )
    url = reverse("publishing:briefing", kwargs={"reference": review.reference})
    email_later(
        subject=_("Lantern: 7-minute briefing from review %(ref)s") % {"ref": review.reference},
        body=_(
            "The 7-minute briefing of review %(ref)s has been sent to your agency. Please share "
            "it in a team meeting, acknowledge it in Lantern and record how your agency used "
            "the learning: %(url)s\n"
        )
        % {"ref": review.reference, "url": url},
        recipients=[e for es in emails.values() for e in es],
    )
    return send


def _ensure_for_agency(*, recipient: BriefingRecipient, by: Any) -> bool:
    """May `by` act for this agency? Returns whether it is on the agency's behalf."""
    review = recipient.send.review
    caps = capabilities(user=by, review=review)
    if not caps:
        ensure_can(user=by, review=review, need=Cap.VIEW)  # 404
    if not selectors.may_act_for_agency(
        user=by, review=review, caps=caps, agency_id=recipient.agency_id
    ):
        raise PermissionDenied
    from lantern.reviews.access import user_agencies_on_review

    return recipient.agency_id not in user_agencies_on_review(user=by, review=review)


@transaction.atomic
def briefing_acknowledge(
    *, recipient: BriefingRecipient, by: Any, acknowledged_on: date | None = None
) -> BriefingRecipient:
    """The agency acknowledges the briefing (its author, or the coordinator on its behalf)."""
    on_behalf = _ensure_for_agency(recipient=recipient, by=by)
    recipient = BriefingRecipient.objects.select_for_update().get(pk=recipient.pk)
    if recipient.acknowledged_on:
        raise ValidationError(
            _("%(agency)s has already acknowledged this briefing.")
            % {"agency": recipient.agency.name}
        )
    acknowledged_on = acknowledged_on or timezone.localdate()
    _not_future(acknowledged_on, "acknowledged_on", _("The date acknowledged"))
    if acknowledged_on < recipient.send.sent_on:
        raise ValidationError(
            {"acknowledged_on": _("A briefing cannot be acknowledged before it was sent.")}
        )
    recipient.acknowledged_on = acknowledged_on
    recipient.acknowledged_by = _actor(by)
    recipient.acknowledged_by_label = actor_label(by)
    recipient.acknowledged_on_behalf = on_behalf
    recipient.save(
        update_fields=[
            "acknowledged_on",
            "acknowledged_by",
            "acknowledged_by_label",
            "acknowledged_on_behalf",
        ]
    )
    _event(
        review=recipient.send.review,
        by=by,
        action="briefing_acknowledged",
        summary=_("%(agency)s acknowledged the 7-minute briefing%(behalf)s")
        % {
            "agency": recipient.agency.name,
            "behalf": _(" (recorded on its behalf)") if on_behalf else "",
        },
    )
    return recipient


@transaction.atomic
def briefing_learning_record(
    *, recipient: BriefingRecipient, by: Any, learning_use: str, used_on: date
) -> BriefingRecipient:
    """The agency's record of how it used the learning (kept as the latest account; every
    change is on the timeline and in the audit record)."""
    on_behalf = _ensure_for_agency(recipient=recipient, by=by)
    text = learning_use.strip()
    if not text:
        raise ValidationError({"learning_use": _("Say how your agency used the learning.")})
    _not_future(used_on, "used_on", _("The date"))
    if used_on < recipient.send.sent_on:
        raise ValidationError(
            {"used_on": _("The learning cannot be used before the briefing was sent.")}
        )
    recipient.learning_use = text
    recipient.learning_used_on = used_on
    recipient.learning_recorded_by = _actor(by)
    recipient.learning_recorded_by_label = actor_label(by)
    recipient.save(
        update_fields=[
            "learning_use",
            "learning_used_on",
            "learning_recorded_by",
            "learning_recorded_by_label",
        ]
    )
    _event(
        review=recipient.send.review,
        by=by,
        action="briefing_learning",
        summary=_("%(agency)s recorded how it used the learning%(behalf)s")
        % {
            "agency": recipient.agency.name,
            "behalf": _(" (recorded on its behalf)") if on_behalf else "",
        },
    )
    return recipient
