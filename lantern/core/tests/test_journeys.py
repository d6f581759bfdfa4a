"""The main journeys through Lantern in headless Chromium, as the people who make them would.

Each journey is one test with numbered screenshots of its steps in
test-artifacts/journeys/<journey>/NN-step.png, so that a person can look at what the run saw.
The data are made through the real services (or the fictional demo, loaded the way `lantern demo
load` does), and the pages keep their Content Security Policy: a page that breaks it fails here.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from lantern.conftest import PASSWORD
from lantern.core.tests.browser_support import (
    DEMO_PASSWORD,
    Journey,
    chromium_page,
    click_and_wait,
    reference_data_ensure,
    seed_library,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page() -> Any:
    with chromium_page() as page:
        yield page


def no_script_errors(page: Any) -> None:
    errors = [e for e in page.console_errors if "favicon" not in e]
    assert not errors, errors


def test_sign_in(page, live_server, cast) -> None:
    journey = Journey(page, "sign-in")
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    journey.shot("sign-in-page")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill("not the password")
    click_and_wait(page.get_by_role("button", name="Sign in"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    journey.shot("wrong-password")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/reviews/")
    expect(page.get_by_role("heading", name="Reviews")).to_be_visible()
    expect(page.get_by_role("link", name=cast.review.reference)).to_be_visible()
    journey.shot("dashboard")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")
    journey.shot("signed-out")
    assert page.goto(f"{live_server.url}/reviews/{cast.review.reference}/").url.endswith(
        f"/accounts/login/?next=/reviews/{cast.review.reference}/"
    )
    assert journey.saved() == [
        "01-sign-in-page.png",
        "02-wrong-password.png",
        "03-dashboard.png",
        "04-signed-out.png",
    ]
    no_script_errors(page)


def test_notify_a_death_and_record_the_decision(page, live_server, cast) -> None:
    from lantern.reviews.models import Decision, Review

    journey = Journey(page, "notification-and-decision")
    sign_in(page, live_server.url, "coordinator", PASSWORD)
    journey.shot("dashboard")
    click_and_wait(page.get_by_role("link", name="Notify a death").first)
    page.get_by_label("Community Safety Partnership").select_option(label=cast.csp.name)
    notified = dt.date.today() - dt.timedelta(days=3)
    page.get_by_label("Date notified").fill(notified.isoformat())
    page.get_by_label("Name of the person notifying").fill("DS Amrit Kaur")
    page.get_by_label("Their contact details").fill("amrit.kaur@northbridge-police.invalid")
    page.get_by_label("Date of death").fill((notified - dt.timedelta(days=4)).isoformat())
    page.get_by_label("Type of death").select_option("homicide")
    page.get_by_label("What is known of the death and the people involved").fill(
        "A woman in her forties was killed at home. Her former partner has been arrested. "
        "Police, her GP and the housing association knew her."
    )
    journey.shot("notification-form")
    click_and_wait(page.get_by_role("button", name="Send notification"))
    review = Review.objects.exclude(pk=cast.review.pk).get()
    assert review.reference in page.locator("body").inner_text()
    journey.shot("notification-sent")

    page.goto(f"{live_server.url}/reviews/{review.reference}/")
    journey.shot("new-review")
    page.goto(f"{live_server.url}/reviews/{review.reference}/decision/")
    click_and_wait(page.get_by_role("button", name="Record decision"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert "Choose the decision" in page.locator(".govuk-error-summary").inner_text()
    journey.shot("decision-errors")

    page.get_by_label("Hold a review", exact=True).check()
    page.get_by_label("Date of the decision").fill(notified.isoformat())
    page.get_by_label("Decided by").fill("Chair of the Northbridge Community Safety Partnership")
    page.get_by_label("People and agencies consulted").fill(
        "Northbridge Police\nNorthbridge Integrated Care Board\nNorthbridge Homes"
    )
    page.get_by_label("Rationale").fill(
        "She was killed by a former partner: the statutory criteria are met."
    )
    journey.shot("decision-form")
    click_and_wait(page.get_by_role("button", name="Record decision"))
    body = page.locator("main").inner_text()
    assert "Hold a review" in body and "Northbridge Homes" in body
    journey.shot("decision-recorded")
    decision = Decision.objects.get(review=review)
    assert decision.outcome == "hold"
    assert decision.consulted == [
        "Northbridge Police",
        "Northbridge Integrated Care Board",
        "Northbridge Homes",
    ]
    no_script_errors(page)


HEADER = ["Date", "Time", "Reference", "Who", "What happened", "Action taken"]


def police_csv(first_date: str) -> bytes:
    import csv

    rows = [
        HEADER,
        [first_date, "22:15", "CAD 1123", "Victim", "Neighbour reported shouting", "Attended"],
        ["18/03/2024", "09:40", "Crime 44/0318", "Perpetrator", "Bank card taken", "Crime"],
        ["05/06/2024", "", "Intel 77", "Victim", "Disclosure to PCSO", "Referred to IDVA"],
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


def test_upload_a_chronology_fix_its_error_and_upload_again(
    page, live_server, cast, tmp_path: Path
) -> None:
    from lantern.chronology.models import ChronologyEntry

    journey = Journey(page, "chronology-upload")
    sign_in(page, live_server.url, "coordinator", PASSWORD)
    page.goto(f"{live_server.url}/reviews/{cast.review.reference}/")
    click_and_wait(page.get_by_role("link", name="Import chronologies"))
    expect(page.get_by_role("heading", name="Import a chronology")).to_be_visible()
    journey.shot("import-page")

    bad = tmp_path / "police-chronology.csv"
    bad.write_bytes(police_csv("2nd of Novembre"))
    page.get_by_label("Agency").select_option(label=cast.police.name)
    page.get_by_label("Chronology files").set_input_files(str(bad))
    click_and_wait(page.get_by_role("button", name="Import"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "Nothing was stored" in summary.inner_text()
    file, _sheet, row, column, problem = page.locator("#problem-1 td").all_inner_texts()
    assert (file, row, column) == ("police-chronology.csv", "2", "Date")
    assert "2nd of Novembre" in problem  # the value read, and why it cannot be a date
    journey.shot("refused-with-the-problem")
    assert ChronologyEntry.objects.count() == 0

    good = tmp_path / "police-chronology.csv"
    good.write_bytes(police_csv("02/11/2023"))
    page.get_by_label("Agency").select_option(label=cast.police.name)
    page.get_by_label("Chronology files").set_input_files(str(good))
    click_and_wait(page.get_by_role("button", name="Import"))
    banner = page.locator(".govuk-notification-banner--success")
    assert "Imported: 3 entries added" in banner.inner_text()
    journey.shot("imported")
    assert ChronologyEntry.objects.filter(agency=cast.police).count() == 3

    click_and_wait(page.get_by_role("link", name="Combined chronology"))
    assert "Neighbour reported shouting" in page.locator("main").inner_text()
    journey.shot("combined-chronology")
    no_script_errors(page)


def test_view_the_analysis(page, live_server) -> None:
    from lantern.accounts.models import User
    from lantern.demo.loader import demo_load

    reference_data_ensure()
    review = demo_load(by=User.objects.system(), force=True).reference
    journey = Journey(page, "analysis")
    sign_in(page, live_server.url, "coordinator", DEMO_PASSWORD)
    click_and_wait(page.get_by_role("link", name=review, exact=True))
    journey.shot("review")
    click_and_wait(page.get_by_role("link", name="Analysis"))
    main = page.locator("main")
    expect(page.get_by_role("heading", name="What the combined chronology shows")).to_be_visible()
    journey.shot("analysis")
    # Each part of the analysis, as a reader scrolling to it sees it.
    for part in ("matrix", "gaps", "engagement", "risk", "network", "flags"):
        heading = page.locator(f"#{part}-heading")
        expect(heading).to_be_visible()
        heading.scroll_into_view_if_needed()
        journey.shot(part, full_page=False)
    assert "22" in main.inner_text()  # the demo's agencies, all in the matrix
    click_and_wait(
        page.get_by_role("navigation", name="This review").get_by_role(
            "link", name="Combined chronology"
        )
    )
    expect(page.locator("main table").first).to_be_visible()
    journey.shot("combined-chronology")
    no_script_errors(page)


def test_an_agency_author_updates_their_action(page, live_server, cast) -> None:
    from lantern.recommendations import services as plans
    from lantern.recommendations.models import Action

    rec = plans.recommendation_create(
        review=cast.review,
        by=cast.coordinator,
        number="1",
        kind="overarching",
        scope="local",
        text="Partners to treat non-fatal strangulation as a high-risk marker in every DASH.",
        themes=["identification_of_risk", "training"],
        addressee="csp",
        addressed_to=cast.csp.name,
    )
    action = plans.action_create(
        recommendation=rec,
        by=cast.coordinator,
        description="Train response officers on non-fatal strangulation.",
        lead_agency=cast.police,
        outcome_measure="95% of response officers trained",
        target_date=dt.date.today() + dt.timedelta(days=90),
    )
    journey = Journey(page, "action-update")
    sign_in(page, live_server.url, "agency_author", PASSWORD)
    page.goto(f"{live_server.url}/reviews/{cast.review.reference}/")
    page.get_by_role("link", name="Recommendations and action plan").click()
    page.wait_for_url(f"**/reviews/{cast.review.reference}/actions/")
    journey.shot("action-plan")
    page.locator(f"a[href$='/actions/{action.pk}/']").first.click()
    page.wait_for_url(f"**/actions/{action.pk}/")
    journey.shot("action")
    page.get_by_label("Complete").check()
    page.get_by_label("Date of completion").fill(dt.date.today().isoformat())
    page.get_by_label("Outcome").fill("Two-hour course delivered to every response team")
    page.get_by_label("Progress note").fill("Signed off by the head of training")
    journey.shot("progress-form")
    click_and_wait(page.get_by_role("button", name="Save progress"))
    assert f"Progress on action {action.label} saved." in page.content()
    journey.shot("progress-saved")
    action = Action.objects.get(pk=action.pk)
    assert action.status == "complete"
    assert action.outcome == "Two-hour course delivered to every response team"
    no_script_errors(page)


def draft_docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_heading("Executive summary", level=0)
    document.add_paragraph(
        "Kerry (Joanne Whitfield) lived at 14 Mill Lane with Lee. On 12 March 2021 PC Hollins "
        "attended after a neighbour called. Her phone was 07700 900461."
    )
    document.add_paragraph("Northbridge Police referred the case to MARAC in March 2021.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_run_the_anonymisation_check(page, live_server, cast, tmp_path: Path) -> None:
    from lantern.anonymisation.models import Check

    draft = tmp_path / "executive-summary.docx"
    draft.write_bytes(draft_docx())
    journey = Journey(page, "anonymisation-check")
    sign_in(page, live_server.url, "chair", PASSWORD)
    page.goto(f"{live_server.url}/reviews/{cast.review.reference}/")
    click_and_wait(page.get_by_role("link", name="Anonymisation check"))
    journey.shot("checks")
    page.get_by_label("Upload a document").set_input_files(str(draft))
    click_and_wait(page.get_by_role("button", name="Check", exact=True))
    check = Check.objects.get()
    found = {f.text for f in check.findings.all()}
    assert "Joanne Whitfield" in found  # a real name from the people register
    assert page.locator("mark.anon-mark").count() == check.findings.count()
    journey.shot("findings")

    total = check.findings.count()
    for n in range(1, total + 1):
        block = page.locator(f"#finding-{n}")
        block.get_by_label("Replace it").check()
        click_and_wait(block.get_by_role("button", name=f"Save decision {n}"))
    assert f"{total} of {total} resolved" in page.locator("#progress").inner_text()
    journey.shot("resolved")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download executive-summary-anonymised.docx").click()
    from docx import Document

    corrected = Document(str(download.value.path()))
    text = "\n".join(p.text for p in corrected.paragraphs)
    assert "Joanne" not in text and "Kerry" in text
    journey.shot("downloaded")
    no_script_errors(page)


def test_search_the_library(page, live_server, cast) -> None:
    seed_library(by=cast.coordinator)
    journey = Journey(page, "library-search")
    sign_in(page, live_server.url, "coordinator", PASSWORD)
    click_and_wait(page.get_by_role("link", name="Library").first)
    journey.shot("library")
    page.get_by_role("searchbox").or_(page.locator("input[name=q]")).first.fill("coercive control")
    click_and_wait(page.get_by_role("button", name="Search"))
    results = page.locator("main").inner_text()
    assert "review found" in results or "reviews found" in results
    journey.shot("results")
    click_and_wait(page.get_by_role("link", name="Northbridge Community Safety Partnership").first)
    page.wait_for_url("**/library/documents/**")
    assert "/library/documents/" in page.url
    journey.shot("document")
    page.go_back()
    page.locator("input[name=q]").fill("he took her money and watched her phone")
    page.get_by_label("Search by meaning", exact=False).check()
    click_and_wait(page.get_by_role("button", name="Search"))
    assert "Closest in meaning first" in page.locator("main").inner_text()
    journey.shot("search-by-meaning")
    no_script_errors(page)
