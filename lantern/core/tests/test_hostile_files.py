"""Hostile and broken files at every place Lantern accepts one (issue 7).

Table-driven: for each acceptor, each hostile file (built in code by lantern.testing.hostile)
must be refused with an error that names the file and says what is wrong, leave nothing stored
(rows counted before and after), and let no exception escape. Zip bombs inflate to gigabytes;
the tests pass because the guards refuse them from what the archive declares, before any part
is inflated (the messages say which guard refused).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.exceptions import ValidationError

from lantern.conftest import Cast
from lantern.core.errors import ProblemsError
from lantern.core.tests.test_uploads import clamd  # noqa: F401 - the fake ClamAV daemon
from lantern.testing import hostile as h
from lantern.testing import pdfs

pytestmark = pytest.mark.django_db

MIB = h.MIB


def cached(factory: Callable[[], bytes]) -> Callable[[], bytes]:
    return functools.cache(factory)


# Files shared by several tables, each built once.
DOCX_BOMB = cached(h.docx_bomb)
DOCX_LYING = cached(h.docx_lying_bomb)
DOCX_HIDDEN = cached(
    lambda: h.with_parts(h.docx(), {"word/styles.xml": h.crafted_lying_member("word/styles.xml")})
)
DOCX_TRAVERSAL = cached(lambda: h.with_traversal(h.docx()))
DOCX_MANY = cached(lambda: h.with_many_members(h.docx()))
XLSX_BOMB = cached(h.xlsx_bomb)
XLSX_LYING = cached(h.xlsx_lying_bomb)
XLSX_HIDDEN = cached(
    lambda: h.with_parts(
        h.chronology_xlsx(), {"xl/styles.xml": h.crafted_lying_member("xl/styles.xml")}
    )
)
DOCM = cached(lambda: h.with_parts(h.docx(), {"word/vbaProject.bin": b"\x00macro"}))

BOMB = r"(zip bomb|far more than its size|would expand to 3,?072 MB)"
HIDDEN = r"hides its size"
OUTSIDE = r"points outside it"
DTD = r"document type declaration"
PARTS = r"\d+,\d{3} parts, more than a real one has"


def names_file(text: str, filename: str) -> bool:
    return filename in text


# PDFs that start with "%PDF-" and are no PDF anyone can open (lantern.core.uploads.pdf_problem).
def not_a_pdf() -> bytes:
    return b"%PDF-1.4 fake"


def pdf_without_pages() -> bytes:
    return h.classic_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    )


def pdf_without_its_page() -> bytes:
    """Its page tree names a page object the file does not hold."""
    return h.classic_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [9 0 R] /Count 1 >>"]
    )


def pdf_written_by_pdfium() -> bytes:
    """A real PDF from another writer than `pdfs.tiny_pdf`: PDFium's own, one A4 page."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()


PDF_DAMAGED = r"the PDF is damaged and cannot be read \(its contents are not valid PDF\)"
PDF_LOCKED = (
    r"the PDF is encrypted \(protected by a password\), so Lantern cannot read or check it: "
    r"save it without a password"
)
PDF_NO_PAGES = r"the PDF has no pages"
PDF_NO_PAGE = r"the PDF is damaged and cannot be read \(its first page cannot be found\)"
# (id, factory, reason) for every place that keeps a PDF as it is.
NOT_PDFS: list[tuple[str, Callable[[], bytes], str]] = [
    ("starts-like-a-pdf", not_a_pdf, PDF_DAMAGED),
    ("corrupt-pdf", h.pdf_corrupt, PDF_DAMAGED),
    ("truncated-pdf", h.pdf_truncated, PDF_DAMAGED),
    ("password-protected-pdf", pdfs.password_protected_pdf, PDF_LOCKED),
    ("pdf-locked-unknown-password", h.pdf_encrypted, PDF_LOCKED),
    ("pdf-without-pages", pdf_without_pages, PDF_NO_PAGES),
    ("pdf-without-its-page", pdf_without_its_page, PDF_NO_PAGE),
]


@pytest.mark.parametrize(
    ("factory", "expected"), [pytest.param(*case[1:], id=case[0]) for case in NOT_PDFS]
)
def test_pdf_problem_says_why_a_pdf_cannot_be_kept(
    factory: Callable[[], bytes], expected: str
) -> None:
    from lantern.core.uploads import pdf_problem

    assert re.fullmatch(expected, pdf_problem(factory()) or "")


def test_pdf_problem_passes_real_pdfs() -> None:
    from lantern.core.uploads import pdf_problem

    assert pdf_problem(pdfs.tiny_pdf()) is None
    assert pdf_problem(pdfs.tiny_pdf("(Brackets) and a back\\slash")) is None
    assert pdf_problem(pdf_written_by_pdfium()) is None


