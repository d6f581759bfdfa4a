"""Ingest, duplicates, failures by name, pages, facts and corrections."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantern.core.models import AuditEvent
from lantern.library import services
from lantern.library.models import Document, DocumentRecommendation, DocumentTheme, Page
from lantern.library.tests.reports import Report

pytestmark = pytest.mark.django_db


def test_a_folder_is_read_recursively_and_a_bad_file_is_named_while_the_rest_go_on(
    folder: Path, system: Any
) -> None:
    report = services.ingest_paths(paths=[folder], by=system)
    by_name = {Path(r.file).name: r for r in report.results}
    assert by_name["kerry.txt"].status == "stored"
    assert by_name["margaret.docx"].status == "stored"
    assert by_name["amira.html"].status == "stored"
    assert by_name["broken.pdf"].status == "failed"
    assert "broken.pdf" in by_name["broken.pdf"].reason
    assert by_name["notes.md5"].status == "skipped"
    assert Document.objects.count() == 3
    assert set(Document.objects.values_list("format", flat=True)) == {"txt", "docx", "html"}
    assert report.semantic["action"] in ("refit", "encode")


def test_the_same_document_ingested_twice_is_stored_once(system: Any) -> None:
    data = Report().as_txt()
    first = services.document_ingest(data=data, filename="a.txt", by=system)
    again = services.document_ingest(data=data, filename="copy-of-a.txt", by=system)
    assert (first.status, again.status) == ("stored", "duplicate")
    assert again.document_id == first.document_id
    assert "a.txt" in again.reason
    # The same report in another format has the same text: still one document.
    docx = services.document_ingest(data=Report().as_docx(), filename="a.docx", by=system)
    assert docx.status == "duplicate"
    assert Document.objects.count() == 1


def test_pdf_pages_are_kept_with_their_numbers_and_facts_name_their_page(system: Any) -> None:
    result = services.document_ingest(data=Report().as_pdf(), filename="kerry.pdf", by=system)
    assert result.status == "stored", result.reason
    document = Document.objects.get(pk=result.document_id)
    pages = list(Page.objects.filter(document=document).order_by("number"))
    assert [p.number for p in pages] == [1, 2, 3]
    assert "Recommendations" in pages[2].text
    assert "Recommendations" not in pages[0].text
    evidence = document.extracted["evidence"]
    assert evidence["year"]["page"] == 2
    assert "2019" in evidence["year"]["passage"]
    assert document.year == 2019


def test_facts_are_read_into_columns_and_rows(system: Any) -> None:
    result = services.document_ingest(data=Report().as_txt(), filename="k.txt", by=system)
    document = Document.objects.get(pk=result.document_id)
    assert document.csp == "Northbridge Community Safety Partnership"
    assert (document.year, document.report_year) == (2019, 2021)
    assert document.relationship_category == "former_partner"
    assert document.victim_age_band == "35-44"
    assert document.death_type == "homicide"
    themes = set(DocumentTheme.objects.filter(document=document).values_list("theme", flat=True))
    assert {"marac", "dash", "separation"} <= themes
    recs = list(DocumentRecommendation.objects.filter(document=document).order_by("position"))
    assert [r.addressee for r in recs] == ["csp", "police"]
    assert recs[0].theme == "training"
    assert AuditEvent.objects.filter(object_type="library document", action="import").exists()


def test_a_correction_wins_over_re_extraction(system: Any) -> None:
    result = services.document_ingest(data=Report().as_txt(), filename="k.txt", by=system)
    document = Document.objects.get(pk=result.document_id)
    services.fact_correct(document=document, field="year", value="2018", by=system, note="p. 4")
    services.fact_correct(document=document, field="themes", value=["stalking"], by=system)
    services.fact_correct(
        document=document, field="death_type", value=None, by=system, confirm=True
    )
    document.refresh_from_db()
    assert document.year == 2018
    assert document.extracted["values"]["year"] == 2019
    services.document_reextract(document=document, by=system)
    document.refresh_from_db()
    assert document.year == 2018
    assert document.death_type == "homicide"
    assert list(document.theme_rows.values_list("theme", flat=True)) == ["stalking"]
    assert document.corrections.get(field="death_type").kind == "confirm"


def test_a_bad_correction_is_refused_naming_the_field(system: Any) -> None:
    result = services.document_ingest(data=Report().as_txt(), filename="k.txt", by=system)
    document = Document.objects.get(pk=result.document_id)
    with pytest.raises(ValidationError) as error:
        services.fact_correct(document=document, field="death_type", value="drowned", by=system)
    assert "death_type" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.fact_correct(document=document, field="themes", value="not_a_theme", by=system)
    assert document.corrections.count() == 0


def test_only_editors_may_ingest_or_correct(cast: Any) -> None:
    data = Report().as_txt()
    with pytest.raises(PermissionDenied):
        services.ingest_paths(paths=[], by=cast.agency_author)
    result = services.document_ingest(data=data, filename="k.txt", by=cast.coordinator)
    document = Document.objects.get(pk=result.document_id)
    with pytest.raises(PermissionDenied):
        services.fact_correct(document=document, field="year", value=2000, by=cast.chair)
    services.fact_correct(document=document, field="year", value=2000, by=cast.admin)


def test_an_upload_job_reads_every_file_and_records_progress(
    system: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = services.ingest_job_create(
            files=[("k.txt", Report().as_txt()), ("bad.pdf", b"%PDF-1.4 junk")], by=system
        )
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    assert [r["status"] for r in job.results] == ["stored", "failed"]
    assert "bad.pdf" in job.results[1]["reason"]
    assert job.uploads.count() == 0


def test_page_offsets_match_the_joined_text() -> None:
    from lantern.core.textextract import Page as TextPage

    pages = [TextPage(1, ["one", "two"]), TextPage(2, []), TextPage(3, ["three"])]
    text = "one\n\ntwo\n\nthree"
    assert services.page_offsets(pages, text) == [(1, 0), (2, 8), (3, 10)]


def test_worker_processes_read_the_same_as_one_process(folder: Path, system: Any) -> None:
    report = services.ingest_paths(paths=[folder], by=system, workers=2, update_semantic=False)
    assert [(Path(r.file).name, r.status) for r in report.results] == [
        ("notes.md5", "skipped"),
        ("kerry.txt", "stored"),
        ("margaret.docx", "stored"),
        ("amira.html", "stored"),
        ("broken.pdf", "failed"),
    ]
    assert Document.objects.get(filename="amira.html").year == 2020
