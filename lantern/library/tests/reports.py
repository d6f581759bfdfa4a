"""Fictional published reviews for the library's tests: every name and place is invented.

`report()` writes the text of a short report whose facts are known; `as_docx`, `as_html` and
`as_pdf` turn it into the other formats the library reads (a PDF with one page per section).
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field

from docx import Document as DocxDocument


@dataclass
class Report:
    csp: str = "Northbridge Community Safety Partnership"
    pseudonym: str = "Kerry"
    age: int = 42
    year: int = 2019
    report_year: int = 2021
    relationship: str = "former partner"
    killer: str = "Lee"
    story: list[str] = field(
        default_factory=lambda: [
            "Kerry had separated from Lee in early 2019. She had told her GP about his "
            "controlling behaviour and said that he monitored her phone and took her money.",
            "Kerry had been referred to MARAC after a DASH risk assessment scored 16. She "
            "disengaged from services after the police closed the case.",
        ]
    )
    agencies: str = "Eleven"
    recommendations: list[str] = field(
        default_factory=lambda: [
            "The Community Safety Partnership should ensure that all agencies receive training "
            "on coercive control and economic abuse.",
            "Northbridge Police should review how DASH risk assessments are recorded on their "
            "systems.",
        ]
    )

    def sections(self) -> list[list[str]]:
        """The report as pages of paragraphs."""
        intro = [
            self.csp,
            f"Domestic Homicide Review into the death of {self.pseudonym}",
            f"Overview Report, published March {self.report_year}",
        ]
        facts = [
            "1. Introduction",
            f"1.1 This review examines the death of {self.pseudonym}, a {self.age} year old "
            f"woman, who was killed by her {self.relationship}, {self.killer}, in June "
            f"{self.year} at her home. {self.killer} was convicted of murder.",
            *[f"1.{i + 2} {text}" for i, text in enumerate(self.story)],
            f"1.{len(self.story) + 2} {self.agencies} agencies contributed to the review.",
        ]
        recs = ["2. Recommendations", "Overarching recommendations"] + [
            f"{i + 1}. {text}" for i, text in enumerate(self.recommendations)
        ]
        return [intro, facts, recs]

    def text(self) -> str:
        return "\n\n".join(p for page in self.sections() for p in page)

    def as_txt(self) -> bytes:
        return self.text().encode()

    def as_docx(self) -> bytes:
        doc = DocxDocument()
        for page in self.sections():
            for paragraph in page:
                doc.add_paragraph(paragraph)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()

    def as_html(self) -> bytes:
        body = "".join(f"<p>{html.escape(p)}</p>" for page in self.sections() for p in page)
        title = html.escape(f"Domestic Homicide Review: {self.pseudonym}")
        head = f"<head><title>{title}</title></head>"
        return f"<!DOCTYPE html><html>{head}<body>{body}</body></html>".encode()

    def as_pdf(self) -> bytes:
        from weasyprint import HTML

        pages = "".join(
            '<section style="page-break-after: always">'
            + "".join(f"<p>{html.escape(p)}</p>" for p in page)
            + "</section>"
            for page in self.sections()
        )
        return HTML(string=f"<html><body>{pages}</body></html>").write_pdf()


def other_report() -> Report:
    """A second, different review: a son who killed his mother, an older victim."""
    return Report(
        csp="Southmoor Community Safety Partnership",
        pseudonym="Margaret",
        age=78,
        year=2016,
        report_year=2018,
        relationship="son",
        killer="Paul",
        story=[
            "Margaret was her son's carer. Paul misused alcohol and had been treated for "
            "psychosis by the mental health trust.",
            "Housing officers had visited the flat after neighbours complained about noise.",
        ],
        agencies="Six",
        recommendations=[
            "The mental health trust should ensure that carers of patients with psychosis are "
            "offered a carer's assessment.",
            "The Community Safety Partnership should ensure that all agencies receive training "
            "on coercive control and economic abuse.",
        ],
    )
