"""Who may use the library. It holds only published, anonymised documents and is separate from
review data: reading is open to everyone signed in (or to anyone, with
LANTERN_LIBRARY_ACCESS="public"); adding documents and correcting facts is for coordinators,
administrators and holders of the `library.edit_library` permission.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security.base import AuthBase

from lantern.accounts.models import OrgRole

SIGNED_IN = "signed_in"
PUBLIC = "public"


def access_mode() -> str:
    mode = getattr(settings, "LANTERN_LIBRARY_ACCESS", SIGNED_IN)
    return PUBLIC if str(mode).strip().lower() == PUBLIC else SIGNED_IN


def can_read(user: Any) -> bool:
    if access_mode() == PUBLIC:
        return True
    return bool(user is not None and getattr(user, "is_authenticated", False)) and (
        getattr(user, "is_active", False) or getattr(user, "is_system", False)
    )


def can_edit(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_system", False):
        return True
    if not user.is_active:
        return False
    return user.org_role in (OrgRole.COORDINATOR, OrgRole.ADMIN) or user.has_perm(
        "library.edit_library"
    )


def ensure_can_edit(user: Any) -> None:
    if not can_edit(user):
        raise PermissionDenied


def _session_cookie_class() -> type:
    from lantern.accounts.api import SessionCookie as BaseSessionCookie

    class SessionCookie(BaseSessionCookie):  # same name: the same security scheme in OpenAPI
        """The pages' session; when the library is public, a GET with no session is let in as
        an anonymous reader (so the OpenAPI document still lists only the token and session)."""

        def __call__(self, request: HttpRequest) -> Any:
            found = super().__call__(request)
            if found:
                return found
            if access_mode() == PUBLIC and request.method in ("GET", "HEAD"):
                return AnonymousUser()
            return None

    return SessionCookie


def reader_auth() -> list[AuthBase]:
    """A token or a session; or nobody at all, for reading, when the library is public."""
    from lantern.accounts.api import BearerToken

    return [BearerToken(), _session_cookie_class()()]


def editor_auth() -> list[AuthBase]:
    """Signed in, then refused with 403 (before the body is read) unless an editor."""
    from lantern.accounts.api import signed_in

    def gate(request: HttpRequest, user: Any) -> None:
        ensure_can_edit(user)

    return signed_in(gate)
