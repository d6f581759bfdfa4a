"""EntryListing pages exactly as a plain ORDER BY ... OFFSET would, whichever way it finds them.

The listing finds a page on the index (agency and date filters) or in one pass over the matching
rows (subject, theme, text); both must agree with the simple, slow query on every page, with
many entries on the same day, times missing, and sorting by date or by agency.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from lantern.accounts.models import Organisation
from lantern.chronology import selectors_entries
from lantern.chronology.models import ChronologyEntry, ThemeTag
from lantern.chronology.selectors_entries import EntryFilters, EntryListing, entries_filtered
from lantern.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(cast):  # noqa: ANN001, ANN201
    """180 entries over 40 days in three agencies: many share a day, some a time, many have
    none; a few are known only to the month."""
    rng = random.Random(7)
    gp = OrganisationFactory(name="Avenue Surgery", type=Organisation.Type.GP)
    agencies = [cast.police, cast.housing, gp]
    rows = []
    for i in range(180):
        month_only = i % 17 == 0
        day = dt.date(2021, 3, 1) + dt.timedelta(days=rng.randint(0, 40))
        rows.append(
            ChronologyEntry(
                review=cast.review,
                agency=rng.choice(agencies),
                date=day.replace(day=1) if month_only else day,
                date_precision="month" if month_only else "day",
                time=None if month_only or rng.random() < 0.4 else dt.time(rng.choice([9, 14]), 0),
                subject=rng.choice(["victim", "perpetrator", "child", "other", ""]),
                what_happened=rng.choice(["Call about noise", "GP visit", "Police call"]),
                fingerprint=f"f{i}",
            )
        )
    created = ChronologyEntry.objects.bulk_create(rows)
    for entry in created[::5]:
        ThemeTag.objects.create(entry=entry, theme="mental_health")
    return {"gp": gp}


def _expected(cast, filters: EntryFilters) -> list[int]:  # noqa: ANN001
    return list(
        entries_filtered(user=cast.chair, review=cast.review, filters=filters).values_list(
            "id", flat=True
        )
    )


def _all_pages(listing: EntryListing, size: int) -> list[int]:
    out: list[int] = []
    offset = 0
    while offset < listing.count():
        out += [e.pk for e in listing[offset : offset + size]]
        offset += size
    return out


FILTERS = [
    {},
    {"sort": "agency"},
    {"date_from": dt.date(2021, 3, 10), "date_to": dt.date(2021, 3, 30)},
    {"date_from": dt.date(2021, 4, 3), "sort": "agency"},  # April's month-only entries stay
    {"subjects": ("victim", "child")},
    {"subjects": ("victim",), "sort": "agency"},
    {"text": "call"},
    {"theme": "mental_health", "sort": "agency"},
    {"text": "noise", "date_to": dt.date(2021, 3, 20)},
]


@pytest.mark.parametrize("params", FILTERS)
@pytest.mark.parametrize("size", [7, 50])
def test_every_page_matches_the_simple_query(cast, crowded, params, size) -> None:  # noqa: ANN001
    filters = EntryFilters(**params)
    expected = _expected(cast, filters)
    listing = EntryListing(user=cast.chair, review=cast.review, filters=filters)
    assert listing.count() == len(expected)
    assert _all_pages(listing, size) == expected
    assert expected  # the fixture gives every filter something to find


def test_agency_filters_page_on_the_index_too(cast, crowded) -> None:  # noqa: ANN001
    for params in (
        {"agencies": (cast.police.pk,)},
        {"agencies": (cast.police.pk, crowded["gp"].pk), "sort": "agency"},
    ):
        filters = EntryFilters(**params)
        listing = EntryListing(user=cast.chair, review=cast.review, filters=filters)
        assert _all_pages(listing, 11) == _expected(cast, filters)


def test_sqlite_straight_read_gives_the_same_pages(cast, crowded, monkeypatch) -> None:  # noqa: ANN001
    # Force the one-pass read through the table (what a review holding most entries gets).
    monkeypatch.setattr(selectors_entries, "_review_fills_table", lambda review: True)
    for params in ({"subjects": ("other",)}, {"text": "visit", "sort": "agency"}):
        filters = EntryFilters(**params)
        listing = EntryListing(user=cast.chair, review=cast.review, filters=filters)
        assert _all_pages(listing, 13) == _expected(cast, filters)


def test_a_reader_pages_only_what_they_may_see(cast, crowded) -> None:  # noqa: ANN001
    listing = EntryListing(user=cast.agency_author, review=cast.review)
    seen = _all_pages(listing, 20)
    expected = list(
        ChronologyEntry.objects.filter(review=cast.review, agency=cast.police)
        .order_by("date", "time", "id")
        .values_list("id", flat=True)
    )
    # SQLite and PostgreSQL both put a missing time first here (NULLS FIRST).
    assert sorted(seen) == sorted(expected)
    assert len(seen) == listing.count() == len(expected)


def test_pages_past_the_end_are_empty(cast, crowded) -> None:  # noqa: ANN001
    listing = EntryListing(user=cast.chair, review=cast.review)
    assert listing[1000:1050] == []
    assert (
        EntryListing(
            user=cast.chair, review=cast.review, filters=EntryFilters(text="nothing like this")
        )[0:50]
        == []
    )


def test_a_busy_day_longer_than_a_page(cast) -> None:  # noqa: ANN001
    day = dt.date(2022, 5, 5)
    rows = [
        ChronologyEntry(
            review=cast.review,
            agency=cast.police,
            date=day,
            time=dt.time(23 - i % 24, 0) if i % 3 else None,
            what_happened=f"Call {i}",
            fingerprint=f"busy{i}",
        )
        for i in range(23)
    ]
    rows += [
        ChronologyEntry(
            review=cast.review,
            agency=cast.housing,
            date=day + dt.timedelta(days=d),
            what_happened=f"Visit {d}",
            fingerprint=f"around{d}",
        )
        for d in (-2, -1, 1, 2)
    ]
    ChronologyEntry.objects.bulk_create(rows)
    for params in ({}, {"sort": "agency"}, {"agencies": (cast.police.pk, cast.housing.pk)}):
        filters = EntryFilters(**params)
        listing = EntryListing(user=cast.chair, review=cast.review, filters=filters)
        for size in (4, 5, 50):
            assert _all_pages(listing, size) == _expected(cast, filters), (params, size)
