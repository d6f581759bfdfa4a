"""`lantern chronology returns --review REF [--overdue] [--json]`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.chronology import services_returns as services
from lantern.chronology.tests.returns_support import ask_all, days_ago
from lantern.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _run(user: str, *args: str) -> str:
    out = io.StringIO()
    call_command("chronology", "--as", user, "returns", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_lists_every_agency_for_the_coordinator(cast) -> None:
    ask_all(cast, asked_on=days_ago(60))
    services.return_answer(
        agency_return=cast.review.returns.get(agency=cast.police),
        by=cast.coordinator,
        answer="contact",
        answered_on=days_ago(50),
    )
    data = json.loads(_run("coordinator", "--review", "NB-DHR-2024-07", "--json"))
    rows = {r["agency"]: r for r in data["returns"]}
    assert rows["Northbridge Police"]["contact_question"]["status"] == "received"
    assert rows["Northbridge Homes"]["contact_question"]["status"] == "overdue"
    assert AuditEvent.objects.filter(
        actor=cast.coordinator, action="read", object_type="agency returns", channel="cli"
    ).exists()


def test_overdue_only(cast) -> None:
    ask_all(cast, asked_on=days_ago(60))
    services.return_answer(
        agency_return=cast.review.returns.get(agency=cast.police),
        by=cast.coordinator,
        answer="no_contact",
        answered_on=days_ago(50),
    )
    text = _run("coordinator", "--review", "NB-DHR-2024-07", "--overdue")
    assert "Northbridge Homes\toverdue\tanswer overdue" in text
    assert "Northbridge Police" not in text


def test_agency_author_sees_only_their_agency(cast) -> None:
    ask_all(cast)
    data = json.loads(_run("agency_author", "--review", "NB-DHR-2024-07", "--json"))
    assert [r["agency"] for r in data["returns"]] == ["Northbridge Police"]


@pytest.mark.parametrize(
    ("user", "message"),
    [("board_member", "permission"), ("outsider", "No such review")],
)
def test_board_and_outsider_are_refused(cast, user, message) -> None:
    with pytest.raises(CommandError, match=message):
        _run(user, "--review", "NB-DHR-2024-07")
