"""Data for the schemathesis run: the cast's review and a second, published one, filled in
through the real services so that every GET of the API has something to return.

`seed_api(cast)` leaves the cast's review in drafting (so that writes are still open) with
people, the clock's pauses and extensions, liaison, meetings, family contact, chronologies,
returns and an IMR with its document, an action plan with progress and evidence, drafts in
circulation with comments, an anonymisation check with a corrected file and an issued
document. The second review, NB-DHR-2023-01 (same members), is taken through CSP sign-off,
Home Office QA (a letter, a required change), publication and the briefing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lantern.conftest import Cast
from lantern.reviews.models import Decision, Review, Stage

PUBLISHED_REFERENCE = "NB-DHR-2023-01"
AGO = dt.date.today() - dt.timedelta(days=90)


def day(n: int) -> dt.date:
    return AGO + dt.timedelta(days=n)


@dataclass
class Seeded:
    """What was made, by review reference: the ids a path needs (`{"entry_id": 3}`)."""

    cast: Cast
    drafting: Review
    published: Review
    ids: dict[str, dict[str, object]] = field(default_factory=dict)


def _docx(title: str, text: str) -> bytes:
    from lantern.publishing.tests.conftest import SECTIONS, docx_bytes

    return docx_bytes(title, (*SECTIONS, ("Notes", text)))


def _to_drafting(review: Review, cast: Cast) -> Review:
    from lantern.reviews import lifecycle
    from lantern.reviews.services import decision_record, terms_save

    by = cast.coordinator
    decision_record(
        review=review,
        by=by,
        outcome=Decision.Outcome.HOLD,
        decided_on=day(1),
        decided_by="CSP chair",
        consulted=["Police", "Health"],
        rationale="Criteria met.",
    )
    review.refresh_from_db()
    terms_save(
        review=review,
        by=by,
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2024, 9, 20),
        key_lines_of_enquiry=["What did agencies know of the abuse?"],
        agreed_on=day(3),
    )
    for target in (Stage.COMMISSIONED, Stage.GATHERING, Stage.DRAFTING):
        review = lifecycle.review_transition(review=review, by=by, target=target)
    return review


def _process(review: Review, cast: Cast) -> None:
    """The review's own records: criteria, clock, liaison, meetings, family, agencies."""
    from lantern.reviews.criteria import CriteriaInput
    from lantern.reviews.services import (
        criteria_assess,
        extension_add,
        family_contact_add,
        liaison_add,
        meeting_add,
        pause_add,
        review_agency_add,
    )

    by = cast.coordinator
    criteria_assess(
        review=review,
        by=by,
        data=CriteriaInput(
            legal_test="dvcva_2004_s9",
            victim_age=38,
            relationship="former_partner",
            death_type="homicide",
            abuse_indicated=True,
        ),
    )
    pause_add(
        review=review, by=by, cause="inquest", start=day(5), end=day(20), agreed_by="CSP chair"
    )
    extension_add(
        review=review,
        by=by,
        months=2,
        days=0,
        reason="The inquest took longer than planned.",
        agreed_by="Home Office",
        agreed_on=day(21),
    )
    liaison_add(review=review, by=by, date=day(6), with_whom="coroner", summary="Inquest dates.")
    meeting_add(
        review=review,
        by=by,
        date=day(7),
        title="First panel meeting",
        actions=[{"description": "Ask the GP for records", "owner": "Chair"}],
    )
    family_contact_add(
        review=review, by=by, date=day(8), kind="meeting", summary="Met Kerry's mother."
    )
    for org in (cast.police, cast.housing):
        review_agency_add(review=review, by=by, name=org.name, type=org.type)


