"""The DOCX documents open cleanly in LibreOffice: converted headless to PDF, every page is
there, headings and the marking with it, and the briefing stays within two pages.

Needs LibreOffice Writer (`make system-deps` installs libreoffice-writer-nogui); skipped where
it is missing, except on CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from lantern.documents.services import render_document
from lantern.documents.tests.conftest import REAL_NAMES, TODAY
from lantern.documents.tests.support import names_found, pdf_pages

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def convert(tmp_path: Path):  # noqa: ANN201
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing on CI: `make system-deps` installs it")
        pytest.skip("LibreOffice is not installed (make system-deps)")

    def to_pdf(content: bytes, name: str) -> list[str]:
        source = tmp_path / name
        source.write_bytes(content)
        profile = tmp_path / "profile"  # its own profile: no clash with another LibreOffice
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return pdf_pages((tmp_path / source.with_suffix(".pdf").name).read_bytes())

    return to_pdf


def test_the_documents_convert_in_libreoffice(documented, convert) -> None:
    review = documented.review
    briefing = convert(
        render_document(review, "briefing", fmt="docx", issued_to="Panel", today=TODAY),
        "briefing.docx",
    )
    assert 1 <= len(briefing) <= 2
    assert "1. Context" in briefing[0] and "OFFICIAL-SENSITIVE" in briefing[0]
    report = convert(
        render_document(review, "overview_report", fmt="docx", issued_to="Panel", today=TODAY),
        "report.docx",
    )
    text = " ".join(" ".join(page.split()) for page in report)
    assert len(report) >= 5
    assert "18. Recommendations" in text and "Appendix C: Combined chronology" in text
    assert all("OFFICIAL-SENSITIVE" in page for page in report)
    assert f"Page {len(report)} of {len(report)}" in " ".join(report[-1].split())
    assert names_found(text, REAL_NAMES) == []
    plan = convert(render_document(review, "action_plan", fmt="docx"), "plan.docx")
    assert "Action to take" in plan[0]
