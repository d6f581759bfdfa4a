"""The pages for running a commissioned review: terms, panel, clock, family and meetings.

Each page is checked for who may open it (the capability table), that its forms write the row and
a timeline event through the services, and that people see what they should: errors in a GOV.UK
error summary, the clock stopping for a pause, statements of independence.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from lantern.reviews.models import (
    Decision,
    Extension,
    FamilyContact,
    LiaisonEntry,
    Meeting,
    MeetingAction,
    Membership,
    Pause,
    Person,
    ReviewEvent,
    TermsOfReference,
)
from lantern.reviews.services import decision_record, meeting_add, pause_add
from lantern.testing.factories import PersonFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name: str, cast, *args) -> str:  # noqa: ANN001
    return reverse(f"reviews:{name}", args=[cast.review.reference, *args])


def text(response) -> str:  # noqa: ANN001
    """The page as a person reads it: tags stripped, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def events(cast, kind: str) -> list[ReviewEvent]:  # noqa: ANN001
    return list(ReviewEvent.objects.filter(review=cast.review, kind=kind))


def hold(cast, decided_on: dt.date = dt.date(2024, 10, 20)) -> Decision:  # noqa: ANN001
    return decision_record(
        review=cast.review,
        by=cast.coordinator,
        outcome=Decision.Outcome.HOLD,
        decided_on=decided_on,
        decided_by="CSP chair",
        consulted=["Police", "Health"],
        rationale="Criteria met.",
    )


def assert_error_summary(response, *messages: str) -> None:  # noqa: ANN001
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert "There is a problem" in text(response)
    for message in messages:
        assert message in text(response)


# Who may open each page -----------------------------------------------------------------------

PROCESS_READERS = {
    "coordinator": 200,
    "chair": 200,
    "author": 200,
    "panel_member": 200,
    "board_member": 200,
    "agency_author": 403,
    "other_agency_author": 403,
    "outsider": 404,
    "admin": 404,
}
FAMILY_READERS = {
    "coordinator": 200,
    "chair": 200,
    "author": 200,
    "panel_member": 403,
    "board_member": 403,
    "agency_author": 403,
    "other_agency_author": 403,
    "outsider": 404,
    "admin": 404,
}
ACCESS = [
    (page, role, status)
    for page, table in (
        ("terms", PROCESS_READERS),
        ("panel", PROCESS_READERS),
        ("clock", PROCESS_READERS),
        ("meetings", PROCESS_READERS),
        ("family", FAMILY_READERS),
    )
    for role, status in table.items()
]


@pytest.mark.parametrize(("page", "role", "status"), ACCESS)
def test_who_may_open_each_page(client, cast, page, role, status) -> None:  # noqa: ANN001
    client.force_login(getattr(cast, role))
    response = client.get(url(page, cast))
    assert response.status_code == status
    if status == 200:
        assert cast.review.reference in text(response)
    else:
        assert "Joanne Whitfield" not in response.content.decode()


@pytest.mark.parametrize("page", ["terms", "panel", "clock", "family", "meetings"])
def test_signed_out_visitors_are_sent_to_sign_in(client, cast, page) -> None:  # noqa: ANN001
    response = client.get(url(page, cast))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("page", "role"),
    [
        ("terms", "board_member"),
        ("terms", "author"),
        ("panel", "chair"),
        ("clock", "panel_member"),
        ("meetings", "author"),
        ("family", "panel_member"),
    ],
)
def test_readers_cannot_write(client, cast, page, role) -> None:  # noqa: ANN001
    client.force_login(getattr(cast, role))
    before = ReviewEvent.objects.count()
    response = client.post(url(page, cast), {"action": "pause_add"})
    assert response.status_code == 403
    assert ReviewEvent.objects.count() == before


def test_board_member_sees_the_clock_but_not_the_family_or_liaison(client, cast) -> None:  # noqa: ANN001
    hold(cast)
    client.force_login(cast.board_member)
    clock = client.get(url("clock", cast))
    assert clock.status_code == 200
    assert "Completion due" in text(clock)
    assert "Liaison with the police" not in text(clock)
    assert "Add a pause" not in text(clock)
    assert client.get(url("family", cast)).status_code == 403
    # The links to the other pages leave out the family page too.
    assert url("family", cast) not in clock.content.decode()
    assert url("meetings", cast) in clock.content.decode()


