"""The documents pages, for each role: the list and issue log, issuing a copy, the briefing
page and the settings form."""

from __future__ import annotations

import pytest

from lantern.core.models import AuditEvent
from lantern.documents.models import DocumentIssue, DocumentSettings
from lantern.documents.tests.conftest import REAL_NAMES
from lantern.documents.tests.support import names_found, pdf_pages

READERS = ("coordinator", "chair", "author", "panel_member")
NOT_READERS = ("agency_author", "other_agency_author", "board_member")


def url(ref: str, page: str = "") -> str:
    return f"/reviews/{ref}/documents/{page}"


@pytest.mark.parametrize("role", READERS)
def test_members_who_may_read_documents_see_the_page(client, documented, role) -> None:
    client.force_login(getattr(documented.cast, role))
    response = client.get(url(documented.reference))
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("Overview report", "Executive summary", "Action plan", "7-minute briefing"):
        assert name in body
    assert 'value="action_plan.xlsx"' in body and 'value="briefing.html"' in body
    assert ("Change the document settings" in body) == (role != "panel_member")


@pytest.mark.parametrize("role", NOT_READERS)
def test_members_without_view_documents_are_refused(client, documented, role) -> None:
    client.force_login(getattr(documented.cast, role))
    for page in ("", "briefing/", "settings/"):
        assert client.get(url(documented.reference, page)).status_code == 403
    response = client.post(url(documented.reference, "issue/"), {"document": "briefing.pdf"})
    assert response.status_code == 403
    assert not DocumentIssue.objects.exists()


def test_outsider_gets_404(client, documented) -> None:
    client.force_login(documented.cast.outsider)
    assert client.get(url(documented.reference)).status_code == 404
    assert client.post(url(documented.reference, "issue/"), {}).status_code == 404


def test_issuing_a_copy_downloads_it_and_logs_it(client, documented) -> None:
    client.force_login(documented.cast.author)
    response = client.post(
        url(documented.reference, "issue/"),
        {"document": "briefing.pdf", "issued_to": "Northbridge Homes team"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="NB-DHR-2024-07-7-minute-briefing.pdf"'
    )
    pages = pdf_pages(response.content)
    assert "Issued to Northbridge Homes team" in " ".join(pages[0].split())
    issue = DocumentIssue.objects.get()
    assert (issue.kind, issue.fmt, issue.issued_to) == ("briefing", "pdf", "Northbridge Homes team")
    page = client.get(url(documented.reference)).content.decode()
    assert "Northbridge Homes team" in page and issue.sha256[:16] in page


def test_a_get_of_the_issue_url_is_not_allowed_and_a_bad_choice_is_shown(
    client, documented
) -> None:
    client.force_login(documented.cast.chair)
    assert client.get(url(documented.reference, "issue/")).status_code == 405
    response = client.post(url(documented.reference, "issue/"), {"document": "briefing.xlsx"})
    assert response.status_code == 400
    assert "Choose a document and a format." in response.content.decode()
    assert not DocumentIssue.objects.exists()


def test_the_briefing_page_shows_seven_numbered_sections_in_pseudonyms(client, documented) -> None:
    client.force_login(documented.cast.panel_member)
    response = client.get(url(documented.reference, "briefing/"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="lantern-briefing__section"') == 7
    assert "Kerry was a woman in her late thirties" in body
    # The page's own content; the header shows the signed-in user's (randomly generated) name.
    main = body[body.index("<main") : body.index("</main>")]
    assert names_found(main, REAL_NAMES) == []
    assert AuditEvent.objects.filter(object_type="7-minute briefing", action="read").exists()


def test_settings_form_changes_the_review_and_for_coordinators_the_partnership(
    client, documented
) -> None:
    cast = documented.cast
    client.force_login(cast.chair)
    page = client.get(url(documented.reference, "settings/")).content.decode()
    assert "partnership_default" not in page  # only the partnership's coordinators
    response = client.post(
        url(documented.reference, "settings/"),
        {"heading_set": "alternative", "marking": "OFFICIAL", "local_services": "Refuge"},
    )
    assert response.status_code == 302
    row = DocumentSettings.objects.get(review=documented.review)
    assert (row.heading_set, row.marking, row.local_services) == (
        "alternative",
        "OFFICIAL",
        "Refuge",
    )
    assert not DocumentSettings.objects.filter(csp=cast.csp).exists()
    client.force_login(cast.coordinator)
    assert (
        "partnership_default" in client.get(url(documented.reference, "settings/")).content.decode()
    )
    client.post(
        url(documented.reference, "settings/"),
        {"heading_set": "standard", "marking": "OFFICIAL", "partnership_default": "on"},
    )
    assert DocumentSettings.objects.get(csp=cast.csp).heading_set == "standard"
    invalid = client.post(url(documented.reference, "settings/"), {"heading_set": "other"})
    assert invalid.status_code == 200
    assert "Error:" in invalid.content.decode()
    client.force_login(cast.panel_member)
    assert client.post(url(documented.reference, "settings/"), {"marking": "X"}).status_code == 403
