from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


def lantern(request: HttpRequest) -> dict:
    nav = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        path = request.path
        items = [(_("Reviews"), reverse("reviews:dashboard"))]
        items.append((_("Notify a death"), reverse("reviews:notify")))
        if getattr(user, "org_role", "") in ("coordinator", "board_member"):
            items.append((_("Oversight"), reverse("oversight:dashboard")))
        items.append((_("Library"), reverse("library:home")))
        if getattr(user, "org_role", "") in ("coordinator", "admin"):
            items.append((_("Users"), reverse("accounts:user_list")))
        items.append((_("Your account"), reverse("accounts:profile")))
        for text, href in items:
            nav.append({"text": text, "href": href, "active": path.startswith(href)})
    return {"service_nav": nav, "demo_mode": settings.DEMO_MODE}
