"""The returns page, the contact-question page and the dashboard's overdue returns."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.chronology import services_returns as services
from lantern.chronology.models import AgencyReturn, Chaser
from lantern.chronology.tests.returns_support import ask_all, days_ago
from lantern.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _url(cast, name="chronology:returns", **kwargs) -> str:  # noqa: ANN001
    return reverse(name, kwargs={"reference": cast.review.reference, **kwargs})


def _body(response) -> str:  # noqa: ANN001
    return response.content.decode()


# --- who sees what -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("chair", 200),
        ("author", 200),
        ("panel_member", 200),
        ("agency_author", 200),
        ("board_member", 403),
        ("outsider", 404),
    ],
)
def test_returns_page_access(client, cast, role, status) -> None:
    client.force_login(getattr(cast, role))
    assert client.get(_url(cast)).status_code == status


def test_reading_the_returns_page_is_audited(client, cast) -> None:
    client.force_login(cast.agency_author)
    client.get(_url(cast))
    assert AuditEvent.objects.filter(
        review=cast.review, actor=cast.agency_author, action="read", object_type="agency returns"
    ).exists()


def test_coordinator_sees_every_agency_and_the_forms(client, cast) -> None:
    ask_all(cast)
    client.force_login(cast.coordinator)
    body = _body(client.get(_url(cast)))
    assert "Northbridge Police" in body and "Northbridge Homes" in body
    for form in ("ask", "request", "received", "chase", "share"):
        assert f'name="form" value="{form}"' in body


def test_agency_author_sees_only_their_own_row_and_no_bulk_forms(client, cast) -> None:
    ask_all(cast)
    client.force_login(cast.agency_author)
    body = _body(client.get(_url(cast)))
    assert "Northbridge Police" in body
    assert "Northbridge Homes" not in body
    assert 'name="form"' not in body
    assert _url(cast, "chronology:return_answer", agency_id=cast.police.pk) in body


def test_chair_gets_only_the_share_form(client, cast) -> None:
    ask_all(cast)
    client.force_login(cast.chair)
    body = _body(client.get(_url(cast)))
    assert 'name="form" value="share"' in body
    assert 'name="form" value="chase"' not in body


def test_overdue_row_has_a_red_tag(client, cast) -> None:
    ask_all(cast, asked_on=days_ago(60))
    client.force_login(cast.coordinator)
    body = _body(client.get(_url(cast)))
    assert 'govuk-tag govuk-tag--red">Overdue' in body


# --- the coordinator's forms -------------------------------------------------------------------


def test_coordinator_asks_agencies_through_the_page(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = client.post(
        _url(cast),
        {
            "form": "ask",
            "ask-agencies": [cast.police.pk, cast.housing.pk],
            "ask-asked_on": days_ago(1).isoformat(),
            "ask-secure_records": "on",
        },
    )
    assert response.status_code == 302
    assert AgencyReturn.objects.filter(review=cast.review, asked_on=days_ago(1)).count() == 2


def test_an_invalid_form_shows_the_error_summary_and_keeps_the_details_open(client, cast) -> None:
    ask_all(cast)
    client.force_login(cast.coordinator)
    response = client.post(_url(cast), {"form": "request", "request-what": "imr"})
    assert response.status_code == 200
    body = _body(response)
    assert "govuk-error-summary" in body
    assert "Choose at least one agency" in body
    assert 'id="request" open' in body
    assert "<title>Error:" in body


def test_a_service_refusal_is_shown_against_the_form(client, cast) -> None:
    ask_all(cast)
    client.force_login(cast.coordinator)
    response = client.post(
        _url(cast),
        {
            "form": "chase",
            "chase-agencies": [cast.police.pk],
            "chase-about": "imr",
            "chase-sent_on": days_ago(0).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "has not been asked for its IMR yet" in _body(response)
    assert not Chaser.objects.exists()


def test_chasing_through_the_page_emails_the_agency_author(
    client, cast, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    ask_all(cast, asked_on=days_ago(40))
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(cast),
            {
                "form": "chase",
                "chase-agencies": [cast.police.pk, cast.housing.pk],
                "chase-about": "answer",
                "chase-sent_on": days_ago(0).isoformat(),
            },
        )
    assert response.status_code == 302
    assert Chaser.objects.count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [cast.agency_author.email, cast.other_agency_author.email]
    )


def test_agency_author_and_chair_cannot_post_coordinator_forms(client, cast) -> None:
    ask_all(cast)
    for user in (cast.agency_author, cast.chair, cast.panel_member):
        client.force_login(user)
        response = client.post(
            _url(cast),
            {
                "form": "ask",
                "ask-agencies": [cast.police.pk],
                "ask-asked_on": days_ago(0).isoformat(),
            },
        )
        assert response.status_code == 403
    assert AgencyReturn.objects.filter(asked_on=days_ago(0)).count() == 0


def test_chair_shares_with_the_panel_through_the_page(client, cast) -> None:
    ask_all(cast)
    client.force_login(cast.chair)
    response = client.post(
        _url(cast),
        {
            "form": "share",
            "share-agencies": [cast.housing.pk],
            "share-action": "share",
            "share-shared_on": days_ago(0).isoformat(),
        },
    )
    assert response.status_code == 302
    client.force_login(cast.panel_member)
    assert "Northbridge Homes" in _body(client.get(_url(cast)))


def test_outsider_posting_gets_404(client, cast) -> None:
    client.force_login(cast.outsider)
    assert client.post(_url(cast), {"form": "ask"}).status_code == 404


# --- the contact question ----------------------------------------------------------------------


def test_agency_author_answers_the_contact_question(client, cast) -> None:
    returns = ask_all(cast)
    client.force_login(cast.agency_author)
    url = _url(cast, "chronology:return_answer", agency_id=cast.police.pk)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "answer": "contact",
            "answered_on": days_ago(1).isoformat(),
            "contact_from": "2021-03-01",
            "contact_to": "2024-09-01",
        },
    )
    assert response.status_code == 302
    returns["police"].refresh_from_db()
    assert returns["police"].answer == "contact"


def test_agency_author_cannot_open_another_agency_answer_page(client, cast) -> None:
    ask_all(cast)
    client.force_login(cast.agency_author)
    url = _url(cast, "chronology:return_answer", agency_id=cast.housing.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "no_contact"}).status_code == 404


def test_panel_member_sees_own_agency_but_cannot_answer(client, cast) -> None:
    ask_all(cast)
    client.force_login(cast.panel_member)
    url = _url(cast, "chronology:return_answer", agency_id=cast.police.pk)
    assert client.get(url).status_code == 403


# --- the dashboard -----------------------------------------------------------------------------


def test_overdue_returns_appear_on_the_coordinator_dashboard(client, cast) -> None:
    ask_all(cast, asked_on=days_ago(60))
    services.returns_request(
        review=cast.review,
        by=cast.coordinator,
        agencies=[cast.housing],
        what="summary",
        requested_on=days_ago(50),
    )
    client.force_login(cast.coordinator)
    body = _body(client.get(reverse("reviews:dashboard")))
    assert "Overdue agency returns" in body
    section = body[body.index('id="overdue-returns"') :]
    assert "NB-DHR-2024-07" in section
    assert "Northbridge Homes" in section and "Northbridge Police" in section
    assert "Summary of involvement" in section
    assert "Answer to the contact question" in section


def test_dashboard_has_no_overdue_section_for_the_board_or_when_nothing_is_late(
    client, cast
) -> None:
    ask_all(cast, asked_on=days_ago(60))
    client.force_login(cast.board_member)
    assert "Overdue agency returns" not in _body(client.get(reverse("reviews:dashboard")))
    for row in AgencyReturn.objects.all():
        services.return_answer(
            agency_return=row, by=cast.coordinator, answer="no_contact", answered_on=days_ago(1)
        )
    client.force_login(cast.coordinator)
    assert "Overdue agency returns" not in _body(client.get(reverse("reviews:dashboard")))
