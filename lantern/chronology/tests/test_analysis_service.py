"""The analysis service: what each reader's analysis covers, themes from tags, the audit read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from lantern.chronology.analysis_service import (
    chronology_analysis,
    entry_facts,
    review_for_analysis,
)
from lantern.chronology.models import ThemeTag
from lantern.chronology.tests.analysis_support import entry, settle, share, tag
from lantern.core.models import AuditEvent

pytestmark = pytest.mark.django_db

CONFIRMED = ThemeTag.Status.CONFIRMED
SUGGESTED = ThemeTag.Status.SUGGESTED
REJECTED = ThemeTag.Status.REJECTED


@pytest.fixture
def rows(cast):  # noqa: ANN001, ANN201
    review = cast.review  # date of death 20 September 2024
    police = [
        entry(review, cast.police, "2024-01-10", what_happened="Attended a call to the address."),
        entry(review, cast.police, "2024-03-02", what_happened="Officers attended the address."),
        entry(review, cast.police, "2024-09-25", what_happened="Attended after the death."),
    ]
    housing = [
        entry(review, cast.housing, "2024-02-01", what_happened="Rent account reviewed."),
        entry(
            review,
            cast.housing,
            "2024-05-01",
            what_happened="Joanne did not attend the tenancy review.",
            subject="perpetrator",
        ),
    ]
    settle(review)
    tag(police[0], "domestic_abuse", CONFIRMED)
    tag(police[1], "substance_use", REJECTED)
    tag(housing[0], "mental_health", SUGGESTED)
    tag(police[2], "self_harm_suicide", CONFIRMED)  # after the death: not counted
    return {"police": police, "housing": housing}


def _agencies(analysis) -> dict:  # noqa: ANN001
    return {a.agency: a for a in analysis.agencies}


def test_confirmed_and_suggested_tags_count_rejected_do_not(cast, rows) -> None:
    analysis = chronology_analysis(user=cast.chair, review=cast.review)
    agencies = _agencies(analysis)
    assert agencies["Northbridge Police"].themes == ("domestic_abuse",)
    assert agencies["Northbridge Homes"].themes == ("mental_health",)
    assert analysis.themes == ("domestic_abuse", "mental_health")
    assert agencies["Northbridge Police"].theme_coverage == 0.5
    assert analysis.contacts == 4
    assert analysis.after_death == 1
    assert analysis.days_without_contact == (dt.date(2024, 9, 20) - dt.date(2024, 5, 1)).days


def test_a_child_theme_counts_as_its_top_level_theme(cast, rows) -> None:
    tag(rows["housing"][1], "coercive_control", CONFIRMED)
    analysis = chronology_analysis(user=cast.chair, review=cast.review)
    assert _agencies(analysis)["Northbridge Homes"].themes == ("domestic_abuse", "mental_health")


@pytest.mark.parametrize(
    ("role", "agencies"),
    [
        ("coordinator", {"Northbridge Police", "Northbridge Homes"}),
        ("chair", {"Northbridge Police", "Northbridge Homes"}),
        ("author", {"Northbridge Police", "Northbridge Homes"}),
        ("agency_author", {"Northbridge Police"}),
        ("other_agency_author", {"Northbridge Homes"}),
        ("panel_member", {"Northbridge Police"}),  # their own agency; housing is not shared yet
    ],
)
def test_each_reader_analyses_only_what_they_may_see(cast, rows, role, agencies) -> None:
    user = getattr(cast, role)
    review = review_for_analysis(user=user, reference=cast.review.reference)
    analysis = chronology_analysis(user=user, review=review)
    assert set(_agencies(analysis)) == agencies
    assert {g.agency for g in analysis.gaps} <= agencies
    assert {f.agency for f in analysis.flags} <= agencies


def test_panel_member_sees_shared_agencies_too(cast, rows) -> None:
    share(cast.review, cast.housing)
    analysis = chronology_analysis(user=cast.panel_member, review=cast.review)
    assert set(_agencies(analysis)) == {"Northbridge Police", "Northbridge Homes"}


def test_outsider_gets_404_and_board_member_403(cast, rows) -> None:
    with pytest.raises(Http404):
        review_for_analysis(user=cast.outsider, reference=cast.review.reference)
    with pytest.raises(Http404):
        chronology_analysis(user=cast.outsider, review=cast.review)
    with pytest.raises(PermissionDenied):
        review_for_analysis(user=cast.board_member, reference=cast.review.reference)
    with pytest.raises(PermissionDenied):
        chronology_analysis(user=cast.board_member, review=cast.review)
    with pytest.raises(Http404):
        review_for_analysis(user=cast.chair, reference="NO-SUCH-REVIEW")


def test_the_read_is_audited_once(cast, rows) -> None:
    before = AuditEvent.objects.count()
    chronology_analysis(user=cast.author, review=cast.review, subject="victim")
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.action, e.object_type, e.actor_id) for e in events] == [
        (AuditEvent.Action.READ, "chronology analysis", cast.author.pk)
    ]
    assert events[0].review_id == cast.review.pk
    assert events[0].data == {"subject": "victim", "entries": 3}


def test_subject_filter(cast, rows) -> None:
    analysis = chronology_analysis(user=cast.chair, review=cast.review, subject="perpetrator")
    assert analysis.contacts == 1
    assert set(_agencies(analysis)) == {"Northbridge Homes"}
    with pytest.raises(ValidationError):
        chronology_analysis(user=cast.chair, review=cast.review, subject="neighbour")


def test_dash_and_marac_are_read_from_fields_and_text(cast) -> None:
    review = cast.review
    entry(
        review,
        cast.police,
        "2024-01-10",
        what_happened="Held by the throat.",
        risk_assessment="DASH: high (15/24). No MARAC referral made.",
    )
    entry(review, cast.police, "2024-02-10", dash_level="high", dash_score=16)
    entry(review, cast.police, "2024-04-10", dash_score=18, marac_referral=True)
    settle(review)
    facts, _labels, _own = entry_facts(user=cast.chair, review=review)
    by_date = {f.date.isoformat(): f for f in facts}
    first = by_date["2024-01-10"]
    assert (first.dash_recorded, first.dash_score, first.dash_level) == (True, 15, "high")
    assert first.marac_referral is False
    assert by_date["2024-02-10"].dash_recorded is True
    assert by_date["2024-04-10"].marac_referral is True
    analysis = chronology_analysis(user=cast.chair, review=review)
    assert [(n.date.isoformat(), n.score) for n in analysis.risk_notes] == [
        ("2024-01-10", 15),
        ("2024-02-10", 16),
    ]


def test_settings_change_the_rules(cast, settings) -> None:
    review = cast.review
    disclosed = entry(review, cast.police, "2024-01-10", what_happened="She disclosed abuse.")
    entry(review, cast.police, "2024-01-20", risk_assessment="DASH completed: standard.")
    settle(review)
    tag(disclosed, "domestic_abuse", CONFIRMED)
    kinds = [f.kind for f in chronology_analysis(user=cast.chair, review=review).flags]
    assert "no_dash_after_disclosure" not in kinds
    settings.LANTERN = {**settings.LANTERN, "ANALYSIS": {"dash_window_days": 5}}
    kinds = [f.kind for f in chronology_analysis(user=cast.chair, review=review).flags]
    assert "no_dash_after_disclosure" in kinds


def test_quotes_carry_pseudonyms_for_readers_without_real_names(cast, rows) -> None:
    share(cast.review, cast.housing)
    chair = chronology_analysis(user=cast.chair, review=cast.review)
    panel = chronology_analysis(user=cast.panel_member, review=cast.review)
    housing = chronology_analysis(user=cast.other_agency_author, review=cast.review)
    assert [m.text for m in chair.missed] == ["Joanne did not attend the tenancy review"]
    assert "Joanne" not in panel.missed[0].text
    assert "Kerry" in panel.missed[0].text
    assert not any("Joanne" in f.detail for f in panel.flags)
    # an agency's own people read their own entries as written
    assert housing.missed[0].text == "Joanne did not attend the tenancy review"
