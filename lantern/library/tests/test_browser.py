"""The library's main journey in headless Chromium: a coordinator adds published reports,
searches them, checks a fact; a chair sees published reviews like their live review."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.core.tests.browser_support import click_and_wait
from lantern.core.tests.test_browser import browser_page, shot, sign_in  # noqa: F401
from lantern.library.models import Document
from lantern.library.tests.reports import Report, other_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_search_correct_and_compare(browser_page, live_server, cast, tmp_path: Path) -> None:  # noqa: F811, ANN001
    from lantern.library.corpus import generate_report

    files = []
    for seed, fmt in ((3, "pdf"), (4, "docx"), (5, "html")):
        report = generate_report(seed, fmt=fmt)
        files.append(tmp_path / report.filename)
        files[-1].write_bytes(report.data)
    (tmp_path / "kerry.txt").write_bytes(Report().as_txt())
    (tmp_path / "margaret.docx").write_bytes(other_report().as_docx())
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 not a real PDF")
    files += [tmp_path / "kerry.txt", tmp_path / "margaret.docx", tmp_path / "scan.pdf"]

    page = browser_page
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/library/add/")
    page.set_input_files("input[type=file]", [str(f) for f in files])
    page.get_by_label("Where they come from").fill("Partnership websites, November 2026")
    shot(page, "library-add")
    click_and_wait(page.get_by_role("button", name="Add to the library"))
    page.get_by_text("Finished: read 6 of 6 files").wait_for(timeout=60_000)
    assert "scan.pdf" in page.content()
    shot(page, "library-added")
    assert Document.objects.count() == 5

    page.goto(f"{live_server.url}/library/?q=MARAC+referral")
    assert page.locator("mark").count() >= 1
    shot(page, "library-search")
    page.goto(f"{live_server.url}/library/?q=older+mother+killed+by+her+son&semantic=on")
    shot(page, "library-search-meaning")

    kerry = Document.objects.get(filename="kerry.txt")
    page.goto(f"{live_server.url}/library/documents/{kerry.pk}/")
    shot(page, "library-document")
    page.goto(f"{live_server.url}/library/documents/{kerry.pk}/facts/relationship_category/")
    page.get_by_label("Perpetrator's relationship to the victim").select_option("current_partner")
    page.get_by_label("Note").fill("1.1: they had separated but still lived together")
    click_and_wait(page.get_by_role("button", name="Save the correction"))
    assert "corrected" in page.content()
    shot(page, "library-corrected")

    page.goto(f"{live_server.url}/library/learning/")
    assert page.locator("svg.lantern-chart__svg").count() >= 3
    shot(page, "library-learning")

    page.context.clear_cookies()
    sign_in(page, live_server, "chair")
    page.goto(f"{live_server.url}/library/reviews/{cast.review.reference}/similar/")
    assert "Published reviews like this one" in page.content()
    shot(page, "library-similar-to-live-review")
    assert page.console_errors == []
