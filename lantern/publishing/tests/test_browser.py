"""The publication area in headless Chromium: the coordinator's step list, drafts, QA rounds
and publication page; an agency author's comments page. Screenshots in test-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest

from lantern.core.tests.test_browser import browser_page, shot, sign_in  # noqa: F401
from lantern.publishing import services, services_qa
from lantern.publishing.tests.conftest import docx_bytes, pdf_bytes, to_drafting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = dt.date.today()


def test_the_publication_area(browser_page, live_server, cast) -> None:  # noqa: F811, ANN001
    review = to_drafting(cast)
    first = services.draft_upload(
        review=review,
        by=cast.author,
        kind="overview_report",
        filename="Overview v1.docx",
        content=docx_bytes(),
    )
    circulation = services.circulation_create(
        version=first,
        by=cast.author,
        circulated_on=TODAY - dt.timedelta(days=20),
        due_on=TODAY - dt.timedelta(days=6),
        agencies=[cast.police, cast.housing],
    )
    comment = services.comment_add(
        circulation=circulation,
        by=cast.agency_author,
        section="4.2",
        text="The first call was on 3 March, not 4 March.",
    )
    services.comment_add(
        circulation=circulation,
        by=cast.other_agency_author,
        text="The tenancy began in 2019.",
    )
    services.comment_respond(comment=comment, by=cast.author, response="accepted")
    services.draft_upload(
        review=review,
        by=cast.author,
        kind="overview_report",
        filename="Overview v2.docx",
        content=docx_bytes(),
        final=True,
    )
    services.draft_upload(
        review=review,
        by=cast.author,
        kind="executive_summary",
        filename="Summary.pdf",
        content=pdf_bytes(),
        final=True,
    )
    services.signoff_record(
        review=review,
        by=cast.chair,
        signed_off_on=TODAY - dt.timedelta(days=5),
        signed_off_by="Chair of the Northbridge CSP",
    )
    submission = services_qa.qa_submit(
        review=review, by=cast.coordinator, submitted_on=TODAY - dt.timedelta(days=4)
    )
    services_qa.qa_feedback_record(
        submission=submission,
        by=cast.coordinator,
        outcome="publish_after_changes",
        letter_received_on=TODAY - dt.timedelta(days=1),
        strengths="A strong family voice.",
        changes=["Explain the pause for the criminal trial.", "Name the agencies not involved."],
    )

    page = browser_page
    base = f"{live_server.url}/reviews/{review.reference}/publication/"
    sign_in(page, live_server, "coordinator")
    page.goto(base)
    assert "Next: Circulation and factual-accuracy comments." in page.content()
    shot(page, "publication-steps")
    page.goto(base + "drafts/")
    assert "Final: version 2." in page.content()
    shot(page, "publication-drafts")
    page.goto(base + "qa/")
    assert "Explain the pause for the criminal trial." in page.content()
    shot(page, "publication-qa")
    page.goto(base + "pack/")
    shot(page, "publication-pack")
    page.goto(base + "publish/")
    assert "The review cannot be published yet" in page.content()
    shot(page, "publication-publish")

    page.context.clear_cookies()
    sign_in(page, live_server, "agency_author")
    page.goto(base + "comments/")
    content = page.content()
    assert "The first call was on 3 March" in content
    assert "The tenancy began in 2019." not in content
    shot(page, "publication-comments-agency")
    assert page.console_errors == []