def _chronology(review: Review, cast: Cast) -> dict[str, object]:
    from lantern.chronology import services_returns as returns
    from lantern.chronology.models import AgencyReturn, ThemeTag
    from lantern.chronology.tests.combined_support import make_entry

    by = cast.coordinator
    police, housing = cast.police, cast.housing
    first = make_entry(
        review,
        police,
        "2022-03-14",
        what_happened="Call from Kerry: Lee threatened her.",
        action_taken="DASH completed: high risk. Referred to MARAC.",
    )
    make_entry(review, housing, "2023-06-02", what_happened="Kerry asked to move.")
    make_entry(review, police, "2023-11-01", what_happened="Welfare check at Kerry's home.")
    ThemeTag.objects.create(entry=first, theme="domestic_abuse", status=ThemeTag.Status.CONFIRMED)
    tag = ThemeTag.objects.create(entry=first, theme="mental_health")
    returns.returns_ask(review=review, by=by, agencies=[police, housing], asked_on=day(10))
    for agency_return in AgencyReturn.objects.filter(review=review):
        returns.return_answer(
            agency_return=agency_return, by=by, answer="contact", answered_on=day(12)
        )
    imr = returns.imr_start(review=review, agency=police, by=cast.agency_author)
    returns.imr_save(
        review=review,
        agency=police,
        by=cast.agency_author,
        sections={},
        author_name="A. Officer",
        independence_statement="I had no part in the case.",
        recommendations=["Train officers on stalking."],
    )
    returns.imr_document_upload(
        imr=imr,
        by=cast.agency_author,
        filename="police-imr.docx",
        content=_docx("Police IMR", "Contact with Kerry in 2022."),
    )
    returns.agency_share_with_panel(review=review, agency=police, by=by, shared_on=day(14))
    return {"entry_id": first.pk, "tag_id": tag.pk, "agency_id": police.pk, "version": 1}


def _action_plan(review: Review, cast: Cast) -> dict[str, object]:
    from lantern.recommendations import services as plan

    by = cast.coordinator
    rec = plan.recommendation_create(
        review=review,
        by=by,
        number="1",
        kind="overarching",
        scope="local",
        text="Agencies to recognise stalking after separation.",
        themes=["identification_of_risk", "training"],
        addressee="csp",
        addressed_to=cast.csp.name,
    )
    action = plan.action_create(
        recommendation=rec,
        by=by,
        description="Train response officers on stalking.",
        lead_agency=cast.police,
        target_date=day(60),
    )
    action = plan.action_progress(
        action=action, by=cast.agency_author, status="in_progress", note="Course written."
    )
    evidence = plan.evidence_add(
        action=action,
        by=cast.agency_author,
        note="The course outline.",
        filename="outline.docx",
        content=_docx("Course outline", "Stalking after separation."),
    )
    overdue = plan.action_create(
        recommendation=rec,
        by=by,
        description="Audit the DASH forms.",
        lead_agency=cast.housing,
        target_date=day(2),
    )
    return {
        "recommendation_id": rec.pk,
        "action_id": action.pk,
        "evidence_id": evidence.pk,
        "overdue_action_id": overdue.pk,
    }


def _drafts(review: Review, cast: Cast) -> dict[str, object]:
    from lantern.anonymisation import services as anonymisation
    from lantern.documents.services import document_issue
    from lantern.publishing import services

    author = cast.author
    draft = services.draft_upload(
        review=review,
        by=author,
        kind="overview_report",
        filename="OR v1.docx",
        content=_docx("Overview report", "Kerry was known to the police."),
    )
    circulation = services.circulation_create(
        version=draft,
        by=author,
        circulated_on=day(30),
        due_on=day(44),
        agencies=[cast.police, cast.housing],
    )
    comment = services.comment_add(
        circulation=circulation, by=cast.agency_author, text="3 March, not 4.", section="4.2"
    )
    services.comment_respond(comment=comment, by=author, response="accepted")
    services.family_reading_record(
        review=review, by=cast.chair, offered_on=day(31), version=draft, read_on=day(33)
    )
    # A check that finds a real name, corrected by replacing it with the pseudonym.
    check = anonymisation.run_check(
        review=review,
        by=author,
        filename="summary.docx",
        data=_docx("Executive summary", "Joanne Whitfield lived with Darren Pike."),
    )
    findings = list(check.findings.order_by("position"))
    for finding in findings:
        anonymisation.finding_resolve(
            finding=finding, by=author, action="replace", replacement="Kerry"
        )
    anonymisation.known_place_add(review=review, by=author, kind="address", text="14 Mill Lane")
    document_issue(review=review, kind="briefing", fmt="pdf", by=cast.chair, issued_to="Panel")
    return {
        "draft_id": draft.pk,
        "circulation_id": circulation.pk,
        "comment_id": comment.pk,
        "check_id": check.pk,
        "number": findings[0].position + 1,
        "sha256": check.sha256,
    }


