"""The documents journey in headless Chromium: the chair opens the documents page, reads the
briefing, changes its headings, and downloads a PDF, which the issue log then shows."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lantern.core.tests.browser_support import click_and_wait
from lantern.core.tests.test_browser import browser_page, shot, sign_in  # noqa: F401
from lantern.documents.models import DocumentIssue
from lantern.documents.tests.conftest import fill_review
from lantern.documents.tests.support import pdf_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_read_configure_and_download(browser_page, live_server, cast) -> None:  # noqa: F811, ANN001
    fill_review(cast)
    page = browser_page
    base = f"{live_server.url}/reviews/{cast.review.reference}/documents/"
    sign_in(page, live_server, "chair")
    page.goto(base)
    expect(page.get_by_role("heading", name="Documents", exact=True)).to_be_visible()
    shot(page, "documents-list")

    click_and_wait(page.get_by_role("link", name="Read it here"))
    assert page.locator(".lantern-briefing__section").count() == 7
    assert "Kerry was a woman in her late thirties" in page.content()
    shot(page, "documents-briefing")

    page.goto(base + "settings/")
    page.get_by_label("Headings of the 7-minute briefing").select_option("alternative")
    page.get_by_label("Local domestic abuse services").fill("Northbridge Women's Aid: 01234 567890")
    shot(page, "documents-settings")
    click_and_wait(page.get_by_role("button", name="Save settings"))
    assert "The document settings are saved." in page.content()

    page.get_by_label("Issued to").fill("Northbridge Homes")
    with page.expect_download() as download:
        page.get_by_role("button", name="PDF 7-minute briefing").click()
    path = download.value.path()
    assert download.value.suggested_filename == "NB-DHR-2024-07-7-minute-briefing.pdf"
    with open(path, "rb") as stream:
        pages = pdf_pages(stream.read())
    assert len(pages) <= 2 and "Case summary" in pages[0]
    assert DocumentIssue.objects.get().issued_to == "Northbridge Homes"
    page.reload()
    assert "Northbridge Homes" in page.locator("table").nth(1).inner_text()
    shot(page, "documents-issued")
    assert page.console_errors == []
