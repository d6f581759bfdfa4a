"""Helpers for the publication tests: real DOCX and PDF files, and a review in drafting."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document

from lantern.conftest import Cast
from lantern.reviews import lifecycle
from lantern.reviews.models import Decision, Review, Stage
from lantern.reviews.services import decision_record, terms_save

# The sections of the standard overview report that the checklist looks for, with text that
# names nobody (pseudonyms and agencies only).
SECTIONS = (
    (
        "Introduction",
        "This review considers the death of Kerry, a pseudonym agreed with her family.",
    ),
    ("Timescales", "The review began in 2024 and was paused for the criminal trial."),
    ("Terms of reference", "The panel agreed terms of reference covering 2020 to 2024."),
    ("Involvement of family", "Kerry's family met the chair and read the draft report."),
    ("Statement of independence", "The chair and author are independent of every agency."),
    ("Equality and diversity", "The panel considered each protected characteristic."),
    ("Chronology", "Northbridge Police had contact with Kerry in March 2022."),
    ("Recommendations", "The panel makes three recommendations for the partnership."),
    ("Dissemination", "The learning will be shared with every partner agency."),
)


def docx_bytes(title: str = "Overview report", sections=SECTIONS) -> bytes:  # noqa: ANN001
    document = Document()
    document.add_heading(title, level=0)
    for heading, text in sections:
        document.add_heading(heading, level=1)
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str = "Executive summary. The review of Kerry's death.") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<h1>Executive summary</h1><p>{text}</p>").write_pdf()


def zip_not_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    return buffer.getvalue()


def docm_bytes() -> bytes:
    """A Word document with a macro part: refused."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item.filename))
        archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def to_drafting(cast: Cast) -> Review:
    """The cast's review, decided, commissioned and in drafting, through the real services."""
    review, by = cast.review, cast.coordinator
    decision_record(
        review=review,
        by=by,
        outcome=Decision.Outcome.HOLD,
        decided_on=dt.date(2024, 10, 20),
        decided_by="CSP chair",
        consulted=["Police", "Health"],
        rationale="Criteria met.",
    )
    review.refresh_from_db()
    terms_save(
        review=review,
        by=by,
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2024, 9, 20),
        key_lines_of_enquiry=["Risk"],
        agreed_on=dt.date(2024, 11, 1),
    )
    for target in (Stage.COMMISSIONED, Stage.GATHERING, Stage.DRAFTING):
        review = lifecycle.review_transition(review=review, by=by, target=target)
    return review


@pytest.fixture
def drafting(cast: Cast) -> Review:
    return to_drafting(cast)
