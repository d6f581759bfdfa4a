"""`chronology_import` and the bundle import: all or nothing, idempotent, comments kept."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lantern.accounts.models import Organisation, User
from lantern.chronology.models import ChronologyEntry, ChronologyFile, ThemeTag
from lantern.chronology.services import chronology_import
from lantern.chronology.tests.import_files import csv_bytes, police_rows, xlsx
from lantern.core.errors import ProblemsError
from lantern.core.models import AuditEvent
from lantern.reviews.bundles import bundle_import
from lantern.reviews.models import ReviewAgency, ReviewEvent
from lantern.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

KERRY = Path(__file__).resolve().parents[2] / "reviews" / "tests" / "bundles" / "kerry"


def counts() -> dict[str, int]:
    return {
        "entries": ChronologyEntry.objects.count(),
        "files": ChronologyFile.objects.count(),
        "imports audited": AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count(),
        "timeline": ReviewEvent.objects.filter(kind=ReviewEvent.Kind.IMPORTED).count(),
    }


def police_file() -> tuple[str, bytes]:
    return ("police.xlsx", xlsx([["Northbridge Police: chronology"], *police_rows()]))


def test_an_import_stores_the_files_and_entries_with_provenance(cast: Any) -> None:
    result = chronology_import(
        review=cast.review, agency=cast.police, files=[police_file()], by=cast.coordinator
    )

    assert (result.stored, result.added, result.replaced, result.unchanged) == (True, 3, 0, 0)
    [stored] = result.files
    assert (stored.path, stored.agency, stored.uploaded_by) == (
        "police.xlsx",
        cast.police,
        cast.coordinator,
    )
    assert bytes(stored.content) == police_file()[1]
    entries = ChronologyEntry.objects.filter(review=cast.review).order_by("row")
    assert [(e.source_file_id, e.sheet, e.row, e.date, e.agency_id) for e in entries] == [
        (stored.pk, "Chronology", 3, date(2023, 11, 2), cast.police.pk),
        (stored.pk, "Chronology", 4, date(2024, 3, 18), cast.police.pk),
        (stored.pk, "Chronology", 5, date(2024, 6, 5), cast.police.pk),
    ]
    assert all(len(e.fingerprint) == 64 for e in entries)
    # The people register places subjects: "Victim" and "Perpetrator" as written.
    assert [e.subject for e in entries] == ["victim", "perpetrator", "victim"]


def test_one_audit_record_and_one_timeline_event_per_import(cast: Any) -> None:
    before = AuditEvent.objects.count()
    many = [police_rows()[0]] + [
        [f"{d:02d}/01/2024", "", "", "Victim", f"Contact {d}", ""] for d in range(1, 29)
    ]
    chronology_import(
        review=cast.review,
        agency=cast.police,
        files=[police_file(), ("more.csv", csv_bytes(many))],
        by=cast.coordinator,
    )

    [record] = AuditEvent.objects.all()[: AuditEvent.objects.count() - before]
    assert AuditEvent.objects.count() == before + 1
    assert (record.action, record.actor, record.review) == (
        AuditEvent.Action.IMPORT,
        cast.coordinator,
        cast.review,
    )
    assert record.data["files"] == ["police.xlsx", "more.csv"]
    [event] = ReviewEvent.objects.filter(kind=ReviewEvent.Kind.IMPORTED)
    assert event.summary == (
        "Chronology imported for Northbridge Police: 31 added, 0 replaced, 0 unchanged"
    )
    assert "police.xlsx" not in event.summary  # file names may name people


def test_a_bad_row_in_one_file_refuses_every_file_and_stores_nothing(cast: Any) -> None:
    chronology_import(
        review=cast.review, agency=cast.police, files=[police_file()], by=cast.coordinator
    )
    before = counts()
    bad = [police_rows()[0], ["31/02/2024", "", "", "Victim", "Visit", ""]]

    result = chronology_import(
        review=cast.review,
        agency=cast.police,
        files=[("corrected.xlsx", xlsx(police_rows()[:2])), ("bad.csv", csv_bytes(bad))],
        by=cast.coordinator,
    )

    assert not result.stored
    assert [(p.file, p.row, p.column, p.severity) for p in result.problems] == [
        ("bad.csv", 2, "Date", "error")
    ]
    assert counts() == before


def test_reimporting_the_same_file_changes_nothing(cast: Any) -> None:
    first = chronology_import(
        review=cast.review, agency=cast.police, files=[police_file()], by=cast.coordinator
    )
    ids = set(ChronologyEntry.objects.values_list("pk", flat=True))
    before = counts()

    again = chronology_import(
        review=cast.review, agency=cast.police, files=[police_file()], by=cast.coordinator
    )

    assert (again.stored, again.added, again.replaced, again.unchanged) == (True, 0, 0, 3)
    assert again.files == first.files  # the same stored file, not a copy
    assert set(ChronologyEntry.objects.values_list("pk", flat=True)) == ids
    after = counts()
    assert after["entries"] == before["entries"]
    assert after["files"] == before["files"]
    assert after["timeline"] == before["timeline"]  # nothing happened to the review
    assert after["imports audited"] == before["imports audited"] + 1  # one record, no spam


def test_a_corrected_file_keeps_the_analysis_of_entries_that_did_not_change(cast: Any) -> None:
    chronology_import(
        review=cast.review, agency=cast.police, files=[police_file()], by=cast.coordinator
    )
    kept = ChronologyEntry.objects.get(row=3)
    kept.analyst_comment = "Good practice: prompt attendance"
    kept.flag = "good_practice"
    kept.save()
    ThemeTag.objects.create(entry=kept, theme="separation", status="confirmed", source="person")
    changed = ChronologyEntry.objects.get(row=4)
    changed.analyst_comment = "Comment on a row the agency then corrected"
    changed.save()

    rows = police_rows()
    rows[2][4] = "Bank card and phone taken"  # the agency corrects one entry
    corrected = [rows[0], rows[3], rows[1], rows[2]]  # and sorts its rows differently
    result = chronology_import(
        review=cast.review,
        agency=cast.police,
        files=[("police v2.csv", csv_bytes(corrected))],
        by=cast.agency_author,
    )

    assert (result.added, result.replaced, result.unchanged) == (1, 1, 2)
    kept.refresh_from_db()
    assert kept.analyst_comment == "Good practice: prompt attendance"
    assert kept.flag == "good_practice"
    assert list(kept.tags.values_list("theme", "status")) == [("separation", "confirmed")]
    # Its provenance is now the corrected file.
    assert (kept.source_file.path, kept.sheet, kept.row) == ("police v2.csv", "", 3)
    assert not ChronologyEntry.objects.filter(pk=changed.pk).exists()
    new = ChronologyEntry.objects.get(what_happened="Bank card and phone taken")
    assert (new.analyst_comment, new.row) == ("", 4)
    assert ChronologyEntry.objects.filter(review=cast.review).count() == 3
    # Both files are kept: what the agency sent, each time.
    assert list(ChronologyFile.objects.values_list("path", flat=True)) == [
        "police.xlsx",
        "police v2.csv",
    ]


def test_identical_rows_are_kept_as_many_times_as_they_appear(cast: Any) -> None:
    rows = [*police_rows(), police_rows()[1]]
    files = [("police.csv", csv_bytes(rows))]
    first = chronology_import(review=cast.review, agency=cast.police, files=files, by=cast.chair)
    again = chronology_import(review=cast.review, agency=cast.police, files=files, by=cast.chair)
    assert (first.added, again.unchanged, again.added) == (4, 4, 0)


def test_importing_for_one_agency_leaves_the_others_alone(cast: Any) -> None:
    chronology_import(
        review=cast.review, agency=cast.police, files=[police_file()], by=cast.coordinator
    )
    homes = [["Date", "What happened"], ["09/01/2024", "Asked for a move"]]
    result = chronology_import(
        review=cast.review,
        agency=cast.housing,
        files=[("homes.csv", csv_bytes(homes))],
        by=cast.other_agency_author,
    )
    assert (result.added, result.replaced) == (1, 0)
    assert Counter(ChronologyEntry.objects.values_list("agency__name", flat=True)) == {
        "Northbridge Police": 3,
        "Northbridge Homes": 1,
    }


def test_an_agency_author_imports_only_for_their_own_agency(cast: Any) -> None:
    before = counts()
    with pytest.raises(PermissionDenied):
        chronology_import(
            review=cast.review, agency=cast.housing, files=[police_file()], by=cast.agency_author
        )
    assert counts() == before
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED).last()
    assert denied.actor == cast.agency_author
    assert "Northbridge Homes" in denied.summary

    result = chronology_import(
        review=cast.review, agency=cast.police, files=[police_file()], by=cast.agency_author
    )
    assert result.stored


@pytest.mark.parametrize("role", ["panel_member", "board_member"])
def test_members_who_cannot_edit_agencies_material_cannot_import(cast: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        chronology_import(
            review=cast.review, agency=cast.police, files=[police_file()], by=getattr(cast, role)
        )
    assert ChronologyEntry.objects.count() == 0


@pytest.mark.parametrize("role", ["outsider", "admin"])
def test_a_non_member_cannot_tell_the_review_exists(cast: Any, role: str) -> None:
    with pytest.raises(Http404):
        chronology_import(
            review=cast.review, agency=cast.police, files=[police_file()], by=getattr(cast, role)
        )
    assert ChronologyEntry.objects.count() == 0


def test_an_existing_organisation_not_yet_on_the_review_is_added_to_it(cast: Any) -> None:
    fire = OrganisationFactory(name="Northbridge Fire and Rescue", type=Organisation.Type.OTHER)
    result = chronology_import(
        review=cast.review, agency=fire, files=[police_file()], by=cast.coordinator
    )
    assert result.agency_added
    assert ReviewAgency.objects.filter(review=cast.review, organisation=fire).exists()


def test_files_that_are_too_large_are_refused_before_reading(cast: Any, settings: Any) -> None:
    from lantern.chronology import services

    big = ("big.csv", b"Date,What happened\n" + b"x" * services.MAX_FILE_SIZE)
    result = chronology_import(
        review=cast.review, agency=cast.police, files=[big], by=cast.coordinator
    )
    assert not result.stored
    assert [p.message for p in result.errors] == ["the file is larger than 20 MB"]
    none = chronology_import(review=cast.review, agency=cast.police, files=[], by=cast.coordinator)
    assert [p.message for p in none.errors] == ["Choose at least one file to import."]


# --- bundles -------------------------------------------------------------------------------------


@pytest.fixture
def console(db: Any) -> User:
    return User.objects.system()


def test_the_demo_bundle_imports_every_agencys_entries(console: User, tmp_path: Path) -> None:
    from lantern.demo.generator import generate_bundle

    case = generate_bundle(tmp_path / "demo")
    review = bundle_import(path=tmp_path / "demo", by=console)

    expected = {a.name: len(case.entries_for(a.key)) for a in case.agencies}
    stored = Counter(review.chronology_entries.values_list("agency__name", flat=True))
    assert dict(stored) == expected
    assert sum(expected.values()) > 400 and len(expected) == 22
    # Every date and time as the story has it, whatever style each agency wrote it in.
    for agency in case.agencies:
        story = sorted(
            (e.on, e.at.isoformat() if e.at else "", e.what) for e in case.entries_for(agency.key)
        )
        got = sorted(
            (e.date, e.time.isoformat() if e.time else "", e.what_happened)
            for e in review.chronology_entries.filter(agency__name=agency.name)
        )
        assert got == story, agency.name
    assert review.events.get().data["chronology_entries"] == sum(expected.values())
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 1


def test_a_bundle_with_an_unreadable_chronology_is_refused_whole(
    console: User, tmp_path: Path
) -> None:
    bundle = tmp_path / "kerry"
    shutil.copytree(KERRY, bundle)
    police = bundle / "chronology" / "01_police.csv"
    police.write_text(police.read_text() + "2024-13-01,,,Victim,A visit,,\n")

    with pytest.raises(ProblemsError) as refused:
        bundle_import(path=bundle, by=console)

    [problem] = refused.value.problems
    assert (problem.file, problem.sheet, problem.row, problem.column) == (
        "chronology/01_police.csv",
        "",
        4,
        "Date",
    )
    assert ChronologyEntry.objects.count() == ChronologyFile.objects.count() == 0
    assert not Organisation.objects.filter(name="Northbridge Police").exists()


def test_the_sample_bundle_imports_its_entries(console: User) -> None:
    review = bundle_import(path=KERRY, by=console)
    entries = list(review.chronology_entries.order_by("date"))
    assert [(e.date, e.subject, e.dash_level, e.row) for e in entries] == [
        (date(2023, 11, 2), "victim", "standard", 2),
        (date(2024, 3, 18), "victim", "medium", 3),
    ]


def test_an_import_that_changes_entries_marks_them_for_theme_suggestions(cast: Any) -> None:
    from lantern.chronology.models import TaggingState

    chronology_import(
        review=cast.review, agency=cast.police, files=[police_file()], by=cast.coordinator
    )
    state = TaggingState.objects.get(review=cast.review, agency=cast.police)
    assert state.pending
    state.pending = False
    state.save()

    chronology_import(
        review=cast.review, agency=cast.police, files=[police_file()], by=cast.coordinator
    )
    state.refresh_from_db()
    assert not state.pending  # nothing changed: nothing to suggest again
    assert not TaggingState.objects.filter(agency=cast.housing).exists()