def test_the_password_protected_pdf_is_real() -> None:
    """It opens with its password and with no other: the lock, not damage, is what is refused."""
    import pypdfium2 as pdfium

    locked = pdfs.password_protected_pdf("kerry-2024")
    document = pdfium.PdfDocument(locked, password="kerry-2024")
    assert len(document) == 1
    document.close()
    with pytest.raises(pdfium.PdfiumError, match="password"):
        pdfium.PdfDocument(locked, password="wrong")


def test_a_pdf_without_pages_checked_after_a_locked_one_is_not_called_locked() -> None:
    """PDFium sets no error code for a document without pages, so pypdfium2's PdfDocument
    reports whatever the last failure left: after a locked PDF, "Incorrect password"."""
    from lantern.core.uploads import pdf_problem

    assert re.fullmatch(PDF_LOCKED, pdf_problem(pdfs.password_protected_pdf()) or "")
    assert pdf_problem(pdf_without_pages()) == "the PDF has no pages"
    assert re.fullmatch(PDF_DAMAGED, pdf_problem(not_a_pdf()) or "")
    assert pdf_problem(pdf_without_pages()) == "the PDF has no pages"


# --- chronology import ----------------------------------------------------------------------------

CHRONOLOGY_CASES: list[tuple[str, str, Callable[[], bytes], str]] = [
    ("program-as-xlsx", "police.xlsx", h.program, r"this is a program, not a spreadsheet"),
    ("program-as-csv", "police.csv", h.program, r"this is a program, not a spreadsheet"),
    ("pdf-as-xlsx", "police.xlsx", h.pdf, r"this is a PDF document"),
    ("docx-as-xlsx", "police.xlsx", h.docx, r"Word document, not a spreadsheet"),
    ("zip-as-xlsx", "police.xlsx", h.zip_not_office, r"zip archive, not an Excel workbook"),
    ("truncated-xlsx", "police.xlsx", lambda: h.truncated(h.chronology_xlsx()), r"damaged"),
    ("empty", "police.csv", lambda: b"", r"the file is empty"),
    ("oversized", "police.csv", lambda: b"Date,What happened\n" + b"x" * (20 * MIB), r"20 MB"),
    ("zip-bomb", "police.xlsx", XLSX_BOMB, BOMB),
    ("zip-bomb-lying", "police.xlsx", XLSX_LYING, HIDDEN),
    ("zip-bomb-hidden", "police.xlsx", XLSX_HIDDEN, HIDDEN),
    ("traversal", "police.xlsx", lambda: h.with_traversal(h.chronology_xlsx()), OUTSIDE),
    ("many-parts", "police.xlsx", lambda: h.with_many_members(h.chronology_xlsx()), PARTS),
    ("xxe", "police.xlsx", h.xlsx_xxe, DTD),
    ("billion-laughs", "police.xlsx", h.xlsx_billion_laughs, DTD),
    ("cells-to-xfd", "police.xlsx", lambda: h.xlsx_far_cells(300_000), r"more than 20,000,000"),
    ("last-row", "police.xlsx", h.xlsx_last_row, r"more than 300000 rows"),
    ("many-rows", "police.csv", h.csv_many_rows, r"more than 300000 rows"),
    ("huge-cell-xlsx", "police.xlsx", h.xlsx_huge_cell, r"1,048,576 characters"),
    ("huge-cell-csv", "police.csv", h.csv_huge_cell, r"a cell may hold at most 32,767"),
    ("big-cell-csv", "police.csv", lambda: h.csv_huge_cell(100_000), r"100,000 characters"),
    ("utf16-no-bom", "police.csv", lambda: h.csv_utf16(bom=False), r"UTF-16 without"),
    ("nuls", "police.csv", h.csv_with_nuls, r"not a spreadsheet or a text \(CSV\) file"),
    ("mixed-encodings", "police.csv", h.csv_mixed_encodings, r"mixes two encodings"),
    ("utf32", "police.csv", h.csv_utf32, r"UTF-32"),
]


@pytest.mark.parametrize(
    ("filename", "factory", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CHRONOLOGY_CASES],
)
def test_chronology_import_refuses_hostile_files(
    cast: Cast, filename: str, factory: Callable[[], bytes], expected: str
) -> None:
    from lantern.chronology.models import ChronologyEntry, ChronologyFile
    from lantern.chronology.services import chronology_import

    before = (ChronologyFile.objects.count(), ChronologyEntry.objects.count())
    result = chronology_import(
        review=cast.review,
        agency=cast.police,
        files=[("police-good.csv", h.chronology_csv()), (filename, factory())],
        by=cast.agency_author,
    )
    assert not result.stored
    errors = [str(p) for p in result.errors]
    assert errors and all(p.file == filename for p in result.errors), errors
    assert any(re.search(expected, e) for e in errors), errors
    assert (ChronologyFile.objects.count(), ChronologyEntry.objects.count()) == before


