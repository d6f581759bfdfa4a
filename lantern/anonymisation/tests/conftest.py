"""Documents the anonymisation tests build: a Word file with names split across runs, a PDF."""

from __future__ import annotations

import io

import docx
import pytest

DRAFT_TEXT = (
    "Executive summary\n\n"
    "Kerry (Joanne Whitfield) lived at 14 Mill Lane with Lee. On 12 March 2021 PC Hollins "
    "attended. Her phone was 07700 900461.\n\n"
    "Northbridge Police referred the case to MARAC in March 2021."
)


def make_docx(paragraphs: list[list[tuple[str, dict]]]) -> bytes:
    """A Word document; each paragraph a list of runs (text, {"bold": True, ...})."""
    document = docx.Document()
    for runs in paragraphs:
        p = document.add_paragraph()
        for text, fmt in runs:
            run = p.add_run(text)
            run.bold = fmt.get("bold")
            run.italic = fmt.get("italic")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def split_docx() -> bytes:
    return make_docx(
        [
            [("Executive summary", {"bold": True})],
            [
                ("Kerry (Jo", {}),
                ("anne Whit", {"bold": True}),
                ("field) lived with Lee. ", {}),
                ("PC Hollins", {"italic": True}),
                (" attended on 12 March 2021.", {}),
            ],
            [("Northbridge Police made a referral in March 2021.", {})],
        ]
    )


def make_pdf(text: str) -> bytes:
    from weasyprint import HTML

    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return HTML(string=f"<html><body>{paragraphs}</body></html>").write_pdf()
