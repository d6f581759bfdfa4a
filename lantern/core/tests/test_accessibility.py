"""An automated accessibility check of every page a coordinator can open, and the sign-in page.

The fictional demo is loaded and its main review taken on to Home Office QA through the real
services, so that there is an object behind every id in every URL. Each URL pattern is filled
from those objects (as core/tests/test_role_matrix.py does) and opened in headless Chromium as
the coordinator; axe-core (vendored, test-only) checks it against WCAG 2.1 A and AA. Any
violation of serious or critical impact fails the test, all of them listed: page, rule, target.

A route that is not a page (a download, a POST-only action, a redirect) is listed in NOT_PAGES
with the reason; any other route must be a page the coordinator can open, so a new page is
checked without anyone remembering to add it. Results go to test-artifacts/accessibility/.
"""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest
from django.urls import get_resolver

from lantern.core.tests.browser_support import (
    ARTIFACTS,
    AXE_TAGS,
    DEMO_PASSWORD,
    AxeResult,
    Seeded,
    axe_run,
    axe_version,
    chromium_page,
    click_and_wait,
    seed_demo_review,
    sign_in,
    write_json,
)
from lantern.core.tests.test_outsider_sweep import _walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUT = ARTIFACTS / "accessibility"

# Not Lantern's pages: the JSON API, Django's admin for reference data (administrators only,
# Django's own markup), the health check, the root redirect, single sign-on hand-offs to the
# identity provider. The sign-in page is checked signed out, below.
OUTSIDE = re.compile(r"^(api/|reference-data/|healthz$|$|accounts/sso/|accounts/login/$)")

# Routes that a coordinator's GET does not answer with a page, and why.
DOWNLOAD = "a file download"
POST_ONLY = "POST-only: a button on another page"
REDIRECT = "a GET redirects to the page that holds the form"
NOT_PAGES: dict[str, str] = {
    "accounts/logout/": POST_ONLY,
    "accounts/verify/": "two-factor sign-in step: redirects once the session is verified",
    "accounts/invitations/<int:pk>/revoke/": POST_ONLY,
    "reviews/<str:reference>/chronology/template.xlsx": DOWNLOAD,
    "reviews/<str:reference>/chronology/template.csv": DOWNLOAD,
    "reviews/<str:reference>/chronology/export.xlsx": DOWNLOAD,
    "reviews/<str:reference>/chronology/export.docx": DOWNLOAD,
    "reviews/<str:reference>/chronology/imrs/template/": DOWNLOAD,
    "reviews/<str:reference>/chronology/imrs/<int:agency_id>/documents/<int:version>/": DOWNLOAD,
    "reviews/<str:reference>/actions/export.xlsx": DOWNLOAD,
    "reviews/<str:reference>/actions/export.docx": DOWNLOAD,
    "reviews/<str:reference>/actions/<int:action_id>/update/": REDIRECT,
    "reviews/<str:reference>/actions/<int:action_id>/evidence/": REDIRECT,
    "reviews/<str:reference>/actions/<int:action_id>/evidence/<int:evidence_id>/": DOWNLOAD,
    "reviews/<str:reference>/actions/<int:action_id>/sign-off/": REDIRECT,
    "reviews/<str:reference>/documents/issue/": POST_ONLY,
    "reviews/<str:reference>/anonymisation/places/<int:place_id>/delete/": POST_ONLY,
    "reviews/<str:reference>/anonymisation/<int:check_id>/findings/<int:position>/": POST_ONLY,
    "reviews/<str:reference>/anonymisation/<int:check_id>/accept-all/": POST_ONLY,
    "reviews/<str:reference>/anonymisation/<int:check_id>/corrected/": DOWNLOAD,
    "reviews/<str:reference>/publication/drafts/<int:version_id>/": DOWNLOAD,
    "reviews/<str:reference>/publication/comments/<int:circulation_id>/draft/": DOWNLOAD,
    "reviews/<str:reference>/publication/qa/<int:submission_id>/letter/": DOWNLOAD,
    "reviews/<str:reference>/publication/qa/<int:submission_id>/pack/": DOWNLOAD,
    "reviews/<str:reference>/publication/publish/files/<int:file_id>/": DOWNLOAD,
    "reviews/<str:reference>/publication/dissemination/<int:send_id>/briefing/": DOWNLOAD,
    "library/documents/<int:pk>/original": DOWNLOAD,
    "library/learning.csv": DOWNLOAD,
    "library/learning.xlsx": DOWNLOAD,
    "oversight/actions.csv": DOWNLOAD,
    "oversight/actions.xlsx": DOWNLOAD,
    "reviews/alerts/read/": POST_ONLY,
    "reviews/notify/sent/": "the confirmation shown once, straight after a notification",
    "reviews/<str:reference>/transition/": REDIRECT,
    "reviews/<str:reference>/meetings/<int:meeting_id>/actions/<int:action_id>/done/": POST_ONLY,
}

