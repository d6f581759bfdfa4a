"""Reads of agencies' material, with the rule: agency authors see only their own agency's
material, panel members see what has been shared with the panel (and their own agency's), and
the coordinator, chair and author see everything."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lantern.chronology.models import AgencyReturn, ChronologyEntry
from lantern.reviews.access import Cap, cached_capabilities, user_agencies_on_review
from lantern.reviews.models import Review


def agency_ids_visible(*, user: Any, review: Review) -> set[int] | None:
    """The agencies whose material `user` may read on `review`; None means every agency."""
    caps = cached_capabilities(user=user, review=review)
    if Cap.VIEW_ALL_AGENCY_MATERIAL in caps:
        return None
    ids: set[int] = set()
    if Cap.VIEW_OWN_AGENCY_MATERIAL in caps:
        ids |= user_agencies_on_review(user=user, review=review)
    if Cap.VIEW_SHARED_AGENCY_MATERIAL in caps:
        ids |= set(
            AgencyReturn.objects.filter(
                review=review, shared_with_panel_on__isnull=False
            ).values_list("agency_id", flat=True)
        )
    return ids


def agency_ids_editable(*, user: Any, review: Review) -> set[int] | None:
    """Agencies whose material `user` may upload or change; None means every agency."""
    caps = cached_capabilities(user=user, review=review)
    if Cap.EDIT_ANALYSIS in caps or Cap.EDIT_REVIEW in caps:
        return None
    if Cap.EDIT_OWN_AGENCY_MATERIAL in caps:
        return user_agencies_on_review(user=user, review=review)
    return set()


def can_edit_agency(*, user: Any, review: Review, agency_id: int) -> bool:
    ids = agency_ids_editable(user=user, review=review)
    return ids is None or agency_id in ids


def entries_visible_to(*, user: Any, review: Review) -> QuerySet[ChronologyEntry]:
    qs = ChronologyEntry.objects.filter(review=review)
    ids = agency_ids_visible(user=user, review=review)
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    return qs
