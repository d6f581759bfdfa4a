"""The IMR: the template's sections, who may write it, sign-off, and uploaded documents."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from lantern.chronology import imr_template
from lantern.chronology import services_returns as services
from lantern.chronology.models import IMR, IMRDocument
from lantern.chronology.tests.returns_support import (
    ask_all,
    audit_count,
    days_ago,
    docx_bytes,
    exe_bytes,
    pdf_bytes,
)
from lantern.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _save(cast, by=None, agency=None, **changes):  # noqa: ANN001, ANN202
    values = {
        "sections": {"introduction": "Scope.", "analysis_dash": "A DASH was done in 2023."},
        "author_name": "IMR author",
        "independence_statement": "I had no involvement and manage none of the staff.",
        "recommendations": ["Train call handlers.", "  ", "Audit DASH completion."],
    }
    values.update(changes)
    return services.imr_save(
        review=cast.review, agency=agency or cast.police, by=by or cast.agency_author, **values
    )


# --- the template as data ----------------------------------------------------------------------


def test_template_has_the_domain_sections_in_order() -> None:
    headings = [str(s.heading) for s in imr_template.IMR_SECTIONS]
    assert headings == [
        "Introduction and terms of reference",
        "Author's statement of independence",
        "Sources and staff interviewed",
        "Agency chronology",
        "Analysis against the terms of reference",
        "Lessons and good practice",
        "Recommendations and single-agency action plan",
        "Senior manager sign-off",
    ]
    analysis = imr_template.SECTION_BY_CODE["analysis"]
    questions = " ".join(str(p.question) for p in analysis.prompts)
    for topic in (
        "indicators",
        "DASH",
        "information-sharing",
        "reasonable",
        "wishes",
        "ethnicity, culture, language, faith",
        "MARAC",
        "capacity",
    ):
        assert topic in questions


def test_template_docx_is_a_word_document_with_every_heading() -> None:
    from docx import Document

    content = imr_template.imr_template_docx(reference="NB-DHR-2024-07")
    assert services.document_kind(content) == "docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "NB-DHR-2024-07" in text
    for section in imr_template.IMR_SECTIONS:
        assert str(section.heading) in text
    for prompt in imr_template.SECTION_BY_CODE["analysis"].prompts:
        assert str(prompt.question) in text


# --- writing it --------------------------------------------------------------------------------


def test_agency_author_saves_their_agency_imr(cast) -> None:
    ask_all(cast)
    imr = _save(cast)
    assert imr.agency == cast.police
    assert imr.sections == {"introduction": "Scope.", "analysis_dash": "A DASH was done in 2023."}
    assert imr.recommendations == ["Train call handlers.", "Audit DASH completion."]


def test_imr_kind_follows_the_request(cast) -> None:
    ask_all(cast)
    services.returns_request(
        review=cast.review,
        by=cast.coordinator,
        agencies=[cast.police],
        what="summary",
        requested_on=days_ago(5),
    )
    assert _save(cast).kind == "summary"


def test_agency_author_cannot_touch_another_agency_imr(cast) -> None:
    ask_all(cast)
    with pytest.raises(Http404):
        _save(cast, agency=cast.housing)
    assert not IMR.objects.exists()


def test_chair_panel_and_board_cannot_write_an_imr(cast) -> None:
    ask_all(cast)
    for user in (cast.chair, cast.author, cast.panel_member, cast.board_member):
        with pytest.raises(PermissionDenied):
            _save(cast, by=user)
    with pytest.raises(Http404):
        _save(cast, by=cast.outsider)


def test_coordinator_may_write_any_agency_imr(cast) -> None:
    ask_all(cast)
    assert _save(cast, by=cast.coordinator, agency=cast.housing).agency == cast.housing


def test_unknown_section_codes_are_refused(cast) -> None:
    ask_all(cast)
    with pytest.raises(ValidationError) as error:
        _save(cast, sections={"overview": "Not an IMR section"})
    assert "overview" in str(error.value)


# --- sign-off ----------------------------------------------------------------------------------


def test_sign_off_is_recorded(cast) -> None:
    ask_all(cast)
    imr = _save(cast)
    signed = services.imr_sign_off(
        imr=imr,
        by=cast.agency_author,
        senior_manager_name="Head of Service",
        signed_off_on=days_ago(1),
    )
    signed.refresh_from_db()
    assert signed.senior_manager_name == "Head of Service"
    assert signed.senior_manager_signed_off_on == days_ago(1)
    assert AuditEvent.objects.filter(review=cast.review, summary__contains="signed off").exists()


def test_sign_off_needs_the_independence_statement(cast) -> None:
    ask_all(cast)
    imr = _save(cast, independence_statement="")
    with pytest.raises(ValidationError):
        services.imr_sign_off(
            imr=imr, by=cast.agency_author, senior_manager_name="Head", signed_off_on=days_ago(1)
        )


def test_changing_a_signed_off_imr_withdraws_the_sign_off(cast) -> None:
    ask_all(cast)
    imr = _save(cast)
    services.imr_sign_off(
        imr=imr, by=cast.agency_author, senior_manager_name="Head", signed_off_on=days_ago(1)
    )
    unchanged = _save(cast)
    assert unchanged.senior_manager_signed_off_on == days_ago(1)
    changed = _save(cast, recommendations=["A different recommendation."])
    assert changed.senior_manager_signed_off_on is None


def test_another_agency_author_cannot_sign_off(cast) -> None:
    ask_all(cast)
    imr = _save(cast)
    with pytest.raises(Http404):
        services.imr_sign_off(
            imr=imr,
            by=cast.other_agency_author,
            senior_manager_name="Head",
            signed_off_on=days_ago(1),
        )


# --- documents ---------------------------------------------------------------------------------


def test_document_kind_reads_the_bytes() -> None:
    assert services.document_kind(docx_bytes()) == "docx"
    assert services.document_kind(pdf_bytes()) == "pdf"
    assert services.document_kind(exe_bytes()) is None
    assert services.document_kind(b"PK\x03\x04 not really a zip") is None
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert services.document_kind(plain_zip.getvalue()) is None


def test_upload_versions_increment_and_are_audited(cast) -> None:
    ask_all(cast)
    imr = _save(cast)
    before = audit_count(cast)
    first = services.imr_document_upload(
        imr=imr, by=cast.agency_author, filename="Police IMR.docx", content=docx_bytes()
    )
    second = services.imr_document_upload(
        imr=imr,
        by=cast.agency_author,
        filename="C:\\Users\\me\\Police IMR v2.pdf",
        content=pdf_bytes(),
    )
    assert (first.version, second.version) == (1, 2)
    assert first.content_type.endswith("wordprocessingml.document")
    assert second.content_type == "application/pdf"
    assert second.filename == "Police IMR v2.pdf"
    assert len(first.sha256) == 64 and first.size == len(docx_bytes())
    assert audit_count(cast) - before == 2


def test_a_docx_renamed_from_an_exe_is_refused(cast) -> None:
    ask_all(cast)
    imr = _save(cast)
    with pytest.raises(ValidationError) as error:
        services.imr_document_upload(
            imr=imr, by=cast.agency_author, filename="Police IMR.docx", content=exe_bytes()
        )
    assert "DOCX or PDF" in str(error.value)
    assert not IMRDocument.objects.exists()


def test_a_pdf_named_docx_is_stored_as_a_pdf(cast) -> None:
    ask_all(cast)
    imr = _save(cast)
    document = services.imr_document_upload(
        imr=imr, by=cast.agency_author, filename="imr.docx", content=pdf_bytes()
    )
    assert (document.filename, document.content_type) == ("imr.pdf", "application/pdf")


def test_a_word_document_with_macros_is_refused(cast) -> None:
    ask_all(cast)
    imr = _save(cast)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr("word/vbaProject.bin", b"\x00macro")
    with pytest.raises(ValidationError) as error:
        services.imr_document_upload(
            imr=imr, by=cast.agency_author, filename="imr.docm", content=buffer.getvalue()
        )
    assert "macros" in str(error.value)


def test_files_over_twenty_megabytes_are_refused(cast) -> None:
    ask_all(cast)
    imr = _save(cast)
    big = pdf_bytes() + b"0" * (services.MAX_DOCUMENT_BYTES)
    with pytest.raises(ValidationError) as error:
        services.imr_document_upload(imr=imr, by=cast.agency_author, filename="a.pdf", content=big)
    assert "20 MB" in str(error.value)


def test_another_agency_cannot_upload(cast) -> None:
    ask_all(cast)
    imr = _save(cast)
    with pytest.raises(Http404):
        services.imr_document_upload(
            imr=imr, by=cast.other_agency_author, filename="a.pdf", content=pdf_bytes()
        )
    with pytest.raises(PermissionDenied):
        services.imr_document_upload(imr=imr, by=cast.chair, filename="a.pdf", content=pdf_bytes())
