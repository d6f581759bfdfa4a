"""The library's pages: who may open them, search with highlighting, corrections, learning
exports, the upload with its progress, and published reviews beside a live one."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from lantern.core.models import AuditEvent
from lantern.library import services
from lantern.library.models import Document, IngestJob
from lantern.library.tests.reports import Report

pytestmark = pytest.mark.django_db


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_the_library_is_for_everyone_signed_in_and_nobody_else(
    client: Client, cast: Any, two_reports: list
) -> None:
    kerry = two_reports[0]
    urls = [
        reverse("library:home"),
        reverse("library:document", args=[kerry.pk]),
        reverse("library:learning"),
        reverse("library:learning_csv"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"], url
    _login(client, cast.agency_author)
    for url in urls:
        assert client.get(url).status_code == 200, url


@override_settings(LANTERN_LIBRARY_ACCESS="public")
def test_a_public_library_is_open_to_anyone_for_reading_only(
    client: Client, two_reports: list
) -> None:
    kerry = two_reports[0]
    assert client.get(reverse("library:home"), {"q": "MARAC"}).status_code == 200
    assert client.get(reverse("library:document", args=[kerry.pk])).status_code == 200
    assert client.get(reverse("library:ingest")).status_code == 302
    assert client.get(reverse("library:correct", args=[kerry.pk, "year"])).status_code == 302


def test_search_page_highlights_escaped_snippets_and_filters(
    client: Client, cast: Any, system: Any
) -> None:
    report = Report(story=["She said <script>alert(1)</script> to the MARAC coordinator."])
    services.document_ingest(data=report.as_txt(), filename="k.txt", by=system)
    _login(client, cast.panel_member)
    response = client.get(reverse("library:home"), {"q": "MARAC coordinator"})
    html = response.content.decode()
    assert "<mark>MARAC</mark>" in html
    assert "<script>alert(1)" not in html
    assert "alert(1)" in html  # shown as text (escaped; PostgreSQL's headline drops the tag)
    assert AuditEvent.objects.filter(object_type="library search", actor=cast.panel_member).exists()
    filtered = client.get(
        reverse("library:home"), {"q": "MARAC", "relationship": "son_or_daughter"}
    )
    assert "<mark>" not in filtered.content.decode()


def test_a_document_page_shows_facts_with_their_passage_and_the_text_by_page(
    client: Client, cast: Any, two_reports: list
) -> None:
    kerry = two_reports[0]
    _login(client, cast.chair)
    html = client.get(reverse("library:document", args=[kerry.pk])).content.decode()
    assert "Former partner" in html
    assert "killed by her former partner" in html  # the evidence passage
    assert "Page 1" in html
    assert reverse("library:correct", args=[kerry.pk, "year"]) not in html  # a chair may not edit


def test_a_coordinator_corrects_a_fact_and_it_is_shown_as_corrected(
    client: Client, cast: Any, two_reports: list
) -> None:
    kerry = two_reports[0]
    url = reverse("library:correct", args=[kerry.pk, "relationship_category"])
    _login(client, cast.chair)
    assert client.post(url, {"value": "parent"}).status_code == 403
    _login(client, cast.coordinator)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"value": "cousin"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()
    response = client.post(url, {"value": "current_partner", "note": "See 1.1"})
    assert response.status_code == 302
    kerry.refresh_from_db()
    assert kerry.relationship_category == "current_partner"
    page = client.get(reverse("library:document", args=[kerry.pk])).content.decode()
    assert "Corrected" in page and "Current partner" in page
    themes = reverse("library:correct", args=[kerry.pk, "themes"])
    client.post(themes, {"value": ["stalking", "marac"]})
    kerry.refresh_from_db()
    assert kerry.facts["themes"] == ["stalking", "marac"]
    client.post(reverse("library:correct", args=[kerry.pk, "year"]), {"confirm": "1"})
    assert kerry.corrections.get(field="year").kind == "confirm"


def test_learning_page_and_its_exports(client: Client, cast: Any, two_reports: list) -> None:
    _login(client, cast.board_member)
    html = client.get(reverse("library:learning")).content.decode()
    assert "Recurring recommendations" in html
    assert "training on coercive control" in html
    assert "<svg" in html
    csv_text = client.get(reverse("library:learning_csv")).content.decode()
    assert "Themes" in csv_text and "MARAC" in csv_text
    xlsx = client.get(reverse("library:learning_xlsx"))
    book = load_workbook(io.BytesIO(xlsx.content))
    themes = {row[1]: row[2] for row in book["Themes"].iter_rows(min_row=2, values_only=True)}
    assert themes["marac"] == 1
    assert AuditEvent.objects.filter(object_type="library learning", action="export").count() == 2


def test_uploading_files_runs_a_job_whose_progress_is_shown(
    client: Client, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    _login(client, cast.agency_author)
    assert client.get(reverse("library:ingest")).status_code == 403
    _login(client, cast.coordinator)
    files = [
        SimpleUploadedFile("kerry.docx", Report().as_docx()),
        SimpleUploadedFile("broken.pdf", b"%PDF-1.4 nothing"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("library:ingest"), {"files": files, "source_note": "CSP site"}
        )
    job = IngestJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "library:job", args=[job.pk]
    )
    status = client.get(reverse("library:job_status", args=[job.pk])).content.decode()
    assert "Finished: read 2 of 2 files" in status
    assert "broken.pdf" in status
    assert "hx-get" not in status  # finished: no more polling
    assert Document.objects.get().source_note == "CSP site"


def test_published_reviews_beside_a_live_review_are_for_its_members(
    client: Client, cast: Any, two_reports: list
) -> None:
    cast.review.circumstances = (
        "Kerry was killed by her former partner after she separated from him."
    )
    cast.review.save()
    url = reverse("library:review_similar", args=[cast.review.reference])
    _login(client, cast.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    _login(client, cast.admin)
    assert client.get(url).status_code == 404
    _login(client, cast.chair)
    response = client.get(url)
    assert response.status_code == 200
    assert "Published reviews like this one" in response.content.decode()
    assert client.post(url).status_code == 405
