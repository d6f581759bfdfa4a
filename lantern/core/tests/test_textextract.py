"""Text out of .txt, .docx, .pdf and .html files that the tests build themselves."""

from __future__ import annotations

import io
import time
import zipfile

import docx
import pytest
from docx.enum.text import WD_BREAK

from lantern.core.textextract import (
    MAX_UNCOMPRESSED_BYTES,
    ExtractedText,
    TextExtractionError,
    extract_text,
    sniff_format,
)
from lantern.testing.pdfs import classic_pdf


def make_docx(*, title: str = "", split_runs: bool = False) -> bytes:
    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.add_heading("Overview report into the death of Kerry", level=1)
    p = document.add_paragraph()
    if split_runs:
        p.add_run("Kerry met ")
        p.add_run("Jo").bold = True
        p.add_run("anne Whit")
        p.add_run("field's sister in 2019.").italic = True
    else:
        p.add_run("Kerry met Joanne Whitfield's sister in 2019.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Agency"
    table.cell(0, 1).text = "Contact"
    table.cell(1, 0).text = "Northbridge Police"
    table.cell(1, 1).text = "Attended 12 March 2021"
    after = document.add_paragraph("Before the break.")
    after.add_run().add_break(WD_BREAK.PAGE)
    after.add_run("After the break, on page two.")
    document.add_paragraph("")  # empty paragraphs are not paragraphs of the text
    document.add_paragraph("Line one\tcontinues")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


# --- txt ----------------------------------------------------------------------------------------


def test_txt_text_is_the_file_unchanged_and_paragraphs_split_on_blank_lines() -> None:
    raw = "Executive summary\r\n\r\nKerry lived with\r\nLee in Northbridge.\r\n\r\n\r\nEnd."
    result = extract_text(raw.encode("utf-8"), filename="draft.txt")
    assert result.format == "txt"
    assert result.text == raw
    assert result.pages[0].paragraphs == [
        "Executive summary",
        "Kerry lived with Lee in Northbridge.",
        "End.",
    ]
    assert result.title == "Executive summary"


def test_txt_bom_is_dropped_and_windows_1252_is_read() -> None:
    assert extract_text(b"\xef\xbb\xbfCaf\xc3\xa9", filename="a.txt").text == "Café"
    assert extract_text(b"Smith\x92s caf\xe9", filename="a.txt").text == "Smith’s café"


def test_txt_form_feed_starts_a_page() -> None:
    result = extract_text(b"One\n\nTwo\fThree", filename="a.txt")
    assert [p.number for p in result.pages] == [1, 2]
    assert result.pages[1].paragraphs == ["Three"]


# --- docx ---------------------------------------------------------------------------------------


def test_docx_paragraphs_tables_and_page_breaks_in_document_order() -> None:
    result = extract_text(make_docx(title="DHR Kerry"), filename="report.docx")
    assert result.format == "docx"
    assert result.title == "DHR Kerry"
    assert result.pages[0].paragraphs == [
        "Overview report into the death of Kerry",
        "Kerry met Joanne Whitfield's sister in 2019.",
        "Agency",
        "Contact",
        "Northbridge Police",
        "Attended 12 March 2021",
        "Before the break.",
    ]
    assert result.pages[1].paragraphs == ["After the break, on page two.", "Line one continues"]
    assert result.text == "\n\n".join(result.pages[0].paragraphs + result.pages[1].paragraphs)


def test_docx_text_split_across_runs_reads_as_one() -> None:
    result = extract_text(make_docx(split_runs=True), filename="report.docx")
    assert "Kerry met Joanne Whitfield's sister in 2019." in result.text


def test_docx_title_falls_back_to_the_first_heading() -> None:
    assert (
        extract_text(make_docx(), filename="r.docx").title
        == "Overview report into the death of Kerry"
    )


def test_docx_zip_bomb_is_refused_before_it_is_read() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(MAX_UNCOMPRESSED_BYTES // len(chunk) + 1):
                member.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(TextExtractionError, match=r"bomb\.docx: .*would expand to 201 MB"):
        extract_text(data, filename="bomb.docx")
    assert time.monotonic() - started < 1


# --- pdf ----------------------------------------------------------------------------------------


def test_pdf_text_per_page_split_into_paragraphs() -> None:
    html = """<html><head><title>Executive summary</title>
    <style>@page { size: A4; margin: 2cm } p { font-size: 12pt; margin: 0 0 14pt 0 }
    .next { page-break-before: always }</style></head><body>
    <p>Kerry lived with Lee in a flat in Northbridge. The panel thanks her family for their
    help with this review, which has taken longer than anyone wished and which looked at the
    contact every agency had with them both over five years.</p>
    <p>Second paragraph: Northbridge Police attended on 12 March 2021.</p>
    <p class="next">Page two begins here.</p>
    </body></html>"""
    result = extract_text(make_pdf(html), filename="summary.pdf")
    assert result.format == "pdf"
    assert result.title == "Executive summary"
    assert len(result.pages) == 2
    first = result.pages[0].paragraphs
    assert len(first) == 2
    assert first[0].startswith("Kerry lived with Lee in a flat in Northbridge.")
    assert first[0].endswith("over five years.")
    assert first[1] == "Second paragraph: Northbridge Police attended on 12 March 2021."
    assert result.pages[1].paragraphs == ["Page two begins here."]
    assert result.text.count("\n\n") == 2


def test_corrupt_pdf_is_refused_with_the_file_named() -> None:
    with pytest.raises(TextExtractionError, match=r"^broken\.pdf: the PDF is damaged"):
        extract_text(b"%PDF-1.7\n1 0 obj garbage", filename="broken.pdf")


PDF_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
]


def test_a_hand_written_pdf_opens() -> None:
    assert extract_text(classic_pdf(PDF_OBJECTS), filename="blank.pdf").pages[0].paragraphs == []


def test_encrypted_pdf_is_refused() -> None:
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32
    encrypt += b"> /P -4 >>"
    data = classic_pdf([*PDF_OBJECTS, encrypt], b"/Encrypt 4 0 R /ID [<00> <00>] ")
    with pytest.raises(TextExtractionError, match=r"^locked\.pdf: the PDF is encrypted"):
        extract_text(data, filename="locked.pdf")


# --- html ---------------------------------------------------------------------------------------


def test_html_blocks_become_paragraphs_and_scripts_and_navigation_go() -> None:
    html = b"""<!DOCTYPE html><html><head><title>DHR Kerry</title><style>p{}</style></head>
    <body><nav>Home | Reviews</nav><h1>Executive summary</h1>
    <p>Kerry lived <b>with</b> Lee.<br>New line</p><script>var x = 'Joanne';</script>
    <ul><li>One</li><li>Two</li></ul><div>Closing <span>words</span></div></body></html>"""
    result = extract_text(html, filename="page.html")
    assert result.format == "html"
    assert result.title == "DHR Kerry"
    assert result.pages[0].paragraphs == [
        "Executive summary",
        "Kerry lived with Lee. New line",
        "One",
        "Two",
        "Closing words",
    ]
    assert "Joanne" not in result.text and "Home" not in result.text


# --- the format ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"%PDF-1.4 whatever", "report.docx", r"report\.docx: not a Word document \(it is a PDF\)"),
        (b"plain words", "report.pdf", r"report\.pdf: not a PDF \(it is a text file\)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.doc", r"old\.doc: .*\.doc"),
        (b"{\\rtf1 hello}", "letter.rtf", r"letter\.rtf: Lantern cannot read an RTF file"),
        (b"", "empty.txt", r"empty\.txt: the file is empty"),
        (b"\x89PNG\r\n\x1a\n\0\0", "scan.pdf", r"scan\.pdf: not a PDF \(it is an image\)"),
        (b"words", "sheet.xlsx", r"sheet\.xlsx: Lantern cannot read \.xlsx files"),
    ],
)
def test_bad_files_are_refused_naming_file_and_reason(
    data: bytes, filename: str, message: str
) -> None:
    with pytest.raises(TextExtractionError, match=message):
        extract_text(data, filename=filename)


