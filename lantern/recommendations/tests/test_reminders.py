"""Reminders: to the right people, at the right stages, once, and never with a person's name."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail

from lantern.conftest import Cast
from lantern.core.models import AuditEvent
from lantern.recommendations import services
from lantern.recommendations.models import ReminderSent
from lantern.recommendations.reminders import owner_emails, reminders_send
from lantern.recommendations.tests.conftest import TODAY, Plan
from lantern.reviews.models import Person, Review
from lantern.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _by_recipient() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for message in mail.outbox:
        for to in message.to:
            found.setdefault(to, []).append(message.subject)
    return found


def test_owners_are_the_lead_officer_or_else_the_lead_agencys_authors(
    plan: Plan, cast: Cast
) -> None:
    assert owner_emails(plan.police_action) == ["agency_author@example.org"]
    assert owner_emails(plan.housing_action) == ["other_agency_author@example.org"]
    action = services.action_update(
        action=plan.police_action, by=cast.coordinator, lead_officer_email="Lead@Police.example"
    )
    assert owner_emails(action) == ["lead@police.example"]


def test_owners_before_and_after_the_target_date_and_coordinators_about_overdue(
    plan: Plan, cast: Cast
) -> None:
    report = reminders_send(as_of=TODAY, by=cast.coordinator)
    sent = _by_recipient()
    # 1.1 is ten days overdue; 1.2 is due in a week; SA1.1 has no date.
    assert sorted(sent) == [
        "agency_author@example.org",
        "coordinator@example.org",
        "other_agency_author@example.org",
    ]
    assert sent["agency_author@example.org"] == ["Lantern: action 1.1 on NB-DHR-2024-07 is overdue"]
    assert sent["other_agency_author@example.org"] == [
        "Lantern: action 1.2 on NB-DHR-2024-07 is due on 9 June 2025"
    ]
    assert sent["coordinator@example.org"] == [
        "Lantern: 1 action(s) newly overdue on NB-DHR-2024-07"
    ]
    assert len(report.reminders) == 3
    assert set(ReminderSent.objects.values_list("audience", "stage")) == {
        ("owner", "after_1"),
        ("owner", "before_7"),
        ("coordinator", "overdue"),
    }
    assert AuditEvent.objects.filter(object_type="action reminder").count() == 3


def test_a_reminder_is_never_sent_twice(plan: Plan, cast: Cast) -> None:
    reminders_send(as_of=TODAY, by=cast.coordinator)
    first = len(mail.outbox)
    report = reminders_send(as_of=TODAY, by=cast.coordinator)
    assert report.reminders == [] and len(mail.outbox) == first
    report = reminders_send(as_of=TODAY + timedelta(days=3), by=cast.coordinator)
    assert report.reminders == []
    # Going back in time does not send an earlier stage after a later one went.
    report = reminders_send(as_of=TODAY - timedelta(days=12), by=cast.coordinator)
    assert [r.stage for r in report.reminders] == []


def test_the_next_stage_is_sent_and_a_new_target_date_starts_again(plan: Plan, cast: Cast) -> None:
    reminders_send(as_of=TODAY, by=cast.coordinator)
    mail.outbox.clear()
    later = TODAY + timedelta(days=8)  # 1.2 is now a day overdue; 1.1 not yet four weeks
    reminders_send(as_of=later, by=cast.coordinator)
    assert _by_recipient() == {
        "other_agency_author@example.org": ["Lantern: action 1.2 on NB-DHR-2024-07 is overdue"],
        "coordinator@example.org": ["Lantern: 1 action(s) newly overdue on NB-DHR-2024-07"],
    }
    mail.outbox.clear()
    services.action_update(
        action=plan.police_action, by=cast.coordinator, target_date=later + timedelta(days=5)
    )
    reminders_send(as_of=later, by=cast.coordinator)
    assert _by_recipient() == {
        "agency_author@example.org": [
            f"Lantern: action 1.1 on NB-DHR-2024-07 is due on {(later + timedelta(days=5)).day} "
            "June 2025"
        ]
    }


def test_no_reminder_names_a_person_in_the_review(plan: Plan, cast: Cast) -> None:
    Person.objects.create(
        review=plan.review, role="family", real_name="Maureen Oakhampton", pseudonym="Sandra"
    )
    services.action_update(
        action=plan.housing_action,
        by=cast.coordinator,
        description="Ask Joanne Whitfield's landlord and Maureen about Lee's tenancy (Kerry)",
    )
    reminders_send(as_of=TODAY, by=cast.coordinator)
    assert mail.outbox
    names = ["Joanne", "Whitfield", "Darren", "Pike", "Kerry", "Lee", "Maureen", "Oakhampton"]
    for message in mail.outbox:
        text = message.subject + "\n" + message.body
        for name in names:
            assert not re.search(rf"\b{name}\b", text), (name, text)
        assert plan.review.title not in text  # titles can carry the pseudonym
        assert "NB-DHR-2024-07" in text
        assert "/reviews/NB-DHR-2024-07/actions/" in text
    housing = next(m for m in mail.outbox if m.to == ["other_agency_author@example.org"])
    assert "Ask [name]'s landlord and [name] about [name]'s tenancy ([name])" in housing.body


def test_a_dry_run_sends_and_records_nothing(plan: Plan, cast: Cast) -> None:
    report = reminders_send(as_of=TODAY, by=cast.coordinator, dry_run=True)
    assert len(report.reminders) == 3 and report.as_dict()["sent"] == 0
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_closed_actions_reviews_not_yet_monitored_and_people_without_email_get_nothing(
    plan: Plan, cast: Cast
) -> None:
    Review.objects.filter(pk=plan.review.pk).update(monitoring_started_on=None)
    assert reminders_send(as_of=TODAY, by=cast.coordinator).reminders == []
    Review.objects.filter(pk=plan.review.pk).update(monitoring_started_on=TODAY)
    services.action_progress(
        action=plan.police_action,
        by=cast.coordinator,
        status="superseded",
        outcome="Replaced",
    )
    cast.other_agency_author.email = ""
    cast.other_agency_author.save()
    cast.coordinator.email = ""
    cast.coordinator.save()
    assert reminders_send(as_of=TODAY, by=cast.coordinator).reminders == []


def test_an_ended_membership_or_a_deactivated_author_is_not_an_owner(
    plan: Plan, cast: Cast
) -> None:
    extra = UserFactory(username="second_police", organisation=cast.police)
    from lantern.testing.factories import add_member

    add_member(plan.review, extra, "agency_author", cast.police)
    assert owner_emails(plan.police_action) == [
        "agency_author@example.org",
        "second_police@example.org",
    ]
    extra.is_active = False
    extra.save()
    assert owner_emails(plan.police_action) == ["agency_author@example.org"]
