"""What the publication pages share: fetch-and-check, rendering with the audit of reads, file
downloads (audited as exports)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.models import Review

# Shared with every app's review pages; this app's views import them from here.
from lantern.reviews.pages import page_title as page_title
from lantern.reviews.pages import render_page as render_page
from lantern.reviews.pages import review_for as review_for


def require(request: HttpRequest, review: Review, need: str, what: str) -> None:
    """A second capability a form needs (403, recorded), beyond the page's own."""
    if need not in review.viewer_caps:  # type: ignore[attr-defined]
        audit_record(
            action=AuditEvent.Action.ACCESS_DENIED,
            by=request.user,
            review=review,
            object_type=what,
            summary=f"Refused: needs {need}",
        )
        raise PermissionDenied


def download(
    *,
    request: HttpRequest,
    review: Review,
    content: bytes,
    filename: str,
    content_type: str,
    what: str,
    object_id: str = "",
) -> HttpResponse:
    audit_record(
        action=AuditEvent.Action.EXPORT,
        by=request.user,
        review=review,
        object_type=what,
        object_id=object_id or review.reference,
        summary=f"Downloaded {what} {filename}",
    )
    response = HttpResponse(bytes(content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename.replace(chr(34), "")}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