# Fragments that htmx swaps into a page: checked inside that page (STATES), not alone.
FRAGMENTS: dict[str, str] = {
    "reviews/<str:reference>/actions/recommendations/similar/": (
        "similar recommendations, swapped into the recommendation form as its text is typed"
    ),
    "library/add/<int:pk>/status": "the upload job's progress, polled by its page",
}

# Ids in routes whose name alone does not say which object they are.
PK_BY_PREFIX = {
    "accounts/users/": "user_pk",
    "accounts/invitations/": "invitation_pk",
    "library/documents/": "library_document_pk",
    "library/add/": "library_job_pk",
}


def govuk_conditional_reveal(violation: dict[str, Any], node: dict[str, Any]) -> bool:
    """GOV.UK Frontend's radios and checkboxes that reveal a further question carry
    aria-expanded, which ARIA 1.2 does not allow on them. GOV.UK keeps it on purpose: screen
    readers announce it and testing found no harm (alphagov/govuk-frontend#979). Exempt exactly
    that: a GOV.UK radio or checkbox controlling conditional content, aria-expanded the only
    attribute axe objects to."""
    if violation["id"] != "aria-allowed-attr":
        return False
    html = node["html"]
    objections = [line.strip() for line in node["summary"].splitlines()[1:] if line.strip()]
    return (
        re.search(r'class="govuk-(radios|checkboxes)__input"', html) is not None
        and 'aria-controls="conditional-' in html
        and bool(objections)
        and all(
            re.fullmatch(r'ARIA attribute is not allowed: aria-expanded="(true|false)"', o)
            for o in objections
        )
    )


KNOWN_EXCEPTIONS = (govuk_conditional_reveal,)


def without_exceptions(result: AxeResult) -> int:
    """Drop the nodes a known exception covers; how many were dropped."""
    dropped = 0
    kept = []
    for violation in result.violations:
        nodes = [
            n for n in violation["nodes"] if not any(e(violation, n) for e in KNOWN_EXCEPTIONS)
        ]
        dropped += len(violation["nodes"]) - len(nodes)
        if nodes:
            kept.append({**violation, "nodes": nodes})
    result.violations = kept
    return dropped


def fill(route: str, seeded: Seeded) -> str | None:
    """The route with each parameter taken from a real object; None if one is unknown."""
    missing: list[str] = []

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "reference":
            return seeded.reference
        key = name
        if name == "pk":
            key = next((k for p, k in PK_BY_PREFIX.items() if route.startswith(p)), "pk")
        if key not in seeded.ids:
            missing.append(name)
            return name
        return str(seeded.ids[key])

    url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route)
    return None if missing else url


def page_routes() -> list[str]:
    return sorted(
        {route for route, _p in _walk(get_resolver().url_patterns) if not OUTSIDE.match(route)}
    )


def test_every_not_page_entry_is_a_real_route() -> None:
    stale = sorted(set(NOT_PAGES) - set(page_routes()))
    assert not stale, f"NOT_PAGES names routes that no longer exist: {stale}"


def _classify(client: Any, seeded: Seeded) -> tuple[list[tuple[str, str]], list[str]]:
    """(route, url) of every page to check, and the problems found on the way."""
    pages: list[tuple[str, str]] = []
    problems: list[str] = []
    for route in page_routes():
        url = fill(route, seeded)
        if route in FRAGMENTS:
            continue
        if route in NOT_PAGES:
            if url is None:
                continue
            response = client.get(url)
            if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                problems.append(f"{url} is a page now: take {route} out of NOT_PAGES")
            continue
        if url is None:
            problems.append(f"{route}: no object for its parameters; add one to the seed")
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            problems.append(
                f"{url} answered {response.status_code} {response.get('Content-Type')} "
                f"{response.get('Location', '')}: a page the coordinator cannot open, or list "
                "it in NOT_PAGES with the reason"
            )
            continue
        pages.append((route, url))
    return pages, problems


def _sign_in_errors(page: Any, base: str, seeded: Seeded) -> None:
    page.goto(f"{base}/accounts/login/")
    click_and_wait(page.get_by_role("button", name="Sign in"))


def _notify_errors(page: Any, base: str, seeded: Seeded) -> None:
    page.goto(f"{base}/reviews/notify/")
    page.get_by_role("button", name="Send notification").click()
    page.locator(".govuk-error-summary").wait_for()


def _person_errors(page: Any, base: str, seeded: Seeded) -> None:
    page.goto(f"{base}/reviews/{seeded.reference}/people/new/")
    page.locator("main form button[type=submit]").last.click()
    page.locator(".govuk-error-summary").wait_for()


def _similar_recommendations(page: Any, base: str, seeded: Seeded) -> None:
    page.goto(f"{base}/reviews/{seeded.reference}/actions/recommendations/new/")
    with page.expect_response(lambda r: "/recommendations/similar/" in r.url):
        page.locator("textarea[hx-get]").fill("Train staff to recognise coercive control")
    page.wait_for_timeout(300)  # htmx settles the swapped content


