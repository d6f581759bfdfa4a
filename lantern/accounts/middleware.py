from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class IdleTimeoutMiddleware:
    """Sign a person out after a period without requests (shared council machines)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get("last_seen")
            if last and now - last > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                if not request.path.startswith("/api/"):
                    return redirect(f"{reverse('accounts:login')}?timeout=1")
            else:
                request.session["last_seen"] = now
        return self.get_response(request)


_OPEN_PATHS = ("/accounts/", "/static/", "/api/", "/healthz")


class RequireTwoFactorMiddleware:
    """Outside demo mode, a signed-in person must have passed a TOTP check this session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.LANTERN_REQUIRE_2FA
            and request.user.is_authenticated
            and not request.user.is_verified()
            and not request.path.startswith(_OPEN_PATHS)
        ):
            from django_otp import devices_for_user

            if any(devices_for_user(request.user, confirmed=True)):
                return redirect(f"{reverse('accounts:verify')}?next={request.path}")
            return redirect(reverse("accounts:two_factor_setup"))
        return self.get_response(request)
