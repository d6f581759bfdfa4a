"""`lantern chronology analyse`: the JSON contract, the readable summary, and access."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lantern.chronology.models import ThemeTag
from lantern.chronology.tests.analysis_support import entry, settle, tag

pytestmark = pytest.mark.django_db

CONTRACT = [
    "review",
    "date_of_death",
    "entries",
    "agencies",
    "themes",
    "single_issue_agencies",
    "days_without_contact_before_death",
    "monthly_contacts",
    "flags",
]
AGENCY_KEYS = ["agency", "entries", "first_contact", "last_contact", "themes", "theme_coverage"]
FLAG_KEYS = ["kind", "agency", "date", "detail"]
KINDS = {
    "no_dash_after_disclosure",
    "no_marac_after_repeat_incidents",
    "disclosure_not_shared",
    "contact_fell_away",
    "missed_appointments",
}


@pytest.fixture
def rows(cast):  # noqa: ANN001, ANN201
    review = cast.review  # date of death 20 September 2024
    incidents = [
        entry(review, cast.police, day, what_happened="Domestic incident at the address.")
        for day in ("2023-11-02", "2024-01-15", "2024-03-30")
    ]
    entry(review, cast.police, "2024-04-02", subject="perpetrator", what_happened="Arrested.")
    entry(
        review,
        cast.housing,
        "2024-04-10",
        date_precision="month",
        what_happened="Missed appointment with the housing officer.",
    )
    entry(review, cast.housing, "2024-10-01", what_happened="Tenancy ended after the death.")
    settle(review)
    for item in incidents:
        tag(item, "domestic_abuse", ThemeTag.Status.CONFIRMED)
    return incidents


def analyse(*args: str, **options: str) -> str:
    out = StringIO()
    call_command("chronology", "analyse", *args, stdout=out, **options)
    return out.getvalue()


def test_json_has_exactly_the_contract(cast, rows) -> None:
    data = json.loads(analyse("--review", cast.review.reference, "--json"))
    assert list(data)[: len(CONTRACT)] == CONTRACT
    assert data["review"] == cast.review.reference
    assert data["date_of_death"] == "2024-09-20"
    assert data["entries"] == 5
    assert [list(a) for a in data["agencies"]] == [AGENCY_KEYS, AGENCY_KEYS]
    assert data["agencies"] == [
        {
            "agency": "Northbridge Homes",
            "entries": 1,
            "first_contact": "2024-04-01",
            "last_contact": "2024-04-01",
            "themes": [],
            "theme_coverage": 0.0,
        },
        {
            "agency": "Northbridge Police",
            "entries": 4,
            "first_contact": "2023-11-02",
            "last_contact": "2024-04-02",
            "themes": ["domestic_abuse"],
            "theme_coverage": 1.0,
        },
    ]
    assert data["themes"] == ["domestic_abuse"]
    assert data["single_issue_agencies"] == ["Northbridge Police"]
    assert data["days_without_contact_before_death"] == 171  # 2 April to 20 September
    assert data["monthly_contacts"] == {
        "2023-11": 1,
        "2023-12": 0,
        "2024-01": 1,
        "2024-02": 0,
        "2024-03": 1,
        "2024-04": 2,
    }
    assert all(list(f) == FLAG_KEYS for f in data["flags"])
    assert {f["kind"] for f in data["flags"]} <= KINDS
    repeat = [f for f in data["flags"] if f["kind"] == "no_marac_after_repeat_incidents"]
    assert [(f["agency"], f["date"]) for f in repeat] == [("Northbridge Police", "2024-03-30")]
    missed = [f for f in data["flags"] if f["kind"] == "missed_appointments"]
    assert [(f["agency"], f["date"]) for f in missed] == [("Northbridge Homes", "2024-04-01")]


def test_subject_and_acting_user(cast, rows) -> None:
    ref = cast.review.reference
    data = json.loads(analyse("--review", ref, "--subject", "perpetrator", "--json"))
    assert data["entries"] == 1
    assert data["subject"] == "perpetrator"
    own = json.loads(analyse("--review", ref, "--json", as_user="other_agency_author"))
    assert [a["agency"] for a in own["agencies"]] == ["Northbridge Homes"]


def test_readable_summary(cast, rows) -> None:
    text = analyse("--review", cast.review.reference)
    assert f"Review {cast.review.reference}" in text
    assert "5 entries before the death from 2 agencies (1 on or after it left out)" in text
    assert "the most any one agency knew was 1 of 1 themes" in text
    assert "2024-04-02 (Northbridge Police), 171 days before the death" in text
    assert "no_marac_after_repeat_incidents  Northbridge Police" in text


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("outsider", "No such review, or you are not a member of it."),
        ("board_member", "You do not have permission to do that."),
    ],
)
def test_refused(cast, rows, username, message) -> None:
    with pytest.raises(CommandError, match=message):
        analyse("--review", cast.review.reference, "--json", as_user=username)


def test_unknown_subject_is_a_usage_error(cast, rows) -> None:
    with pytest.raises(CommandError):
        analyse("--review", cast.review.reference, "--subject", "neighbour")