def _library_search(page: Any, base: str, seeded: Seeded) -> None:
    page.goto(f"{base}/library/?q=coercive+control")


def _library_search_by_meaning(page: Any, base: str, seeded: Seeded) -> None:
    page.goto(f"{base}/library/?q=controlled+her+money&semantic=on")


# Pages in a state a plain GET does not show: forms with errors, htmx content swapped in,
# search results. (label, how to get there)
STATES = (
    ("sign-in page with errors", _sign_in_errors),
    ("notification form with errors", _notify_errors),
    ("person form with errors", _person_errors),
    ("recommendation form with similar recommendations", _similar_recommendations),
    ("library search results", _library_search),
    ("library search by meaning", _library_search_by_meaning),
)


def test_every_page_has_no_serious_or_critical_violations(client, live_server, settings) -> None:
    from lantern.accounts.models import User

    settings.DEMO_MODE = True  # the demo's pages carry its banner: check that too

    seeded = seed_demo_review()
    client.force_login(User.objects.get(username="coordinator"))
    pages, problems = _classify(client, seeded)
    assert len(pages) >= 60, pages

    if OUT.exists():
        shutil.rmtree(OUT)
    results: list[tuple[str, AxeResult]] = []
    exempted = 0

    def checked(page: Any) -> AxeResult:
        nonlocal exempted
        result = axe_run(page)
        result.exempted = without_exceptions(result)
        exempted += result.exempted
        return result

    with chromium_page(bypass_csp=True) as page:
        page.goto(f"{live_server.url}/accounts/login/")
        results.append(("accounts/login/", checked(page)))
        _sign_in_errors(page, live_server.url, seeded)
        results.append(("sign-in page with errors", checked(page)))
        sign_in(page, live_server.url, "coordinator", DEMO_PASSWORD)
        for route, url in pages:
            response = page.goto(live_server.url + url)
            if response is None or response.status != 200:
                problems.append(f"{url}: the browser got {response and response.status}")
                continue
            results.append((route, checked(page)))
            if results[-1][1].blocking():
                slug = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-")
                page.screenshot(path=str(OUT / "failing" / f"{slug}.png"), full_page=True)
        for label, reach in STATES[1:]:
            reach(page, live_server.url, seeded)
            results.append((label, checked(page)))
            slug = re.sub(r"[^a-z0-9]+", "-", label)
            page.screenshot(path=str(OUT / "states" / f"{slug}.png"), full_page=True)

    blocking = [
        line
        for route, r in results
        for line in r.lines(route if " " in route else r.url.split("//", 1)[1])
    ]
    write_json(
        OUT / "report.json",
        {
            "axe": axe_version(),
            "tags": list(AXE_TAGS),
            "pages": len(results),
            "exempted_nodes": exempted,
            "not_pages": NOT_PAGES,
            "results": [
                {
                    "route": route,
                    "url": r.url,
                    "violations": r.violations,
                    "passes": r.passes,
                    "incomplete": r.incomplete,
                    "exempted": r.exempted,
                }
                for route, r in results
            ],
        },
    )
    assert not problems, "\n".join(problems)
    assert not blocking, (
        f"{len(blocking)} serious or critical accessibility failures on "
        f"{len({line.split(':')[0] for line in blocking})} of {len(results)} pages:\n"
        + "\n".join(blocking)
    )


BAD_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Bad page</title></head><body><main>
<h1>Bad page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#bbb;background:#fff">Pale grey text on white</p>
<input type="text" name="unlabelled">
<div class="govuk-radios">
  <input class="govuk-radios__input" type="radio" name="a" id="a-1" aria-controls="conditional-a-1"
    aria-expanded="false"><label for="a-1">Yes</label>
</div>
<div id="conditional-a-1"></div>
<fieldset><legend>Not GOV.UK</legend>
<input type="radio" name="b" id="b" aria-controls="conditional-a-1" aria-expanded="true">
<label for="b">Yes</label></fieldset>
</main></body></html>"""


def test_the_check_finds_what_it_should_and_exempts_only_the_govuk_reveal() -> None:
    with chromium_page(bypass_csp=True) as page:
        page.set_content(BAD_PAGE)
        result = axe_run(page)
    found = {v["id"]: v for v in result.violations}
    assert {"image-alt", "color-contrast", "label", "aria-allowed-attr"} <= set(found)
    assert {v["impact"] for v in result.blocking()} <= {"serious", "critical"}
    assert len(found["aria-allowed-attr"]["nodes"]) == 2
    assert without_exceptions(result) == 1
    left = [
        n["html"] for v in result.violations if v["id"] == "aria-allowed-attr" for n in v["nodes"]
    ]
    assert len(left) == 1 and 'id="b"' in left[0]
    lines = result.lines("bad page")
    assert any(line.startswith("bad page: image-alt (critical) at img") for line in lines)
