"""The privacy notice at /privacy/: public (the people a review is about never sign in), filled in
from the settings, linked from every page's footer, and checked against the code where it says
what Lantern does: how long reviews are kept, what sign-in records hold, which cookies exist and
that nothing is loaded from anywhere else."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from axes.models import AccessLog
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from lantern.conftest import PASSWORD
from lantern.core import views
from lantern.core.models import AuditEvent
from lantern.reviews.models import Review, Stage
from lantern.reviews.retention import default_retention_years, reviews_due_for_purge
from lantern.testing.factories import ReviewFactory

URL = "/privacy/"

HEADINGS = [
    (1, "Privacy notice for Lantern"),
    (2, "Who is responsible for your data"),
    (2, "The people Lantern holds information about"),
    (3, "People who use Lantern"),
    (3, "People a review is about"),
    (2, "Where the information comes from"),
    (2, "Why the information is held and the law that allows it"),
    (2, "How Lantern protects the information"),
    (2, "Who the information is shared with"),
    (2, "How long the information is kept"),
    (2, "Your rights"),
    (2, "How to complain"),
    (2, "Cookies"),
    (2, "Changes to this notice"),
]
DEFAULT_OPERATOR = "the Community Safety Partnership that runs this service"
NORTHBRIDGE = "Northbridge Community Safety Partnership"


def _tree(response: Any) -> Any:
    return lxml.html.fromstring(response.content.decode())


def _main_text(response: Any) -> str:
    main = _tree(response).get_element_by_id("main-content")
    return " ".join(main.text_content().split())


def _cookie_rows(response: Any) -> dict[str, tuple[str, str]]:
    """The notice's cookie table: name -> (purpose, expires)."""
    rows = _tree(response).xpath('//main//table[@class="govuk-table"]/tbody/tr')
    table = {}
    for row in rows:
        name, purpose, expires = (" ".join(td.text_content().split()) for td in row.iter("td"))
        table[name] = (purpose, expires)
    return table


def _lantern(**overrides: str) -> dict[str, Any]:
    return {**django_settings.LANTERN, **overrides}


@pytest.mark.django_db
def test_anonymous_visitor_reads_the_notice_with_its_headings(client: Client) -> None:
    assert reverse("core:privacy") == URL
    response = client.get(URL)
    assert response.status_code == 200
    tree = _tree(response)
    assert tree.findtext(".//title").startswith("Privacy notice - ")
    headings = [
        (int(h.tag[1]), " ".join(h.text_content().split()))
        for h in tree.get_element_by_id("main-content").iter("h1", "h2", "h3")
    ]
    assert headings == HEADINGS
    text = _main_text(response)
    assert "section 9 of the Domestic Violence, Crime and Victims Act 2004" in text
    assert "Home Office's statutory guidance" in text
    assert "(UK GDPR article 6(1)(e))" in text
    assert "Data Protection Act 2018 (schedule 1, part 2, paragraph 6)" in text
    assert "is not personal data under the UK GDPR" in text
    assert "Home Office quality assurance panel" in text
    assert "Lantern shares the information with nobody else." in text
    assert "Information Commissioner's Office (ICO)" in text
    assert "telephone: 0303 123 1113" in text
    assert tree.xpath('//main//a[@href="https://ico.org.uk/make-a-complaint/"]')
    assert "This notice was prepared on 26 November 2026." in text
    assert "It was last reviewed on 26 November 2026." in text


@pytest.mark.django_db
def test_without_settings_it_names_no_one_and_sends_people_to_the_coordinator(
    client: Client, settings: Any
) -> None:
    settings.LANTERN = _lantern(OPERATOR_NAME="", DPO_CONTACT="")
    response = client.get(URL)
    text = _main_text(response)
    assert f"The controller of the personal data in this service is {DEFAULT_OPERATOR}:" in text
    assert f"contact the review coordinator at {DEFAULT_OPERATOR}." in text
    assert f"To use any of these rights, contact the review coordinator at {DEFAULT_OPERATOR}." in (
        text
    )
    assert "The Community Safety Partnership that runs this service deals with such requests" in (
        text
    )
    assert "data protection officer" not in text
    assert b"mailto:" not in response.content


@pytest.mark.django_db
def test_the_settings_name_the_controller_and_the_dpo(client: Client, settings: Any) -> None:
    settings.LANTERN = _lantern(OPERATOR_NAME=NORTHBRIDGE, DPO_CONTACT="dpo@northbridge.gov.uk")
    response = client.get(URL)
    text = _main_text(response)
    assert f"{NORTHBRIDGE} runs this service and is the controller of the personal data" in text
    assert f"You can contact the data protection officer of {NORTHBRIDGE} at" in text
    assert f"{NORTHBRIDGE} deals with such requests, not Lantern." in text
    assert DEFAULT_OPERATOR not in text
    assert "contact the review coordinator" not in text
    mailto = _tree(response).xpath('//main//a[@href="mailto:dpo@northbridge.gov.uk"]')
    assert len(mailto) == 2  # who is responsible; using your rights
    assert all(a.text_content() == "dpo@northbridge.gov.uk" for a in mailto)


