from __future__ import annotations

from django.db.models import QuerySet

from lantern.core.models import AuditEvent


def audit_events_for_review(*, review) -> QuerySet[AuditEvent]:  # noqa: ANN001
    return AuditEvent.objects.filter(review=review).select_related("actor")
