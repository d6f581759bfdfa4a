"""Background work for themes, run by the task worker (`lantern worker`)."""

from __future__ import annotations

from django_tasks import task

from lantern.accounts.models import Organisation
from lantern.core.context import acting
from lantern.reviews.models import Review


@task()
def suggest_themes(*, review_id: int, agency_id: int | None = None) -> int:
    """Suggest themes for an agency's entries on a review (every agency's when `agency_id` is
    None); queued by `tagging_mark_pending` after an import or an edit."""
    from lantern.themes.services import suggest_for

    with acting("task", "worker"):
        review = Review.objects.get(pk=review_id)
        agency = Organisation.objects.get(pk=agency_id) if agency_id is not None else None
        return suggest_for(review=review, agency=agency)
