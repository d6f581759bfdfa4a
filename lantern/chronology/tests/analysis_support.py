"""Rows for the analysis tests: chronology entries and theme tags on the cast's review."""

from __future__ import annotations

import datetime as dt
import hashlib
from itertools import count
from typing import Any

from lantern.chronology.models import AgencyReturn, ChronologyEntry, ThemeTag
from lantern.reviews.models import Review

_serial = count(1)


def entry(review: Review, agency: Any, on: dt.date | str, **fields: Any) -> ChronologyEntry:
    if isinstance(on, str):
        on = dt.date.fromisoformat(on)
    fields.setdefault("what_happened", f"Contact on {on.isoformat()}")
    fields.setdefault("subject", "victim")
    fingerprint = hashlib.sha256(f"{agency.pk}|{on}|{next(_serial)}".encode()).hexdigest()
    return ChronologyEntry.objects.create(
        review=review, agency=agency, date=on, fingerprint=fingerprint, **fields
    )


def tag(item: ChronologyEntry, theme: str, status: str = ThemeTag.Status.SUGGESTED) -> ThemeTag:
    return ThemeTag.objects.create(entry=item, theme=theme, status=status)


def settle(review: Review) -> None:
    """Let the tagger finish with the entries so far, then take its suggestions away: each test
    adds the tags it means to count."""
    from lantern.themes.services import suggestions_complete

    suggestions_complete(review=review)
    ThemeTag.objects.filter(entry__review=review, source="tagger").delete()


def share(review: Review, agency: Any, on: dt.date = dt.date(2024, 11, 1)) -> AgencyReturn:
    ret, _created = AgencyReturn.objects.get_or_create(review=review, agency=agency)
    ret.shared_with_panel_on = on
    ret.save()
    return ret
