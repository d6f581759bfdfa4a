"""The check in headless Chromium: upload a draft, see the findings marked, resolve them,
download the corrected file. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lantern.anonymisation.models import Check
from lantern.anonymisation.tests.conftest import DRAFT_TEXT
from lantern.core.tests.browser_support import click_and_wait
from lantern.core.tests.test_browser import browser_page, shot, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_checks_a_draft_and_resolves_its_findings(
    browser_page,  # noqa: F811
    live_server,
    cast,
    tmp_path,
) -> None:
    page = browser_page
    draft = tmp_path / "executive-summary.txt"
    draft.write_text(DRAFT_TEXT, encoding="utf-8")
    sign_in(page, live_server, "chair")
    page.goto(f"{live_server.url}/reviews/{cast.review.reference}/anonymisation/")
    page.get_by_label("Upload a document").set_input_files(str(draft))
    shot(page, "anonymisation-01-upload")
    click_and_wait(page.get_by_role("button", name="Check", exact=True))
    assert page.locator("mark.anon-mark").count() == Check.objects.get().findings.count()
    assert "0 of" in page.locator("#progress").inner_text()
    shot(page, "anonymisation-02-findings")

    # Keep the first finding without a reason: refused, with the error summary.
    first = page.locator("#finding-1")
    first.get_by_label("Keep it as it is").check()
    click_and_wait(first.get_by_role("button", name="Save decision 1"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    shot(page, "anonymisation-03-error")

    total = Check.objects.get().findings.count()
    for n in range(1, total + 1):
        block = page.locator(f"#finding-{n}")
        block.get_by_label("Replace it").check()
        click_and_wait(block.get_by_role("button", name=f"Save decision {n}"))
    assert f"{total} of {total} resolved" in page.locator("#progress").inner_text()
    shot(page, "anonymisation-04-resolved")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download executive-summary-anonymised.txt").click()
    corrected = download.value.path().read_text(encoding="utf-8")
    assert "Joanne" not in corrected and "Kerry (Kerry)" in corrected
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