# Terms of reference ---------------------------------------------------------------------------


def test_coordinator_records_the_terms_of_reference(client, cast) -> None:  # noqa: ANN001
    client.force_login(cast.coordinator)
    page = client.get(url("terms", cast))
    assert "No terms of reference have been recorded" in text(page)
    # Both agencies on the review are offered, and in scope until unticked.
    assert "Northbridge Police" in text(page) and "Northbridge Homes" in text(page)

    response = client.post(
        url("terms", cast),
        {
            "period_start": "2019-01-01",
            "period_end": "2024-09-20",
            "agencies_in_scope": [str(cast.police.pk)],
            "key_lines_of_enquiry": "Was DASH used and followed?\n\n  Was MARAC referral made?  \n",
            "family_involvement": "The chair will meet Kerry's mother.",
            "parallel_processes": "Inquest opened and adjourned.",
            "reasons_not_in_scope": "Northbridge Homes: no contact in the review period",
            "agreed_on": "2024-11-15",
        },
        follow=True,
    )
    terms = TermsOfReference.objects.get(review=cast.review)
    assert terms.key_lines_of_enquiry == ["Was DASH used and followed?", "Was MARAC referral made?"]
    assert terms.agreed_on == dt.date(2024, 11, 15)
    assert [a.in_scope for a in cast.review.agencies.order_by("organisation__name")] == [
        False,  # Northbridge Homes
        True,  # Northbridge Police
    ]
    assert events(cast, ReviewEvent.Kind.TERMS)
    seen = text(response)
    assert "Terms of reference saved" in seen
    assert "Agreed by the panel on 15 November 2024" in seen
    assert "From 1 January 2019 to 20 September 2024" in seen
    assert "Not in scope Northbridge Homes" in seen
    html = response.content.decode()
    assert re.search(
        r'<ol class="govuk-list govuk-list--number">\s*<li>Was DASH used and followed\?</li>'
        r"<li>Was MARAC referral made\?</li>",
        html,
    )


def test_terms_errors_from_the_service_show_on_the_field(client, cast) -> None:  # noqa: ANN001
    client.force_login(cast.coordinator)
    response = client.post(
        url("terms", cast), {"period_start": "2024-09-20", "period_end": "2019-01-01"}
    )
    assert_error_summary(response, "The review period cannot end before it starts.")
    assert 'href="#id_period_end"' in response.content.decode()
    assert not TermsOfReference.objects.filter(review=cast.review).exists()


def test_terms_reject_a_date_that_is_not_a_date(client, cast) -> None:  # noqa: ANN001
    client.force_login(cast.coordinator)
    response = client.post(url("terms", cast), {"agreed_on": "31 February"})
    assert_error_summary(response, "Date agreed by the panel must be a real date")


def test_readers_see_the_terms_without_a_form(client, cast) -> None:  # noqa: ANN001
    TermsOfReference.objects.create(
        review=cast.review, key_lines_of_enquiry=["Was coercive control recognised?"]
    )
    client.force_login(cast.panel_member)
    response = client.get(url("terms", cast))
    assert "Was coercive control recognised?" in text(response)
    assert "Draft" in text(response)
    assert "Save terms of reference" not in text(response)


# Panel ----------------------------------------------------------------------------------------


def test_panel_lists_members_by_role_with_their_independence(client, cast) -> None:  # noqa: ANN001
    chair = Membership.objects.get(review=cast.review, user=cast.chair)
    chair.independence_statement = "I have never worked for any agency in Northbridge."
    chair.independence_declared_on = dt.date(2024, 11, 1)
    chair.save()
    client.force_login(cast.board_member)
    seen = text(client.get(url("panel", cast)))
    assert "I have never worked for any agency in Northbridge." in seen
    assert "Declared on 1 November 2024" in seen
    assert seen.count("Not declared") == 4  # author, panel member, two agency authors
    assert (
        seen.index("Independent chair") < seen.index("Panel members") < seen.index("Agency authors")
    )
    assert f"{cast.panel_member.display_name} Northbridge Police" in seen
    assert f"{cast.other_agency_author.display_name} Northbridge Homes" in seen
    # A board member holds no membership, so has nothing to declare and cannot manage.
    assert "Record statement" not in seen
    assert "Add someone to the review" not in seen


