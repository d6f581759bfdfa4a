"""Reads of theme tags. The callers (pages, API, analysis) fetch the review through
`review_get_for_user`, which checks access and audits the read."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from lantern.chronology.models import ChronologyEntry, ThemeTag
from lantern.core.collector import raw_rows
from lantern.reviews.models import Review
from lantern.themes.vocabulary import UnknownTheme, load_vocabulary

# What counts as an entry's themes: confirmed by a person, or suggested and not (yet) rejected.
IN_FORCE = (ThemeTag.Status.CONFIRMED, ThemeTag.Status.SUGGESTED)


def tags_for_entry(entry: ChronologyEntry) -> QuerySet[ThemeTag]:
    return ThemeTag.objects.filter(entry=entry).select_related("decided_by").order_by("id")


def entry_theme_codes(entry: ChronologyEntry) -> set[str]:
    """The entry's theme codes as tagged (child or top level), confirmed or suggested and not
    rejected."""
    return set(
        ThemeTag.objects.filter(entry=entry, status__in=IN_FORCE).values_list("theme", flat=True)
    )


def top_level_themes_by_entry(
    *, review: Review, entry_ids: Iterable[int] | None = None
) -> dict[int, set[str]]:
    """Entry id -> top-level themes, from tags confirmed or suggested and not rejected.

    With `entry_ids`, every one of them is a key (an empty set when it has no themes); without,
    only entries that have themes are. Codes no longer in the vocabulary are left out.
    """
    vocabulary = load_vocabulary()
    qs = ThemeTag.objects.filter(entry__review=review, status__in=IN_FORCE)
    result: dict[int, set[str]] = {}
    if entry_ids is not None:
        ids = list(entry_ids)
        result = {entry_id: set() for entry_id in ids}
        qs = qs.filter(entry_id__in=ids)
    tops: dict[str, str | None] = {}  # code -> top-level code (None: not in the vocabulary)
    for entry_id, theme in raw_rows(qs.order_by(), ("entry_id", "theme")):
        if theme in tops:
            top = tops[theme]
        else:
            try:
                top = tops[theme] = vocabulary.top_level_of(theme)
            except UnknownTheme:
                top = tops[theme] = None
        if top is None:
            continue
        result.setdefault(entry_id, set()).add(top)
    return result
