"""Entry edits: history kept, version bumped, stale edits refused, and who may change what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from lantern.chronology.models import ChronologyEntry, EntryRevision
from lantern.chronology.services_entries import StaleEntryError, entry_comment, entry_update
from lantern.chronology.tests.combined_support import make_entry
from lantern.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def police_entry(cast) -> ChronologyEntry:  # noqa: ANN001
    return make_entry(
        cast.review,
        cast.police,
        "2021-03-14",
        what_happened="Officers attended a call from Kerry.",
        subject="victim",
    )


def _audits(**filters) -> int:  # noqa: ANN003
    return AuditEvent.objects.filter(**filters).count()


def test_edit_keeps_history_bumps_version_and_audits_once(cast, police_entry) -> None:
    before = _audits(action=AuditEvent.Action.UPDATE)
    stored = entry_update(
        entry=police_entry,
        by=cast.chair,
        changes={"what_happened": "Officers attended a 999 call from Kerry.", "time": "22:15"},
        expected_version=1,
    )
    assert stored.version == 2
    assert stored.what_happened == "Officers attended a 999 call from Kerry."
    assert stored.time == dt.time(22, 15)
    revision = EntryRevision.objects.get(entry=police_entry)
    assert revision.by == cast.chair
    assert revision.changes == {
        "what_happened": [
            "Officers attended a call from Kerry.",
            "Officers attended a 999 call from Kerry.",
        ],
        "time": [None, "22:15"],
    }
    assert _audits(action=AuditEvent.Action.UPDATE) == before + 1
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).latest("id")
    assert event.review == cast.review
    assert event.object_id == str(police_entry.pk)

    entry_update(
        entry=stored, by=cast.author, changes={"subject": "perpetrator"}, expected_version=2
    )
    assert ChronologyEntry.objects.get(pk=police_entry.pk).version == 3
    assert EntryRevision.objects.filter(entry=police_entry).count() == 2


def test_a_stale_edit_is_refused_and_stores_nothing(cast, police_entry) -> None:
    entry_update(
        entry=police_entry, by=cast.chair, changes={"action_taken": "Advice"}, expected_version=1
    )
    audits = AuditEvent.objects.count()
    with pytest.raises(StaleEntryError) as refused:
        entry_update(
            entry=police_entry,
            by=cast.author,
            changes={"action_taken": "Referred to MARAC"},
            expected_version=1,
        )
    assert isinstance(refused.value, ValidationError)
    assert refused.value.current_version == 2
    assert "Someone else changed this entry" in refused.value.messages[0]
    entry = ChronologyEntry.objects.get(pk=police_entry.pk)
    assert (entry.version, entry.action_taken) == (2, "Advice")
    assert EntryRevision.objects.filter(entry=police_entry).count() == 1
    assert AuditEvent.objects.count() == audits


def test_two_saves_of_the_same_version_cannot_both_win(cast, police_entry) -> None:
    # Both people loaded version 1; the object the second holds is as stale as their form.
    first = ChronologyEntry.objects.get(pk=police_entry.pk)
    second = ChronologyEntry.objects.get(pk=police_entry.pk)
    entry_update(entry=first, by=cast.chair, changes={"flag": "good_practice"}, expected_version=1)
    with pytest.raises(StaleEntryError):
        entry_update(
            entry=second, by=cast.author, changes={"flag": "missed_opportunity"}, expected_version=1
        )
    assert ChronologyEntry.objects.get(pk=police_entry.pk).flag == "good_practice"


def test_agency_author_edits_own_content_but_not_the_analysis(cast, police_entry) -> None:
    stored = entry_update(
        entry=police_entry,
        by=cast.agency_author,
        changes={"action_taken": "Safeguarding advice given"},
        expected_version=1,
    )
    assert stored.action_taken == "Safeguarding advice given"
    for changes in ({"analyst_comment": "Should have referred"}, {"flag": "missed_opportunity"}):
        with pytest.raises(PermissionDenied):
            entry_update(
                entry=police_entry, by=cast.agency_author, changes=changes, expected_version=2
            )
    with pytest.raises(PermissionDenied):
        entry_comment(
            entry=police_entry,
            by=cast.agency_author,
            comment="A missed chance",
            flag="missed_opportunity",
            expected_version=2,
        )
    entry = ChronologyEntry.objects.get(pk=police_entry.pk)
    assert (entry.analyst_comment, entry.flag, entry.version) == ("", "", 2)


def test_agency_author_cannot_touch_another_agencys_entry(cast, police_entry) -> None:
    housing = make_entry(cast.review, cast.housing, "2021-04-01")
    with pytest.raises(Http404):
        entry_update(
            entry=housing, by=cast.agency_author, changes={"action_taken": "x"}, expected_version=1
        )
    assert ChronologyEntry.objects.get(pk=housing.pk).version == 1


def test_panel_members_and_board_members_cannot_edit(cast, police_entry) -> None:
    # The panel member (police) can read police entries but edits nothing.
    with pytest.raises(PermissionDenied):
        entry_update(
            entry=police_entry,
            by=cast.panel_member,
            changes={"action_taken": "x"},
            expected_version=1,
        )
    with pytest.raises(PermissionDenied):
        entry_update(
            entry=police_entry,
            by=cast.board_member,
            changes={"action_taken": "x"},
            expected_version=1,
        )
    with pytest.raises(Http404):
        entry_update(
            entry=police_entry, by=cast.outsider, changes={"action_taken": "x"}, expected_version=1
        )
    assert ChronologyEntry.objects.get(pk=police_entry.pk).version == 1


def test_chair_comments_and_flags(cast, police_entry) -> None:
    stored = entry_comment(
        entry=police_entry,
        by=cast.chair,
        comment="No DASH was completed although injuries were seen.",
        flag="missed_opportunity",
        expected_version=1,
    )
    assert stored.flag == "missed_opportunity"
    assert stored.analyst_comment.startswith("No DASH")
    assert EntryRevision.objects.get(entry=police_entry).changes["flag"] == [
        "",
        "missed_opportunity",
    ]


def test_month_precision_keeps_the_first_of_the_month_and_no_time(cast) -> None:
    entry = make_entry(cast.review, cast.police, "2021-03-14", time=dt.time(9, 30))
    stored = entry_update(
        entry=entry,
        by=cast.chair,
        changes={"date": dt.date(2021, 5, 20), "date_precision": "month"},
        expected_version=1,
    )
    assert (stored.date, stored.date_precision, stored.time) == (dt.date(2021, 5, 1), "month", None)
    assert EntryRevision.objects.get(entry=entry).changes["date"] == ["2021-03-14", "2021-05-01"]


@pytest.mark.parametrize(
    "changes",
    [
        {"fingerprint": "x"},
        {"agency": 3},
        {"what_happened": "  "},
        {"date": "14/03/2021"},
        {"time": "half past ten"},
        {"subject": "neighbour"},
        {"flag": "excellent"},
        {"date_precision": "year"},
    ],
)
def test_bad_changes_are_refused(cast, police_entry, changes) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError) as refused:
        entry_update(entry=police_entry, by=cast.chair, changes=changes, expected_version=1)
    assert not isinstance(refused.value, StaleEntryError)
    assert ChronologyEntry.objects.get(pk=police_entry.pk).version == 1
    assert not EntryRevision.objects.exists()


def test_saving_the_same_values_changes_nothing(cast, police_entry) -> None:
    stored = entry_update(
        entry=police_entry,
        by=cast.chair,
        changes={"what_happened": police_entry.what_happened, "subject": "victim"},
        expected_version=1,
    )
    assert stored.version == 1
    assert not EntryRevision.objects.exists()
