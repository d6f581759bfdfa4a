"""The cast's review filled in the way a real one is: people with real names and aliases, a
decision, terms of reference, a pause, family contact, panel statements, agencies' chronologies
that use the real names (as agencies' records do), themes, and an action plan.

Every real name and alias below must never appear in a generated document (`REAL_NAMES`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import pytest

from lantern.chronology.models import AgencyReturn, ChronologyEntry, EntryFlag, ThemeTag
from lantern.conftest import Cast
from lantern.recommendations import services as plan_services
from lantern.reviews.models import (
    Decision,
    FamilyContact,
    Meeting,
    Membership,
    Pause,
    Person,
    Review,
    TermsOfReference,
)
from lantern.testing.factories import OrganisationFactory

TODAY = dt.date(2025, 6, 2)
# The cast's people are "Joanne Whitfield" (Kerry) and "Darren Pike" (Lee); these add more.
REAL_NAMES = (
    "Joanne Whitfield",
    "Joanne",
    "Whitfield",
    "Jo Whitfield-Marsh",
    "Darren Pike",
    "Darren",
    "Pike",
    "Margaret Whitfield",
    "Margaret",
    "Tyler Pike",
    "Tyler",
    "Daz",
)


@dataclass
class Documented:
    cast: Cast
    review: Review

    @property
    def reference(self) -> str:
        return self.review.reference


def make_entry(review: Review, agency: Any, on: str, **fields: Any) -> ChronologyEntry:
    day = dt.date.fromisoformat(on)
    fingerprint = hashlib.sha256(
        f"{agency.pk}|{on}|{fields['what_happened']}|{ChronologyEntry.objects.count()}".encode()
    ).hexdigest()
    return ChronologyEntry.objects.create(
        review=review, agency=agency, date=day, fingerprint=fingerprint, **fields
    )


def fill_review(cast: Cast) -> Review:
    review = cast.review
    by = cast.coordinator
    # Users get random names from Faker, which can draw "Tyler" or "Joanne": give the cast fixed
    # names so a document listing the panel cannot collide with a real name checked below.
    for role, user in cast.all().items():
        user.first_name = role.replace("_", " ").capitalize()
        user.last_name = "Example"
        user.save(update_fields=["first_name", "last_name"])
    review.legal_test = "dvcva_2004_s9"
    review.circumstances = "Joanne Whitfield was found by her mother Margaret at home."
    review.joint_with = "Safeguarding Adults Review"
    review.save()
    victim = review.people.get(role="victim")
    victim.aliases = ["Jo Whitfield-Marsh"]
    victim.sex = "female"
    victim.ethnicity = "White British"
    victim.date_of_birth = dt.date(1986, 3, 4)  # 38 at her death in September 2024
    victim.save()
    perpetrator = review.people.get(role="perpetrator")
    perpetrator.aliases = ["Daz"]
    perpetrator.save()
    Person.objects.create(
        review=review,
        role="family",
        real_name="Margaret Whitfield",
        pseudonym="Sandra",
        relationship_to_victim="parent",
        ethnicity="White British",
    )
    Person.objects.create(
        review=review,
        role="child",
        real_name="Tyler Pike",
        pseudonym="Sam",
        relationship_to_victim="son_or_daughter",
    )
    Decision.objects.create(
        review=review,
        outcome="hold",
        decided_on=dt.date(2024, 10, 20),
        decided_by="Chair of the partnership",
        rationale="Coercive control by Darren emerged after Joanne's death.",
        legal_test="dvcva_2004_s9",
        home_office_informed_on=dt.date(2024, 10, 22),
        family_informed_on=dt.date(2024, 10, 23),
    )
    TermsOfReference.objects.create(
        review=review,
        period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2024, 9, 20),
        key_lines_of_enquiry=[
            "What did agencies know of Darren Pike's abuse of Joanne?",
            "Were DASH risk assessments completed and acted on?",
        ],
        family_involvement="Margaret Whitfield will be invited to contribute with AAFDA.",
        parallel_processes="Inquest opened by the coroner.",
        agreed_on=dt.date(2024, 11, 15),
    )
    Pause.objects.create(
        review=review,
        cause="inquest",
        start=dt.date(2025, 1, 10),
        end=dt.date(2025, 3, 10),
        agreed_by="Partnership chair",
    )
    Meeting.objects.create(review=review, date=dt.date(2024, 12, 1), title="First panel meeting")
    FamilyContact.objects.create(
        review=review,
        date=dt.date(2024, 11, 20),
        person=Person.objects.get(review=review, real_name="Margaret Whitfield"),
        kind="meeting",
        summary="Met Margaret at home; she chose the name Kerry.",
        advocacy_offered=True,
        advocacy_provider="AAFDA",
        pseudonym_agreed=True,
    )
    FamilyContact.objects.create(
        review=review,
        date=dt.date(2025, 2, 1),
        contact_with="Joanne's friend, Lisa",
        kind="phone",
        summary="Spoke to a friend of Joanne Whitfield.",
    )
    chair = Membership.objects.get(review=review, role="chair")
    chair.independence_statement = "I have never worked for any agency in this review."
    chair.independence_declared_on = dt.date(2024, 11, 1)
    chair.save()
    cast.chair.job_title = "Independent chair"
    cast.chair.save()
    # The agencies' records, in their own words (real names included).
    police, housing = cast.police, cast.housing
    gp = OrganisationFactory(name="Northbridge Surgery", type="gp")
    e1 = make_entry(
        review,
        police,
        "2022-03-14",
        what_happened="Call from Joanne Whitfield: Darren Pike threatened her.",
        action_taken="DASH completed: high risk. Referred to MARAC.",
        flag=EntryFlag.GOOD_PRACTICE,
        analyst_comment="Prompt referral for Joanne.",
    )
    e2 = make_entry(
        review,
        housing,
        "2023-06-02",
        what_happened="Jo Whitfield-Marsh asked to move; Daz had found her address.",
        flag=EntryFlag.MISSED_OPPORTUNITY,
        analyst_comment="No DASH; Darren's stalking not recognised.",
    )
    e3 = make_entry(
        review,
        gp,
        "2024-05-20",
        what_happened="Joanne seen for low mood. Tyler attended with her.",
    )
    for entry, themes in ((e1, ["domestic_abuse"]), (e2, ["housing", "domestic_abuse"])):
        for theme in themes:
            ThemeTag.objects.create(entry=entry, theme=theme, status=ThemeTag.Status.CONFIRMED)
    ThemeTag.objects.create(entry=e3, theme="mental_health")
    AgencyReturn.objects.create(
        review=review,
        agency=police,
        answer="contact",
        chronology_received_on=dt.date(2024, 12, 1),
        imr_kind="imr",
        imr_received_on=dt.date(2025, 2, 1),
        shared_with_panel_on=dt.date(2025, 2, 2),
    )
    AgencyReturn.objects.create(review=review, agency=housing, answer="contact")
    # The action plan.
    rec = plan_services.recommendation_create(
        review=review,
        by=by,
        number="1",
        kind="overarching",
        scope="local",
        text="Agencies to recognise stalking after separation, as Darren Pike's was not.",
        themes=["identification_of_risk", "training"],
        addressee="csp",
        addressed_to=cast.csp.name,
    )
    plan_services.action_create(
        recommendation=rec,
        by=by,
        description="Train response officers on stalking; case study of Joanne.",
        lead_agency=police,
        milestones="Course written",
        outcome_measure="95% of officers trained",
        target_date=dt.date(2025, 12, 31),
    )
    single = plan_services.recommendation_create(
        review=review,
        by=by,
        number="SA1",
        kind="single_agency",
        scope="single_agency",
        text="Housing to ask about domestic abuse at every move request.",
        themes=["policy"],
        source="imr",
        source_agency=housing,
    )
    plan_services.action_create(
        recommendation=single,
        by=by,
        description="Add the question to the move request form.",
        lead_agency=housing,
        target_date=dt.date(2025, 9, 30),
    )
    review.refresh_from_db()
    return review


@pytest.fixture
def documented(cast: Cast) -> Documented:
    return Documented(cast=cast, review=fill_review(cast))