@pytest.mark.django_db
def test_a_dpo_contact_that_is_not_an_email_address_is_shown_as_text(
    client: Client, settings: Any
) -> None:
    contact = "Data Protection Officer, Town Hall, Northbridge NB1 1AA, 01632 960000"
    settings.LANTERN = _lantern(OPERATOR_NAME=NORTHBRIDGE, DPO_CONTACT=contact)
    response = client.get(URL)
    text = _main_text(response)
    assert f"You can contact the data protection officer of {NORTHBRIDGE}: {contact}." in text
    assert f"To use any of these rights, contact the data protection officer: {contact}." in text
    assert b"mailto:" not in response.content


@pytest.mark.django_db
def test_html_in_the_settings_is_escaped(client: Client, settings: Any) -> None:
    settings.LANTERN = _lantern(
        OPERATOR_NAME="<b>Northbridge</b>", DPO_CONTACT="<script>alert(1)</script>"
    )
    response = client.get(URL)
    assert b"<b>Northbridge</b>" not in response.content
    assert b"&lt;b&gt;Northbridge&lt;/b&gt;" in response.content
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
    assert b"mailto:" not in response.content


@pytest.mark.django_db
def test_readable_before_the_two_factor_check(client: Client, cast: Any, settings: Any) -> None:
    settings.LANTERN_REQUIRE_2FA = True
    client.force_login(cast.coordinator)
    assert client.get(reverse("reviews:dashboard")).status_code == 302
    response = client.get(URL)
    assert response.status_code == 200
    assert "a code from an authenticator app (two-factor authentication)" in _main_text(response)


@pytest.mark.django_db
def test_what_it_says_follows_the_other_settings(client: Client, settings: Any) -> None:
    settings.LANTERN_REQUIRE_2FA = False
    settings.LANTERN_LIBRARY_ACCESS = "signed_in"
    settings.LANTERN_OIDC = {**django_settings.LANTERN_OIDC, "ENABLED": False}
    settings.SESSION_IDLE_MINUTES = 1
    text = _main_text(client.get(URL))
    assert "a code from an authenticator app" not in text
    assert "everyone who signs in to Lantern can read it" in text
    assert "organisation's sign-in service" not in text
    assert "signed out after 1 minute without activity" in text
    assert "Connections to the service are always encrypted" not in text

    settings.LANTERN_REQUIRE_2FA = True
    settings.LANTERN_LIBRARY_ACCESS = "public"
    settings.LANTERN_OIDC = {**django_settings.LANTERN_OIDC, "ENABLED": True}
    settings.SESSION_IDLE_MINUTES = 45
    settings.SECURE_SSL_REDIRECT = True
    text = _main_text(Client().get(URL, secure=True))
    assert "a code from an authenticator app" in text
    assert "anyone can read it without signing in" in text
    assert "the identifier their organisation's sign-in service gives them" in text
    assert "signed out after 45 minutes without activity" in text
    assert "Connections to the service are always encrypted (HTTPS)." in text


def test_the_dates_are_in_order() -> None:
    assert views.NOTICE_REVIEWED_ON >= views.NOTICE_PREPARED_ON


# What the notice says Lantern does is checked against Lantern, so that the notice fails a test
# the day it stops being true.


def _stated_retention_years(response: Any) -> int:
    found = re.search(r"and for (\d+) years? after it closes", _main_text(response))
    assert found, "the notice states no retention period"
    return int(found.group(1))


@pytest.mark.django_db
def test_the_retention_period_stated_is_the_one_the_purge_uses(
    client: Client, settings: Any
) -> None:
    years = _stated_retention_years(client.get(URL))
    assert years == default_retention_years()
    review = ReviewFactory(reference="NB-DHR-2010-01")
    closed = dt.date(2012, 5, 1)
    Review.objects.filter(pk=review.pk).update(stage=Stage.CLOSED, closed_on=closed)
    review.refresh_from_db()
    assert review.retention_years is None  # the installation's period applies
    end = closed.replace(year=closed.year + years)
    assert review not in reviews_due_for_purge(today=end - dt.timedelta(days=1))
    assert review in reviews_due_for_purge(today=end)

    settings.LANTERN = _lantern(RETENTION_YEARS=7)
    assert _stated_retention_years(client.get(URL)) == 7
    settings.LANTERN = _lantern(RETENTION_YEARS=1)
    assert "and for 1 year after it closes" in _main_text(client.get(URL))


@pytest.mark.django_db
def test_sign_in_records_hold_the_address_and_browser_the_notice_says(
    client: Client, cast: Any
) -> None:
    text = _main_text(client.get(URL))
    assert "the internet (IP) address and web browser these came from" in text
    where = {"REMOTE_ADDR": "203.0.113.9", "HTTP_USER_AGENT": "Privacy-notice-test/1.0"}
    client.post(reverse("accounts:login"), {"username": "chair", "password": "wrong"}, **where)
    signed_in = client.post(
        reverse("accounts:login"), {"username": "chair", "password": PASSWORD}, **where
    )
    assert signed_in.status_code == 302
    client.post(reverse("accounts:logout"), **where)
    actions = set(AuditEvent.objects.filter(source="203.0.113.9").values_list("action", flat=True))
    assert {
        AuditEvent.Action.LOGIN,
        AuditEvent.Action.LOGIN_FAILED,
        AuditEvent.Action.LOGOUT,
    } <= actions
    log = AccessLog.objects.get(username="chair")
    assert (log.ip_address, log.user_agent) == ("203.0.113.9", "Privacy-notice-test/1.0")


