"""The whole journey in one test: drafts, circulation and comments, the family's reading,
sign-off, the pack, QA with a resubmission and required changes, publication blocked then
allowed, frozen copies immutable, the briefing sent and acknowledged."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from lantern.conftest import Cast
from lantern.publishing import selectors, services, services_briefing, services_qa
from lantern.publishing.models import (
    BriefingSend,
    DraftVersion,
    FrozenError,
    PublishedFile,
)
from lantern.publishing.tests.conftest import docx_bytes, pdf_bytes
from lantern.reviews.models import Review, Stage

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
AGO = TODAY - dt.timedelta(days=60)


def day(n: int) -> dt.date:
    return AGO + dt.timedelta(days=n)


def check_clear(cast: Cast, version: DraftVersion) -> str:
    """Run the real anonymisation check on a final and return its status."""
    from lantern.anonymisation.services import check_status, run_check

    run_check(
        review=cast.review,
        by=cast.author,
        filename=version.filename,
        data=bytes(DraftVersion.objects.get(pk=version.pk).content),
    )
    return check_status(review=cast.review, sha256=version.sha256)


def test_the_whole_journey(
    cast: Cast,
    drafting: Review,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    review, author, coordinator, chair = drafting, cast.author, cast.coordinator, cast.chair

    # Drafts, circulated for factual accuracy; comments per agency and the author's responses.
    first = services.draft_upload(
        review=review,
        by=author,
        kind="overview_report",
        filename="OR v1.docx",
        content=docx_bytes(),
    )
    circulation = services.circulation_create(
        version=first,
        by=author,
        circulated_on=day(1),
        due_on=day(15),
        agencies=[cast.police, cast.housing],
    )
    police = services.comment_add(
        circulation=circulation, by=cast.agency_author, text="3 March, not 4.", section="4.2"
    )
    homes = services.comment_add(
        circulation=circulation,
        by=coordinator,
        agency=cast.housing,
        text="Emailed: the tenancy began in 2019.",
        received_on=day(10),
    )
    services.comment_respond(comment=police, by=author, response="accepted")
    services.comment_respond(
        comment=homes, by=author, response="not_accepted", reason="The file says 2018."
    )
    overview = services.draft_upload(
        review=review,
        by=author,
        kind="overview_report",
        filename="OR v2.docx",
        content=docx_bytes(),
        final=True,
    )
    summary = services.draft_upload(
        review=review,
        by=author,
        kind="executive_summary",
        filename="ES.docx",
        content=docx_bytes("Executive summary"),
        final=True,
    )
    # The family reads the draft.
    services.family_reading_record(
        review=review,
        by=chair,
        offered_on=day(16),
        version=overview,
        read_on=day(20),
        comments="Please mention her music.",
        how_addressed="Added to the introduction.",
    )
    # CSP sign-off, the pack, submission.
    services.signoff_record(
        review=review, by=chair, signed_off_on=day(21), signed_off_by="Chair of the CSP"
    )
    round1 = services_qa.qa_submit(review=review, by=coordinator, submitted_on=day(22))
    with zipfile.ZipFile(io.BytesIO(bytes(round1.pack))) as archive:
        assert f"{review.reference}-overview-report-v2.docx" in archive.namelist()
        assert "checklist.json" in archive.namelist()
    review.refresh_from_db()
    assert review.stage == Stage.QA_SUBMITTED

    # Round 1: the panel asks for a resubmission.
    services_qa.qa_feedback_record(
        submission=round1,
        by=coordinator,
        outcome="resubmit",
        letter_received_on=day(30),
        notes="Analysis too thin.",
        letter=pdf_bytes("Resubmit."),
        letter_filename="letter.pdf",
    )
    review.refresh_from_db()
    assert review.stage == Stage.DRAFTING and review.qa_outcome == ""
    overview = services.draft_upload(
        review=review,
        by=author,
        kind="overview_report",
        filename="OR v3.docx",
        content=docx_bytes("Overview report, revised"),
        final=True,
    )
    with pytest.raises(ValidationError):  # the CSP must sign the new final off first
        services_qa.qa_submit(review=review, by=coordinator, submitted_on=day(35))
    services.signoff_record(
        review=review, by=chair, signed_off_on=day(34), signed_off_by="Chair of the CSP"
    )
    round2 = services_qa.qa_submit(review=review, by=coordinator, submitted_on=day(35))
    assert round2.round == 2 and round2.pack_sha256 != round1.pack_sha256
    round2 = services_qa.qa_feedback_record(
        submission=round2,
        by=coordinator,
        outcome="publish_after_changes",
        letter_received_on=day(40),
        strengths="Strong family voice.",
        changes=["Explain the pause for the trial."],
    )
    review.refresh_from_db()
    assert review.stage == Stage.QA_APPROVED

    # Publication is blocked: a change is open and the finals are not checked.
    blockers = selectors.publication_blockers(review)
    assert any("not resolved" in b for b in blockers)
    assert any("identifying details" in b for b in blockers)
    with pytest.raises(ValidationError):
        services_qa.publication_record(
            review=review, by=coordinator, published_on=day(45), location="https://x.example"
        )
    change = round2.changes.get()
    services_qa.required_change_resolve(
        change=change, by=author, resolution="Paragraph 2.3 added.", resolved_on=day(42)
    )
    assert check_clear(cast, overview) == "clear"
    assert check_clear(cast, summary) == "clear"
    assert selectors.publication_blockers(review) == []

    # Published: the finals are frozen as published.
    publication = services_qa.publication_record(
        review=review,
        by=coordinator,
        published_on=day(45),
        location="https://northbridge.example/dhr/kerry",
        commissioner_sent_on=day(45),
        home_office_sent_on=day(46),
        family_told_on=day(44),
    )
    review.refresh_from_db()
    assert review.stage == Stage.PUBLISHED and review.published_on == day(45)
    files = {f.kind: f for f in PublishedFile.objects.filter(publication=publication)}
    assert files["overview_report"].sha256 == overview.sha256
    assert bytes(files["overview_report"].content) == bytes(
        DraftVersion.objects.get(pk=overview.pk).content
    )
    frozen = files["overview_report"]
    frozen.content = b"changed"
    with pytest.raises(FrozenError):
        frozen.save()
    with pytest.raises(FrozenError):
        services_qa.published_file_delete(file=frozen, by=coordinator)
    with pytest.raises(ValidationError):
        services.draft_upload(
            review=review,
            by=coordinator,
            kind="overview_report",
            filename="late.docx",
            content=docx_bytes(),
        )

    # The briefing goes to both agencies, frozen as sent; each acknowledges for itself. The
    # check reads the briefing first; what it finds is sent only when the sender accepts it.
    from lantern.documents.services import render_briefing

    expected = services_briefing.briefing_findings(
        review=review, content=render_briefing(review, fmt="pdf"), fmt="pdf"
    )
    with django_capture_on_commit_callbacks(execute=True):
        send = services_briefing.briefing_send(
            review=review,
            by=coordinator,
            agencies=[cast.police, cast.housing],
            sent_on=day(50),
            accept_findings=True,
        )
    assert send.sha256 and len(send.findings) == len(expected)
    assert send.findings_accepted == bool(expected)
    assert {to for m in mail.outbox for to in m.to} >= {
        cast.agency_author.email,
        cast.other_agency_author.email,
    }
    with pytest.raises(FrozenError):
        BriefingSend.objects.filter(pk=send.pk).update(content=b"x")
    police_row = send.recipients.get(agency=cast.police)
    homes_row = send.recipients.get(agency=cast.housing)
    services_briefing.briefing_acknowledge(
        recipient=police_row, by=cast.agency_author, acknowledged_on=day(51)
    )
    with pytest.raises(PermissionDenied):
        services_briefing.briefing_acknowledge(recipient=homes_row, by=cast.agency_author)
    services_briefing.briefing_acknowledge(
        recipient=homes_row, by=coordinator, acknowledged_on=day(52)
    )
    homes_row.refresh_from_db()
    assert homes_row.acknowledged_on_behalf
    services_briefing.briefing_learning_record(
        recipient=police_row,
        by=cast.agency_author,
        used_on=day(55),
        learning_use="Briefed to every response team; DASH refresher booked.",
    )
    services_briefing.briefing_learning_record(
        recipient=homes_row,
        by=cast.other_agency_author,
        used_on=day(56),
        learning_use="Tenancy officers briefed.",
    )
    steps = {s.key: s.status for s in selectors.steps(review)}
    assert steps == dict.fromkeys(steps, "done"), steps


def test_the_briefing_is_not_sent_with_identifying_details_unless_accepted(
    cast: Cast, drafting: Review
) -> None:
    """A date of birth typed into the pseudonym: the check finds it in the briefing."""
    from lantern.publishing.models import Publication
    from lantern.reviews import lifecycle

    review = drafting
    for target in (Stage.CSP_SIGNOFF, Stage.QA_SUBMITTED):
        review = lifecycle.review_transition(review=review, by=cast.coordinator, target=target)
    from lantern.reviews.services import qa_outcome_record

    review = qa_outcome_record(
        review=review, by=cast.coordinator, outcome="publish", letter_received_on=day(1)
    )
    review = lifecycle.review_transition(review=review, by=cast.coordinator, target=Stage.PUBLISHED)
    Publication.objects.create(review=review, published_on=day(2), location="https://x.example")
    Review.objects.filter(pk=review.pk).update(pseudonym="Kerry, born 12/03/1984")
    review.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services_briefing.briefing_send(
            review=review, by=cast.coordinator, agencies=[cast.police], sent_on=day(3)
        )
    assert "12/03/1984" in str(error.value)
    assert not BriefingSend.objects.exists()
    send = services_briefing.briefing_send(
        review=review,
        by=cast.coordinator,
        agencies=[cast.police],
        sent_on=day(3),
        accept_findings=True,
    )
    assert send.findings_accepted and send.findings