def _publish(review: Review, cast: Cast) -> dict[str, object]:
    from lantern.anonymisation.services import run_check
    from lantern.publishing import services, services_briefing, services_qa
    from lantern.publishing.models import DraftVersion, PublishedFile

    author, coordinator, chair = cast.author, cast.coordinator, cast.chair
    finals = [
        services.draft_upload(
            review=review,
            by=author,
            kind=kind,
            filename=f"{kind}.docx",
            content=_docx(title, "Kerry was known to the police."),
            final=True,
        )
        for kind, title in (
            ("overview_report", "Overview report"),
            ("executive_summary", "Executive summary"),
        )
    ]
    services.signoff_record(
        review=review, by=chair, signed_off_on=day(40), signed_off_by="Chair of the CSP"
    )
    review.refresh_from_db()
    submission = services_qa.qa_submit(review=review, by=coordinator, submitted_on=day(41))
    from lantern.publishing.tests.conftest import pdf_bytes

    submission = services_qa.qa_feedback_record(
        submission=submission,
        by=coordinator,
        outcome="publish_after_changes",
        letter_received_on=day(50),
        strengths="Strong family voice.",
        changes=["Explain the pause for the trial."],
        letter=pdf_bytes("Publish after changes."),
        letter_filename="letter.pdf",
    )
    review.refresh_from_db()
    change = submission.changes.get()
    services_qa.required_change_resolve(
        change=change, by=author, resolution="Paragraph 2.3 added.", resolved_on=day(52)
    )
    for version in finals:
        run_check(
            review=review,
            by=author,
            filename=version.filename,
            data=bytes(DraftVersion.objects.get(pk=version.pk).content),
        )
    publication = services_qa.publication_record(
        review=review,
        by=coordinator,
        published_on=day(55),
        location="https://northbridge.example/dhr/kerry",
    )
    review.refresh_from_db()
    send = services_briefing.briefing_send(
        review=review,
        by=coordinator,
        agencies=[cast.police, cast.housing],
        sent_on=day(60),
        accept_findings=True,
    )
    recipient = send.recipients.get(agency=cast.police)
    services_briefing.briefing_acknowledge(
        recipient=recipient, by=cast.agency_author, acknowledged_on=day(61)
    )
    return {
        "submission_id": submission.pk,
        "change_id": change.pk,
        "published_file_id": PublishedFile.objects.filter(publication=publication).first().pk,
        "briefing_id": send.pk,
        "recipient_id": recipient.pk,
    }


def seed_api(cast: Cast) -> Seeded:
    from lantern.reviews.models import Person
    from lantern.testing.factories import PersonFactory, ReviewFactory, add_member

    drafting = _to_drafting(cast.review, cast)
    _process(drafting, cast)
    ids: dict[str, object] = {"person_id": Person.objects.filter(review=drafting).first().pk}
    ids |= _chronology(drafting, cast)
    ids |= _action_plan(drafting, cast)
    ids |= _drafts(drafting, cast)
    ids |= {
        "pause_id": drafting.pauses.first().pk,
        "membership_id": drafting.memberships.get(user=cast.other_agency_author).pk,
        "place_id": drafting.known_places.first().pk,
        "reading_id": drafting.family_readings.first().pk,
    }

    published = ReviewFactory(reference=PUBLISHED_REFERENCE, csp=cast.csp)
    PersonFactory(review=published, role="victim", real_name="Ann Lowe", pseudonym="Mary")
    add_member(published, cast.chair, "chair")
    add_member(published, cast.author, "author")
    add_member(published, cast.panel_member, "panel_member", cast.police)
    add_member(published, cast.agency_author, "agency_author", cast.police)
    add_member(published, cast.other_agency_author, "agency_author", cast.housing)
    published = _to_drafting(published, cast)
    for org in (cast.police, cast.housing):
        from lantern.reviews.services import review_agency_add

        review_agency_add(review=published, by=cast.coordinator, name=org.name, type=org.type)
    published_ids = _publish(published, cast)
    published.refresh_from_db()
    drafting.refresh_from_db()
    return Seeded(
        cast=cast,
        drafting=drafting,
        published=published,
        ids={drafting.reference: ids, published.reference: published_ids},
    )
