"""Session rules for the web pages: idle timeout and the two-factor requirement."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from lantern.accounts.signals import IDLE_TIMEOUT_FLAG

V = TypeVar("V", bound=Callable[..., Any])

_EXEMPT_ATTR = "lantern_two_factor_exempt"


def two_factor_exempt(view: V) -> V:
    """Mark a view a signed-in person may reach before passing the two-factor check.

    Only the pages that lead to the check (sign in and out, verify, set up, accept an
    invitation) are exempt; everything else, including the account pages, needs it.
    """
    setattr(view, _EXEMPT_ATTR, True)
    return view


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that htmx follows as a full page load instead of swapping it into a fragment."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _next_query(request: HttpRequest, **extra: str) -> str:
    params = dict(extra)
    if request.method == "GET" and not getattr(request, "htmx", False):
        params["next"] = request.get_full_path()
    return f"?{urlencode(params)}" if params else ""


class IdleTimeoutMiddleware:
    """Sign a person out after a period without requests (shared council machines)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get("last_seen")
            if last and now - last > settings.SESSION_IDLE_MINUTES * 60:
                query = _next_query(request, timeout="1")
                setattr(request, IDLE_TIMEOUT_FLAG, True)
                logout(request)
                if not request.path.startswith("/api/"):
                    return _redirect(request, reverse("accounts:login") + query)
            else:
                request.session["last_seen"] = now
        return self.get_response(request)


_OPEN_PATH_PREFIXES = ("/static/", "/healthz")


class RequireTwoFactorMiddleware:
    """Outside demo mode, a signed-in person must have passed a TOTP check this session.

    Pages send such a person to the check (or to set it up); the JSON API treats a session that
    has not passed it as not signed in (API tokens are unaffected: they are their own factor).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def _pending(request: HttpRequest) -> bool:
        from lantern.accounts.oidc import session_passed_provider_mfa

        user = request.user
        return bool(
            settings.LANTERN_REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()
            and not session_passed_provider_mfa(request)
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and self._pending(request):
            request.user = AnonymousUser()
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if (
            request.path.startswith(_OPEN_PATH_PREFIXES)
            or request.path.startswith("/api/")
            or getattr(view_func, _EXEMPT_ATTR, False)
            or not self._pending(request)
        ):
            return None
        from lantern.accounts.selectors import has_confirmed_device

        target = (
            "accounts:verify"
            if has_confirmed_device(user=request.user)
            else ("accounts:two_factor_setup")
        )
        return _redirect(request, reverse(target) + _next_query(request))


class RequirePasswordChangeMiddleware:
    """A generated one-time password must be replaced before anything else is used.

    Runs after the two-factor check. The profile page (where the password is changed), sign-out
    and the exempt sign-in pages stay open; API tokens are unaffected.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if (
            not user.is_authenticated
            or not getattr(user, "must_change_password", False)
            or request.path.startswith(_OPEN_PATH_PREFIXES)
            or request.path.startswith("/api/")
            or getattr(view_func, _EXEMPT_ATTR, False)
            or request.path == reverse("accounts:profile")
        ):
            return None
        from django.contrib import messages
        from django.utils.translation import gettext as _

        messages.warning(
            request, _("Choose a new password: the one you were given can only be used once.")
        )
        return _redirect(request, reverse("accounts:profile") + "#password")
