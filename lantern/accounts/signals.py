"""Sign-ins, sign-outs and failed sign-ins go to the audit record (who, when, from where)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from lantern.core.models import AuditEvent
from lantern.core.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=AuditEvent.Action.LOGIN, by=user, summary="Signed in")


IDLE_TIMEOUT_FLAG = "lantern_idle_timeout"


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        idle = getattr(request, IDLE_TIMEOUT_FLAG, False)
        audit_record(
            action=AuditEvent.Action.LOGOUT,
            by=user,
            summary="Signed out after a period without activity" if idle else "Signed out",
        )


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    audit_record(
        action=AuditEvent.Action.LOGIN_FAILED,
        by=None,
        summary=f"Failed sign-in for {credentials.get('username', '')[:100]}",
    )
