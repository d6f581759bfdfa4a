"""The action plan's main journey in headless Chromium: a coordinator imports the plan, an
agency author records progress on their agency's action, the board sees where it stands."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.core.tests.browser_support import click_and_wait
from lantern.core.tests.test_browser import browser_page, shot, sign_in  # noqa: F401
from lantern.recommendations.models import Action
from lantern.recommendations.tests.workbooks import write_published_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_update_and_oversee(browser_page, live_server, cast, tmp_path: Path) -> None:  # noqa: F811, ANN001
    page = browser_page
    plan_url = f"{live_server.url}/reviews/{cast.review.reference}/actions/"
    sign_in(page, live_server, "coordinator")
    page.goto(plan_url + "import/")
    page.set_input_files("input[type=file]", str(write_published_plan(tmp_path / "plan.xlsx")))
    click_and_wait(page.get_by_role("button", name="Import"))
    page.wait_for_url(plan_url)
    assert "Imported 6 recommendations and 10 actions" in page.content()
    shot(page, "actions-plan")

    action = Action.objects.get(recommendation__number="SA1", position=1)
    page.goto(f"{live_server.url}/accounts/login/")
    page.context.clear_cookies()
    sign_in(page, live_server, "agency_author")
    page.goto(f"{plan_url}{action.pk}/")
    page.get_by_label("Complete").check()
    page.get_by_label("Date of completion").fill("2025-01-20")
    page.get_by_label("Outcome").fill("Script live in the control room")
    page.get_by_label("Progress note").fill("Approved by the vulnerability lead")
    click_and_wait(page.get_by_role("button", name="Save progress"))
    assert "Progress on action SA1.1 saved." in page.content()
    shot(page, "actions-progress")
    action.refresh_from_db()
    assert action.status == "complete"

    page.context.clear_cookies()
    sign_in(page, live_server, "board_member")
    page.goto(f"{live_server.url}/oversight/?as_of=2025-06-30")
    assert page.locator("svg.lantern-chart__svg").count() >= 3
    assert "Overdue actions, longest overdue first" in page.content()
    shot(page, "actions-oversight")
    assert page.console_errors == []
