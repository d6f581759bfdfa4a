"""What the publication pages share: fetch-and-check, rendering with the audit of reads, file
downloads (audited as exports)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.access import review_get_for_user
from lantern.reviews.models import Review


def review_for(request: HttpRequest, reference: str, need: str, what: str) -> Review:
    """Fetch and check; a GET is recorded as a read (a POST records its own write)."""
    return review_get_for_user(
        user=request.user,
        reference=reference,
        need=need,
        what=what,
        audit=request.method == "GET",
    )


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


def render_page(
    request: HttpRequest, template: str, review: Review, what: str, context: dict[str, Any]
) -> HttpResponse:
    """Render a page of the review. A POST that shows the page again (invalid input) shows
    review data too, so it is recorded as a read like the GET was."""
    if request.method != "GET":
        audit_record(
            action=AuditEvent.Action.READ,
            by=request.user,
            review=review,
            object_type=what,
            object_id=review.reference,
            summary=f"Viewed {what}",
        )
    context.setdefault("review", review)
    context.setdefault("caps", review.viewer_caps)  # type: ignore[attr-defined]
    return render(request, template, context)


def page_title(title: str, *forms: Any) -> str:
    from django.utils.translation import gettext as _

    if any(form is not None and form.is_bound and form.errors for form in forms):
        return _("Error: %(title)s") % {"title": title}
    return title


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
