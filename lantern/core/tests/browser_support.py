"""Shared helpers for the browser journeys and the accessibility sweep.

One headless Debian Chromium per test, numbered screenshots of each journey's steps under
test-artifacts/journeys/<journey>/, and axe-core (vendored beside this file, test-only) run in
the page to find accessibility failures.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "test-artifacts"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# The WCAG 2.1 A and AA rules (the public sector accessibility regulations' standard).
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# What fails a page: axe's two highest impacts.
BLOCKING = ("serious", "critical")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_or_skip() -> None:
    """Skip where Debian's chromium is missing, except on CI, where that is a failure."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing on CI: `make system-deps` installs it")
        pytest.skip("Debian's chromium is not installed (make system-deps)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls (not
    # the live server's thread) are safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@contextmanager
def chromium_page(*, bypass_csp: bool = False) -> Iterator[Any]:
    """A page in a fresh headless Chromium, its console errors kept in `page.console_errors`.

    `bypass_csp` lets Playwright add axe's script to a page whose Content Security Policy
    (rightly) refuses inline scripts; journeys keep the policy on, so a page that breaks it
    shows up as a console error."""
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            bypass_csp=bypass_csp,
            locale="en-GB",
            timezone_id="Europe/London",
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        page.console_errors = errors  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            browser.close()


def click_and_wait(target: Any) -> None:
    """Click a link or a form's button and wait until the page it leads to has loaded.

    Playwright's click() returns once a navigation has started, not finished: a check made
    straight after it can read the page being left, or one still being parsed (a journey
    failed on CI that way). Everything that loads a new page goes through here."""
    with target.page.expect_navigation(wait_until="load"):
        target.click()


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    """Sign in through the sign-in page, as a person would (two-factor is off in tests)."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    click_and_wait(page.get_by_role("button", name="Sign in"))
    if "/accounts/login/" in page.url:
        raise AssertionError(f"{username} could not sign in: {page.locator('main').inner_text()}")


class Journey:
    """Numbered screenshots of one journey: test-artifacts/journeys/<name>/NN-step.png."""

    def __init__(self, page: Any, name: str) -> None:
        self.page = page
        self.folder = ARTIFACTS / "journeys" / name
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        self.count = 0

    def shot(self, step: str, *, full_page: bool = True) -> Path:
        self.page.wait_for_load_state()
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def saved(self) -> list[str]:
        return sorted(p.name for p in self.folder.glob("*.png"))


@dataclass
class AxeResult:
    url: str
    violations: list[dict[str, Any]] = field(default_factory=list)
    passes: int = 0
    incomplete: list[str] = field(default_factory=list)
    exempted: int = 0  # elements a known exception covers

    def blocking(self) -> list[dict[str, Any]]:
        return [v for v in self.violations if v.get("impact") in BLOCKING]

    def lines(self, label: str, *, only_blocking: bool = True) -> list[str]:
        """One line per failing element: page, rule, impact, target, what to fix."""
        found = self.blocking() if only_blocking else self.violations
        out = []
        for violation in found:
            for node in violation["nodes"]:
                target = " ".join(
                    " > ".join(t) if isinstance(t, list) else t for t in node["target"]
                )
                out.append(
                    f"{label}: {violation['id']} ({violation['impact']}) at {target}: "
                    f"{violation['help']}"
                )
        return out


def axe_run(page: Any, *, tags: tuple[str, ...] = AXE_TAGS) -> AxeResult:
    """Run axe-core on the page as it is now, with the WCAG 2.1 A/AA rules."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    raw = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return {
                violations: r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 300),
                                               summary: n.failureSummary})),
                })),
                passes: r.passes.length, incomplete: r.incomplete.map(v => v.id),
            };
        }""",
        list(tags),
    )
    return AxeResult(
        url=page.url,
        violations=raw["violations"],
        passes=raw["passes"],
        incomplete=raw["incomplete"],
    )


def axe_check_signed_out(base_url: str, url: str, screenshot: Path) -> AxeResult:
    """Open `url` signed out, run axe with the WCAG 2.2 AA rules as well, save a full-page
    screenshot to `screenshot`, and check the page loaded without console errors."""
    with chromium_page(bypass_csp=True) as page:
        response = page.goto(f"{base_url}{url}")
        assert response is not None and response.status == 200
        result = axe_run(page, tags=(*AXE_TAGS, "wcag22aa"))
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
        assert not page.console_errors, page.console_errors
    return result


def axe_version() -> str:
    head = AXE_JS.read_text(encoding="utf-8")[:40]
    return head.split("axe v", 1)[1].split()[0] if "axe v" in head else "unknown"


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")


# --- a review with something on every page --------------------------------------------------------

DEMO_PASSWORD = "lantern-demo-2024"  # the demo accounts' published password (lantern.demo)


@dataclass
class Seeded:
    """The demo review, taken on to Home Office QA, with an object behind every kind of id."""

    reference: str
    ids: dict[str, int | str]


def _docx(title: str, paragraphs: list[str]) -> bytes:
    import io

    from docx import Document

    document = Document()
    document.add_heading(title, level=0)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


OVERVIEW_SECTIONS = (
    ("Introduction", "This review considers the death of Bethany, a pseudonym her family chose."),
    ("Timescales", "The review began after the decision and was paused for the inquest."),
    ("Terms of reference", "The panel agreed terms of reference covering four years."),
    ("Involvement of family", "Her mother and sister met the chair and read the draft report."),
    ("Statement of independence", "The chair and author are independent of every agency."),
    ("Equality and diversity", "The panel considered each protected characteristic."),
    ("Chronology", "Twenty-two agencies had contact with her over four years."),
    ("Recommendations", "The panel makes recommendations for the partnership."),
    ("Dissemination", "The learning will be shared with every partner agency."),
)


def _overview_docx() -> bytes:
    import io

    from docx import Document

    document = Document()
    document.add_heading("Overview report", level=0)
    for heading, text in OVERVIEW_SECTIONS:
        document.add_heading(heading, level=1)
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def reference_data_ensure() -> None:
    """Put back the reference data a migration adds: a transactional test's flush removes it."""
    import importlib

    from django.apps import apps

    importlib.import_module("lantern.reviews.migrations.0002_review_types").add_types(apps, None)


