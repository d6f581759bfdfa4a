"""Pages that belong to the service as a whole rather than to one app: the accessibility
statement, which anyone may read without signing in (Public Sector Bodies (Websites and Mobile
Applications) (No. 2) Accessibility Regulations 2018)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lantern.accounts.middleware import two_factor_exempt

# When the statement's text was written and last looked at again: change these with the text
# of core/accessibility.html whenever what it says about the service changes.
STATEMENT_PREPARED_ON = dt.date(2026, 11, 26)
STATEMENT_REVIEWED_ON = dt.date(2026, 11, 26)
# The last run of the automated check (lantern/core/tests/test_accessibility.py) that the
# statement's account of the testing rests on.
STATEMENT_TESTED_ON = dt.date(2026, 11, 26)


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