def test_coordinator_adds_a_member(client, cast) -> None:  # noqa: ANN001
    newcomer = UserFactory(
        username="idva", first_name="Priya", last_name="Shah", organisation=cast.housing
    )
    client.force_login(cast.coordinator)
    response = client.post(
        url("panel", cast),
        {"user": newcomer.pk, "role": "panel_member", "agency": cast.housing.pk},
        follow=True,
    )
    membership = Membership.objects.get(review=cast.review, user=newcomer)
    assert membership.role == "panel_member"
    assert membership.agency == cast.housing
    assert ReviewEvent.objects.filter(
        review=cast.review, kind=ReviewEvent.Kind.MEMBER, data__user="idva"
    ).exists()
    assert "Priya Shah added as panel member" in text(response)
    assert "Priya Shah Northbridge Homes" in text(response)


def test_adding_a_member_needs_a_person_and_a_role(client, cast) -> None:  # noqa: ANN001
    client.force_login(cast.coordinator)
    response = client.post(url("panel", cast), {})
    assert_error_summary(
        response, "Choose the person to add", "Choose the person's role on this review"
    )
    html = response.content.decode()
    assert 'href="#id_user"' in html and 'href="#id_role"' in html


def test_deactivated_and_console_users_are_not_offered(client, cast) -> None:  # noqa: ANN001
    UserFactory(username="gone", first_name="Departed", last_name="Person", is_active=False)
    client.force_login(cast.coordinator)
    html = client.get(url("panel", cast)).content.decode()
    assert "Departed Person" not in html
    assert cast.chair.display_name in html


def test_coordinator_ends_a_membership_after_confirming(client, cast) -> None:  # noqa: ANN001
    membership = Membership.objects.get(review=cast.review, user=cast.panel_member)
    client.force_login(cast.coordinator)
    confirm = client.get(url("panel_member_end", cast, membership.pk))
    assert f"End {cast.panel_member.display_name}'s membership as panel member?" in text(confirm)
    # A POST without the confirmation changes nothing.
    client.post(url("panel_member_end", cast, membership.pk))
    membership.refresh_from_db()
    assert membership.ended_at is None

    response = client.post(
        url("panel_member_end", cast, membership.pk), {"confirm": "yes"}, follow=True
    )
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert events(cast, ReviewEvent.Kind.MEMBER)
    seen = text(response)
    assert f"{cast.panel_member.display_name} is no longer panel member on this review" in seen
    assert "Former members" in seen
    # The panel member has lost access.
    client.force_login(cast.panel_member)
    assert client.get(url("panel", cast)).status_code == 404


def test_only_the_coordinator_can_end_a_membership(client, cast) -> None:  # noqa: ANN001
    membership = Membership.objects.get(review=cast.review, user=cast.author)
    client.force_login(cast.chair)
    assert client.get(url("panel_member_end", cast, membership.pk)).status_code == 403
    assert (
        client.post(url("panel_member_end", cast, membership.pk), {"confirm": "yes"}).status_code
        == 403
    )
    membership.refresh_from_db()
    assert membership.ended_at is None


def test_panel_member_declares_their_own_independence(client, cast) -> None:  # noqa: ANN001
    membership = Membership.objects.get(review=cast.review, user=cast.panel_member)
    client.force_login(cast.panel_member)
    panel = client.get(url("panel", cast)).content.decode()
    # Only their own row offers to record a statement.
    assert panel.count("/independence/") == 1
    assert url("panel_independence", cast, membership.pk) in panel

    form = client.get(url("panel_independence", cast, membership.pk))
    assert "Your statement of independence" in text(form)
    response = client.post(
        url("panel_independence", cast, membership.pk),
        {"statement": "I have had no contact with the family.", "declared_on": "2024-11-05"},
        follow=True,
    )
    membership.refresh_from_db()
    assert membership.independence_statement == "I have had no contact with the family."
    assert membership.independence_declared_on == dt.date(2024, 11, 5)
    assert events(cast, ReviewEvent.Kind.MEMBER)
    seen = text(response)
    assert "Statement of independence recorded" in seen
    assert "I have had no contact with the family. Declared on 5 November 2024" in seen


