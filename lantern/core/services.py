"""The audit record. Every service that reads or writes review data calls `audit_record`."""

from __future__ import annotations

from typing import Any

from django.db import models

from lantern.core.context import current
from lantern.core.models import AuditEvent


def _label(user: Any) -> str:
    if user is None:
        return "anonymous"
    if getattr(user, "is_system", False):
        return "console: local system administrator"
    return getattr(user, "username", str(user))


def audit_record(
    *,
    action: str,
    by: Any,
    review: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    data: dict | None = None,
) -> AuditEvent:
    ctx = current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor = by if getattr(by, "pk", None) else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=_label(by),
        channel=ctx.channel,
        source=ctx.source,
        action=action,
        review=review,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:500],
        data=data or {},
    )
