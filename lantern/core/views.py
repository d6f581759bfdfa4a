"""Pages that belong to the service as a whole rather than to one app, which anyone may read
without signing in: the accessibility statement (Public Sector Bodies (Websites and Mobile
Applications) (No. 2) Accessibility Regulations 2018) and the privacy notice (UK GDPR articles 13
and 14)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from lantern.accounts.middleware import two_factor_exempt

# When the statement's text was written and last looked at again: change these with the text
# of core/accessibility.html whenever what it says about the service changes.
STATEMENT_PREPARED_ON = dt.date(2026, 11, 26)
STATEMENT_REVIEWED_ON = dt.date(2026, 11, 26)
# The last run of the automated check (lantern/core/tests/test_accessibility.py) that the
# statement's account of the testing rests on.
STATEMENT_TESTED_ON = dt.date(2026, 11, 26)

# When the privacy notice's text was written and last looked at again: change these with the text
# of core/privacy.html whenever what Lantern does with personal data changes.
NOTICE_PREPARED_ON = dt.date(2026, 11, 26)
NOTICE_REVIEWED_ON = dt.date(2026, 11, 26)


def configured_operator_name() -> str:
    """`settings.LANTERN["OPERATOR_NAME"]`: the partnership that runs this instance, or ""."""
    return (settings.LANTERN.get("OPERATOR_NAME") or "").strip()


def operator_name() -> str:
    """Who runs this instance: the configured name, or a description of them."""
    return configured_operator_name() or _(
        "the Community Safety Partnership that runs this service"
    )


def accessibility_contact() -> str:
    """The email address for accessibility requests and problems; "" when none is set."""
    return (settings.LANTERN.get("ACCESSIBILITY_CONTACT") or "").strip()


@two_factor_exempt
@require_safe
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: public, like any statement a public body publishes."""
    return render(
        request,
        "core/accessibility.html",
        {
            "operator_name": operator_name(),
            "operator_named": bool(configured_operator_name()),
            "contact_email": accessibility_contact(),
            "prepared_on": STATEMENT_PREPARED_ON,
            "reviewed_on": STATEMENT_REVIEWED_ON,
            "tested_on": STATEMENT_TESTED_ON,
        },
    )


def dpo_contact() -> str:
    """`settings.LANTERN["DPO_CONTACT"]`: how to reach the data protection officer, or ""."""
    return (settings.LANTERN.get("DPO_CONTACT") or "").strip()


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


@dataclass(frozen=True)
class Cookie:
    """A cookie Lantern may set: its name, why, and how long it lasts."""

    name: str
    purpose: str
    expires: str


def _duration(seconds: int) -> str:
    """A cookie's lifetime in words: whole weeks, days or hours, else minutes."""
    minutes, hours, days, weeks = 60, 60 * 60, 24 * 60 * 60, 7 * 24 * 60 * 60
    if seconds % weeks == 0 and seconds >= 2 * weeks:
        n = seconds // weeks
        return ngettext("%(n)d week", "%(n)d weeks", n) % {"n": n}
    if seconds % days == 0 and seconds >= days:
        n = seconds // days
        return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    if seconds % hours == 0 and seconds >= hours:
        n = seconds // hours
        return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
    n = max(1, round(seconds / minutes))
    return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}


def messages_cookie_name() -> str | None:
    """The cookie Django's messages framework keeps a message in until it is shown, if the
    configured storage uses one (the default, FallbackStorage, tries a cookie first)."""
    storage = import_string(settings.MESSAGE_STORAGE)
    for kind in getattr(storage, "storage_classes", (storage,)):
        if issubclass(kind, CookieStorage):
            return kind.cookie_name
    return None


def service_cookies() -> list[Cookie]:
    """Every cookie Lantern sets, named as the settings name them (the privacy notice lists
    these; its test checks that a signed-in visit sets no other)."""
    idle = settings.SESSION_IDLE_MINUTES
    if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE:
        session_expires = _("When you close your browser")
    else:
        session_expires = _duration(settings.SESSION_COOKIE_AGE)
    session_expires += " " + (
        ngettext(
            "(you are signed out sooner, after %(n)d minute without activity)",
            "(you are signed out sooner, after %(n)d minutes without activity)",
            idle,
        )
        % {"n": idle}
    )
    cookies = []
    if not settings.CSRF_USE_SESSIONS:
        cookies.append(
            Cookie(
                name=settings.CSRF_COOKIE_NAME,
                purpose=_(
                    "Stops another website sending forms to Lantern as if they came from you "
                    "(protection against cross-site request forgery). Set when you open a page."
                ),
                expires=_duration(settings.CSRF_COOKIE_AGE),
            )
        )
    cookies.append(
        Cookie(
            name=settings.SESSION_COOKIE_NAME,
            purpose=_(
                "Keeps you signed in, so that you do not have to sign in on every page. Set "
                "when you sign in."
            ),
            expires=session_expires,
        )
    )
    name = messages_cookie_name()
    if name:
        cookies.append(
            Cookie(
                name=name,
                purpose=_(
                    'Carries a message, such as "Your password has been changed", to the next '
                    "page you see. Set only when there is such a message."
                ),
                expires=_("When the message has been shown, or when you close your browser"),
            )
        )
    return cookies


@two_factor_exempt
@require_safe
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice: public, because the people a review is about never sign in."""
    from lantern.library.access import PUBLIC, access_mode
    from lantern.reviews.retention import default_retention_years

    contact = dpo_contact()
    return render(
        request,
        "core/privacy.html",
        {
            "operator_name": operator_name(),
            "operator_named": bool(configured_operator_name()),
            "dpo_contact": contact,
            "dpo_is_email": _is_email(contact) if contact else False,
            "retention_years": default_retention_years(),
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
            "two_factor_required": bool(settings.LANTERN_REQUIRE_2FA),
            "https_only": bool(getattr(settings, "SECURE_SSL_REDIRECT", False)),
            "single_sign_on": bool(getattr(settings, "LANTERN_OIDC", {}).get("ENABLED")),
            "library_public": access_mode() == PUBLIC,
            "cookies": service_cookies(),
            "prepared_on": NOTICE_PREPARED_ON,
            "reviewed_on": NOTICE_REVIEWED_ON,
        },
    )