def test_chronology_guards_refuse_a_bomb_from_its_declared_sizes_alone() -> None:
    """The bomb's part is never inflated: the refusal comes from the sizes it declares, and the
    reader never gets as far as opening the workbook."""
    from lantern.chronology.importer import readers

    bomb = XLSX_BOMB()
    info = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size == 3 * h.GIB and len(bomb) < 4 * MIB
    with pytest.raises(readers.FileError, match="far more than its size"):
        readers.detect_kind("police.xlsx", bomb)


def test_an_xlsx_full_of_empty_far_cells_is_refused_before_it_fills_memory() -> None:
    import resource

    from lantern.chronology.importer import parse_file

    data = h.xlsx_far_cells(300_000)
    assert len(data) < 2 * MIB  # describes 300,000 x 16,384 cells
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    parsed = parse_file("police.xlsx", data)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert [p.message for p in parsed.errors][0].startswith("this file has more than 20,000,000")
    assert grown_mb < 1000  # padded out, the rows would take tens of gigabytes


def test_deeply_nested_xml_in_a_sheet_is_read_without_harm(cast: Cast) -> None:
    """Elements nested 50,000 deep inside a row: read as nothing, stored as nothing."""
    from lantern.chronology.models import ChronologyEntry
    from lantern.chronology.services import chronology_import

    result = chronology_import(
        review=cast.review,
        agency=cast.police,
        files=[("police.xlsx", h.xlsx_deep())],
        by=cast.agency_author,
    )
    assert [p.message for p in result.problems] == ["the file holds no chronology entries"]
    assert not ChronologyEntry.objects.exists()


def test_utf16_with_a_byte_order_mark_is_read() -> None:
    """Excel's "Unicode text" is a supported encoding, not a hostile one."""
    from lantern.chronology.importer import parse_file

    parsed = parse_file("police.csv", h.csv_utf16())
    assert parsed.ok and parsed.encoding == "utf-16" and len(parsed.rows) == 2


# --- formulas: never run on import, neutralised on export ---------------------------------------


def test_formula_cells_are_never_run_and_formula_text_is_kept_as_text(cast: Cast) -> None:
    from lantern.chronology.importer import parse_file
    from lantern.chronology.models import ChronologyEntry
    from lantern.chronology.services import chronology_import

    # Formulas saved without a value read as empty: an error naming the row, nothing run.
    parsed = parse_file("police.xlsx", h.xlsx_formulas())
    assert [(p.row, p.message) for p in parsed.errors] == [
        (row, "there is no description of what happened") for row in (2, 3, 4)
    ]
    assert sorted(r.what_happened for r in parsed.rows) == sorted(h.FORMULA_LIKE)
    # Text that looks like a formula is stored exactly as written.
    rows = [("01/02/2021", "Log", text, "None") for text in h.FORMULA_LIKE]
    result = chronology_import(
        review=cast.review,
        agency=cast.police,
        files=[("police.csv", h.chronology_csv(rows))],
        by=cast.agency_author,
    )
    assert result.stored, result.problems
    stored = set(ChronologyEntry.objects.values_list("what_happened", flat=True))
    assert stored == set(h.FORMULA_LIKE)


