"""Background work for chronologies, run by the task worker (`lantern worker`)."""

from __future__ import annotations

from django_tasks import task

from lantern.accounts.models import Organisation
from lantern.core.context import acting
from lantern.reviews.models import Review


@task()
def work_out_text_notes(*, review_id: int, agency_id: int | None = None) -> int:
    """Store what the analysis reads in the text of an agency's entries on a review (every
    agency's when `agency_id` is None); queued after an import, and by the analysis when it
    finds entries without current notes."""
    from lantern.chronology.text_notes import text_notes_refresh

    with acting("task", "worker"):
        review = Review.objects.get(pk=review_id)
        agency = Organisation.objects.get(pk=agency_id) if agency_id is not None else None
        return text_notes_refresh(review=review, agency=agency)
