"""The Django admin, mounted at /reference-data/, holds reference data only.

It is not a back door to review content: only organisations and review types are registered
(in accounts/admin.py). AuditEvent is deliberately not registered — the audit trail is
append-only and is read through Lantern's own pages and commands, never edited here.

The third-party apps installed before Lantern's own register their models on the default site
(auth groups, OTP devices with their secret keys, django-axes logs, task results); they are
removed here. `lantern.core` is the first Lantern app in INSTALLED_APPS, so Django's admin
autodiscovery has imported those apps' admin modules by the time this one runs.

Who may enter: an active superuser, or an active system administrator (org role "admin") who is
also staff. Signing in happens on Lantern's own page (lock-out and two-factor included), never on
the admin's login form.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def may_use_reference_data_admin(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(user, "is_system", False):
        return False
    return bool(user.is_superuser or (user.is_staff and user.org_role == "admin"))


class ReferenceDataAdminSite(admin.AdminSite):
    site_header = _("Lantern reference data")
    site_title = _("Lantern reference data")
    index_title = _("Organisations and review types")
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        return may_use_reference_data_admin(request.user)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if request.user.is_authenticated:
            # Signed in but not allowed here: refuse rather than loop through the sign-in page.
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


# The URLconf mounts `admin.site`; giving that instance this class keeps one site object
# (rather than a second site the URLconf does not know about).
admin.site.__class__ = ReferenceDataAdminSite

for _model in list(admin.site._registry):
    admin.site.unregister(_model)
