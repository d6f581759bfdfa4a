"""Where a return stands, and which overdue returns each person's dashboard lists."""

from __future__ import annotations

from datetime import date

import pytest

from lantern.chronology import services_returns as services
from lantern.chronology.models import AgencyReturn
from lantern.chronology.selectors_returns import (
    DUE_SOON,
    NOT_ASKED,
    ON_TRACK,
    OVERDUE,
    RECEIVED,
    RECEIVED_LATE,
    return_rows,
    return_status,
    returns_overdue,
)
from lantern.chronology.tests.returns_support import ask_all, days_ago
from lantern.reviews.models import Stage

pytestmark = pytest.mark.django_db


def _return(**fields: object) -> AgencyReturn:
    return AgencyReturn(**fields)


@pytest.mark.parametrize(
    ("fields", "today", "answer", "overall"),
    [
        ({}, date(2024, 9, 1), NOT_ASKED, NOT_ASKED),
        (
            {"asked_on": date(2024, 8, 1), "answer_due_on": date(2024, 8, 22)},
            date(2024, 8, 2),
            ON_TRACK,
            ON_TRACK,
        ),
        (
            {"asked_on": date(2024, 8, 1), "answer_due_on": date(2024, 8, 22)},
            date(2024, 8, 20),
            DUE_SOON,
            DUE_SOON,
        ),
        (
            {"asked_on": date(2024, 8, 1), "answer_due_on": date(2024, 8, 22)},
            date(2024, 8, 22),
            DUE_SOON,
            DUE_SOON,
        ),
        (
            {"asked_on": date(2024, 8, 1), "answer_due_on": date(2024, 8, 22)},
            date(2024, 8, 23),
            OVERDUE,
            OVERDUE,
        ),
        (
            {
                "asked_on": date(2024, 8, 1),
                "answer_due_on": date(2024, 8, 22),
                "answer": "contact",
                "answered_on": date(2024, 8, 21),
            },
            date(2024, 9, 30),
            RECEIVED,
            RECEIVED,
        ),
        (
            {
                "asked_on": date(2024, 8, 1),
                "answer_due_on": date(2024, 8, 22),
                "answer": "no_contact",
                "answered_on": date(2024, 8, 29),
            },
            date(2024, 9, 30),
            RECEIVED_LATE,
            RECEIVED_LATE,
        ),
    ],
)
def test_return_status_of_the_contact_question(fields, today, answer, overall) -> None:
    status = return_status(_return(**fields), today)
    assert status.answer.status == answer
    assert status.chronology.status == NOT_ASKED
    assert status.overall == overall


def test_overall_is_the_most_pressing_item() -> None:
    r = _return(
        asked_on=date(2024, 8, 1),
        answer_due_on=date(2024, 8, 22),
        answer="contact",
        answered_on=date(2024, 8, 10),
        chronology_requested_on=date(2024, 8, 12),
        chronology_due_on=date(2024, 9, 2),
        imr_requested_on=date(2024, 8, 12),
        imr_due_on=date(2024, 10, 1),
    )
    status = return_status(r, date(2024, 9, 3))
    assert (status.answer.status, status.chronology.status, status.imr.status) == (
        RECEIVED,
        OVERDUE,
        ON_TRACK,
    )
    assert status.overall == OVERDUE
    assert [i.item for i in status.overdue] == ["chronology"]


def _overdue_setup(cast) -> None:  # noqa: ANN001
    ask_all(cast, asked_on=days_ago(60))
    services.returns_request(
        review=cast.review,
        by=cast.coordinator,
        agencies=[cast.housing],
        what="imr",
        requested_on=days_ago(50),
    )


def test_coordinator_sees_every_overdue_item(cast) -> None:
    _overdue_setup(cast)
    rows = returns_overdue(user=cast.coordinator, today=days_ago(0))
    assert sorted((r.agency.name, r.item) for r in rows) == [
        ("Northbridge Homes", "answer"),
        ("Northbridge Homes", "imr"),
        ("Northbridge Police", "answer"),
    ]
    assert all(r.review == cast.review and r.days_overdue > 0 for r in rows)


def test_agency_author_sees_only_their_own_agency_overdue(cast) -> None:
    _overdue_setup(cast)
    rows = returns_overdue(user=cast.agency_author, today=days_ago(0))
    assert {r.agency.name for r in rows} == {"Northbridge Police"}


def test_board_member_and_outsider_see_no_overdue_returns(cast) -> None:
    _overdue_setup(cast)
    assert returns_overdue(user=cast.board_member, today=days_ago(0)) == []
    assert returns_overdue(user=cast.outsider, today=days_ago(0)) == []


def test_closed_reviews_have_no_overdue_returns(cast) -> None:
    _overdue_setup(cast)
    cast.review.stage = Stage.CLOSED
    cast.review.save(update_fields=["stage"])
    assert returns_overdue(user=cast.coordinator, today=days_ago(0)) == []


def test_last_chaser_is_reported(cast) -> None:
    _overdue_setup(cast)
    row = AgencyReturn.objects.get(review=cast.review, agency=cast.housing)
    services.chaser_send(agency_return=row, by=cast.coordinator, about="imr", sent_on=days_ago(3))
    services.chaser_send(agency_return=row, by=cast.coordinator, about="imr", sent_on=days_ago(2))
    imr = next(
        r for r in returns_overdue(user=cast.coordinator, today=days_ago(0)) if r.item == "imr"
    )
    assert imr.last_chased_on == days_ago(2)


def test_return_rows_for_a_panel_member_follow_sharing(cast) -> None:
    ask_all(cast)
    names = {
        r.agency.name
        for r in return_rows(user=cast.panel_member, review=cast.review, today=days_ago(0))
    }
    assert names == {"Northbridge Police"}  # their own agency only
    services.agency_share_with_panel(
        review=cast.review, agency=cast.housing, by=cast.chair, shared_on=days_ago(0)
    )
    names = {
        r.agency.name
        for r in return_rows(user=cast.panel_member, review=cast.review, today=days_ago(0))
    }
    assert names == {"Northbridge Police", "Northbridge Homes"}
