"""Reading generated documents back: the text a reader (or a search) would find in them."""

from __future__ import annotations

import io
import re
import zipfile

import pypdfium2


def pdf_pages(content: bytes) -> list[str]:
    pdf = pypdfium2.PdfDocument(content)
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def package_text(content: bytes) -> str:
    """Every XML part of a DOCX or XLSX: the raw XML and its text with the tags taken out (so
    that a name split across runs is still found)."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                xml = package.read(name).decode("utf-8")
                parts.append(xml)
                parts.append(re.sub(r"<[^>]+>", "", xml))
    return "\n".join(parts)


def docx_paragraphs(content: bytes) -> list[tuple[str, str]]:
    """(style name, text) of each paragraph of the body, in order."""
    from docx import Document

    document = Document(io.BytesIO(content))
    return [(p.style.name, p.text) for p in document.paragraphs]


def text_of(content: bytes, fmt: str) -> str:
    if fmt == "pdf":
        return "\n".join(pdf_pages(content))
    if fmt in ("docx", "xlsx"):
        return package_text(content)
    return content.decode("utf-8")


def names_found(text: str, names: tuple[str, ...]) -> list[str]:
    # Text extracted from a PDF may break a line inside a name: compare with spaces normalised.
    flat = re.sub(r"\s+", " ", text)
    return [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", flat)]
