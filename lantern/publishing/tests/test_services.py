"""The services of the authored report's life: drafts, bad files, circulation and comments by
agency, the family's reading, CSP sign-off, the pack's refusal, and frozen records."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError

from lantern.conftest import Cast
from lantern.core.errors import ProblemsError
from lantern.core.models import AuditEvent
from lantern.publishing import pack, services, services_qa
from lantern.publishing.models import (
    DraftVersion,
    FrozenError,
    Publication,
    PublishedFile,
)
from lantern.publishing.tests.conftest import (
    docm_bytes,
    docx_bytes,
    pdf_bytes,
    zip_not_docx,
)
from lantern.reviews.models import Review, Stage

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def upload(cast: Cast, kind: str = "overview_report", **kw) -> DraftVersion:  # noqa: ANN003
    return services.draft_upload(
        review=cast.review,
        by=kw.pop("by", cast.author),
        kind=kind,
        filename=kw.pop("filename", "Overview report.docx"),
        content=kw.pop("content", docx_bytes()),
        **kw,
    )


# --- drafts ------------------------------------------------------------------------------------


def test_versions_are_numbered_and_one_is_final(cast: Cast) -> None:
    v1 = upload(cast, note="first draft")
    v2 = upload(cast, final=True)
    v3 = upload(cast, kind="executive_summary", filename="summary.pdf", content=pdf_bytes())
    assert (v1.version, v2.version, v3.version) == (1, 2, 1)
    assert v3.format == "pdf" and v3.filename == "summary.pdf"
    assert v1.sha256 == hashlib.sha256(bytes(v1.content)).hexdigest()
    services.draft_mark_final(version=v1, by=cast.chair)
    finals = services.finals(cast.review)
    assert finals["overview_report"].pk == v1.pk
    assert DraftVersion.objects.filter(review=cast.review, is_final=True).count() == 1
    assert cast.review.events.filter(data__publishing="draft_final").count() == 2


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "is empty"),
        (b"Just some text pretending to be a report", "Word document (.docx) or a PDF"),
        (zip_not_docx(), "Word document (.docx) or a PDF"),
        (docm_bytes(), "contains macros"),
        (b"MZ\x90\x00" + b"\x00" * 100, "Word document (.docx) or a PDF"),
    ],
)
def test_a_bad_file_is_refused_whole_and_nothing_is_stored(cast: Cast, content, message) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError) as error:
        upload(cast, filename="report.docx", content=content)
    assert message in str(error.value.message_dict["file"])
    assert not DraftVersion.objects.exists()


def test_the_type_comes_from_the_bytes_not_the_name(cast: Cast) -> None:
    version = upload(cast, filename="report.docx", content=pdf_bytes())
    assert version.format == "pdf"
    assert version.filename == "report.pdf"


def test_only_those_who_edit_drafts_upload(cast: Cast) -> None:
    for user in (cast.panel_member, cast.agency_author, cast.board_member):
        with pytest.raises(PermissionDenied):
            upload(cast, by=user)
    from django.http import Http404

    with pytest.raises(Http404):
        upload(cast, by=cast.outsider)


# --- circulation and comments ------------------------------------------------------------------


def circulate(cast: Cast, version: DraftVersion, **kw):  # noqa: ANN003, ANN201
    return services.circulation_create(
        version=version,
        by=cast.author,
        circulated_on=TODAY,
        due_on=TODAY + dt.timedelta(days=14),
        **kw,
    )


def test_circulating_emails_the_agency_authors_of_the_chosen_agencies(
    cast: Cast,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    version = upload(cast)
    with django_capture_on_commit_callbacks(execute=True):
        circulate(cast, version, agencies=[cast.police])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.agency_author.email]
    assert cast.review.reference in mail.outbox[0].subject
    assert "Kerry" not in mail.outbox[0].body


def test_circulation_needs_recipients_of_the_review_and_a_sensible_due_date(cast: Cast) -> None:
    from lantern.testing.factories import OrganisationFactory

    version = upload(cast)
    stranger = OrganisationFactory(name="Elsewhere Trust")
    with pytest.raises(ValidationError) as error:
        services.circulation_create(
            version=version,
            by=cast.author,
            circulated_on=TODAY,
            due_on=TODAY - dt.timedelta(days=1),
            agencies=[stranger],
            panel_members=[cast.agency_author],
        )
    errors = error.value.message_dict
    assert "Elsewhere Trust" in errors["agencies"][0]
    assert "agency_author" in errors["panel_members"][0]
    assert "due" in errors["due_on"][0]


def test_agency_authors_comment_for_their_own_agency_only(cast: Cast) -> None:
    version = upload(cast)
    to_police = circulate(cast, version, agencies=[cast.police])
    comment = services.comment_add(
        circulation=to_police,
        by=cast.agency_author,
        text="The date in 4.2 is wrong.",
        section="4.2",
    )
    assert comment.agency == cast.police and not comment.on_behalf
    # Housing was not sent this draft.
    with pytest.raises(ValidationError):
        services.comment_add(circulation=to_police, by=cast.other_agency_author, text="x")
    # Nor may an agency author speak for another agency.
    with pytest.raises(PermissionDenied):
        services.comment_add(
            circulation=to_police, by=cast.other_agency_author, text="x", agency=cast.police
        )


def test_the_coordinator_or_chair_records_a_comment_on_an_agencys_behalf(cast: Cast) -> None:
    version = upload(cast)
    circulation = circulate(cast, version, agencies=[cast.police, cast.housing])
    for user in (cast.coordinator, cast.chair):
        comment = services.comment_add(
            circulation=circulation,
            by=user,
            text="Sent by email: the tenancy began in 2019.",
            agency=cast.housing,
            received_on=TODAY,
        )
        assert comment.on_behalf and comment.agency == cast.housing
    # The author may comment (their own organisation) but not on an agency's behalf.
    with pytest.raises((PermissionDenied, ValidationError)):
        services.comment_add(circulation=circulation, by=cast.author, text="x", agency=cast.housing)


def test_a_panel_member_comments_for_the_agency_they_represent(cast: Cast) -> None:
    version = upload(cast)
    circulation = circulate(cast, version, panel_members=[cast.panel_member])
    comment = services.comment_add(circulation=circulation, by=cast.panel_member, text="Fine.")
    assert comment.agency == cast.police


def test_responses_need_a_reason_when_not_accepted(cast: Cast) -> None:
    version = upload(cast)
    circulation = circulate(cast, version, agencies=[cast.police])
    comment = services.comment_add(circulation=circulation, by=cast.agency_author, text="No.")
    with pytest.raises(ValidationError) as error:
        services.comment_respond(comment=comment, by=cast.author, response="not_accepted")
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.comment_respond(comment=comment, by=cast.agency_author, response="accepted")
    services.comment_respond(
        comment=comment, by=cast.author, response="not_accepted", reason="The record shows it."
    )
    comment.refresh_from_db()
    assert comment.response == "not_accepted" and comment.responded_by == cast.author


# --- the family --------------------------------------------------------------------------------


def test_the_family_reading_is_recorded_by_the_coordinator_or_chair(cast: Cast) -> None:
    version = upload(cast)
    with pytest.raises(PermissionDenied):
        services.family_reading_record(review=cast.review, by=cast.author, offered_on=TODAY)
    reading = services.family_reading_record(
        review=cast.review, by=cast.chair, offered_on=TODAY - dt.timedelta(days=3), version=version
    )
    with pytest.raises(ValidationError):
        services.family_reading_update(
            reading=reading, by=cast.chair, read_on=TODAY - dt.timedelta(days=5)
        )
    with pytest.raises(ValidationError):
        services.family_reading_update(reading=reading, by=cast.chair, read_on=TODAY, declined=True)
    services.family_reading_update(
        reading=reading,
        by=cast.coordinator,
        read_on=TODAY,
        comments="Please say more about her work.",
        how_addressed="Added to the background.",
    )
    reading.refresh_from_db()
    assert reading.read_on == TODAY and reading.how_addressed


# --- sign-off and the pack ---------------------------------------------------------------------


def test_sign_off_needs_both_finals_and_moves_drafting_on(cast: Cast, drafting: Review) -> None:
    upload(cast, final=True)
    with pytest.raises(ValidationError, match="executive summary"):
        services.signoff_record(
            review=drafting, by=cast.coordinator, signed_off_on=TODAY, signed_off_by="Chair"
        )
    upload(cast, kind="executive_summary", content=pdf_bytes(), filename="s.pdf", final=True)
    with pytest.raises(PermissionDenied):  # the author may not move the stage
        services.signoff_record(
            review=drafting, by=cast.author, signed_off_on=TODAY, signed_off_by="Chair"
        )
    signoff = services.signoff_record(
        review=drafting,
        by=cast.chair,
        signed_off_on=TODAY,
        signed_off_by="Chair of the Northbridge CSP",
    )
    drafting.refresh_from_db()
    assert drafting.stage == Stage.CSP_SIGNOFF
    assert (
        signoff.overview.kind == "overview_report" and signoff.summary.kind == "executive_summary"
    )


def test_the_pack_is_refused_without_final_versions(cast: Cast) -> None:
    upload(cast)  # a draft, not final
    with pytest.raises(ProblemsError) as error:
        pack.pack_build(cast.review)
    messages = [p.message for p in error.value.problems]
    assert any("overview report" in m and "mark it final" in m for m in messages)
    assert any("executive summary" in m for m in messages)


def test_the_checklist_flags_gaps_from_the_reviews_data(cast: Cast) -> None:
    items = {i.key: i for i in pack.checklist(cast.review)}
    assert items["final_overview_report"].status == pack.GAP
    assert items["csp_signoff"].status == pack.GAP
    assert items["panel_independence"].status == pack.GAP
    assert "No statement from" in items["panel_independence"].detail
    upload(cast, final=True)
    items = {i.key: i for i in pack.checklist(cast.review)}
    assert items["final_overview_report"].status == pack.MET
    # The final report has a section on equality and diversity and on dissemination.
    assert items["equality_diversity"].status == pack.MET
    assert items["dissemination_plan"].status == pack.MET
    without = docx_bytes(sections=[("Introduction", "Nothing else.")])
    upload(cast, content=without, final=True)
    items = {i.key: i for i in pack.checklist(cast.review)}
    assert items["equality_diversity"].status == pack.GAP
    assert "no section on equality" in items["equality_diversity"].detail


# --- frozen copies -----------------------------------------------------------------------------


def frozen_file(cast: Cast) -> PublishedFile:
    version = upload(cast, final=True)
    publication = Publication.objects.create(
        review=cast.review, published_on=TODAY, location="https://example.org/dhr"
    )
    return PublishedFile.objects.create(
        publication=publication,
        version=version,
        kind=version.kind,
        filename="published.docx",
        content_type=version.content_type,
        content=bytes(DraftVersion.objects.get(pk=version.pk).content),
        size=version.size,
        sha256=version.sha256,
    )


def test_a_published_file_can_never_be_changed_or_deleted(cast: Cast) -> None:
    file = frozen_file(cast)
    original = bytes(file.content)
    file.content = b"tampered"
    with pytest.raises(FrozenError):
        file.save()
    with pytest.raises(FrozenError):
        PublishedFile.objects.filter(pk=file.pk).update(content=b"tampered")
    with pytest.raises(FrozenError):
        PublishedFile.objects.filter(pk=file.pk).delete()
    with pytest.raises(FrozenError):
        PublishedFile.objects.get(pk=file.pk).delete()
    with pytest.raises(ProtectedError):
        DraftVersion.objects.filter(pk=file.version_id).delete()
    with pytest.raises(ProtectedError):
        Review.objects.filter(pk=cast.review.pk).delete()
    assert bytes(PublishedFile.objects.get(pk=file.pk).content) == original


def test_even_the_coordinator_is_refused_by_the_service(cast: Cast) -> None:
    file = frozen_file(cast)
    with pytest.raises(FrozenError):
        services_qa.published_file_delete(file=file, by=cast.coordinator)
    assert PublishedFile.objects.filter(pk=file.pk).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS_DENIED, object_type="published file"
    ).exists()
    # Nor can the author's documents change once published.
    with pytest.raises(ValidationError, match="published"):
        upload(cast, by=cast.coordinator)
    with pytest.raises(ValidationError, match="published"):
        services.draft_mark_final(
            version=DraftVersion.objects.get(pk=file.version_id), by=cast.coordinator
        )
