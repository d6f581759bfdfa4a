"""The 7-minute briefing is shared beyond the panel, so the anonymisation check must find
nothing in it: dates are month and year, people are pseudonyms."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.anonymisation.services import check_review_text
from lantern.core.textextract import extract_text
from lantern.documents.services import render_briefing
from lantern.documents.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("heading_set", ["standard", "alternative"])
def test_the_generated_briefing_has_no_findings(
    documented: Any, fmt: str, heading_set: str
) -> None:
    from lantern.documents.models import DocumentSettings

    settings, _ = DocumentSettings.objects.get_or_create(review=documented.review)
    settings.heading_set = heading_set
    settings.save()
    data = render_briefing(documented.review, fmt=fmt, issued_to="Northbridge Homes", today=TODAY)
    text = extract_text(data, filename=f"briefing.{fmt}").text
    findings = check_review_text(review=documented.review, text=text)
    assert findings == [], [(f["text"], f["category"]) for f in findings]
