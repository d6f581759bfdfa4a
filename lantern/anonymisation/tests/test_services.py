"""Running a check, resolving findings, the corrected files and the publication gate."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from lantern.anonymisation import services
from lantern.anonymisation.correct import Replacement, correct_docx, docx_text
from lantern.anonymisation.models import Check, Finding
from lantern.anonymisation.tests.conftest import DRAFT_TEXT, make_pdf
from lantern.core.errors import ProblemsError
from lantern.core.models import AuditEvent
from lantern.core.textextract import extract_text

pytestmark = pytest.mark.django_db


def resolve_all(check: Check, by, replace: bool = True) -> None:  # noqa: ANN001
    for f in check.findings.all():
        if replace:
            services.finding_resolve(
                finding=f, by=by, action="replace", replacement=f.suggestion or "[removed]"
            )
        else:
            services.finding_resolve(finding=f, by=by, action="accept", reason="agreed")


def test_run_check_stores_the_text_findings_and_an_audit_record(cast) -> None:
    check = services.run_check(
        review=cast.review, by=cast.chair, filename="draft.txt", data=DRAFT_TEXT.encode()
    )
    got = [(f.text, f.category, f.suggestion) for f in check.findings.all()]
    assert ("Joanne Whitfield", "person_name", "Kerry") in got
    assert ("14 Mill Lane", "address", "[address removed]") in got
    assert ("12 March 2021", "exact_date", "March 2021") in got
    assert ("PC Hollins", "person_name", "a police officer") in got
    assert ("07700 900461", "phone", "[phone number removed]") in got
    assert not any(t in ("Kerry", "Lee", "Northbridge Police", "March 2021") for t, _c, _s in got)
    assert check.text == DRAFT_TEXT
    assert AuditEvent.objects.filter(
        review=cast.review, action="create", object_type="anonymisation check"
    ).exists()


def test_known_places_join_the_register(cast) -> None:
    text = b"They met at the Harbour Chippy on the quay."
    before = services.run_check(review=cast.review, by=cast.chair, filename="a.txt", data=text)
    assert before.findings.count() == 0
    services.known_place_add(
        review=cast.review, by=cast.coordinator, kind="workplace", text="Harbour Chippy"
    )
    after = services.run_check(review=cast.review, by=cast.chair, filename="a.txt", data=text)
    assert [(f.text, f.category) for f in after.findings.all()] == [
        ("Harbour Chippy", "organisation_identifying")
    ]


def test_a_bad_file_is_refused_whole_naming_the_file(cast) -> None:
    with pytest.raises(ProblemsError) as error:
        services.run_check(
            review=cast.review, by=cast.chair, filename="report.docx", data=b"%PDF-1.4 x"
        )
    assert str(error.value.problems[0]) == "report.docx: not a Word document (it is a PDF)"
    assert Check.objects.count() == 0


def test_only_those_who_check_anonymisation_may_run_it(cast) -> None:
    with pytest.raises(PermissionDenied):
        services.run_check(review=cast.review, by=cast.panel_member, filename="a.txt", data=b"x")
    with pytest.raises(Http404):
        services.run_check(review=cast.review, by=cast.outsider, filename="a.txt", data=b"x")


def test_accepting_needs_a_reason_and_replacing_needs_words(cast) -> None:
    check = services.run_check(
        review=cast.review, by=cast.chair, filename="a.txt", data=b"PC Hollins attended."
    )
    finding = check.findings.get()
    with pytest.raises(ValidationError):
        services.finding_resolve(finding=finding, by=cast.chair, action="accept", reason=" ")
    with pytest.raises(ValidationError):
        services.finding_resolve(finding=finding, by=cast.chair, action="replace", replacement="")
    services.finding_resolve(
        finding=finding, by=cast.chair, action="accept", reason="The officer agreed"
    )
    finding.refresh_from_db()
    assert finding.status == Finding.Status.ACCEPTED
    assert finding.resolved_by == cast.chair and finding.resolved_at
    assert AuditEvent.objects.filter(object_type="anonymisation finding", action="update").count()


def test_status_of_a_file_follows_its_checks(cast) -> None:
    data = DRAFT_TEXT.encode()
    sha = services.sha256_of(data)
    assert services.check_status(review=cast.review, sha256=sha) == "not_checked"
    check = services.run_check(review=cast.review, by=cast.chair, filename="d.txt", data=data)
    assert services.check_status(review=cast.review, sha256=sha) == "unresolved"
    resolve_all(check, cast.chair, replace=False)
    assert services.check_status(review=cast.review, sha256=sha) == "clear"
    # Replacing one means the original is no longer fit to publish: its corrected file is.
    first = check.findings.first()
    services.finding_reopen(finding=first, by=cast.chair)
    services.finding_resolve(finding=first, by=cast.chair, action="replace", replacement="Kerry")
    assert services.check_status(review=cast.review, sha256=sha) == "unresolved"
    name, content, _type = services.corrected_file(check=check, by=cast.chair)
    assert name == "d-anonymised.txt"
    assert services.check_status(review=cast.review, sha256=services.sha256_of(content)) == "clear"
    # Reopening a finding withdraws the corrected file.
    services.finding_reopen(finding=first, by=cast.chair)
    assert (
        services.check_status(review=cast.review, sha256=services.sha256_of(content))
        == "not_checked"
    )
    # Another review knows nothing of this file.
    from lantern.testing.factories import ReviewFactory

    assert services.check_status(review=ReviewFactory(), sha256=sha) == "not_checked"


def test_corrected_text_file_has_every_replacement(cast) -> None:
    check = services.run_check(
        review=cast.review, by=cast.chair, filename="d.txt", data=DRAFT_TEXT.encode()
    )
    resolve_all(check, cast.chair)
    _name, content, content_type = services.corrected_file(check=check, by=cast.chair)
    corrected = content.decode()
    assert content_type.startswith("text/plain")
    assert "Joanne" not in corrected and "07700" not in corrected and "Hollins" not in corrected
    assert "Kerry (Kerry) lived at [address removed] with Lee." in corrected
    assert "On March 2021 a police officer attended." in corrected
    # The corrected file is clean when checked again.
    again = services.run_check(review=cast.review, by=cast.chair, filename="c.txt", data=content)
    assert again.findings.count() == 0


def test_no_corrected_file_while_findings_are_open_or_for_a_pdf(cast) -> None:
    check = services.run_check(
        review=cast.review, by=cast.chair, filename="d.txt", data=DRAFT_TEXT.encode()
    )
    with pytest.raises(ValidationError):
        services.corrected_file(check=check, by=cast.chair)
    pdf = services.run_check(
        review=cast.review, by=cast.chair, filename="d.pdf", data=make_pdf(DRAFT_TEXT)
    )
    assert pdf.format == "pdf" and pdf.findings.filter(text="Joanne Whitfield").exists()
    resolve_all(pdf, cast.chair)
    with pytest.raises(ValidationError, match="correct the source document"):
        services.corrected_file(check=pdf, by=cast.chair)


def test_corrected_docx_round_trip_keeps_formatting_across_split_runs(cast, split_docx) -> None:
    check = services.run_check(
        review=cast.review, by=cast.chair, filename="draft.docx", data=split_docx
    )
    texts = [f.text for f in check.findings.all()]
    assert "Joanne Whitfield" in texts and "PC Hollins" in texts
    resolve_all(check, cast.chair)
    _name, content, _type = services.corrected_file(check=check, by=cast.chair)
    extracted = extract_text(content, filename="corrected.docx")
    assert "Kerry (Kerry) lived with Lee. a police officer attended on March 2021." in (
        extracted.text
    )
    runs = docx.Document(io.BytesIO(content)).paragraphs[1].runs
    assert [r.text for r in runs] == [
        "Kerry (Kerry",
        "",
        ") lived with Lee. ",
        "a police officer",
        " attended on March 2021.",
    ]
    assert runs[3].italic is True  # the replacement kept the run's formatting
    assert extract_text(content, filename="c.docx").pages[0].paragraphs[0] == "Executive summary"
    again = services.run_check(review=cast.review, by=cast.chair, filename="c.docx", data=content)
    assert again.findings.count() == 0


def test_the_corrector_reads_the_same_text_as_extraction(split_docx) -> None:
    assert (
        docx_text(split_docx, filename="d.docx") == extract_text(split_docx, filename="d.docx").text
    )
    untouched = correct_docx(split_docx, [], filename="d.docx")
    assert extract_text(untouched, filename="d.docx").text == docx_text(split_docx, filename="d")
    start = docx_text(split_docx, filename="d").index("Lee")
    moved = correct_docx(split_docx, [Replacement(start, start + 3, "L.")], filename="d.docx")
    assert "lived with L.. PC" in extract_text(moved, filename="d.docx").text


def test_check_review_text_stores_nothing(cast) -> None:
    found = services.check_review_text(review=cast.review, text="Darren Pike was there.")
    assert found == [
        {
            "start": 0,
            "end": 11,
            "text": "Darren Pike",
            "category": "person_name",
            "suggestion": "Lee",
        }
    ]
    assert Check.objects.count() == 0


def test_a_pdf_without_a_text_layer_is_refused(cast) -> None:
    from weasyprint import HTML

    blank = HTML(string="<html><body><div></div></body></html>").write_pdf()
    with pytest.raises(ProblemsError, match="no text layer"):
        services.run_check(review=cast.review, by=cast.chair, filename="scan.pdf", data=blank)
