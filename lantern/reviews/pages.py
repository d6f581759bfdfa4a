"""What every app's pages about one review share: fetch-and-check with the read recorded,
rendering (a POST that shows the page again is recorded as a read too), and page titles that
say when the form on them has errors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

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
    if any(form is not None and form.is_bound and form.errors for form in forms):
        return _("Error: %(title)s") % {"title": title}
    return title