@pytest.mark.django_db
def test_the_cookies_listed_are_exactly_the_ones_lantern_sets(client: Client, cast: Any) -> None:
    """A visit that signs in, changes a password (a message on the next page) and signs out
    sets every cookie in the table and no other."""
    listed = _cookie_rows(client.get(URL))
    assert set(listed) == {
        django_settings.CSRF_COOKIE_NAME,
        django_settings.SESSION_COOKIE_NAME,
        views.messages_cookie_name(),
    }
    visitor = Client()
    set_cookies: set[str] = set()

    def visit(method: str, url: str, data: dict[str, str] | None = None) -> Any:
        response = getattr(visitor, method)(url, data or {})
        set_cookies.update(response.cookies)
        return response

    visit("get", URL)
    visit("get", reverse("accounts:login"))
    visit("post", reverse("accounts:login"), {"username": "author", "password": PASSWORD})
    visit("get", reverse("reviews:dashboard"))
    new_password = "heron-lantern-meadow-19"
    changed = visit(
        "post",
        reverse("accounts:profile"),
        {
            "action": "change_password",
            "password-old_password": PASSWORD,
            "password-new_password1": new_password,
            "password-new_password2": new_password,
        },
    )
    assert changed.status_code == 302
    page = visit("get", reverse("accounts:profile"))
    assert "Your password has been changed." in page.content.decode()
    visit("get", reverse("library:home"))
    visit("post", reverse("accounts:logout"))
    assert set_cookies == set(listed)


@pytest.mark.django_db
def test_the_cookie_table_follows_the_settings(client: Client, settings: Any) -> None:
    rows = _cookie_rows(client.get(URL))
    assert rows["csrftoken"][1] == "52 weeks"  # Django's CSRF_COOKIE_AGE, 31,449,600 seconds
    assert rows["sessionid"][1] == (
        "12 hours (you are signed out sooner, after 30 minutes without activity)"
    )
    assert "Set only when there is such a message" in rows["messages"][0]

    settings.SESSION_COOKIE_NAME = "lantern_session"
    settings.CSRF_COOKIE_NAME = "lantern_csrf"
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    rows = _cookie_rows(Client().get(URL))
    assert set(rows) == {"lantern_session", "lantern_csrf"}
    assert rows["lantern_session"][1].startswith("8 hours ")

    settings.CSRF_USE_SESSIONS = True
    assert set(_cookie_rows(Client().get(URL))) == {"lantern_session"}


def test_cookie_lifetimes_in_words() -> None:
    assert views._duration(31449600) == "52 weeks"
    assert views._duration(14 * 24 * 3600) == "2 weeks"
    assert views._duration(7 * 24 * 3600) == "7 days"
    assert views._duration(24 * 3600) == "1 day"
    assert views._duration(12 * 3600) == "12 hours"
    assert views._duration(3600) == "1 hour"
    assert views._duration(90 * 60) == "90 minutes"
    assert views._duration(1) == "1 minute"


@pytest.mark.django_db
def test_nothing_is_loaded_from_another_website(client: Client) -> None:
    """No analytics and nothing from elsewhere: the notice's own page loads only the service's
    static files, the Content-Security-Policy allows no other origin, and no template of
    Lantern's loads a script, style sheet, image or frame from another address."""
    response = client.get(URL)
    tree = _tree(response)
    loaded = [
        *tree.xpath("//script/@src"),
        *tree.xpath("//link/@href"),
        *tree.xpath("//img/@src"),
        *tree.xpath("//iframe/@src"),
    ]
    assert loaded
    assert all(u.startswith(django_settings.STATIC_URL) for u in loaded), loaded
    policy = response.headers["Content-Security-Policy"]
    assert "http:" not in policy and "https:" not in policy and "*" not in policy, policy

    import lantern

    external = re.compile(
        r"<(script|link|img|iframe)\b[^>]*\b(src|href)=[\"'](https?:)?//", re.IGNORECASE
    )
    package = Path(lantern.__file__).resolve().parent
    offenders = [
        str(path.relative_to(package))
        for path in package.glob("**/templates/**/*.html")
        if external.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


# The notice in a browser, signed out, with axe-core's WCAG 2.0, 2.1 and 2.2 A/AA rules.


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_notice_page_passes_axe_signed_out(live_server: Any) -> None:
    from lantern.core.tests.browser_support import ARTIFACTS, axe_check_signed_out

    result = axe_check_signed_out(live_server.url, URL, ARTIFACTS / "privacy-notice" / "notice.png")
    assert result.passes > 10
    assert not result.violations, "\n".join(result.lines(URL, only_blocking=False))
