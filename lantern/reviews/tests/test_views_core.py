"""The review's life as pages: what each member of the cast sees, can do, and is refused."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from lantern.core.models import AuditEvent
from lantern.reviews import lifecycle
from lantern.reviews.criteria import DEATH_TYPES, RELATIONSHIPS
from lantern.reviews.forms import DEATH_TYPE_LABELS, RELATIONSHIP_LABELS
from lantern.reviews.models import (
    Alert,
    CriteriaAssessment,
    Decision,
    Person,
    Review,
    ReviewAgency,
    ReviewEvent,
    Stage,
)
from lantern.reviews.services import decision_record, pause_add, terms_save
from lantern.testing.factories import CspFactory, ReviewFactory

pytestmark = pytest.mark.django_db

REF = "NB-DHR-2024-07"


def url(name: str, **kwargs: object) -> str:
    return reverse(f"reviews:{name}", kwargs={"reference": REF, **kwargs})


def text(response) -> str:  # noqa: ANN001
    """The page as a reader sees it: tags stripped, whitespace collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body))


def hold(review: Review, by, outcome: str = Decision.Outcome.HOLD) -> Decision:  # noqa: ANN001
    return decision_record(
        review=review,
        by=by,
        outcome=outcome,
        decided_on=dt.date(2024, 10, 20),
        decided_by="Councillor Ames, CSP chair",
        consulted=["Northbridge Police", "Northbridge Homes"],
        rationale="Criteria met.",
    )


# --- access: every page, every role ------------------------------------------------------------

