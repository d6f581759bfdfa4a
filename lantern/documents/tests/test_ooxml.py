"""Every DOCX and XLSX Lantern generates is a sound Office Open XML package, and opens again."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document as DocxDocument
from openpyxl import load_workbook

from lantern.documents.content.ooxml import package_problems
from lantern.documents.services import DOCUMENT_KINDS, FORMATS, render_document
from lantern.documents.tests.conftest import TODAY

PACKAGES = [
    (kind, fmt) for kind in DOCUMENT_KINDS for fmt in FORMATS[kind] if fmt in ("docx", "xlsx")
]


@pytest.mark.parametrize(("kind", "fmt"), PACKAGES)
def test_each_package_is_valid_and_reopens(documented, kind, fmt) -> None:
    content = render_document(documented.review, kind, fmt=fmt, issued_to="Panel", today=TODAY)
    assert package_problems(content) == []
    if fmt == "docx":
        document = DocxDocument(io.BytesIO(content))
        assert document.paragraphs
        assert document.core_properties.author == "Lantern"
    else:
        workbook = load_workbook(io.BytesIO(content))
        assert workbook.active.max_row > 1


def _rewrite(content: bytes, change) -> bytes:  # noqa: ANN001
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info.filename))
            if data is not None:
                target.writestr(info.filename, data)
    return out.getvalue()


def test_the_check_finds_what_would_make_word_refuse_a_document(documented) -> None:
    good = render_document(documented.review, "briefing", fmt="docx", today=TODAY)

    def drop_styles(name: str, data: bytes) -> bytes | None:
        return None if name == "word/styles.xml" else data

    assert any(
        "styles.xml, which is not there" in p for p in package_problems(_rewrite(good, drop_styles))
    )

    def unknown_part(name: str, data: bytes) -> bytes:
        return data

    extra = io.BytesIO(good)
    with zipfile.ZipFile(extra, "a") as package:
        package.writestr("word/notes.bin", b"x")
    assert "No content type for the part /word/notes.bin" in package_problems(extra.getvalue())

    def broken_xml(name: str, data: bytes) -> bytes:
        return data.replace(b"</w:body>", b"") if name == "word/document.xml" else data

    assert any("not well-formed" in p for p in package_problems(_rewrite(good, broken_xml)))

    def misordered(name: str, data: bytes) -> bytes:
        if name != "word/settings.xml":
            return data
        # w:updateFields moved to the end, after w:listSeparator.
        text = data.decode()
        start = text.index("<w:updateFields")
        end = text.index("/>", start) + 2
        element, text = text[start:end], text[:start] + text[end:]
        return text.replace("</w:settings>", element + "</w:settings>").encode()

    assert any(
        "w:updateFields comes after" in p for p in package_problems(_rewrite(good, misordered))
    )
    assert package_problems(b"not a zip") == ["Not a ZIP package"]