def _formula_cells(workbook_bytes: bytes) -> list[str]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook_bytes))  # formulas kept as formulas
    return [
        f"{sheet.title}!{cell.coordinate}={cell.value!r}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def _texts(workbook_bytes: bytes) -> set[str]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook_bytes))
    return {
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def _assert_neutral_csv(text: str) -> None:
    import csv

    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_combined_chronology_export_runs_no_formula(cast: Cast) -> None:
    from lantern.chronology.exports import chronology_export
    from lantern.chronology.services import chronology_import

    rows = [("01/02/2021", text, text, text) for text in h.FORMULA_LIKE]
    result = chronology_import(
        review=cast.review,
        agency=cast.police,
        files=[("police.csv", h.chronology_csv(rows))],
        by=cast.agency_author,
    )
    assert result.stored
    export = chronology_export(review=cast.review, by=cast.coordinator, fmt="xlsx")
    assert _formula_cells(export.content) == []
    texts = _texts(export.content)
    for text in h.FORMULA_LIKE:
        assert "'" + text in texts  # shown as typed, behind Excel's own text marker


def _plan_with_formula_text() -> bytes:
    """A published-shape plan whose cells hold formula-like text (as text, not formulas)."""
    import openpyxl

    from lantern.core.spreadsheets import keep_as_text

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet.append(list(h.PLAN_HEADING))
    for number, text in enumerate(h.FORMULA_LIKE, start=1):
        sheet.append([str(number), f"{text}", "Local", text, "Police", "31/03/2030", "Ongoing"])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            keep_as_text(cell)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_action_plan_and_oversight_exports_run_no_formula(cast: Cast, client: Any) -> None:
    from django.urls import reverse

    from lantern.recommendations import selectors, services
    from lantern.recommendations.models import Action
    from lantern.recommendations.plan_import import write_xlsx

    services.plan_import(
        review=cast.review,
        by=cast.coordinator,
        content=_plan_with_formula_text(),
        filename="p.xlsx",
    )
    assert set(Action.objects.values_list("description", flat=True)) == set(h.FORMULA_LIKE)
    buffer = io.BytesIO()
    write_xlsx(selectors.plan_document(review=cast.review, today=dt.date.today()), buffer)
    assert _formula_cells(buffer.getvalue()) == []
    assert set(h.FORMULA_LIKE) <= _texts(buffer.getvalue())

    client.force_login(cast.coordinator)
    response = client.get(reverse("oversight:export_csv"))
    assert response.status_code == 200
    body = response.content.decode()
    _assert_neutral_csv(body)
    assert all(f"'{text}" in body for text in h.FORMULA_LIKE)
    response = client.get(reverse("oversight:export_xlsx"))
    assert response.status_code == 200
    assert _formula_cells(response.content) == []


def test_library_learning_exports_run_no_formula(db: Any) -> None:
    import csv

    from lantern.library import exports, selectors

    stats = selectors.library_stats()
    group = {"text": h.DDE, "documents": 2, "recommendations": 2, "addressees": [], "themes": []}
    stats["recurring_recommendations"] = [group, {**group, "text": "@SUM(1+1)"}]
    workbook = exports.learning_xlsx(stats)
    assert _formula_cells(workbook) == []
    assert h.DDE in _texts(workbook)
    out = io.StringIO()
    csv.writer(out).writerows(exports.csv_cells(row) for row in exports.learning_rows(stats))
    _assert_neutral_csv(out.getvalue())


# --- IMR documents --------------------------------------------------------------------------------

IMR_CASES: list[tuple[str, str, Callable[[], bytes], str]] = [
    ("program-as-docx", "imr.docx", h.program, r"must be a DOCX or PDF"),
    ("png-as-pdf", "imr.pdf", lambda: h.PNG, r"must be a DOCX or PDF"),
    ("xlsx-as-docx", "imr.docx", h.chronology_xlsx, r"must be a DOCX or PDF"),
    ("truncated-docx", "imr.docx", lambda: h.truncated(h.docx()), r"must be a DOCX or PDF"),
    ("docm", "imr.docx", DOCM, r"contains macros"),
    ("empty", "imr.docx", lambda: b"", r"is empty"),
    ("oversized", "imr.pdf", lambda: b"%PDF-1.7\n" + bytes(20 * MIB), r"smaller than 20 MB"),
    ("zip-bomb", "imr.docx", DOCX_BOMB, BOMB),
    ("zip-bomb-lying", "imr.docx", DOCX_LYING, HIDDEN),
    ("zip-bomb-hidden", "imr.docx", DOCX_HIDDEN, HIDDEN),
    ("traversal", "imr.docx", DOCX_TRAVERSAL, OUTSIDE),
    ("many-parts", "imr.docx", DOCX_MANY, PARTS),
    ("xxe", "imr.docx", h.docx_xxe, DTD),
    ("billion-laughs", "imr.docx", h.docx_billion_laughs, DTD),
    *((pdf_id, "imr.pdf", factory, reason) for pdf_id, factory, reason in NOT_PDFS),
    ("not-a-pdf-named-docx", "Police IMR.docx", not_a_pdf, PDF_DAMAGED),
]


@pytest.mark.parametrize(
    ("filename", "factory", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in IMR_CASES],
)
def test_imr_upload_refuses_hostile_files(
    cast: Cast, filename: str, factory: Callable[[], bytes], expected: str
) -> None:
    from lantern.chronology.models import IMRDocument
    from lantern.chronology.services_returns import imr_document_upload, imr_start

    imr = imr_start(review=cast.review, agency=cast.police, by=cast.agency_author)
    before = IMRDocument.objects.count()
    with pytest.raises(ValidationError) as caught:
        imr_document_upload(imr=imr, by=cast.agency_author, filename=filename, content=factory())
    messages = [str(m) for m in caught.value.message_dict["document"]]
    assert any(names_file(m, filename) and re.search(expected, m) for m in messages), messages
    assert IMRDocument.objects.count() == before


def test_an_imr_keeps_a_real_pdf(cast: Cast) -> None:
    from lantern.chronology.models import IMRDocument
    from lantern.chronology.services_returns import imr_document_upload, imr_start

    imr = imr_start(review=cast.review, agency=cast.police, by=cast.agency_author)
    for filename, content in (
        ("imr.pdf", pdfs.tiny_pdf("Police IMR")),
        ("Police IMR.docx", pdf_written_by_pdfium()),  # named wrongly: kept as what it is
    ):
        document = imr_document_upload(
            imr=imr, by=cast.agency_author, filename=filename, content=content
        )
        stored = IMRDocument.objects.get(pk=document.pk)
        assert (stored.content_type, bytes(stored.content)) == ("application/pdf", content)
        assert stored.filename.endswith(".pdf")
    assert IMRDocument.objects.filter(imr=imr).count() == 2


# --- action evidence ------------------------------------------------------------------------------

EVIDENCE_CASES: list[tuple[str, str, Callable[[], bytes], str]] = [
    ("program-as-pdf", "attendance.pdf", h.program, r"not a PDF: it is a program"),
    ("png-as-pdf", "attendance.pdf", lambda: h.PNG, r"not a PDF: it is a PNG image"),
    ("program-as-png", "photo.png", h.program, r"not a PNG image: it is a program"),
    ("elf-as-txt", "notes.txt", lambda: h.ELF, r"not a text file: it is a program"),
    ("binary-as-csv", "register.csv", lambda: bytes(range(256)), r"it is a binary file"),
    ("xlsx-as-docx", "register.docx", h.chronology_xlsx, r"it is an Excel workbook"),
    ("docm-as-docx", "register.docx", DOCM, r"Word document with macros"),
    ("oversized", "attendance.pdf", lambda: b"%PDF-1.7\n" + bytes(10 * MIB), r"10 MB"),
    ("docx-bomb", "register.docx", DOCX_BOMB, BOMB),
    ("xlsx-bomb", "register.xlsx", XLSX_BOMB, BOMB),
    ("zip-bomb-hidden", "register.docx", DOCX_HIDDEN, HIDDEN),
    ("traversal", "register.docx", DOCX_TRAVERSAL, OUTSIDE),
    ("xxe", "register.xlsx", h.xlsx_xxe, DTD),
    *((pdf_id, "attendance.pdf", factory, reason) for pdf_id, factory, reason in NOT_PDFS),
]


@pytest.fixture
def action(cast: Cast) -> Any:
    from lantern.recommendations import services

    rec = services.recommendation_create(
        review=cast.review,
        by=cast.coordinator,
        number="1",
        kind="overarching",
        scope="local",
        text="Agencies to share risk information.",
    )
    return services.action_create(
        recommendation=rec, by=cast.coordinator, description="Train staff", lead_agency=cast.police
    )


@pytest.mark.parametrize(
    ("filename", "factory", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in EVIDENCE_CASES],
)
def test_evidence_refuses_hostile_files(
    cast: Cast, action: Any, filename: str, factory: Callable[[], bytes], expected: str
) -> None:
    from lantern.recommendations import services
    from lantern.recommendations.models import Evidence

    before = Evidence.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.evidence_add(
            action=action, by=cast.coordinator, filename=filename, content=factory()
        )
    messages = [str(m) for m in caught.value.message_dict["file"]]
    assert any(re.search(expected, m) for m in messages), messages
    if "MB" not in expected:  # the size limit's message is the page's own, beside the file
        assert any(names_file(m, filename) for m in messages), messages
    assert Evidence.objects.count() == before


def test_evidence_of_the_kind_its_name_says_is_kept(cast: Cast, action: Any) -> None:
    from lantern.recommendations import services

    for filename, content in (
        ("register.docx", h.docx()),
        ("register.xlsx", h.chronology_xlsx()),
        ("register.csv", h.chronology_csv()),
        ("register.pdf", h.pdf()),
        ("attendance.pdf", pdf_written_by_pdfium()),
    ):
        evidence = services.evidence_add(
            action=action, by=cast.coordinator, filename=filename, content=content
        )
        assert evidence.size == len(content)


# --- action plan import ---------------------------------------------------------------------------


def _plan_sheet(rows: list[tuple[str, ...]]) -> bytes:
    return h.xlsx_with_sheet(h.sheet_xml([h.PLAN_HEADING, *rows]), base=h.plan_xlsx())


PLAN_ROW = ("1", "Share risk information.", "Local", "Train staff", "Police", "2030-03-31",
            "Not started")  # fmt: skip

PLAN_CASES: list[tuple[str, str, Callable[[], bytes], str]] = [
    ("program", "plan.xlsx", h.program, r"cannot open this file"),
    ("pdf", "plan.xlsx", h.pdf, r"cannot open this file"),
    ("docx", "plan.xlsx", h.docx, r"cannot open this file"),
    ("zip", "plan.xlsx", h.zip_not_office, r"cannot open this file"),
    ("truncated", "plan.xlsx", lambda: h.truncated(h.plan_xlsx()), r"damaged|cannot open"),
    ("oversized", "plan.xlsx", lambda: b"PK\x03\x04" + bytes(10 * MIB), r"smaller than 10 MB"),
    ("zip-bomb", "plan.xlsx", lambda: h.xlsx_bomb(base=h.plan_xlsx()), BOMB),
    ("zip-bomb-lying", "plan.xlsx", lambda: h.xlsx_lying_bomb(base=h.plan_xlsx()), HIDDEN),
    ("traversal", "plan.xlsx", lambda: h.with_traversal(h.plan_xlsx()), OUTSIDE),
    ("many-parts", "plan.xlsx", lambda: h.with_many_members(h.plan_xlsx()), r"parts"),
    ("xxe", "plan.xlsx", lambda: h.xlsx_xxe(base=h.plan_xlsx()), DTD),
    ("billion-laughs", "plan.xlsx", lambda: h.xlsx_billion_laughs(base=h.plan_xlsx()), DTD),
    ("last-row", "plan.xlsx", lambda: h.xlsx_last_row(base=h.plan_xlsx()), r"row 1,048,576"),
    (
        "huge-cell",
        "plan.xlsx",
        lambda: _plan_sheet([(*PLAN_ROW[:3], h.huge_text(), *PLAN_ROW[4:])]),
        r"1,048,576 characters",
    ),
    (
        "long-lead-officer",
        "plan.xlsx",
        lambda: h.plan_xlsx([(*PLAN_ROW[:4], "Police " * 50, *PLAN_ROW[5:])]),
        r"at most 200 fit",
    ),
]


@pytest.mark.parametrize(
    ("filename", "factory", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in PLAN_CASES],
)
def test_plan_import_refuses_hostile_files(
    cast: Cast, filename: str, factory: Callable[[], bytes], expected: str
) -> None:
    from lantern.recommendations import services
    from lantern.recommendations.models import Action, Recommendation

    before = (Recommendation.objects.count(), Action.objects.count())
    with pytest.raises(ProblemsError) as caught:
        services.plan_import(
            review=cast.review, by=cast.coordinator, content=factory(), filename=filename
        )
    problems = caught.value.problems
    assert problems and all(p.file == filename for p in problems), problems
    assert any(re.search(expected, p.message) for p in problems), problems
    assert (Recommendation.objects.count(), Action.objects.count()) == before


# --- the anonymisation check (and text extraction) ------------------------------------------------

TEXT_CASES: list[tuple[str, str, Callable[[], bytes], str]] = [
    ("program-as-docx", "report.docx", h.program, r"not a Word document"),
    ("png-as-pdf", "report.pdf", lambda: h.PNG, r"not a PDF \(it is an image\)"),
    ("xlsx-as-docx", "report.docx", h.chronology_xlsx, r"it is an Excel workbook"),
    ("oversized", "report.txt", lambda: b"x" * (50 * MIB + 1), r"smaller than 50 MB"),
    ("zip-bomb", "report.docx", DOCX_BOMB, r"would expand to 3072 MB"),
    ("zip-bomb-lying", "report.docx", DOCX_LYING, HIDDEN),
    ("zip-bomb-hidden", "report.docx", DOCX_HIDDEN, HIDDEN),
    ("traversal", "report.docx", DOCX_TRAVERSAL, OUTSIDE),
    ("many-parts", "report.docx", DOCX_MANY, r"too many parts"),
    ("xxe", "report.docx", h.docx_xxe, DTD),
    ("billion-laughs", "report.docx", h.docx_billion_laughs, DTD),
    ("deep-xml", "report.docx", h.docx_deep, r"damaged \(Excessive depth"),
    ("corrupt-pdf", "report.pdf", h.pdf_corrupt, r"the PDF is damaged"),
    ("truncated-pdf", "report.pdf", h.pdf_truncated, r"the PDF is damaged"),
    ("encrypted-pdf", "report.pdf", h.pdf_encrypted, r"the PDF is encrypted"),
    ("nuls", "report.txt", h.csv_with_nuls, r"it is a binary file"),
    ("utf16", "report.txt", h.csv_utf16, r"UTF-16"),
    ("mixed-encodings", "report.txt", h.csv_mixed_encodings, r"mixes two encodings"),
    ("deep-html", "report.html", h.html_deep, r"no text to check"),
]


@pytest.mark.parametrize(
    ("filename", "factory", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in TEXT_CASES],
)
def test_anonymisation_check_refuses_hostile_files(
    cast: Cast, filename: str, factory: Callable[[], bytes], expected: str
) -> None:
    from lantern.anonymisation.models import Check
    from lantern.anonymisation.services import run_check

    before = Check.objects.count()
    with pytest.raises(ProblemsError) as caught:
        run_check(review=cast.review, by=cast.author, filename=filename, data=factory())
    problems = caught.value.problems
    assert problems and all(p.file == filename for p in problems), problems
    assert any(re.search(expected, p.message) for p in problems), problems
    assert Check.objects.count() == before


def test_an_external_entity_is_never_resolved() -> None:
    """Even past the DTD guard, the XML parsers would not read /etc/passwd into the text."""
    from lxml import etree

    xml = h.members_of(h.docx_xxe())["word/document.xml"]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(xml, parser=parser)
    assert "root:" not in etree.tostring(root, encoding="unicode")


# --- publishing: drafts and QA letters ------------------------------------------------------------

DRAFT_CASES: list[tuple[str, str, Callable[[], bytes], str]] = [
    ("program-as-docx", "OR v1.docx", h.program, r"must be a Word document \(.docx\) or a PDF"),
    ("xlsx-as-docx", "OR v1.docx", h.chronology_xlsx, r"must be a Word document"),
    ("docm", "OR v1.docx", DOCM, r"contains macros"),
    ("zip-bomb", "OR v1.docx", DOCX_BOMB, BOMB),
    ("zip-bomb-lying", "OR v1.docx", DOCX_LYING, HIDDEN),
    ("traversal", "OR v1.docx", DOCX_TRAVERSAL, OUTSIDE),
    ("xxe", "OR v1.docx", h.docx_xxe, DTD),
    ("corrupt-pdf", "OR v1.pdf", h.pdf_corrupt, r"the PDF is damaged"),
    ("truncated-pdf", "OR v1.pdf", h.pdf_truncated, r"the PDF is damaged"),
    ("encrypted-pdf", "OR v1.pdf", h.pdf_encrypted, r"the PDF is encrypted"),
]


@pytest.mark.parametrize(
    ("filename", "factory", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in DRAFT_CASES],
)
def test_draft_upload_refuses_hostile_files(
    cast: Cast, filename: str, factory: Callable[[], bytes], expected: str
) -> None:
    from lantern.publishing import services
    from lantern.publishing.models import DraftVersion

    before = DraftVersion.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.draft_upload(
            review=cast.review,
            by=cast.author,
            kind="overview_report",
            filename=filename,
            content=factory(),
        )
    messages = [str(m) for m in caught.value.message_dict["file"]]
    assert any(names_file(m, filename) and re.search(expected, m) for m in messages), messages
    assert DraftVersion.objects.count() == before


@pytest.fixture
def submission(cast: Cast) -> Any:
    """A round submitted to Home Office QA, through the real services."""
    from lantern.publishing import services, services_qa
    from lantern.publishing.tests.conftest import docx_bytes, to_drafting

    review = to_drafting(cast)
    ago = dt.date.today() - dt.timedelta(days=30)
    for kind, title in (("overview_report", "Overview"), ("executive_summary", "Summary")):
        services.draft_upload(
            review=review,
            by=cast.author,
            kind=kind,
            filename=f"{kind}.docx",
            content=docx_bytes(title),
            final=True,
        )
    services.signoff_record(review=review, by=cast.chair, signed_off_on=ago, signed_off_by="Chair")
    return services_qa.qa_submit(review=review, by=cast.coordinator, submitted_on=ago)


@pytest.mark.parametrize(
    ("filename", "factory", "expected"),
    [
        pytest.param("letter.pdf", h.program, r"must be a Word document", id="program"),
        pytest.param("letter.docx", DOCX_BOMB, BOMB, id="zip-bomb"),
        pytest.param("letter.pdf", h.pdf_encrypted, r"the PDF is encrypted", id="encrypted-pdf"),
    ],
)
def test_qa_letter_refuses_hostile_files(
    cast: Cast, submission: Any, filename: str, factory: Callable[[], bytes], expected: str
) -> None:
    from lantern.publishing import services_qa
    from lantern.publishing.models import QaSubmission
    from lantern.reviews.models import Review

    stage = Review.objects.get(pk=cast.review.pk).stage
    with pytest.raises(ValidationError) as caught:
        services_qa.qa_feedback_record(
            submission=submission,
            by=cast.coordinator,
            outcome="resubmit",
            letter_received_on=dt.date.today(),
            letter=factory(),
            letter_filename=filename,
        )
    messages = [str(m) for m in caught.value.message_dict["letter"]]
    assert any(names_file(m, filename) and re.search(expected, m) for m in messages), messages
    stored = QaSubmission.objects.get(pk=submission.pk)
    assert (stored.outcome, stored.letter_filename, stored.letter) == ("", "", None)
    assert Review.objects.get(pk=cast.review.pk).stage == stage


# --- review bundles -------------------------------------------------------------------------------

BUNDLE_YAML = Path(__file__).resolve().parents[2] / "reviews/tests/bundles/kerry/review.yaml"


def _bundle(tmp_path: Path, chronology: bytes | h.RawMember, *, name: str = "police.xlsx",
            extra: list[h.RawMember] = (), text: str | None = None) -> Path:  # fmt: skip
    data = yaml.safe_load(BUNDLE_YAML.read_text())
    data["chronology"] = [{"file": f"chronology/{name}", "agency": "Northbridge Police"}]
    member = (
        chronology
        if isinstance(chronology, h.RawMember)
        else h.deflated(f"chronology/{name}", chronology)
    )
    members = [h.deflated("review.yaml", (text or yaml.safe_dump(data)).encode()), member]
    return h.bundle_zip(tmp_path / "bundle.zip", [*members, *extra])


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


LAUGHS_YAML = (
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )
    + "reference: *j\n"
)

BUNDLE_CASES: list[tuple[str, Callable[[Path], Path], str, str]] = [
    (
        "chronology-zip-bomb",
        lambda p: _bundle(p, h.bomb_member("chronology/police.xlsx")),
        "bundle.zip",
        r"inflates to 3072\.0 MB",
    ),
    (
        "chronology-xxe",
        lambda p: _bundle(p, h.xlsx_xxe()),
        "chronology/police.xlsx",
        DTD,
    ),
    (
        "chronology-program",
        lambda p: _bundle(p, h.program()),
        "chronology/police.xlsx",
        r"this is a program",
    ),
    (
        "traversal",
        lambda p: _bundle(
            p,
            h.chronology_csv(),
            name="../../police.csv",
            extra=[h.deflated(h.TRAVERSAL, b"outside")],
        ),
        "review.yaml",
        r"chronology\[0\]\.file.*not a path inside the bundle",
    ),
    (
        "yaml-billion-laughs",
        lambda p: _bundle(p, h.chronology_xlsx(), text=LAUGHS_YAML),
        "review.yaml",
        r"field 'reference': not text \(YAML read it as a list\)",
    ),
    (
        "truncated-zip",
        lambda p: (
            _write(p / "b.zip", h.truncated(_bundle(p, h.chronology_xlsx()).read_bytes()))
            or p / "b.zip"
        ),
        "b.zip",
        r"not a bundle",
    ),
    (
        "program-as-zip",
        lambda p: _write(p / "b.zip", h.program()),
        "b.zip",
        r"not a bundle",
    ),
]


@pytest.mark.parametrize(
    ("build", "named", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in BUNDLE_CASES],
)
def test_bundle_import_refuses_hostile_files(
    db: Any, tmp_path: Path, build: Callable[[Path], Path], named: str, expected: str
) -> None:
    from lantern.accounts.models import User
    from lantern.chronology.models import ChronologyFile
    from lantern.reviews.bundles import bundle_import
    from lantern.reviews.models import Review

    path = build(tmp_path)
    before = (Review.objects.count(), ChronologyFile.objects.count())
    with pytest.raises(ProblemsError) as caught:
        bundle_import(path=path, by=User.objects.system())
    problems = caught.value.problems
    assert problems, "refused without a reason"
    assert any(p.file.endswith(named) and re.search(expected, str(p)) for p in problems), problems
    assert (Review.objects.count(), ChronologyFile.objects.count()) == before
    assert not Path("/tmp/lantern-evil.txt").exists()


# --- the library ----------------------------------------------------------------------------------

LIBRARY_CASES: list[tuple[str, str, Callable[[], bytes], str]] = [
    ("program-as-pdf", "review.pdf", h.program, r"not a PDF"),
    ("zip-bomb", "review.docx", DOCX_BOMB, r"would expand to 3072 MB"),
    ("zip-bomb-hidden", "review.docx", DOCX_HIDDEN, HIDDEN),
    ("traversal", "review.docx", DOCX_TRAVERSAL, OUTSIDE),
    ("xxe", "review.docx", h.docx_xxe, DTD),
    ("corrupt-pdf", "review.pdf", h.pdf_corrupt, r"the PDF is damaged"),
    ("encrypted-pdf", "review.pdf", h.pdf_encrypted, r"the PDF is encrypted"),
    ("mixed-encodings", "review.txt", h.csv_mixed_encodings, r"mixes two encodings"),
]


@pytest.mark.parametrize(
    ("filename", "factory", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in LIBRARY_CASES],
)
def test_library_ingest_refuses_hostile_files(
    db: Any, filename: str, factory: Callable[[], bytes], expected: str
) -> None:
    from lantern.accounts.models import User
    from lantern.library.models import Document
    from lantern.library.services import document_ingest

    before = Document.objects.count()
    result = document_ingest(data=factory(), filename=filename, by=User.objects.system())
    assert result.status == "failed"
    assert names_file(result.reason, filename) and re.search(expected, result.reason), result
    assert Document.objects.count() == before


# --- viruses, where files were kept without a scan ----------------------------------------------


@pytest.mark.usefixtures("clamd")
def test_the_anonymisation_check_and_drafts_pass_the_virus_scanner(cast: Cast) -> None:
    from lantern.anonymisation.models import Check
    from lantern.anonymisation.services import run_check
    from lantern.core.tests.test_uploads import EICAR
    from lantern.publishing import services
    from lantern.publishing.models import DraftVersion

    with pytest.raises(ProblemsError, match="virus scanner found"):
        run_check(review=cast.review, by=cast.author, filename="es.txt", data=EICAR)
    infected = h.pdf() + EICAR  # the stand-in daemon does not look inside zips
    with pytest.raises(ValidationError, match="OR.pdf: the virus scanner found"):
        services.draft_upload(
            review=cast.review,
            by=cast.author,
            kind="overview_report",
            filename="OR.pdf",
            content=infected,
        )
    assert not Check.objects.exists() and not DraftVersion.objects.exists()