PAGES = {
    # page: (roles that get 200, roles that get 403)
    "detail": (
        ["coordinator", "chair", "author", "panel_member", "agency_author", "board_member"],
        [],
    ),
    "edit": (["coordinator"], ["chair", "author", "panel_member", "agency_author"]),
    "people": (
        ["coordinator", "chair", "author", "panel_member", "agency_author"],
        ["board_member"],
    ),
    "person_new": (["coordinator"], ["chair", "panel_member", "board_member"]),
    "agencies": (["coordinator", "chair", "board_member"], ["agency_author"]),
    "criteria": (["coordinator", "chair", "panel_member", "board_member"], ["agency_author"]),
    "decision": (["coordinator", "chair", "board_member"], ["agency_author"]),
    "qa": (["coordinator", "chair", "board_member"], ["agency_author"]),
    "audit": (["coordinator"], ["chair", "author", "panel_member", "board_member"]),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_page_answers_members_by_capability_and_hides_from_outsiders(
    client,
    cast,
    page,  # noqa: ANN001
) -> None:
    allowed, refused = PAGES[page]
    for role in allowed:
        client.force_login(getattr(cast, role))
        response = client.get(url(page))
        assert response.status_code == 200, (page, role)
        assert REF in text(response)
    for role in refused:
        client.force_login(getattr(cast, role))
        assert client.get(url(page)).status_code == 403, (page, role)
    client.force_login(cast.outsider)
    response = client.get(url(page))
    assert response.status_code == 404
    assert REF not in response.content.decode()


def test_person_pages_answer_the_coordinator_and_hide_from_others(client, cast) -> None:
    person = cast.review.people.get(pseudonym="Lee")
    for name in ("person_edit", "person_remove"):
        target = url(name, person_id=person.pk)
        client.force_login(cast.coordinator)
        assert client.get(target).status_code == 200
        client.force_login(cast.chair)
        assert client.get(target).status_code == 403
        client.force_login(cast.outsider)
        assert client.get(target).status_code == 404
    other = ReviewFactory()
    stranger = other.people.create(role="victim", pseudonym="Sam")
    client.force_login(cast.coordinator)
    assert client.get(url("person_edit", person_id=stranger.pk)).status_code == 404


def test_a_refused_page_is_recorded_in_the_audit(client, cast) -> None:
    client.force_login(cast.board_member)
    client.get(url("people"))
    assert AuditEvent.objects.filter(
        actor=cast.board_member, action=AuditEvent.Action.ACCESS_DENIED, review=cast.review
    ).exists()


# --- dashboard ---------------------------------------------------------------------------------


def test_dashboard_lists_visible_reviews_with_stage_and_deadline_status(client, cast) -> None:
    client.force_login(cast.coordinator)
    page = text(client.get(reverse("reviews:dashboard")))
    assert REF in page
    assert "Notified" in page
    # Notified 27 September 2024 and never decided: the one-month decision deadline has passed.
    assert "Decision due 27 October 2024" in page
    assert "Overdue" in page
    assert re.search(r"1 open reviews 1 overdue 0 due soon 0 paused", page)

    client.force_login(cast.outsider)
    assert REF not in text(client.get(reverse("reviews:dashboard")))


def test_dashboard_shows_a_paused_review_with_its_cause(client, cast) -> None:
    hold(cast.review, cast.coordinator)
    pause_add(
        review=cast.review,
        by=cast.coordinator,
        cause="criminal_trial",
        start=dt.date(2024, 11, 1),
        agreed_by="Panel",
    )
    client.force_login(cast.board_member)
    page = text(client.get(reverse("reviews:dashboard")))
    assert "Paused: criminal trial" in page
    assert "Clock stopped" in page
    assert re.search(r"1 open reviews 0 overdue 0 due soon 1 paused", page)


def test_dashboard_filters_closed_and_urgent(client, cast) -> None:
    recent = ReviewFactory(
        reference="NB-DHR-2099-01", csp=cast.csp, notification_date=dt.date.today()
    )
    closed = ReviewFactory(reference="NB-DHR-2020-01", csp=cast.csp)
    closed.stage = Stage.CLOSED  # set directly: the fixture needs a closed review, not a journey
    closed.save()
    client.force_login(cast.coordinator)
    page = text(client.get(reverse("reviews:dashboard")))
    assert recent.reference in page and "NB-DHR-2020-01" not in page
    page = text(client.get(reverse("reviews:dashboard"), {"include_closed": "on"}))
    assert "NB-DHR-2020-01" in page
    page = text(client.get(reverse("reviews:dashboard"), {"urgent_only": "on"}))
    assert REF in page and recent.reference not in page


def test_dashboard_shows_unread_alerts_and_marks_them_read(client, cast) -> None:
    alert = Alert.objects.create(
        user=cast.coordinator, review=cast.review, message="New notification NB-DHR-2024-07"
    )
    Alert.objects.create(user=cast.chair, review=cast.review, message="Someone else's alert")
    client.force_login(cast.coordinator)
    page = text(client.get(reverse("reviews:dashboard")))
    assert "New notifications" in page
    assert "New notification NB-DHR-2024-07" in page
    assert "Someone else's alert" not in page
    response = client.post(reverse("reviews:alert_read"), {"alert": [alert.pk]}, follow=True)
    assert "1 notification marked as read." in text(response)
    assert "New notifications" not in text(response)
    alert.refresh_from_db()
    assert alert.read_at is not None
    assert Alert.objects.get(user=cast.chair).read_at is None


def test_dashboard_hides_alerts_for_reviews_no_longer_visible(client, cast) -> None:
    other = ReviewFactory(reference="SM-DHR-2024-01")
    Alert.objects.create(user=cast.coordinator, review=other, message="New notification SM")
    client.force_login(cast.coordinator)
    assert "New notification SM" not in text(client.get(reverse("reviews:dashboard")))


# --- notification ------------------------------------------------------------------------------


def notify_data(cast, **overrides: object) -> dict:  # noqa: ANN001
    from lantern.reviews.models import ReviewType

    data = {
        "csp": cast.csp.pk,
        "review_type": ReviewType.objects.get(slug="dhr").pk,
        "notification_date": "2025-03-03",
        "notification_source": "police",
        "notifying_agency": cast.police.pk,
        "notifier_name": "DS Patel",
        "notifier_contact": "01234 567890",
        "date_of_death": "2025-03-01",
        "death_type": "homicide",
        "place_of_death": "Northbridge",
        "circumstances": "A woman was found dead at home; her former partner was arrested.",
        "pseudonym": "",
    }
    data.update(overrides)
    return data


def test_an_agency_notifies_and_the_coordinator_is_alerted(
    client,
    cast,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    client.force_login(cast.agency_author)
    assert client.get(reverse("reviews:notify")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:notify"), notify_data(cast))
    review = Review.objects.get(notification_date=dt.date(2025, 3, 3))
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:notify_sent")
    page = text(client.get(response["Location"]))
    assert review.reference in page
    assert "coordinator has been alerted" in page
    assert Alert.objects.filter(user=cast.coordinator, review=review).exists()
    # The notifier is not made a member: the review stays hidden from them.
    assert client.get(reverse("reviews:detail", args=[review.reference])).status_code == 404
    # The confirmation is shown once; a reload goes back to the form.
    assert client.get(reverse("reviews:notify_sent"))["Location"] == reverse("reviews:notify")


def test_a_coordinator_who_notifies_goes_to_the_review(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = client.post(reverse("reviews:notify"), notify_data(cast), follow=True)
    review = Review.objects.get(notification_date=dt.date(2025, 3, 3))
    assert response.redirect_chain[-1][0] == reverse("reviews:detail", args=[review.reference])
    assert f"Notification recorded as {review.reference}." in text(response)


def test_notify_shows_errors_from_the_form_and_the_service(client, cast) -> None:
    client.force_login(cast.agency_author)
    response = client.post(reverse("reviews:notify"), notify_data(cast, notifier_name=""))
    page = text(response)
    assert "There is a problem" in page and "Enter the name of the person notifying" in page
    assert "Error: Notify a death" in page
    response = client.post(reverse("reviews:notify"), notify_data(cast, date_of_death="2025-03-05"))
    assert "The notification cannot be before the date of death." in text(response)
    assert 'href="#id_notification_date"' in response.content.decode()
    assert not Review.objects.filter(notification_date=dt.date(2025, 3, 3)).exists()


def test_notify_offers_only_partnerships_as_the_csp(client, cast) -> None:
    client.force_login(cast.agency_author)
    response = client.post(reverse("reviews:notify"), notify_data(cast, csp=cast.police.pk))
    assert "Select a valid choice" in text(response)


# --- the overview ------------------------------------------------------------------------------


def test_detail_shows_task_list_clock_and_notification(client, cast) -> None:
    client.force_login(cast.coordinator)
    page = text(client.get(url("detail")))
    assert "Notification 27 September 2024 Completed" in page
    assert "Criteria assessed Not started" in page
    assert "Decision recorded Overdue" in page
    assert "Information gathering Cannot start yet" in page
    assert "Decision due 27 October 2024" in page
    assert "Date notified 27 September 2024" in page
    assert "Start scoping" in page


def test_detail_shows_only_the_notification_fields_the_viewer_may_see(client, cast) -> None:
    cast.review.circumstances = "Found at home by her sister"
    cast.review.notifier_name = "DS Patel"
    cast.review.save()
    client.force_login(cast.chair)
    page = text(client.get(url("detail")))
    assert "Found at home by her sister" in page and "DS Patel" in page
    client.force_login(cast.board_member)
    page = text(client.get(url("detail")))
    assert "DS Patel" in page
    assert "Found at home by her sister" not in page and "Date of death" not in page
    client.force_login(cast.agency_author)
    page = text(client.get(url("detail")))
    assert "Found at home by her sister" not in page and "DS Patel" not in page
    assert "Date of death 20 September 2024" in page
    # Stage changes and the timeline are for those who hold them.
    assert "Move to the next stage" not in page and "Timeline" not in page


def test_detail_links_only_to_pages_the_viewer_may_open(client, cast) -> None:
    client.force_login(cast.coordinator)
    body = client.get(url("detail")).content.decode()
    for name in ("people", "criteria", "decision", "audit"):
        assert f'href="{url(name)}"' in body
    client.force_login(cast.agency_author)
    body = client.get(url("detail")).content.decode()
    assert f'href="{url("people")}"' in body
    assert f'href="{url("decision")}"' not in body and f'href="{url("audit")}"' not in body


def test_timeline_shows_events_newest_first(client, cast) -> None:
    lifecycle.review_transition(review=cast.review, by=cast.coordinator, target=Stage.SCOPING)
    hold(cast.review, cast.coordinator)
    client.force_login(cast.board_member)
    page = text(client.get(url("detail")))
    timeline = page[page.index("Timeline") :]
    assert timeline.index("Decided to hold") < timeline.index("Notified → Scoping")


# --- transitions -------------------------------------------------------------------------------


def test_a_blocked_transition_shows_its_reason_on_the_page_and_when_tried(client, cast) -> None:
    lifecycle.review_transition(review=cast.review, by=cast.coordinator, target=Stage.SCOPING)
    client.force_login(cast.coordinator)
    page = text(client.get(url("detail")))
    assert "Not yet possible: Decided to hold a review" in page
    assert "Record a decision to hold the review first." in page
    response = client.post(url("transition"), {"target": Stage.DECIDED}, follow=True)
    assert response.status_code == 200
    assert "The stage was not changed: Record a decision to hold the review first." in text(
        response
    )
    cast.review.refresh_from_db()
    assert cast.review.stage == Stage.SCOPING


def test_an_impossible_transition_is_an_error_message_not_a_500(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = client.post(url("transition"), {"target": Stage.PUBLISHED}, follow=True)
    assert response.status_code == 200
    assert "The stage was not changed" in text(response)
    response = client.post(url("transition"), {"target": "nonsense"}, follow=True)
    assert "Choose a stage to move the review to." in text(response)


def test_the_chair_moves_the_stage_and_a_board_member_may_not(client, cast) -> None:
    client.force_login(cast.board_member)
    assert client.post(url("transition"), {"target": Stage.SCOPING}).status_code == 403
    client.force_login(cast.chair)
    response = client.post(
        url("transition"), {"target": Stage.SCOPING, "note": "Agencies asked"}, follow=True
    )
    assert "The review is now at the stage “Scoping”." in text(response)
    assert "Notified → Scoping: Agencies asked" in text(response)
    cast.review.refresh_from_db()
    assert cast.review.stage == Stage.SCOPING


# --- edit --------------------------------------------------------------------------------------


def test_the_coordinator_edits_the_notification(client, cast) -> None:
    # Review.created_by is null=True without blank=True, so full_clean() in review_update
    # refuses a review with no creator (as the factory makes); a notified review has one.
    cast.review.created_by = cast.coordinator
    cast.review.save()
    client.force_login(cast.coordinator)
    page = text(client.get(url("edit")))
    assert "Change the notification details" in page
    data = {
        "title": "Review of the death of Kerry",
        "pseudonym": "Kerry",
        "notification_date": "2024-09-27",
        "notification_source": "police",
        "date_of_death": "2024-09-20",
        "death_type": "suicide",
        "legal_test": "dvcva_2004_s9",
    }
    response = client.post(url("edit"), data, follow=True)
    assert "Notification details saved." in text(response)
    assert "Review of the death of Kerry" in text(response)
    response = client.post(url("edit"), {**data, "title": ""})
    assert "There is a problem" in text(response)
    client.force_login(cast.chair)
    assert client.post(url("edit"), data).status_code == 403


# --- people ------------------------------------------------------------------------------------


def test_real_names_only_for_those_who_may_see_them(client, cast) -> None:
    client.force_login(cast.chair)
    page = text(client.get(url("people")))
    assert "Joanne Whitfield" in page and "Darren Pike" in page
    assert "Former partner" in page
    for role in ("panel_member", "agency_author"):
        client.force_login(getattr(cast, role))
        page = text(client.get(url("people")))
        assert "Kerry" in page and "Lee" in page and "Former partner" in page
        assert "Joanne Whitfield" not in page and "Darren Pike" not in page
        assert "Real name" not in page
    client.force_login(cast.board_member)
    response = client.get(url("people"))
    assert response.status_code == 403
    assert b"Joanne Whitfield" not in response.content


def test_add_a_perpetrator_with_a_relationship_from_the_list(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = client.post(
        url("person_new"),
        {
            "role": "perpetrator",
            "pseudonym": "Max",
            "real_name": "Mark Stone",
            "aliases": "Marky, M. Stone , ",
            "perpetrator_relationship": "current_partner",
            "date_of_birth": "1980-02-01",
        },
        follow=True,
    )
    assert "Perpetrator added to the people register." in text(response)
    person = cast.review.people.get(pseudonym="Max")
    assert person.aliases == ["Marky", "M. Stone"]
    assert person.relationship_to_victim == "current_partner"
    page = text(response)
    assert "Mark Stone" in page and "Also known as Marky, M. Stone" in page
    assert "1 February 1980" in page


def test_a_perpetrator_relationship_must_come_from_the_list(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = client.post(
        url("person_new"),
        {"role": "perpetrator", "pseudonym": "Max", "perpetrator_relationship": "boyfriend"},
    )
    page = text(response)
    assert "There is a problem" in page
    assert "boyfriend is not one of the available choices" in page
    assert not cast.review.people.filter(pseudonym="Max").exists()


def test_family_relationship_is_free_text_and_only_the_chosen_roles_answer_counts(
    client,
    cast,  # noqa: ANN001
) -> None:
    client.force_login(cast.coordinator)
    client.post(
        url("person_new"),
        {
            "role": "family",
            "pseudonym": "Ann",
            "relationship_family": "Sister",
            "relationship_other": "Neighbour",
            "perpetrator_relationship": "parent",
        },
    )
    assert cast.review.people.get(pseudonym="Ann").relationship_to_victim == "Sister"
    client.post(
        url("person_new"),
        {"role": "victim", "pseudonym": "Jo", "relationship_family": "Sister"},
    )
    assert cast.review.people.get(pseudonym="Jo").relationship_to_victim == ""
    body = client.get(url("person_new")).content.decode()
    # The perpetrator's list and each role's own free text are revealed by their radio.
    assert 'data-aria-controls="conditional-id_role-2"' in body
    assert 'id="conditional-id_role-4"' in body and 'id="id_relationship_family"' in body


def test_edit_and_remove_a_person(client, cast) -> None:
    person = cast.review.people.get(pseudonym="Lee")
    client.force_login(cast.coordinator)
    form_page = client.get(url("person_edit", person_id=person.pk)).content.decode()
    assert 'value="Darren Pike"' in form_page
    assert re.search(r'value="former_partner"\s+selected', form_page)
    response = client.post(
        url("person_edit", person_id=person.pk),
        {
            "role": "perpetrator",
            "pseudonym": "Leon",
            "real_name": "Darren Pike",
            "perpetrator_relationship": "former_partner",
        },
        follow=True,
    )
    assert "Changes to Leon saved." in text(response)
    confirm = text(client.get(url("person_remove", person_id=person.pk)))
    assert "Remove Leon from the people register?" in confirm
    response = client.post(url("person_remove", person_id=person.pk), follow=True)
    assert "Leon removed from the people register." in text(response)
    assert not Person.objects.filter(pk=person.pk).exists()


# --- agencies ----------------------------------------------------------------------------------


def test_agencies_listed_and_added(client, cast) -> None:
    client.force_login(cast.board_member)
    page = text(client.get(url("agencies")))
    assert "Northbridge Police" in page and "Add an agency" not in page
    assert client.post(url("agencies"), {"name": "X", "type": "gp"}).status_code == 403
    client.force_login(cast.coordinator)
    response = client.post(
        url("agencies"), {"name": "Riverside Surgery", "type": "gp"}, follow=True
    )
    assert "Riverside Surgery is on the review." in text(response)
    assert "GP practice" in text(response)
    assert ReviewAgency.objects.filter(
        review=cast.review, organisation__name="Riverside Surgery"
    ).exists()


# --- criteria ----------------------------------------------------------------------------------


def criteria_data(**overrides: object) -> dict:
    data = {
        "legal_test": "dvcva_2004_s9",
        "victim_age": "34",
        "relationship": "former_partner",
        "death_type": "suicide",
        "abuse_indicated": "unknown",
        "perpetrator_age": "",
        "concerns_of_coercive_control": "yes",
        "police_nfa": "on",
    }
    data.update(overrides)
    return data


def test_criteria_assessed_and_the_result_shown(client, cast) -> None:
    client.force_login(cast.coordinator)
    page = text(client.get(url("criteria")))
    assert "The criteria have not been assessed yet." in page
    response = client.post(url("criteria"), criteria_data(), follow=True)
    page = text(response)
    assert "Criteria assessed." in page
    assert "The criteria for a review appear to be met" in page
    assert "Was the person who died aged 16 or over? Yes" in page
    assert "Charnwood" in page
    assert CriteriaAssessment.objects.filter(review=cast.review, outcome="met").count() == 1
    assert 'class="govuk-warning-text"' in response.content.decode()


def test_criteria_unknowns_become_questions(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = client.post(
        url("criteria"),
        criteria_data(victim_age="", concerns_of_coercive_control="unknown", police_nfa=""),
        follow=True,
    )
    page = text(response)
    assert "More information is needed" in page
    assert "Still to find out" in page and "How old was the person who died?" in page


def test_criteria_form_only_for_those_who_decide(client, cast) -> None:
    client.force_login(cast.coordinator)
    client.post(url("criteria"), criteria_data())
    client.force_login(cast.board_member)
    page = text(client.get(url("criteria")))
    assert "The criteria for a review appear to be met" in page
    assert "Assess again" not in page
    assert client.post(url("criteria"), criteria_data()).status_code == 403
    client.force_login(cast.coordinator)
    response = client.post(url("criteria"), criteria_data(victim_age="-3"))
    assert "There is a problem" in text(response)


def test_criteria_labels_cover_every_code() -> None:
    assert set(RELATIONSHIP_LABELS) == set(RELATIONSHIPS)
    assert set(DEATH_TYPE_LABELS) == set(DEATH_TYPES)


# --- decision ----------------------------------------------------------------------------------


def decision_data(**overrides: object) -> dict:
    data = {
        "form": "record",
        "outcome": "hold",
        "joint_with": "",
        "decided_on": "2024-10-20",
        "decided_by": "Councillor Ames, CSP chair",
        "consulted": "Northbridge Police\nNorthbridge Homes\n\n",
        "rationale": "The criteria are met.",
        "home_office_informed_on": "2024-10-22",
        "family_informed_on": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("start", [Stage.NOTIFIED, Stage.SCOPING])
def test_recording_a_decision_moves_the_stage_to_decided(client, cast, start) -> None:  # noqa: ANN001
    if start == Stage.SCOPING:
        lifecycle.review_transition(review=cast.review, by=cast.coordinator, target=start)
    client.force_login(cast.coordinator)
    assert "No decision has been recorded yet." in text(client.get(url("decision")))
    response = client.post(url("decision"), decision_data(), follow=True)
    page = text(response)
    assert "Decision recorded. The review is now at the stage “Decided to hold”." in page
    assert "Northbridge Police Northbridge Homes" in page
    assert "Flagged for Home Office QA panel scrutiny" not in page
    cast.review.refresh_from_db()
    assert cast.review.stage == Stage.DECIDED
    decision = cast.review.decision
    assert decision.consulted == ["Northbridge Police", "Northbridge Homes"]
    assert decision.home_office_informed_on == dt.date(2024, 10, 22)


def test_a_decision_not_to_hold_is_flagged_for_scrutiny(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = client.post(url("decision"), decision_data(outcome="not_hold"), follow=True)
    assert "Flagged for Home Office QA panel scrutiny" in text(response)
    cast.review.refresh_from_db()
    assert cast.review.stage == Stage.NOT_HELD


def test_decision_errors_from_the_form_and_the_service(client, cast) -> None:
    client.force_login(cast.coordinator)
    page = text(client.post(url("decision"), decision_data(consulted="")))
    assert "Name the partners consulted" in page
    response = client.post(url("decision"), decision_data(outcome="joint"))
    assert "Say which review this is held jointly with" in text(response)
    assert "Joint with which review? (optional)" not in text(response)
    assert 'href="#id_joint_with"' in response.content.decode()
    page = text(client.post(url("decision"), decision_data(decided_on="2024-09-01")))
    assert "The decision cannot be before the notification." in page
    assert not Decision.objects.filter(review=cast.review).exists()


def test_a_joint_decision_records_the_other_review(client, cast) -> None:
    client.force_login(cast.coordinator)
    client.post(url("decision"), decision_data(outcome="joint", joint_with="SAR"))
    assert cast.review.decision.joint_with == "SAR"


def test_decision_dates_updated(client, cast) -> None:
    hold(cast.review, cast.coordinator, outcome=Decision.Outcome.NOT_HOLD)
    client.force_login(cast.coordinator)
    response = client.post(
        url("decision"),
        {
            "form": "dates",
            "dates-home_office_informed_on": "2024-10-21",
            "dates-family_informed_on": "2024-10-23",
            "dates-home_secretary_direction_on": "2025-01-10",
        },
        follow=True,
    )
    assert "Decision dates saved." in text(response)
    decision = cast.review.decision
    assert decision.family_informed_on == dt.date(2024, 10, 23)
    assert decision.home_secretary_direction_on == dt.date(2025, 1, 10)
    # With the direction recorded, the review can be moved back to a review being held.
    assert "Home Secretary directed a review" in text(client.get(url("detail")))


def test_decision_is_read_only_for_the_board_and_refused_for_the_chair_to_record(
    client,
    cast,  # noqa: ANN001
) -> None:
    hold(cast.review, cast.coordinator)
    client.force_login(cast.board_member)
    page = text(client.get(url("decision")))
    assert "Councillor Ames, CSP chair" in page and "Record a new decision" not in page
    client.force_login(cast.chair)
    assert client.post(url("decision"), decision_data()).status_code == 403


# --- QA and monitoring -------------------------------------------------------------------------


def to_qa(cast) -> Review:  # noqa: ANN001
    review = cast.review
    hold(review, cast.coordinator)
    terms_save(
        review=review,
        by=cast.coordinator,
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2024, 9, 20),
        key_lines_of_enquiry=["Risk"],
        agreed_on=dt.date(2024, 11, 1),
    )
    for target in (
        Stage.COMMISSIONED,
        Stage.GATHERING,
        Stage.DRAFTING,
        Stage.CSP_SIGNOFF,
        Stage.QA_SUBMITTED,
    ):
        review = lifecycle.review_transition(review=review, by=cast.coordinator, target=target)
    return review


def test_qa_outcome_and_monitoring_recorded(client, cast) -> None:
    client.force_login(cast.coordinator)
    assert "recorded once the review has been submitted" in text(client.get(url("qa")))
    to_qa(cast)
    response = client.post(
        url("qa"),
        {
            "form": "qa",
            "qa-outcome": "publish_after_changes",
            "qa-letter_received_on": "2025-06-02",
            "qa-notes": "Add the family's pen portrait.",
        },
        follow=True,
    )
    page = text(response)
    assert "The review is now at the stage “QA approved for publication”." in page
    assert "2 June 2025" in page and "Add the family's pen portrait." in page
    response = client.post(
        url("qa"),
        {"form": "monitoring", "monitoring-on": "2025-09-01", "monitoring-note": "All closed"},
        follow=True,
    )
    assert "Action-plan monitoring recorded as complete." in text(response)
    cast.review.refresh_from_db()
    assert cast.review.monitoring_completed_on == dt.date(2025, 9, 1)
    client.force_login(cast.board_member)
    assert client.post(url("qa"), {"form": "qa"}).status_code == 403


# --- audit -------------------------------------------------------------------------------------


def test_audit_page_lists_reads_and_filters(client, cast) -> None:
    client.force_login(cast.chair)
    client.get(url("people"))
    client.force_login(cast.coordinator)
    page = text(client.get(url("audit")))
    assert "chair" in page and "Viewed people register" in page
    page = text(client.get(url("audit"), {"user": "chair", "action": "read"}))
    assert "Viewed people register" in page
    assert "Viewed audit record" not in page
    page = text(client.get(url("audit"), {"action": "denied"}))
    assert "No events match the filters." in page


def test_audit_page_is_paginated(client, cast) -> None:
    for _ in range(60):
        AuditEvent.objects.create(
            actor_label="chair", channel="web", action="read", review=cast.review, summary="x"
        )
    client.force_login(cast.coordinator)
    first = client.get(url("audit"))
    # 50 rows a page: the newest is this page's own read, then 49 of the 60 above.
    assert first.content.decode().count('<tr class="govuk-table__row">') == 1 + 50
    assert text(first).count(" x ") == 49
    assert 'rel="next"' in first.content.decode()
    second = client.get(url("audit"), {"page": 2})
    assert "page 2" in text(second)


# --- every page gets what a reader needs -------------------------------------------------------


def test_pages_have_unique_titles_and_breadcrumbs(client, cast) -> None:
    person = cast.review.people.first()
    client.force_login(cast.coordinator)
    titles = set()
    pages = [url(name) for name in PAGES] + [
        url("person_edit", person_id=person.pk),
        url("person_remove", person_id=person.pk),
        reverse("reviews:dashboard"),
        reverse("reviews:notify"),
    ]
    for page in pages:
        body = client.get(page).content.decode()
        titles.add(re.search(r"<title>(.*?)</title>", body, re.S).group(1).strip())
        if page != reverse("reviews:dashboard"):
            assert 'class="govuk-breadcrumbs"' in body, page
    assert len(titles) == len(pages)


def test_stage_events_are_timeline_entries(client, cast) -> None:
    client.force_login(cast.coordinator)
    client.post(url("transition"), {"target": Stage.SCOPING})
    assert ReviewEvent.objects.filter(review=cast.review, kind=ReviewEvent.Kind.STAGE).exists()


def test_another_csps_review_is_not_listed_or_reachable(client, cast) -> None:
    other = ReviewFactory(reference="SM-DHR-2024-02", csp=CspFactory(name="Southmoor 2 CSP"))
    client.force_login(cast.coordinator)
    assert other.reference not in text(client.get(reverse("reviews:dashboard")))
    assert client.get(reverse("reviews:detail", args=[other.reference])).status_code == 404


def test_service_errors_land_on_the_field_they_name_or_say_what_they_are_about() -> None:
    from django.core.exceptions import ValidationError

    from lantern.reviews.forms import AgencyForm, add_service_errors

    form = AgencyForm({"name": "X", "type": "gp"})
    assert form.is_valid()
    add_service_errors(
        form,
        ValidationError({"name": "Taken.", "created_by": "This field cannot be blank."}),
    )
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Created by: This field cannot be blank."]
    form = AgencyForm({"name": "X", "type": "gp"})
    form.is_valid()
    add_service_errors(form, ValidationError("Not now."))
    assert form.non_field_errors() == ["Not now."]


def test_notify_starts_with_the_notifier_as_the_signed_in_person(client, cast) -> None:
    client.force_login(cast.agency_author)
    body = client.get(reverse("reviews:notify")).content.decode()
    assert f'value="{cast.agency_author.display_name}"' in body
    assert f'value="{cast.agency_author.email}"' in body
    assert re.search(rf'value="{cast.police.pk}"\s+selected', body)


def test_the_direction_date_is_asked_only_after_a_decision_not_to_hold(client, cast) -> None:
    hold(cast.review, cast.coordinator)
    client.force_login(cast.coordinator)
    body = client.get(url("decision")).content.decode()
    assert "Date the family was told" in body
    assert "Home Secretary directed" not in body
    response = client.post(
        url("decision"),
        {"form": "dates", "dates-family_informed_on": "2024-10-23"},
        follow=True,
    )
    assert "Decision dates saved." in text(response)
    assert cast.review.decision.family_informed_on == dt.date(2024, 10, 23)
