"""Writes for the Home Office QA panel and publication: the submission pack, each submission
round, the feedback letter and its outcome, the required changes and their resolution, and the
publication record with the published files frozen.

The QA outcome is kept where the review's lifecycle reads it: recording a letter here calls
`reviews.services.qa_outcome_record`, which moves the stage (approved, or back to drafting for a
resubmission). Publication moves the review to "Published" through `review_transition`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.publishing import selectors
from lantern.publishing.models import (
    DraftVersion,
    Publication,
    PublishedFile,
    QaOutcome,
    QaSubmission,
    RequiredChange,
)
from lantern.publishing.pack import Pack, pack_build
from lantern.publishing.services import (
    CONTENT_TYPES,
    _actor,
    _event,
    _not_future,
    actor_label,
    clean_filename,
    read_document,
)
from lantern.reviews.access import Cap, ensure_can
from lantern.reviews.models import Review, ReviewEvent, Stage


def pack_download(*, review: Review, by: Any, include_briefing: bool = False) -> Pack:
    """Build the submission pack for someone to download (audited as an export)."""
    ensure_can(user=by, review=review, need=Cap.MANAGE_PUBLICATION)
    ensure_can(user=by, review=review, need=Cap.VIEW_DOCUMENTS)
    pack = pack_build(review, include_briefing=include_briefing)
    audit_record(
        action=AuditEvent.Action.EXPORT,
        by=by,
        review=review,
        object_type="submission pack",
        object_id=review.reference,
        summary=f"Built the Home Office submission pack ({pack.sha256[:12]})",
        data={"sha256": pack.sha256, "gaps": [i.key for i in pack.checklist if i.status == "gap"]},
    )
    return pack


@transaction.atomic
def qa_submit(
    *,
    review: Review,
    by: Any,
    submitted_on: date,
    include_briefing: bool = False,
    note: str = "",
) -> QaSubmission:
    """Submit to the Home Office QA panel: build the pack, keep it and its sha256 as this
    round's, and move the review to "Submitted for Home Office QA". A resubmission (after the
    panel asked for one, and a new CSP sign-off) is the next round."""
    from lantern.reviews.lifecycle import review_transition

    ensure_can(user=by, review=review, need=Cap.MANAGE_PUBLICATION)
    ensure_can(user=by, review=review, need=Cap.TRANSITION)
    _not_future(submitted_on, "submitted_on", _("The date submitted"))
    if review.stage != Stage.CSP_SIGNOFF:
        raise ValidationError(
            _(
                "A review is submitted to the QA panel once the CSP has signed it off; this "
                "review is at “%(stage)s”."
            )
            % {"stage": review.get_stage_display()}
        )
    if not selectors.signoff_current(review):
        raise ValidationError(
            _("The CSP has not signed off the current final versions: record the sign-off first.")
        )
    pack = pack_build(review, include_briefing=include_briefing)
    number = (QaSubmission.objects.filter(review=review).aggregate(r=Max("round"))["r"] or 0) + 1
    submission = QaSubmission.objects.create(
        review=review,
        round=number,
        submitted_on=submitted_on,
        pack=pack.content,
        pack_sha256=pack.sha256,
        pack_filename=pack.filename,
        note=note.strip(),
        submitted_by=_actor(by),
    )
    _event(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.QA,
        action="qa_submitted",
        summary=_("%(what)s to the Home Office QA panel on %(d)s (pack %(sha)s)")
        % {
            "what": _("Resubmitted") if number > 1 else _("Submitted"),
            "d": submitted_on.isoformat(),
            "sha": pack.sha256[:12],
        },
    )
    review_transition(
        review=review, by=by, target=Stage.QA_SUBMITTED, on=submitted_on, note=f"round {number}"
    )
    review.refresh_from_db()
    return submission


@transaction.atomic
def qa_feedback_record(
    *,
    submission: QaSubmission,
    by: Any,
    outcome: str,
    letter_received_on: date,
    strengths: str = "",
    notes: str = "",
    changes: Sequence[str] = (),
    letter_filename: str = "",
    letter: bytes | None = None,
) -> QaSubmission:
    """The panel's feedback letter for a round: the outcome (which moves the review's stage
    through `reviews`), the letter itself (DOCX or PDF), the strengths and each change
    required."""
    from lantern.reviews.services import qa_outcome_record

    review = submission.review
    ensure_can(user=by, review=review, need=Cap.MANAGE_PUBLICATION)
    latest = selectors.latest_submission(review)
    if latest is None or latest.pk != submission.pk:
        raise ValidationError(_("Record the letter for the latest submission."))
    if submission.outcome:
        raise ValidationError(_("The panel's outcome for this round is already recorded."))
    if outcome not in QaOutcome.values:
        raise ValidationError(
            {"outcome": _("Choose one of: %(o)s.") % {"o": ", ".join(QaOutcome.values)}}
        )
    _not_future(letter_received_on, "letter_received_on", _("The date of the letter"))
    if letter_received_on < submission.submitted_on:
        raise ValidationError(
            {"letter_received_on": _("The letter cannot be dated before the submission.")}
        )
    texts = [c.strip() for c in changes if c and c.strip()]
    if outcome == QaOutcome.PUBLISH_AFTER_CHANGES and not texts:
        raise ValidationError(
            {"changes": _("List the changes the panel requires before publication.")}
        )
    fields = ["outcome", "letter_received_on", "strengths", "outcome_notes", "outcome_recorded_by"]
    if letter is not None:
        fmt = read_document(letter, field="letter", what=_("The letter"), filename=letter_filename)
        submission.letter = letter
        submission.letter_filename = clean_filename(letter_filename, fmt, fallback="qa-letter")
        submission.letter_content_type = CONTENT_TYPES[fmt]
        submission.letter_sha256 = hashlib.sha256(letter).hexdigest()
        fields += ["letter", "letter_filename", "letter_content_type", "letter_sha256"]
    submission.outcome = outcome
    submission.letter_received_on = letter_received_on
    submission.strengths = strengths.strip()
    submission.outcome_notes = notes.strip()
    submission.outcome_recorded_by = _actor(by)
    submission.save(update_fields=fields)
    for number, text in enumerate(texts, start=1):
        RequiredChange.objects.create(submission=submission, number=number, text=text)
    qa_outcome_record(
        review=review,
        by=by,
        outcome=outcome,
        letter_received_on=letter_received_on,
        notes=notes.strip()
        or _("Round %(r)d; %(n)d change(s) required") % {"r": submission.round, "n": len(texts)},
    )
    return QaSubmission.objects.defer("pack").get(pk=submission.pk)


@transaction.atomic
def required_change_add(
    *, submission: QaSubmission, by: Any, text: str, section: str = ""
) -> RequiredChange:
    review = submission.review
    ensure_can(user=by, review=review, need=Cap.MANAGE_PUBLICATION)
    if not submission.outcome:
        raise ValidationError(_("Record the panel's letter for this round first."))
    if selectors.publication_of(review) is not None:
        raise ValidationError(_("The review has been published."))
    if not text.strip():
        raise ValidationError({"text": _("Enter the change the panel requires.")})
    number = (submission.changes.aggregate(n=Max("number"))["n"] or 0) + 1
    change = RequiredChange.objects.create(
        submission=submission, number=number, section=section.strip(), text=text.strip()
    )
    _event(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.QA,
        action="qa_change",
        summary=_("QA round %(r)d: change %(n)d required") % {"r": submission.round, "n": number},
    )
    return change


@transaction.atomic
def required_change_resolve(
    *, change: RequiredChange, by: Any, resolution: str, resolved_on: date
) -> RequiredChange:
    """How a required change was made, by whom and when (the author, chair or coordinator)."""
    review = change.submission.review
    ensure_can(user=by, review=review, need=Cap.EDIT_DRAFTS)
    if selectors.publication_of(review) is not None:
        raise ValidationError(_("The review has been published."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the change was made.")})
    _not_future(resolved_on, "resolved_on", _("The date resolved"))
    change.resolution = resolution.strip()
    change.resolved_on = resolved_on
    change.resolved_by = _actor(by)
    change.resolved_by_label = actor_label(by)
    change.save(update_fields=["resolution", "resolved_on", "resolved_by", "resolved_by_label"])
    _event(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.QA,
        action="qa_change_resolved",
        summary=_("QA round %(r)d: change %(n)d resolved")
        % {"r": change.submission.round, "n": change.number},
    )
    return change


# --- publication -------------------------------------------------------------------------------


@transaction.atomic
def publication_record(
    *,
    review: Review,
    by: Any,
    published_on: date,
    location: str,
    commissioner_sent_on: date | None = None,
    home_office_sent_on: date | None = None,
    family_told_on: date | None = None,
) -> Publication:
    """Publish: only once the QA panel allows it (every required change resolved), the CSP has
    signed off and every final is clear of identifying details. The finals are frozen as
    published, and the review moves to "Published"."""
    from lantern.reviews.lifecycle import review_transition

    ensure_can(user=by, review=review, need=Cap.MANAGE_PUBLICATION)
    ensure_can(user=by, review=review, need=Cap.TRANSITION)
    review = Review.objects.select_for_update().get(pk=review.pk)
    blockers = selectors.publication_blockers(review)
    if blockers:
        raise ValidationError(blockers)
    errors: dict[str, list[str]] = {}
    if not location.strip():
        errors["location"] = [_("Say where the review is published (its web address).")]
    for name, value in (
        ("published_on", published_on),
        ("commissioner_sent_on", commissioner_sent_on),
        ("home_office_sent_on", home_office_sent_on),
        ("family_told_on", family_told_on),
    ):
        try:
            _not_future(value, name, _("The date"))
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    publication = Publication.objects.create(
        review=review,
        published_on=published_on,
        location=location.strip(),
        commissioner_sent_on=commissioner_sent_on,
        home_office_sent_on=home_office_sent_on,
        family_told_on=family_told_on,
        recorded_by=_actor(by),
    )
    frozen = []
    for kind, version in sorted(selectors.finals(review).items()):
        data = bytes(DraftVersion.objects.values_list("content", flat=True).get(pk=version.pk))
        frozen.append(
            PublishedFile.objects.create(
                publication=publication,
                version=version,
                kind=kind,
                filename=f"{review.reference}-{kind.replace('_', '-')}.{version.format}",
                content_type=version.content_type,
                content=data,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
        )
    _event(
        review=review,
        by=by,
        action="published",
        summary=_("Published on %(d)s at %(where)s; %(n)d file(s) frozen as published")
        % {"d": published_on.isoformat(), "where": publication.location, "n": len(frozen)},
    )
    review_transition(review=review, by=by, target=Stage.PUBLISHED, on=published_on)
    return publication


_COPY_FIELDS = ("location", "commissioner_sent_on", "home_office_sent_on", "family_told_on")


@transaction.atomic
def publication_update(*, publication: Publication, by: Any, **changes: Any) -> Publication:
    """Record what happened after publication: copies sent, the family told, a moved web
    address. The published files themselves never change."""
    review = publication.review
    ensure_can(user=by, review=review, need=Cap.MANAGE_PUBLICATION)
    unknown = set(changes) - set(_COPY_FIELDS)
    if unknown:
        raise ValidationError(
            _("Only where it is published and the dates copies were sent can change; not: %s")
            % ", ".join(sorted(unknown))
        )
    for name, value in changes.items():
        if name == "location":
            if not (value or "").strip():
                raise ValidationError({"location": _("Say where the review is published.")})
            value = value.strip()
        else:
            _not_future(value, name, _("The date"))
            if value and value < publication.published_on:
                raise ValidationError({name: _("This cannot be before the date published.")})
        setattr(publication, name, value)
    publication.save(update_fields=list(changes) or None)
    _event(
        review=review,
        by=by,
        action="publication_updated",
        summary=_("Publication record updated: %(f)s") % {"f": ", ".join(sorted(changes))},
    )
    return publication


def published_file_delete(*, file: PublishedFile, by: Any) -> None:
    """There is no deleting a published file: anyone who may manage publication is told why,
    and the attempt is recorded."""
    review = file.publication.review
    ensure_can(user=by, review=review, need=Cap.MANAGE_PUBLICATION)
    audit_record(
        action=AuditEvent.Action.ACCESS_DENIED,
        by=by,
        review=review,
        object_type="published file",
        object_id=str(file.pk),
        summary="Refused: published files are frozen",
    )
    file.delete()  # raises FrozenError
