"""Helpers for the returns and IMR tests: dates, documents, and a review whose agencies have
been asked about contact."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

from django.utils import timezone

from lantern.chronology import services_returns as services
from lantern.chronology.imr_template import imr_template_docx
from lantern.chronology.models import AgencyReturn
from lantern.conftest import Cast
from lantern.core.models import AuditEvent
from lantern.testing.pdfs import tiny_pdf


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def docx_bytes() -> bytes:
    return imr_template_docx(reference="NB-DHR-2024-07")


def pdf_bytes() -> bytes:
    """A real one-page PDF: Lantern opens every PDF it keeps."""
    return tiny_pdf("Police IMR, version 1.")


def exe_bytes() -> bytes:
    """A Windows program (MZ header) with a zip holding Word's parts appended: it opens as a
    zip, so only the check of the first bytes refuses it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return (
        b"MZ\x90\x00\x03\x00\x00\x00"
        + b"\x00" * 120
        + b"This program cannot be run"
        + (buffer.getvalue())
    )


def ask_all(cast: Cast, asked_on: date | None = None) -> dict[str, AgencyReturn]:
    """Ask police and housing about contact (as the coordinator)."""
    asked_on = asked_on or days_ago(40)
    services.returns_ask(
        review=cast.review,
        by=cast.coordinator,
        agencies=[cast.police, cast.housing],
        asked_on=asked_on,
    )
    return {
        "police": AgencyReturn.objects.get(review=cast.review, agency=cast.police),
        "housing": AgencyReturn.objects.get(review=cast.review, agency=cast.housing),
    }


def audit_count(cast: Cast, **filters: object) -> int:
    return AuditEvent.objects.filter(review=cast.review, **filters).count()
