"""Browser journeys in headless Chromium (Debian's package), with screenshots saved.

Screenshots go to test-artifacts/browser/ so that a person can look at what the run saw.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lantern.conftest import PASSWORD
from lantern.core.tests import browser_support
from lantern.core.tests.browser_support import click_and_wait

ARTIFACTS = browser_support.ARTIFACTS / "browser"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page():  # noqa: ANN201
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with browser_support.chromium_page() as page:
        yield page


def sign_in(page, live_server, username: str) -> None:  # noqa: ANN001
    browser_support.sign_in(page, live_server.url, username, PASSWORD)


def shot(page, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_coordinator_notifies_a_death_and_records_the_decision(
    browser_page, live_server, cast
) -> None:
    page = browser_page
    sign_in(page, live_server, "coordinator")
    expect(page.get_by_role("heading", name="Reviews")).to_be_visible()
    expect(page.get_by_role("link", name=cast.review.reference)).to_be_visible()
    shot(page, "01-dashboard")

    click_and_wait(page.get_by_role("link", name="Notify a death").first)
    page.get_by_label("Community Safety Partnership").select_option(label=cast.csp.name)
    page.get_by_label("Date notified").fill("2024-11-02")
    page.get_by_label("Date of death").fill("2024-10-30")
    page.get_by_label("Type of death").select_option("homicide")
    shot(page, "02-notify")
    click_and_wait(page.get_by_role("button", name="Send notification"))
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
    click_and_wait(page.get_by_role("button", name="Send notification"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "There is a problem" in summary.inner_text()
    shot(page, "04-notify-errors")


def test_outsider_cannot_discover_the_review(browser_page, live_server, cast) -> None:
    page = browser_page
    sign_in(page, live_server, "outsider")
    assert cast.review.reference not in page.locator("body").inner_text()
    response = page.goto(f"{live_server.url}/reviews/{cast.review.reference}/")
    assert response is not None and response.status == 404
    shot(page, "05-outsider-404")
