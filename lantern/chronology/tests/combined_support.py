"""Test rows for the combined chronology's tests: entries on the cast's review."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from lantern.chronology.models import AgencyReturn, ChronologyEntry, ThemeTag
from lantern.reviews.models import Review


def make_entry(review: Review, agency: Any, on: dt.date | str, **fields: Any) -> ChronologyEntry:
    if isinstance(on, str):
        on = dt.date.fromisoformat(on)
    fields.setdefault("what_happened", f"Contact with {agency.name} on {on.isoformat()}")
    fingerprint = hashlib.sha256(
        f"{agency.pk}|{on}|{fields['what_happened']}|{ChronologyEntry.objects.count()}".encode()
    ).hexdigest()
    return ChronologyEntry.objects.create(
        review=review, agency=agency, date=on, fingerprint=fingerprint, **fields
    )


def tag(entry: ChronologyEntry, theme: str, status: str = ThemeTag.Status.SUGGESTED) -> ThemeTag:
    return ThemeTag.objects.create(entry=entry, theme=theme, status=status)


def share(review: Review, agency: Any, on: dt.date = dt.date(2024, 11, 1)) -> AgencyReturn:
    ret, _created = AgencyReturn.objects.get_or_create(review=review, agency=agency)
    ret.shared_with_panel_on = on
    ret.save()
    return ret