def test_an_excel_workbook_called_docx_is_named_as_such() -> None:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    with pytest.raises(TextExtractionError, match=r"x\.docx: not a Word document \(it is an Excel"):
        sniff_format(buffer.getvalue(), "x.docx")


def test_the_content_decides_when_there_is_no_extension() -> None:
    assert sniff_format(make_docx(), "upload") == "docx"
    assert sniff_format(b"%PDF-1.4", "upload") == "pdf"
    assert sniff_format(b"<!doctype html><p>x</p>", "upload") == "html"
    assert sniff_format(b"hello", "upload") == "txt"


def test_result_is_frozen() -> None:
    result = extract_text(b"x", filename="a.txt")
    assert isinstance(result, ExtractedText)
    with pytest.raises(AttributeError):
        result.text = "y"  # type: ignore[misc]


def test_a_pdf_without_pages_is_named_as_such_even_after_a_locked_one() -> None:
    """PdfDocument's own message can carry the error code of an earlier failure; the reason
    comes from PDFium directly."""
    from lantern.testing.pdfs import password_protected_pdf

    with pytest.raises(TextExtractionError, match="encrypted"):
        extract_text(password_protected_pdf(), filename="locked.pdf")
    with pytest.raises(TextExtractionError, match="no pages"):
        pageless = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
        extract_text(classic_pdf(pageless), filename="empty.pdf")
