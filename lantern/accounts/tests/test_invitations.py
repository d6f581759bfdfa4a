"""Invitations: a coordinator invites someone to a review; the link creates their account once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.models import Invitation, Organisation, User
from lantern.accounts.services import invitation_create, invitation_revoke
from lantern.reviews.models import Membership

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-kestrel-harbour-42"


def _invite_url(cast) -> str:  # noqa: ANN001
    return f"{reverse('accounts:invite')}?review={cast.review.reference}"


def _send(client, cast, **overrides):  # noqa: ANN001, ANN202
    data = {
        "email": "sam.okafor@northbridge-police.example",
        "first_name": "Sam",
        "last_name": "Okafor",
        "organisation": cast.police.pk,
        "review_role": "panel_member",
        "agency": cast.police.pk,
    }
    data.update(overrides)
    return client.post(_invite_url(cast), data)


def _link(response) -> str:  # noqa: ANN001
    return re.search(
        r'id="invitation-link" type="text" value="([^"]+)"', response.content.decode()
    )[1]


def test_coordinator_invites_to_a_review_and_the_link_is_emailed_and_shown(client, cast) -> None:
    client.force_login(cast.coordinator)
    page = client.get(_invite_url(cast))
    assert page.status_code == 200
    html = page.content.decode()
    assert "NB-DHR-2024-07" in html
    assert "Their role on the review" in html

    response = _send(client, cast)
    assert response.status_code == 200
    link = _link(response)
    assert link.startswith("http://testserver/accounts/invitation/")
    assert (
        "Invitation emailed to sam.okafor@northbridge-police.example" in response.content.decode()
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam.okafor@northbridge-police.example"]
    assert link in mail.outbox[0].body
    invitation = Invitation.objects.get()
    assert invitation.review == cast.review
    assert invitation.review_role == "panel_member"
    assert invitation.token_hash not in link
    # The list shows it as pending, with a revoke button.
    assert "Pending until" in response.content.decode()
    assert reverse("accounts:invitation_revoke", args=[invitation.pk]) in response.content.decode()


def test_the_invitation_can_name_a_new_organisation(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = _send(
        client,
        cast,
        organisation="",
        new_organisation_name="Northbridge Women's Aid",
        new_organisation_type=Organisation.Type.DOMESTIC_ABUSE_SERVICE,
        agency="",
    )
    assert response.status_code == 200
    org = Organisation.objects.get(name="Northbridge Women's Aid")
    assert org.type == Organisation.Type.DOMESTIC_ABUSE_SERVICE
    assert Invitation.objects.get().organisation == org


def test_the_organisation_must_be_chosen_or_named(client, cast) -> None:
    client.force_login(cast.coordinator)
    neither = _send(client, cast, organisation="")
    assert "Choose their organisation, or give the name of a new one" in neither.content.decode()
    no_type = _send(client, cast, organisation="", new_organisation_name="Somewhere")
    assert "Choose the type of the new organisation" in no_type.content.decode()
    assert not Invitation.objects.exists()
    assert not Organisation.objects.filter(name="Somewhere").exists()


def test_the_role_is_required_when_inviting_to_a_review(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = _send(client, cast, review_role="")
    html = response.content.decode()
    assert "Choose their role on the review" in html
    assert 'href="#id_review_role"' in html


def test_accepting_creates_the_user_and_the_membership_once(client, cast) -> None:
    client.force_login(cast.coordinator)
    link = _link(_send(client, cast))
    path = link.removeprefix("http://testserver")

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert "Sam Okafor" in page.content.decode()
    response = visitor.post(
        path, {"username": "sokafor", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:dashboard")
    user = User.objects.get(username="sokafor")
    assert user.organisation == cast.police
    assert user.email == "sam.okafor@northbridge-police.example"
    assert user.get_full_name() == "Sam Okafor"
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert membership.review == cast.review
    assert membership.role == "panel_member"
    assert membership.agency == cast.police
    assert membership.ended_at is None
    assert visitor.session["_auth_user_id"] == str(user.pk)

    again = Client().get(path)
    assert again.status_code == 410
    assert (
        "This invitation link has expired or has already been used — ask the coordinator for a "
        "new one." in again.content.decode()
    )
    reuse = Client().post(
        path, {"username": "second", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert reuse.status_code == 410
    assert not User.objects.filter(username="second").exists()


@override_settings(LANTERN_REQUIRE_2FA=True)
def test_accepting_leads_to_two_factor_set_up_when_it_is_required(cast) -> None:
    invitation, raw = invitation_create(
        by=cast.coordinator, email="x@example.org", organisation=cast.housing
    )
    visitor = Client()
    response = visitor.post(
        reverse("accounts:accept_invitation", args=[raw]),
        {"username": "newperson", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:two_factor_setup")


def test_an_expired_invitation_is_refused(cast) -> None:
    invitation, raw = invitation_create(
        by=cast.coordinator, email="late@example.org", organisation=cast.housing
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    url = reverse("accounts:accept_invitation", args=[raw])
    visitor = Client()
    assert visitor.get(url).status_code == 410
    response = visitor.post(
        url, {"username": "late", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 410
    assert not User.objects.filter(username="late").exists()


def test_a_revoked_invitation_is_refused(client, cast) -> None:
    invitation, raw = invitation_create(
        by=cast.coordinator, email="gone@example.org", organisation=cast.housing
    )
    client.force_login(cast.coordinator)
    response = client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Client().get(reverse("accounts:accept_invitation", args=[raw])).status_code == 410


def test_a_made_up_link_is_refused(client) -> None:
    assert client.get(reverse("accounts:accept_invitation", args=["not-a-token"])).status_code == (
        410
    )


def test_password_rules_and_taken_usernames_are_errors_on_the_form(cast) -> None:
    _invitation, raw = invitation_create(
        by=cast.coordinator, email="x@example.org", organisation=cast.housing
    )
    url = reverse("accounts:accept_invitation", args=[raw])
    visitor = Client()
    weak = visitor.post(url, {"username": "newbie", "password1": "short", "password2": "short"})
    assert "This password is too short" in weak.content.decode()
    taken = visitor.post(
        url, {"username": "CHAIR", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert "is taken" in taken.content.decode()
    mismatch = visitor.post(
        url, {"username": "newbie", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    )
    assert "The two passwords do not match" in mismatch.content.decode()
    assert not User.objects.filter(username="newbie").exists()
    # The link still works after those mistakes.
    assert visitor.get(url).status_code == 200


def test_someone_signed_in_is_asked_to_sign_out_first(client, cast) -> None:
    _invitation, raw = invitation_create(
        by=cast.coordinator, email="x@example.org", organisation=cast.housing
    )
    client.force_login(cast.chair)
    response = client.get(reverse("accounts:accept_invitation", args=[raw]))
    assert "You are already signed in" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_inviting_needs_a_review_the_coordinator_manages(client, cast) -> None:
    client.force_login(cast.outsider)
    assert client.get(_invite_url(cast)).status_code == 404
    assert _send(client, cast).status_code == 404
    client.force_login(cast.chair)
    assert client.get(_invite_url(cast)).status_code == 403
    assert not Invitation.objects.exists()


def test_the_invitation_list_is_limited_to_the_partnership(client, cast) -> None:
    invitation_create(by=cast.outsider, email="theirs@example.org", organisation=cast.housing)
    ours, _raw = invitation_create(
        by=cast.coordinator, email="ours@example.org", organisation=cast.housing
    )
    client.force_login(cast.coordinator)
    html = client.get(reverse("accounts:invite")).content.decode()
    assert "ours@example.org" in html
    assert "theirs@example.org" not in html
    client.force_login(cast.outsider)
    assert client.post(reverse("accounts:invitation_revoke", args=[ours.pk])).status_code == 404
    ours.refresh_from_db()
    assert ours.revoked_at is None


def test_the_list_shows_each_status(client, cast) -> None:
    accepted, _r1 = invitation_create(
        by=cast.coordinator, email="a@example.org", organisation=cast.housing
    )
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())
    expired, _r2 = invitation_create(
        by=cast.coordinator, email="e@example.org", organisation=cast.housing
    )
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    revoked, _r3 = invitation_create(
        by=cast.coordinator, email="r@example.org", organisation=cast.housing
    )
    invitation_revoke(invitation=revoked, by=cast.coordinator)
    client.force_login(cast.coordinator)
    html = client.get(reverse("accounts:invite")).content.decode()
    assert 'govuk-tag--green">Accepted' in html
    assert 'govuk-tag--yellow">Expired' in html
    assert 'govuk-tag--grey">Revoked' in html
    assert html.count("/revoke/") == 0


@override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_PORT=1)
def test_when_the_email_cannot_be_sent_the_link_is_still_shown(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = _send(client, cast)
    assert response.status_code == 200
    assert "the email could not be sent" in response.content.decode()
    assert _link(response).startswith("http://testserver/accounts/invitation/")


def test_an_invitation_whose_inviter_has_left_cannot_be_accepted(cast) -> None:
    from lantern.accounts.services import user_deactivate

    _invitation, raw = invitation_create(
        by=cast.coordinator,
        email="x@example.org",
        organisation=cast.housing,
        review=cast.review,
        review_role="agency_author",
    )
    user_deactivate(user=cast.coordinator, by=cast.admin, reason="Left")
    response = Client().post(
        reverse("accounts:accept_invitation", args=[raw]),
        {"username": "orphan", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 410
    assert not User.objects.filter(username="orphan").exists()
