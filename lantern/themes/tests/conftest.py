"""Helpers for the themes tests: chronology entries on the fixed cast's review."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import pytest

from lantern.accounts.models import Organisation
from lantern.chronology.models import AgencyReturn, ChronologyEntry
from lantern.reviews.models import Review


def make_entry(
    review: Review,
    agency: Organisation,
    what_happened: str,
    *,
    on: dt.date = dt.date(2024, 3, 1),
    **fields: Any,
) -> ChronologyEntry:
    fingerprint = hashlib.sha256(f"{agency.pk}|{on}|{what_happened}".encode()).hexdigest()
    return ChronologyEntry.objects.create(
        review=review,
        agency=agency,
        date=on,
        what_happened=what_happened,
        fingerprint=fingerprint,
        **fields,
    )


@pytest.fixture
def entry(cast: Any) -> Callable[..., ChronologyEntry]:
    """`entry(text, agency=cast.police, **fields)` makes an entry on the cast's review."""

    def _make(text: str, agency: Organisation | None = None, **fields: Any) -> ChronologyEntry:
        return make_entry(cast.review, agency or cast.police, text, **fields)

    return _make


def share_with_panel(review: Review, agency: Organisation) -> None:
    AgencyReturn.objects.update_or_create(
        review=review, agency=agency, defaults={"shared_with_panel_on": dt.date(2024, 11, 1)}
    )
