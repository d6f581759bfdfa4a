"""Scoping, requests, receipts, chasers and sharing: the rules a coordinator and an agency
author notice."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from lantern.chronology import services_returns as services
from lantern.chronology.models import AgencyReturn, Chaser, ChronologyFile
from lantern.chronology.selectors import agency_ids_visible
from lantern.chronology.tests.returns_support import ask_all, audit_count, days_ago
from lantern.core.models import AuditEvent
from lantern.reviews.models import ReviewEvent
from lantern.testing.factories import OrganisationFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db


# --- asking about contact ----------------------------------------------------------------------


def test_answer_due_fifteen_working_days_later_skipping_the_summer_bank_holiday(cast) -> None:
    # Friday 16 August 2024: 15 working days, with Monday 26 August a bank holiday.
    rows = services.returns_ask(
        review=cast.review, by=cast.coordinator, agencies=[cast.police], asked_on=date(2024, 8, 16)
    )
    assert rows[0].answer_due_on == date(2024, 9, 9)  # not 6 September
    assert rows[0].records_secured_on == date(2024, 8, 16)


def test_due_date_follows_the_configured_working_days(cast, settings) -> None:
    settings.LANTERN = {
        **settings.LANTERN,
        "TIMESCALES": {**settings.LANTERN["TIMESCALES"], "agency_return_working_days": 5},
    }
    rows = services.returns_ask(
        review=cast.review, by=cast.coordinator, agencies=[cast.police], asked_on=date(2024, 8, 16)
    )
    assert rows[0].answer_due_on == date(2024, 8, 23)


def test_asking_without_securing_records_leaves_that_unrecorded(cast) -> None:
    rows = services.returns_ask(
        review=cast.review,
        by=cast.coordinator,
        agencies=[cast.police],
        asked_on=days_ago(1),
        secure_records=False,
    )
    assert rows[0].records_secured_on is None


def test_asking_records_one_timeline_event_naming_the_agencies(cast) -> None:
    ask_all(cast)
    event = ReviewEvent.objects.get(review=cast.review, kind=ReviewEvent.Kind.AGENCY)
    assert "Northbridge Police" in event.summary and "Northbridge Homes" in event.summary
    assert audit_count(cast, action=AuditEvent.Action.UPDATE, object_id=str(event.pk)) == 1


def test_only_the_coordinator_asks(cast) -> None:
    for user in (cast.chair, cast.agency_author, cast.panel_member, cast.board_member):
        with pytest.raises(PermissionDenied):
            services.returns_ask(
                review=cast.review, by=user, agencies=[cast.police], asked_on=days_ago(1)
            )
    with pytest.raises(Http404):
        services.returns_ask(
            review=cast.review, by=cast.outsider, agencies=[cast.police], asked_on=days_ago(1)
        )
    assert not AgencyReturn.objects.exists()


def test_an_agency_not_on_the_review_is_refused(cast) -> None:
    stranger = OrganisationFactory(name="Faraway Council")
    with pytest.raises(ValidationError) as error:
        services.returns_ask(
            review=cast.review, by=cast.coordinator, agencies=[stranger], asked_on=days_ago(1)
        )
    assert "Faraway Council" in str(error.value)


def test_the_date_asked_cannot_be_in_the_future(cast) -> None:
    with pytest.raises(ValidationError):
        services.returns_ask(
            review=cast.review, by=cast.coordinator, agencies=[cast.police], asked_on=days_ago(-1)
        )


# --- answering ---------------------------------------------------------------------------------


def test_agency_author_answers_for_their_own_agency(cast) -> None:
    returns = ask_all(cast)
    answered = services.return_answer(
        agency_return=returns["police"],
        by=cast.agency_author,
        answer="contact",
        answered_on=days_ago(30),
        contact_from=date(2020, 1, 1),
        contact_to=date(2024, 9, 1),
    )
    assert answered.answer == "contact"
    assert (answered.contact_from, answered.contact_to) == (date(2020, 1, 1), date(2024, 9, 1))


def test_agency_author_cannot_answer_for_another_agency(cast) -> None:
    returns = ask_all(cast)
    with pytest.raises(Http404):
        services.return_answer(
            agency_return=returns["housing"],
            by=cast.agency_author,
            answer="no_contact",
            answered_on=days_ago(1),
        )
    returns["housing"].refresh_from_db()
    assert returns["housing"].answer == ""


def test_panel_member_and_chair_cannot_answer(cast) -> None:
    returns = ask_all(cast)
    for user in (cast.panel_member, cast.chair):
        with pytest.raises(PermissionDenied):
            services.return_answer(
                agency_return=returns["police"],
                by=user,
                answer="contact",
                answered_on=days_ago(1),
            )


def test_coordinator_records_any_agency_answer_and_no_contact_clears_the_period(cast) -> None:
    returns = ask_all(cast)
    answered = services.return_answer(
        agency_return=returns["housing"],
        by=cast.coordinator,
        answer="no_contact",
        answered_on=days_ago(1),
        contact_from=date(2020, 1, 1),
        contact_to=date(2020, 2, 1),
    )
    assert answered.answer == "no_contact"
    assert answered.contact_from is None and answered.contact_to is None


def test_a_contact_period_that_ends_before_it_starts_is_refused(cast) -> None:
    returns = ask_all(cast)
    with pytest.raises(ValidationError) as error:
        services.return_answer(
            agency_return=returns["police"],
            by=cast.agency_author,
            answer="contact",
            answered_on=days_ago(1),
            contact_from=date(2024, 1, 1),
            contact_to=date(2023, 1, 1),
        )
    assert "contact_to" in error.value.message_dict


# --- requests and receipts ---------------------------------------------------------------------


def test_requesting_an_imr_sets_the_kind_and_a_working_day_due_date(cast) -> None:
    ask_all(cast)
    rows = services.returns_request(
        review=cast.review,
        by=cast.coordinator,
        agencies=[cast.police],
        what="summary",
        requested_on=date(2024, 8, 16),
    )
    assert rows[0].imr_kind == "summary"
    assert rows[0].imr_requested_on == date(2024, 8, 16)
    assert rows[0].imr_due_on == date(2024, 9, 9)


def test_requesting_a_chronology_with_a_due_date_keeps_it(cast) -> None:
    ask_all(cast)
    rows = services.returns_request(
        review=cast.review,
        by=cast.coordinator,
        agencies=[cast.police, cast.housing],
        what="chronology",
        requested_on=days_ago(10),
        due_on=days_ago(-20),
    )
    assert {r.chronology_due_on for r in rows} == {days_ago(-20)}


def test_a_due_date_before_the_request_is_refused(cast) -> None:
    with pytest.raises(ValidationError) as error:
        services.returns_request(
            review=cast.review,
            by=cast.coordinator,
            agencies=[cast.police],
            what="chronology",
            requested_on=days_ago(10),
            due_on=days_ago(11),
        )
    assert "due_on" in error.value.message_dict


def test_receipt_recorded_and_cannot_predate_the_request(cast) -> None:
    ask_all(cast)
    (row,) = services.returns_request(
        review=cast.review,
        by=cast.coordinator,
        agencies=[cast.police],
        what="chronology",
        requested_on=days_ago(20),
    )
    with pytest.raises(ValidationError):
        services.return_received(
            agency_return=row, by=cast.coordinator, what="chronology", received_on=days_ago(21)
        )
    row = services.return_received(
        agency_return=row, by=cast.coordinator, what="chronology", received_on=days_ago(2)
    )
    assert row.chronology_received_on == days_ago(2)


def test_agency_author_cannot_record_receipt(cast) -> None:
    returns = ask_all(cast)
    with pytest.raises(PermissionDenied):
        services.return_received(
            agency_return=returns["police"],
            by=cast.agency_author,
            what="chronology",
            received_on=days_ago(1),
        )


# --- chasers -----------------------------------------------------------------------------------


def test_chaser_emails_the_agency_authors_with_no_names(
    cast, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    second = UserFactory(
        username="second_police_author",
        organisation=cast.police,
        first_name="Priya",
        last_name="Sandhu",
    )
    add_member(cast.review, second, "agency_author", cast.police)
    returns = ask_all(cast)
    with django_capture_on_commit_callbacks(execute=True):
        chaser = services.chaser_send(
            agency_return=returns["police"],
            by=cast.coordinator,
            about="answer",
            sent_on=days_ago(1),
            note="Spoke to Joanne Whitfield's GP; police records officer is Darren's cousin.",
        )
    assert chaser.emailed_count == 2
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert sorted(email.to) == sorted([cast.agency_author.email, second.email])
    text = email.subject + "\n" + email.body
    assert "NB-DHR-2024-07" in text
    assert "answer to the contact question" in text
    forbidden = [
        "Joanne",
        "Whitfield",
        "Darren",
        "Pike",
        "Kerry",
        "Lee",
        "Spoke to",
        cast.review.title,
        cast.agency_author.first_name,
        cast.agency_author.last_name,
        "Priya",
        "Sandhu",
        cast.coordinator.first_name,
        cast.coordinator.last_name,
    ]
    leaked = [word for word in forbidden if word and word in text]
    assert not leaked, f"the chaser email names {leaked}"


def test_chaser_is_recorded_even_when_nobody_can_be_emailed(
    cast, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    probation = OrganisationFactory(name="Probation Service")
    from lantern.reviews.models import ReviewAgency

    ReviewAgency.objects.create(review=cast.review, organisation=probation)
    (row,) = services.returns_ask(
        review=cast.review, by=cast.coordinator, agencies=[probation], asked_on=days_ago(30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        chaser = services.chaser_send(
            agency_return=row, by=cast.coordinator, about="answer", sent_on=days_ago(1)
        )
    assert chaser.emailed_count == 0
    assert mailoutbox == []
    assert Chaser.objects.filter(agency_return=row).count() == 1


def test_cannot_chase_what_was_not_asked_for_or_has_arrived(cast) -> None:
    returns = ask_all(cast)
    with pytest.raises(ValidationError):
        services.chaser_send(
            agency_return=returns["police"], by=cast.coordinator, about="imr", sent_on=days_ago(1)
        )
    services.return_answer(
        agency_return=returns["police"],
        by=cast.coordinator,
        answer="no_contact",
        answered_on=days_ago(2),
    )
    returns["police"].refresh_from_db()
    with pytest.raises(ValidationError):
        services.chaser_send(
            agency_return=returns["police"],
            by=cast.coordinator,
            about="answer",
            sent_on=days_ago(1),
        )


def test_only_the_coordinator_chases(cast) -> None:
    returns = ask_all(cast)
    for user in (cast.chair, cast.agency_author):
        with pytest.raises(PermissionDenied):
            services.chaser_send(
                agency_return=returns["police"], by=user, about="answer", sent_on=days_ago(1)
            )


# --- sharing with the panel --------------------------------------------------------------------


def _file(cast, agency) -> ChronologyFile:  # noqa: ANN001
    return ChronologyFile.objects.create(
        review=cast.review, agency=agency, path="x.xlsx", content=b"x", sha256="0" * 64, size=1
    )


def test_sharing_shows_the_panel_the_agency_and_its_files(cast) -> None:
    ask_all(cast)
    chronology_file = _file(cast, cast.housing)
    assert cast.housing.pk not in agency_ids_visible(user=cast.panel_member, review=cast.review)
    services.agency_share_with_panel(
        review=cast.review, agency=cast.housing, by=cast.chair, shared_on=days_ago(1)
    )
    assert cast.housing.pk in agency_ids_visible(user=cast.panel_member, review=cast.review)
    chronology_file.refresh_from_db()
    assert chronology_file.shared_with_panel
    services.agency_unshare(review=cast.review, agency=cast.housing, by=cast.coordinator)
    assert cast.housing.pk not in agency_ids_visible(user=cast.panel_member, review=cast.review)
    chronology_file.refresh_from_db()
    assert not chronology_file.shared_with_panel


def test_sharing_needs_the_chair_or_coordinator(cast) -> None:
    ask_all(cast)
    for user in (cast.author, cast.panel_member, cast.agency_author):
        with pytest.raises(PermissionDenied):
            services.agency_share_with_panel(
                review=cast.review, agency=cast.police, by=user, shared_on=days_ago(1)
            )


def test_unsharing_what_was_never_shared_is_refused(cast) -> None:
    ask_all(cast)
    with pytest.raises(ValidationError):
        services.agency_unshare(review=cast.review, agency=cast.police, by=cast.chair)


def test_every_write_is_in_the_audit_trail(cast) -> None:
    before = audit_count(cast)
    returns = ask_all(cast, asked_on=days_ago(40))
    services.returns_request(
        review=cast.review,
        by=cast.coordinator,
        agencies=[cast.police],
        what="imr",
        requested_on=days_ago(30),
    )
    services.return_answer(
        agency_return=returns["police"],
        by=cast.agency_author,
        answer="contact",
        answered_on=days_ago(35),
    )
    returns["police"].refresh_from_db()
    services.chaser_send(
        agency_return=returns["police"], by=cast.coordinator, about="imr", sent_on=days_ago(1)
    )
    services.return_received(
        agency_return=returns["police"], by=cast.coordinator, what="imr", received_on=days_ago(0)
    )
    services.agency_share_with_panel(
        review=cast.review, agency=cast.police, by=cast.chair, shared_on=days_ago(0)
    )
    # one audited write per service call: asked, requested, answered, chased, received, shared
    assert audit_count(cast) - before == 6
    assert audit_count(cast, action=AuditEvent.Action.UPDATE) == 6
    actors = set(
        AuditEvent.objects.filter(review=cast.review).values_list("actor__username", flat=True)
    )
    assert {"coordinator", "agency_author", "chair"} <= actors


def test_returns_request_refuses_an_unknown_kind(cast) -> None:
    with pytest.raises(ValidationError):
        services.returns_request(
            review=cast.review,
            by=cast.coordinator,
            agencies=[cast.police],
            what="overview",
            requested_on=days_ago(1),
        )