def seed_demo_review() -> Seeded:
    """Load the fictional demo through the real services, then take its main review further
    (an action plan with progress and evidence, an IMR, the anonymisation check, an issued
    document, drafts, circulation and comments, CSP sign-off, Home Office QA and its feedback)
    so that every page a coordinator can open has something real on it."""
    import datetime as dt

    from lantern.accounts.models import Organisation, User
    from lantern.accounts.services import invitation_create
    from lantern.anonymisation import services as anonymisation
    from lantern.chronology import services_returns as returns
    from lantern.chronology.models import ChronologyEntry, IMRDocument
    from lantern.demo.loader import demo_load
    from lantern.documents.services import document_issue
    from lantern.publishing import services as publishing
    from lantern.publishing import services_qa
    from lantern.recommendations import services as plans
    from lantern.reviews import lifecycle
    from lantern.reviews.models import Membership, Review, Stage

    reference_data_ensure()
    result = demo_load(by=User.objects.system(), force=True)
    review = Review.objects.get(reference=result.reference)
    users = {u.username: u for u in User.objects.filter(username__in=_DEMO_USERNAMES)}
    coordinator, chair, author = users["coordinator"], users["chair"], users["author"]
    police = Organisation.objects.get(name="Northbridge Police")
    housing = Organisation.objects.get(name="Northbridge Homes")
    today = dt.date.today()

    returns.returns_ask(
        review=review,
        by=coordinator,
        agencies=[police, housing],
        asked_on=today - dt.timedelta(days=30),
    )
    imr = returns.imr_save(
        review=review,
        agency=police,
        by=users["police_author"],
        sections={
            "introduction": "Officers attended four times over four years.",
            "analysis_dash": "One DASH was scored high risk and led to a MARAC referral.",
        },
        author_name="DS Gideon Larkworth",
        independence_statement="I had no involvement in the events reviewed.",
        recommendations=["Refresh training on non-fatal strangulation as a risk factor."],
    )
    returns.imr_document_upload(
        imr=imr,
        by=users["police_author"],
        filename="Police IMR.docx",
        content=_docx("Police IMR", ["Officers attended four times."]),
    )

    rec = plans.recommendation_create(
        review=review,
        by=coordinator,
        number="1",
        kind="overarching",
        scope="local",
        text="Partners to treat non-fatal strangulation as a high-risk marker in every DASH.",
        themes=["identification_of_risk", "training"],
        addressee="csp",
        addressed_to=review.csp.name,
    )
    action = plans.action_create(
        recommendation=rec,
        by=coordinator,
        description="Train response officers on non-fatal strangulation and stalking.",
        lead_agency=police,
        milestones="Course written; first cohort trained",
        outcome_measure="95% of response officers trained",
        target_date=today + dt.timedelta(days=120),
    )
    plans.action_progress(
        action=action, by=users["police_author"], status="in_progress", note="Course written"
    )
    evidence = plans.evidence_add(
        action=action,
        by=users["police_author"],
        note="Course outline",
        filename="course-outline.txt",
        content=b"Non-fatal strangulation: a two-hour course.",
        content_type="text/plain",
    )

    place = anonymisation.known_place_add(
        review=review, by=chair, kind="place", text="Harbour View estate", suggestion="an estate"
    )
    check = anonymisation.run_check(
        review=review,
        by=chair,
        filename="executive-summary.txt",
        data=(
            b"Executive summary\n\nBethany lived on the Harbour View estate. On 12 March 2021 "
            b"PC Hollins attended. Her phone was 07700 900461.\n\nNorthbridge Police referred "
            b"the case to MARAC in March 2021."
        ),
    )
    document_issue(review=review, kind="briefing", fmt="html", by=coordinator, issued_to="Panel")

    for target in (Stage.DRAFTING,):
        review = lifecycle.review_transition(review=review, by=coordinator, target=target)
    first = publishing.draft_upload(
        review=review,
        by=author,
        kind="overview_report",
        filename="Overview v1.docx",
        content=_overview_docx(),
    )
    circulation = publishing.circulation_create(
        version=first,
        by=author,
        circulated_on=today - dt.timedelta(days=20),
        due_on=today - dt.timedelta(days=6),
        agencies=[police, housing],
    )
    comment = publishing.comment_add(
        circulation=circulation,
        by=users["police_author"],
        section="4.2",
        text="The first call was on 3 March, not 4 March.",
    )
    publishing.comment_respond(comment=comment, by=author, response="accepted")
    publishing.draft_upload(
        review=review,
        by=author,
        kind="overview_report",
        filename="Overview v2.docx",
        content=_overview_docx(),
        final=True,
    )
    publishing.draft_upload(
        review=review,
        by=author,
        kind="executive_summary",
        filename="Executive summary.docx",
        content=_docx("Executive summary", ["The review of Bethany's death."]),
        final=True,
    )
    publishing.signoff_record(
        review=review,
        by=chair,
        signed_off_on=today - dt.timedelta(days=5),
        signed_off_by="Chair of the Northbridge CSP",
    )
    submission = services_qa.qa_submit(
        review=review, by=coordinator, submitted_on=today - dt.timedelta(days=4)
    )
    services_qa.qa_feedback_record(
        submission=submission,
        by=coordinator,
        outcome="publish_after_changes",
        letter_received_on=today - dt.timedelta(days=1),
        strengths="A strong family voice.",
        changes=["Explain the pause for the inquest.", "Name the agencies not involved."],
    )
    invitation, token = invitation_create(
        by=coordinator,
        email="new.analyst@northbridge.invalid",
        organisation=coordinator.organisation,
    )

    chair_membership = Membership.objects.get(review=review, user=chair, ended_at__isnull=True)
    ids: dict[str, int | str] = {
        "entry_id": ChronologyEntry.objects.filter(review=review).order_by("pk").first().pk,
        "agency_id": police.pk,
        "version": IMRDocument.objects.filter(imr=imr).order_by("version").first().version,
        "rec_id": rec.pk,
        "action_id": action.pk,
        "evidence_id": evidence.pk,
        "check_id": check.pk,
        "position": check.findings.order_by("position").first().position,
        "place_id": place.pk,
        "version_id": first.pk,
        "circulation_id": circulation.pk,
        "submission_id": submission.pk,
        "person_id": review.people.filter(role="victim").get().pk,
        "membership_id": chair_membership.pk,
        "meeting_id": review.meetings.order_by("date").first().pk,
        "user_pk": users["board"].pk,
        "token": token,
        "invitation_pk": invitation.pk,
    }
    ids.update(seed_library(by=coordinator))
    return Seeded(reference=review.reference, ids=ids)


def seed_library(*, by: Any) -> dict[str, int | str]:
    """Two fictional published reviews in the library (one through an upload job), their
    meaning index fitted."""
    from lantern.library import services as library
    from lantern.library.models import Document
    from lantern.library.tests.reports import Report, other_report

    stored = library.document_ingest(data=Report().as_txt(), filename="kerry.txt", by=by)
    assert stored.status == "stored", stored.reason
    job = library.ingest_job_create(
        files=[("margaret.docx", other_report().as_docx())], by=by, source_note="Home Office"
    )
    library.semantic_update()
    document = Document.objects.order_by("pk").first()
    return {
        "library_document_pk": document.pk,
        "library_job_pk": job.pk,
        "field": "victim_age_band",
    }


_DEMO_USERNAMES = (
    "coordinator",
    "chair",
    "author",
    "panel",
    "police_author",
    "housing_author",
    "board",
    "admin",
)
