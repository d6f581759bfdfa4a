from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lantern.library import services
from lantern.library.tests.reports import Report, other_report


@pytest.fixture
def system(db) -> Any:  # noqa: ANN001
    from lantern.accounts.models import User

    return User.objects.system()


@pytest.fixture
def two_reports(system: Any) -> list[Any]:
    """Two different reviews in the library, their meaning index fitted."""
    from lantern.library.models import Document

    for name, report in (("kerry.txt", Report()), ("margaret.txt", other_report())):
        result = services.document_ingest(data=report.as_txt(), filename=name, by=system)
        assert result.status == "stored", result.reason
    services.semantic_update()
    return list(Document.objects.order_by("id"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of reports in every format, one damaged file and one of another type."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "kerry.txt").write_bytes(Report().as_txt())
    (tmp_path / "margaret.docx").write_bytes(other_report().as_docx())
    (tmp_path / "sub" / "amira.html").write_bytes(
        Report(
            pseudonym="Amira",
            csp="Eastfield Community Safety Partnership",
            year=2020,
            report_year=2022,
            age=23,
            relationship="husband",
            killer="Omar",
        ).as_html()
    )
    (tmp_path / "sub" / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a PDF")
    (tmp_path / "notes.md5").write_bytes(b"not a report")
    return tmp_path