def test_panel_member_cannot_declare_for_someone_else(client, cast) -> None:  # noqa: ANN001
    chair = Membership.objects.get(review=cast.review, user=cast.chair)
    client.force_login(cast.panel_member)
    assert client.get(url("panel_independence", cast, chair.pk)).status_code == 403
    response = client.post(
        url("panel_independence", cast, chair.pk),
        {"statement": "Written by someone else", "declared_on": "2024-11-05"},
    )
    assert response.status_code == 403
    chair.refresh_from_db()
    assert chair.independence_statement == ""


def test_coordinator_records_independence_on_someones_behalf(client, cast) -> None:  # noqa: ANN001
    chair = Membership.objects.get(review=cast.review, user=cast.chair)
    client.force_login(cast.coordinator)
    form = client.get(url("panel_independence", cast, chair.pk))
    assert "You are recording this statement on their behalf" in text(form)
    response = client.post(
        url("panel_independence", cast, chair.pk),
        {"statement": "Independent of all agencies.", "declared_on": "2024-11-02"},
    )
    assert response.status_code == 302
    chair.refresh_from_db()
    assert chair.independence_declared_on == dt.date(2024, 11, 2)


def test_agency_author_declares_independence_without_seeing_the_panel(client, cast) -> None:  # noqa: ANN001
    membership = Membership.objects.get(review=cast.review, user=cast.agency_author)
    client.force_login(cast.agency_author)
    response = client.post(
        url("panel_independence", cast, membership.pk),
        {"statement": "I did not work with Kerry or Lee.", "declared_on": "2024-11-03"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", cast)
    membership.refresh_from_db()
    assert membership.independence_statement == "I did not work with Kerry or Lee."


def test_an_empty_statement_is_refused(client, cast) -> None:  # noqa: ANN001
    membership = Membership.objects.get(review=cast.review, user=cast.panel_member)
    client.force_login(cast.panel_member)
    response = client.post(
        url("panel_independence", cast, membership.pk), {"statement": " ", "declared_on": ""}
    )
    assert_error_summary(
        response, "Enter the statement of independence", "Enter the date of the statement"
    )


def test_an_ended_membership_cannot_be_declared(client, cast) -> None:  # noqa: ANN001
    membership = Membership.objects.get(review=cast.review, user=cast.author)
    membership.ended_at = dt.datetime(2024, 12, 1, tzinfo=dt.UTC)
    membership.save()
    client.force_login(cast.coordinator)
    assert client.get(url("panel_independence", cast, membership.pk)).status_code == 404


# Statutory clock ------------------------------------------------------------------------------


def test_clock_before_the_decision(client, cast) -> None:  # noqa: ANN001
    client.force_login(cast.coordinator)
    seen = text(client.get(url("clock", cast)))
    assert "Notified 27 September 2024" in seen
    assert "Decision due 27 October 2024" in seen
    assert "Not yet decided" in seen
    assert "The completion clock starts when the partnership decides to hold a review." in seen


def test_a_pause_stops_the_clock_and_ending_it_moves_the_date(client, cast) -> None:  # noqa: ANN001
    hold(cast)
    client.force_login(cast.coordinator)
    before = text(client.get(url("clock", cast)))
    assert "Due without extensions or pauses 20 April 2025" in before
    assert "Completion due 20 April 2025" in before

    response = client.post(
        url("clock", cast),
        {
            "action": "pause_add",
            "pause-cause": "criminal_trial",
            "pause-start": "2024-11-01",
            "pause-agreed_by": "CSP chair",
            "pause-home_office_told_on": "2024-11-04",
        },
        follow=True,
    )
    pause = Pause.objects.get(review=cast.review)
    assert pause.cause == "criminal_trial" and pause.end is None
    assert events(cast, ReviewEvent.Kind.PAUSE)
    seen = text(response)
    assert "Pause recorded" in seen
    assert "The review is paused Criminal trial (since 1 November 2024)" in seen
    assert "Completion due Paused: Criminal trial" in seen
    assert "Status Paused" in seen
    assert "Criminal trial 1 November 2024 Ongoing CSP chair 4 November 2024" in seen
    assert "End the pause for Criminal trial" in seen

    response = client.post(
        url("clock", cast),
        {"action": "pause_end", "pause": str(pause.pk), f"end-{pause.pk}-end": "2024-11-30"},
        follow=True,
    )
    pause.refresh_from_db()
    assert pause.end == dt.date(2024, 11, 30)
    assert len(events(cast, ReviewEvent.Kind.PAUSE)) == 2
    seen = text(response)
    assert "Pause ended" in seen
    assert "The review is paused" not in seen
    # Thirty days paused (1 to 30 November inclusive) push 20 April to 20 May.
    assert "Days added by ended pauses 30" in seen
    assert "Completion due 20 May 2025" in seen
    assert "End the pause" not in seen


def test_ending_a_pause_before_it_started_is_refused(client, cast) -> None:  # noqa: ANN001
    hold(cast)
    pause = pause_add(
        review=cast.review,
        by=cast.coordinator,
        cause="inquest",
        start=dt.date(2024, 11, 1),
        agreed_by="CSP chair",
    )
    client.force_login(cast.chair)
    response = client.post(
        url("clock", cast),
        {"action": "pause_end", "pause": str(pause.pk), f"end-{pause.pk}-end": "2024-10-01"},
    )
    assert_error_summary(response, "The pause cannot end before it starts.")
    assert f'href="#id_end-{pause.pk}-end"' in response.content.decode()
    pause.refresh_from_db()
    assert pause.end is None


def test_a_pause_is_ended_once_and_only_on_its_own_review(client, cast) -> None:  # noqa: ANN001
    hold(cast)
    other = ReviewFactory(csp=cast.csp)
    elsewhere = pause_add(
        review=other, by=cast.coordinator, cause="sar", start=dt.date(2024, 11, 1), agreed_by="x"
    )
    ended = pause_add(
        review=cast.review,
        by=cast.coordinator,
        cause="iopc",
        start=dt.date(2024, 11, 1),
        end=dt.date(2024, 11, 10),
        agreed_by="CSP chair",
    )
    client.force_login(cast.coordinator)
    response = client.post(
        url("clock", cast),
        {
            "action": "pause_end",
            "pause": str(elsewhere.pk),
            f"end-{elsewhere.pk}-end": "2024-12-01",
        },
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.end is None

    response = client.post(
        url("clock", cast),
        {"action": "pause_end", "pause": str(ended.pk), f"end-{ended.pk}-end": "2024-12-01"},
        follow=True,
    )
    assert "That pause had already ended" in text(response)
    ended.refresh_from_db()
    assert ended.end == dt.date(2024, 11, 10)


def test_adding_a_pause_needs_its_details(client, cast) -> None:  # noqa: ANN001
    client.force_login(cast.coordinator)
    response = client.post(url("clock", cast), {"action": "pause_add"})
    assert_error_summary(
        response,
        "Choose what the review is paused for",
        "Enter the date the pause started",
        "Enter who agreed the pause",
    )
    html = response.content.decode()
    assert 'href="#id_pause-cause"' in html
    assert re.search(
        r'<details class="govuk-details" open>\s*<summary[^>]*>\s*<span[^>]*>Add a pause', html
    )
    assert not Pause.objects.exists()


def test_an_extension_moves_the_completion_date(client, cast) -> None:  # noqa: ANN001
    hold(cast)
    client.force_login(cast.coordinator)
    response = client.post(
        url("clock", cast),
        {
            "action": "extension_add",
            "extension-months": "2",
            "extension-days": "0",
            "extension-reason": "Awaiting the health IMR.",
            "extension-agreed_by": "CSP chair",
            "extension-agreed_on": "2025-03-01",
        },
        follow=True,
    )
    extension = Extension.objects.get(review=cast.review)
    assert extension.months == 2
    assert events(cast, ReviewEvent.Kind.EXTENSION)
    seen = text(response)
    assert "Extension recorded" in seen
    assert "Extensions agreed 2 months in total (1 extension)" in seen
    assert "Completion due 20 June 2025" in seen
    assert "2 months Awaiting the health IMR. CSP chair 1 March 2025 Not yet" in seen


def test_an_empty_extension_is_refused_on_the_months_field(client, cast) -> None:  # noqa: ANN001
    hold(cast)
    client.force_login(cast.coordinator)
    response = client.post(
        url("clock", cast),
        {
            "action": "extension_add",
            "extension-months": "0",
            "extension-days": "0",
            "extension-reason": "None really",
            "extension-agreed_by": "CSP chair",
            "extension-agreed_on": "2025-03-01",
        },
    )
    assert_error_summary(response, "An extension must add some months or days.")
    assert 'href="#id_extension-months"' in response.content.decode()
    assert not Extension.objects.exists()


def test_liaison_is_recorded_and_shown_to_those_who_may_see_it(client, cast) -> None:  # noqa: ANN001
    client.force_login(cast.chair)
    response = client.post(
        url("clock", cast),
        {
            "action": "liaison_add",
            "liaison-date": "2024-11-10",
            "liaison-with_whom": "sio",
            "liaison-contact_name": "DCI Rowe",
            "liaison-summary": "Trial listed for March; disclosure of panel papers discussed.",
        },
        follow=True,
    )
    entry = LiaisonEntry.objects.get(review=cast.review)
    assert entry.with_whom == "sio"
    assert events(cast, ReviewEvent.Kind.LIAISON)
    seen = text(response)
    assert "Liaison recorded" in seen
    assert "10 November 2024 Senior investigating officer DCI Rowe Trial listed for March" in seen

    client.force_login(cast.panel_member)
    seen = text(client.get(url("clock", cast)))
    assert "Liaison with the police" not in seen
    assert "DCI Rowe" not in seen


def test_liaison_needs_a_summary(client, cast) -> None:  # noqa: ANN001
    client.force_login(cast.coordinator)
    response = client.post(
        url("clock", cast),
        {"action": "liaison_add", "liaison-date": "2024-11-10", "liaison-with_whom": "coroner"},
    )
    assert_error_summary(response, "Enter what was discussed")
    assert not LiaisonEntry.objects.exists()


# Family involvement ---------------------------------------------------------------------------


def test_family_contact_is_logged_and_summarised(client, cast) -> None:  # noqa: ANN001
    mother = PersonFactory(
        review=cast.review, role=Person.Role.FAMILY, real_name="Susan Whitfield", pseudonym="Ann"
    )
    client.force_login(cast.author)
    page = client.get(url("family", cast))
    seen = text(page)
    assert "Specialist advocacy Not offered yet" in seen
    assert "Pseudonym Not agreed yet" in seen
    assert "Draft report Not shared yet" in seen
    # Only family, children and others are offered, not the victim or perpetrator.
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page.content.decode())
    assert any("Ann (Susan Whitfield)" in o for o in options)
    assert not any(o.startswith(("Kerry", "Lee")) for o in options)

    response = client.post(
        url("family", cast),
        {
            "date": "2024-11-12",
            "person": mother.pk,
            "kind": "meeting",
            "summary": "First meeting with the chair at her home.",
            "advocacy_offered": "on",
            "advocacy_provider": "AAFDA",
        },
        follow=True,
    )
    contact = FamilyContact.objects.get(review=cast.review)
    assert contact.person == mother and contact.advocacy_offered
    assert contact.recorded_by == cast.author
    assert events(cast, ReviewEvent.Kind.FAMILY)
    seen = text(response)
    assert "Family contact recorded" in seen
    assert "Specialist advocacy Offered First offered on 12 November 2024 (AAFDA)" in seen
    assert "Pseudonym Not agreed yet" in seen
    assert "12 November 2024 Ann (Susan Whitfield): Family Meeting" in seen

    client.post(
        url("family", cast),
        {
            "date": "2025-01-20",
            "contact_with": "Kerry's brother",
            "kind": "phone",
            "summary": "Agreed the name Kerry.",
            "pseudonym_agreed": "on",
        },
    )
    seen = text(client.get(url("family", cast)))
    assert "Pseudonym Agreed Agreed with the family on 20 January 2025: Kerry" in seen
    assert "Specialist advocacy Offered First offered on 12 November 2024" in seen
    assert "Kerry's brother" in seen


def test_family_contact_needs_someone_to_be_with(client, cast) -> None:  # noqa: ANN001
    client.force_login(cast.chair)
    response = client.post(
        url("family", cast), {"date": "2024-11-12", "kind": "letter", "summary": "Letter sent."}
    )
    assert_error_summary(response, "Choose who the contact was with, or type their name below")
    assert 'href="#id_person"' in response.content.decode()
    assert not FamilyContact.objects.exists()


def test_family_contact_person_must_belong_to_this_review(client, cast) -> None:  # noqa: ANN001
    elsewhere = PersonFactory(review=ReviewFactory(), role=Person.Role.FAMILY, pseudonym="Zed")
    client.force_login(cast.chair)
    response = client.post(
        url("family", cast),
        {"date": "2024-11-12", "person": elsewhere.pk, "kind": "letter", "summary": "Letter."},
    )
    assert_error_summary(response, "Select a valid choice")
    assert not FamilyContact.objects.exists()


# Meetings -------------------------------------------------------------------------------------


def test_coordinator_records_a_meeting_with_actions(client, cast) -> None:  # noqa: ANN001
    client.force_login(cast.coordinator)
    response = client.post(
        url("meetings", cast),
        {
            "date": "2024-11-20",
            "title": "First panel meeting",
            "attendees": "Chair\nPolice\nHousing",
            "minutes": "Terms of reference agreed.",
            "action_1_description": "Police to send the chronology",
            "action_1_owner": "Northbridge Police",
            "action_1_due_on": "2024-12-20",
            "action_2_description": "Invite the GP practice",
        },
        follow=True,
    )
    meeting = Meeting.objects.get(review=cast.review)
    assert meeting.title == "First panel meeting"
    assert [a.description for a in meeting.actions.order_by("id")] == [
        "Police to send the chronology",
        "Invite the GP practice",
    ]
    assert events(cast, ReviewEvent.Kind.MEETING)
    seen = text(response)
    assert "Meeting recorded" in seen
    assert (
        "20 November 2024 First panel meeting Chair Police Housing Terms of reference agreed."
        in seen
    )
    assert "2 of 2 open" in seen

    detail = text(client.get(url("meeting_detail", cast, meeting.pk)))
    assert "Police to send the chronology Northbridge Police 20 December 2024" in detail
    assert detail.count("Mark as done") == 2


def test_a_meeting_action_needs_a_description(client, cast) -> None:  # noqa: ANN001
    client.force_login(cast.coordinator)
    response = client.post(
        url("meetings", cast),
        {"date": "2024-11-20", "title": "Panel meeting", "action_2_owner": "Police"},
    )
    assert_error_summary(response, "Say what action 2 is, or leave its owner and due date blank")
    assert 'href="#id_action_2_description"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_needs_a_date_and_title(client, cast) -> None:  # noqa: ANN001
    client.force_login(cast.coordinator)
    response = client.post(url("meetings", cast), {"title": ""})
    assert_error_summary(response, "Enter the date of the meeting", "Enter a title for the meeting")


def _meeting(cast) -> tuple[Meeting, MeetingAction]:  # noqa: ANN001
    meeting = meeting_add(
        review=cast.review,
        by=cast.coordinator,
        date=dt.date(2024, 11, 20),
        title="Panel meeting",
        actions=[{"description": "Send the chronology", "owner": "Police"}],
    )
    return meeting, meeting.actions.get()


def test_chair_marks_an_action_done(client, cast) -> None:  # noqa: ANN001
    meeting, action = _meeting(cast)
    client.force_login(cast.chair)
    response = client.post(
        url("meeting_action_done", cast, meeting.pk, action.pk),
        {f"done-{action.pk}-done_on": "2024-12-02"},
        follow=True,
    )
    action.refresh_from_db()
    assert action.done_on == dt.date(2024, 12, 2)
    assert len(events(cast, ReviewEvent.Kind.MEETING)) == 2
    seen = text(response)
    assert "Action marked as done" in seen
    assert "Send the chronology Police – Done 2 December 2024" in seen
    assert "Mark as done" not in seen
    assert "All done" in text(client.get(url("meetings", cast)))


def test_an_action_cannot_be_done_before_its_meeting(client, cast) -> None:  # noqa: ANN001
    meeting, action = _meeting(cast)
    client.force_login(cast.coordinator)
    response = client.post(
        url("meeting_action_done", cast, meeting.pk, action.pk),
        {f"done-{action.pk}-done_on": "2024-11-01"},
    )
    assert_error_summary(response, "An action cannot be done before the meeting that agreed it.")
    assert f'href="#id_done-{action.pk}-done_on"' in response.content.decode()
    action.refresh_from_db()
    assert action.done_on is None


def test_board_member_reads_a_meeting_but_cannot_close_actions(client, cast) -> None:  # noqa: ANN001
    meeting, action = _meeting(cast)
    client.force_login(cast.board_member)
    detail = client.get(url("meeting_detail", cast, meeting.pk))
    assert detail.status_code == 200
    assert "Send the chronology" in text(detail)
    assert "Mark as done" not in text(detail)
    response = client.post(
        url("meeting_action_done", cast, meeting.pk, action.pk),
        {f"done-{action.pk}-done_on": "2024-12-02"},
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.done_on is None


def test_a_meeting_from_another_review_is_not_found(client, cast) -> None:  # noqa: ANN001
    other = ReviewFactory(csp=cast.csp)
    meeting = meeting_add(
        review=other, by=cast.coordinator, date=dt.date(2024, 11, 20), title="Elsewhere"
    )
    client.force_login(cast.coordinator)
    assert client.get(url("meeting_detail", cast, meeting.pk)).status_code == 404


def test_agency_author_cannot_open_meetings(client, cast) -> None:  # noqa: ANN001
    meeting, _action = _meeting(cast)
    client.force_login(cast.agency_author)
    assert client.get(url("meeting_detail", cast, meeting.pk)).status_code == 403


@pytest.mark.django_db
def test_panel_lists_only_people_known_to_the_review(client, cast) -> None:
    from lantern.testing.factories import OrganisationFactory, UserFactory

    stranger_org = OrganisationFactory(name="Farshire Police", type="police")
    UserFactory(
        username="stranger", organisation=stranger_org, first_name="Zebedee", last_name="Farshire"
    )
    client.force_login(cast.coordinator)
    body = client.get(f"/reviews/{cast.review.reference}/panel/").content.decode()
    assert "Zebedee" not in body
    assert cast.agency_author.last_name in body


@pytest.mark.django_db
def test_agreed_terms_must_explain_agencies_left_out(client, cast) -> None:
    client.force_login(cast.coordinator)
    data = {
        "period_start": "2020-01-01",
        "period_end": "2024-09-20",
        "agencies_in_scope": [cast.police.pk],
        "key_lines_of_enquiry": "Risk",
        "agreed_on": "2024-11-01",
    }
    response = client.post(f"/reviews/{cast.review.reference}/terms/", data)
    assert response.status_code == 200
    assert "Explain why each agency is left out" in response.content.decode()
    data["reasons_not_in_scope"] = "Northbridge Homes: no contact in the review period"
    response = client.post(f"/reviews/{cast.review.reference}/terms/", data)
    assert response.status_code == 302
    link = cast.review.agencies.get(organisation=cast.housing)
    assert not link.in_scope
    assert link.reason_not_in_scope == "no contact in the review period"
