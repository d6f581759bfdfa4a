"""Browser journeys in headless Chromium (Debian's package), with screenshots saved.

Screenshots go to test-artifacts/browser/ so that a person can look at what the run saw.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "browser"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page():  # noqa: ANN201
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing on CI: `make system-deps` installs it")
        pytest.skip("Debian's chromium is not installed (make system-deps)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (not the live server's thread) are safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.console_errors = errors  # type: ignore[attr-defined]
        yield page
        browser.close()


def sign_in(page, live_server, username: str) -> None:  # noqa: ANN001
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()


def shot(page, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_coordinator_notifies_a_death_and_records_the_decision(
    browser_page, live_server, cast
) -> None:
    page = browser_page
    sign_in(page, live_server, "coordinator")
    assert page.get_by_role("heading", name="Reviews").is_visible()
    assert page.get_by_role("link", name=cast.review.reference).is_visible()
    shot(page, "01-dashboard")

    page.get_by_role("link", name="Notify a death").first.click()
    page.get_by_label("Community Safety Partnership").select_option(label=cast.csp.name)
    page.get_by_label("Date notified").fill("2024-11-02")
    page.get_by_label("Date of death").fill("2024-10-30")
    page.get_by_label("Type of death").select_option("homicide")
    shot(page, "02-notify")
    page.get_by_role("button", name="Send notification").click()
    heading = page.locator("h1").inner_text()
    shot(page, "03-new-review")
    assert "DHR-2024" in page.locator("body").inner_text()
    assert heading

    # The coordinator was alerted by the background task.
    from lantern.reviews.models import Alert

    assert Alert.objects.filter(user=cast.coordinator).exists()
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_errors_are_shown_in_a_govuk_error_summary(browser_page, live_server, cast) -> None:
    page = browser_page
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/reviews/notify/")
    page.get_by_role("button", name="Send notification").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "There is a problem" in summary.inner_text()
    shot(page, "04-notify-errors")


def test_outsider_cannot_discover_the_review(browser_page, live_server, cast) -> None:
    page = browser_page
    sign_in(page, live_server, "outsider")
    assert cast.review.reference not in page.locator("body").inner_text()
    response = page.goto(f"{live_server.url}/reviews/{cast.review.reference}/")
    assert response is not None and response.status == 404
    shot(page, "05-outsider-404")
