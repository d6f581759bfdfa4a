"""Retention and subject access: the purge removes personal data and files and keeps the
statistics, the learning and the published documents; a legal hold stops it; every step is
recorded. Subject access and FOI exports of what is held about a person."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.anonymisation.models import Check
from lantern.chronology.models import ChronologyEntry, ChronologyFile, IMRDocument
from lantern.chronology.services import chronology_import
from lantern.chronology.services_returns import imr_document_upload, imr_start
from lantern.core.models import AuditEvent
from lantern.publishing.models import DraftVersion
from lantern.publishing.services import draft_upload
from lantern.publishing.tests.conftest import docx_bytes
from lantern.recommendations import services as plan
from lantern.recommendations.models import Evidence, Recommendation
from lantern.reviews.models import FamilyContact, Person, Review, ReviewEvent, Stage
from lantern.reviews.retention import (
    legal_hold_release,
    legal_hold_set,
    retain_until,
    review_purge,
    reviews_due_for_purge,
)
from lantern.reviews.services import family_contact_add
from lantern.reviews.subject_access import person_export, user_export
from lantern.testing.pdfs import tiny_pdf

pytestmark = pytest.mark.django_db

CSV = (
    b"Date,What happened,Action taken\n"
    b"01/02/2021,Joanne Whitfield said Darren Pike pushed her,DASH completed\n"
    b"03/02/2021,Letter sent to the GP,None\n"
    b"05/03/2021,Darren Pike arrested for breach of bail,Charged\n"
)


@pytest.fixture
def full(cast: Any) -> Review:
    review = cast.review
    kerry = review.people.get(pseudonym="Kerry")
    kerry.date_of_birth = dt.date(1984, 3, 12)
    kerry.aliases = ["Jo Whitfield"]
    kerry.save()
    result = chronology_import(
        review=review, agency=cast.police, files=[("police.csv", CSV)], by=cast.coordinator
    )
    assert result.stored, result.problems
    family_contact_add(
        review=review,
        by=cast.coordinator,
        date=dt.date(2024, 11, 3),
        kind="meeting",
        summary="Met Kerry's mother Susan at home",
        contact_with="Susan Whitfield",
        person=kerry,
    )
    imr = imr_start(review=review, agency=cast.police, by=cast.agency_author)
    imr_document_upload(
        imr=imr, by=cast.agency_author, filename="imr.pdf", content=tiny_pdf("fictional IMR")
    )
    rec = plan.recommendation_create(
        review=review,
        by=cast.coordinator,
        number="1",
        kind="overarching",
        scope="local",
        text="Agencies to share risk information after separation.",
    )
    action = plan.action_create(
        recommendation=rec, by=cast.coordinator, description="Train staff", lead_agency=cast.police
    )
    plan.evidence_add(
        action=action, by=cast.coordinator, filename="attendance.pdf", content=tiny_pdf("list")
    )
    draft_upload(
        review=review,
        by=cast.author,
        kind="overview_report",
        filename="draft.docx",
        content=docx_bytes(),
    )
    from lantern.anonymisation.services import run_check

    run_check(
        review=review, by=cast.author, filename="note.txt", data=b"Joanne Whitfield, 12/03/1984"
    )
    Review.objects.filter(pk=review.pk).update(stage=Stage.CLOSED, closed_on=dt.date(2012, 5, 1))
    review.refresh_from_db()
    return review


def test_retention_date_and_due_list(full: Review, settings: Any) -> None:
    assert retain_until(full) == dt.date(2022, 5, 1)  # ten years by default
    assert full in reviews_due_for_purge(today=dt.date(2026, 1, 1))
    full.retention_years = 20
    full.save()
    assert retain_until(full) == dt.date(2032, 5, 1)
    assert full not in reviews_due_for_purge(today=dt.date(2026, 1, 1))


def test_dry_run_counts_and_changes_nothing(full: Review, cast: Any) -> None:
    report = review_purge(review=full, by=cast.coordinator, dry_run=True)
    assert report.removed["chronology entries"] == 3
    assert report.removed["family contacts"] == 1
    assert report.removed["IMR documents"] == 1
    assert report.removed["anonymisation checks"] == 1
    assert ChronologyEntry.objects.filter(review=full).count() == 3
    assert Person.objects.get(review=full, pseudonym="Kerry").real_name == "Joanne Whitfield"


def test_purge_removes_personal_data_and_keeps_the_learning(full: Review, cast: Any) -> None:
    entries = ChronologyEntry.objects.filter(review=full).count()
    report = review_purge(review=full, by=cast.coordinator)
    full.refresh_from_db()
    kerry = Person.objects.get(review=full, pseudonym="Kerry")
    assert (kerry.real_name, kerry.aliases, kerry.date_of_birth) == ("", [], None)
    assert kerry.role == "victim" and kerry.pseudonym == "Kerry"
    assert not ChronologyEntry.objects.filter(review=full).exists()
    assert not ChronologyFile.objects.filter(review=full).exists()
    assert not IMRDocument.objects.filter(imr__review=full).exists()
    assert not FamilyContact.objects.filter(review=full).exists()
    assert not Check.objects.filter(review=full).exists()
    assert all(bytes(d.content) == b"" for d in DraftVersion.objects.filter(review=full))
    assert Evidence.objects.get().content is None
    # Kept: the learning, and anonymised statistics.
    assert Recommendation.objects.filter(review=full).count() == 1
    assert full.retained_statistics["chronology_entries"] == entries
    assert full.retained_statistics["entries_by_agency"] == {"Northbridge Police": entries}
    assert "Joanne" not in json.dumps(full.retained_statistics)
    assert full.purged_at is not None and full.notifier_name == ""
    # Recorded.
    assert ReviewEvent.objects.filter(review=full, summary__contains="purged").exists()
    audit = AuditEvent.objects.get(review=full, object_type="retention purge")
    assert audit.action == AuditEvent.Action.DELETE
    assert audit.data["removed"]["chronology entries"] == entries
    assert report.removed["chronology entries"] == entries
    with pytest.raises(ValidationError, match="was purged"):
        review_purge(review=full, by=cast.coordinator)


def test_a_legal_hold_stops_the_purge(full: Review, cast: Any) -> None:
    with pytest.raises(ValidationError):
        legal_hold_set(review=full, by=cast.coordinator, reason="")
    legal_hold_set(review=full, by=cast.coordinator, reason="Civil claim by the family")
    with pytest.raises(ValidationError, match="legal hold"):
        review_purge(review=full, by=cast.coordinator)
    assert ChronologyEntry.objects.filter(review=full).exists()
    legal_hold_release(review=full, by=cast.coordinator, reason="Claim settled")
    review_purge(review=full, by=cast.coordinator)
    assert not ChronologyEntry.objects.filter(review=full).exists()
    summaries = list(ReviewEvent.objects.filter(review=full).values_list("summary", flat=True))
    assert any("Legal hold placed" in s for s in summaries)
    assert any("Legal hold released" in s for s in summaries)


def test_refusals(full: Review, cast: Any) -> None:
    with pytest.raises(PermissionDenied):
        review_purge(review=full, by=cast.chair)
    with pytest.raises(PermissionDenied):
        review_purge(review=full, by=cast.outsider)
    Review.objects.filter(pk=full.pk).update(closed_on=dt.date.today())
    full.refresh_from_db()
    with pytest.raises(ValidationError, match="is kept until"):
        review_purge(review=full, by=cast.coordinator)
    Review.objects.filter(pk=full.pk).update(stage=Stage.GATHERING, closed_on=None)
    full.refresh_from_db()
    with pytest.raises(ValidationError, match="not closed"):
        review_purge(review=full, by=cast.coordinator)


def test_retention_command(full: Review, capsys: Any) -> None:
    call_command("retention", "due", "--json")
    assert json.loads(capsys.readouterr().out)[0]["review"] == full.reference
    call_command("retention", "hold", "--review", full.reference, "--reason", "Inquest")
    capsys.readouterr()
    with pytest.raises(CommandError, match="legal hold"):
        call_command("retention", "purge", "--review", full.reference)
    call_command("retention", "release", "--review", full.reference)
    assert "not held" in capsys.readouterr().out
    call_command("retention", "purge", "--review", full.reference, "--dry-run", "--json")
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] is True and dry["removed"]["chronology entries"] == 3
    call_command("retention", "purge", "--review", full.reference, "--json")
    out = capsys.readouterr().out
    assert json.loads(out)["removed"]["chronology entries"] == 3


def test_subject_access_for_a_person(full: Review, cast: Any) -> None:
    kerry = full.people.get(pseudonym="Kerry")
    data = person_export(review=full, person=kerry, by=cast.coordinator)
    assert data["person"]["real_name"] == "Joanne Whitfield"
    assert data["person"]["date_of_birth"] == "1984-03-12"
    texts = [e["what_happened"] for e in data["chronology_entries"]]
    assert "Joanne Whitfield said Darren Pike pushed her" in texts
    assert "Letter sent to the GP" not in texts
    assert data["family_contacts"][0]["summary"] == "Met Kerry's mother Susan at home"
    assert AuditEvent.objects.filter(object_type="subject access", review=full).exists()


def test_foi_disclosure_pseudonymises_everyone(full: Review, cast: Any) -> None:
    kerry = full.people.get(pseudonym="Kerry")
    data = person_export(review=full, person=kerry, by=cast.coordinator, purpose="foi")
    text = json.dumps(data)
    assert "Whitfield" not in text and "Darren" not in text and "1984" not in text
    assert any("Kerry" in e["what_happened"] for e in data["chronology_entries"])


def test_subject_access_for_an_account(cast: Any, full: Review) -> None:
    from lantern.accounts.models import User

    with pytest.raises(PermissionDenied):
        user_export(user=cast.agency_author, by=cast.coordinator)
    data = user_export(user=cast.agency_author, by=User.objects.system())
    assert data["account"]["username"] == "agency_author"
    assert {m["review"] for m in data["memberships"]} == {full.reference}
    assert data["audit_trail"]  # the IMR upload, at least
    with pytest.raises(PermissionDenied):
        person_export(review=full, person=full.people.first(), by=cast.chair)


def test_subject_access_command(full: Review, tmp_path: Any) -> None:
    out = tmp_path / "sar.json"
    call_command(
        "subject_access", "person", "--review", full.reference, "--person", "Kerry", "-o", str(out)
    )
    assert json.loads(out.read_text())["person"]["pseudonym"] == "Kerry"
