"""The Users pages: who may use them, the list, new accounts, deactivation, leavers."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lantern.accounts.models import ApiToken, OrgRole, User
from lantern.accounts.services import api_token_create, user_deactivate
from lantern.conftest import PASSWORD
from lantern.core.models import AuditEvent
from lantern.reviews.models import Membership
from lantern.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _pages(cast) -> list[str]:  # noqa: ANN001
    pk = cast.panel_member.pk
    return [
        reverse("accounts:user_list"),
        reverse("accounts:user_new"),
        reverse("accounts:user_detail", args=[pk]),
        reverse("accounts:leaver", args=[pk]),
        reverse("accounts:invite"),
    ]


@pytest.mark.parametrize(
    "role", ["panel_member", "chair", "author", "agency_author", "board_member"]
)
def test_coordinator_only_pages_are_403_for_everyone_else(client, cast, role: str) -> None:
    client.force_login(getattr(cast, role))
    for url in _pages(cast):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"action": "deactivate", "reason": "x"}).status_code == 403, url
    assert cast.panel_member.__class__.objects.get(pk=cast.panel_member.pk).is_active


def test_anonymous_people_are_sent_to_sign_in(client, cast) -> None:
    for url in _pages(cast):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_list_shows_the_partnership_and_its_review_members(client, cast) -> None:
    stranger = UserFactory(username="stranger")
    client.force_login(cast.coordinator)
    response = client.get(reverse("accounts:user_list"))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("board_member", "chair", "author", "panel_member", "agency_author", "admin"):
        assert f">{name}</span>" in html, name
    assert ">outsider</span>" not in html
    assert ">stranger</span>" not in html
    assert stranger.display_name not in html
    assert ">console</span>" not in html
    row = re.search(r"panel_member</span></td>(.*?)</tr>", html, re.S).group(1)
    assert "Northbridge Police" in row
    assert "Panel member" in row
    assert "on 1 review" in row
    assert "Active" in row


def test_the_list_shows_deactivated_accounts_and_last_sign_in(client, cast) -> None:
    user_deactivate(user=cast.author, by=cast.coordinator, reason="Finished")
    client.force_login(cast.coordinator)
    html = client.get(reverse("accounts:user_list")).content.decode()
    row = re.search(r">author</span></td>(.*?)</tr>", html, re.S).group(1)
    assert "Deactivated" in row
    assert "Never" in row


def test_a_coordinator_of_another_partnership_sees_none_of_these_people(client, cast) -> None:
    client.force_login(cast.outsider)
    html = client.get(reverse("accounts:user_list")).content.decode()
    assert ">panel_member</span>" not in html
    assert ">coordinator</span>" not in html
    assert client.get(reverse("accounts:user_detail", args=[cast.panel_member.pk])).status_code == (
        404
    )
    assert client.get(reverse("accounts:leaver", args=[cast.panel_member.pk])).status_code == 404


def test_an_administrator_sees_every_account(client, cast) -> None:
    client.force_login(cast.admin)
    html = client.get(reverse("accounts:user_list")).content.decode()
    assert ">outsider</span>" in html
    assert ">panel_member</span>" in html


def test_creating_a_board_member_shows_the_one_time_password_once(client, cast) -> None:
    client.force_login(cast.coordinator)
    form = client.get(reverse("accounts:user_new")).content.decode()
    assert "Northbridge Community Safety Partnership" in form
    assert "Southmoor" not in form
    response = client.post(
        reverse("accounts:user_new"),
        {
            "first_name": "Priya",
            "last_name": "Shah",
            "email": "priya.shah@northbridge.gov.uk",
            "username": "pshah",
            "job_title": "Community safety manager",
            "org_role": OrgRole.BOARD_MEMBER,
            "organisation": cast.csp.pk,
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    html = response.content.decode()
    password = re.search(r'id="one-time-password">([^<]+)<', html).group(1)
    user = User.objects.get(username="pshah")
    assert user.org_role == OrgRole.BOARD_MEMBER
    assert user.organisation == cast.csp
    assert user.check_password(password)
    assert (
        password not in client.get(reverse("accounts:user_detail", args=[user.pk])).content.decode()
    )
    client.post("/accounts/logout/")
    signed_in = client.post("/accounts/login/", {"username": "pshah", "password": password})
    assert signed_in.status_code == 302


def test_a_taken_username_is_shown_as_an_error(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = client.post(
        reverse("accounts:user_new"),
        {
            "first_name": "A",
            "last_name": "B",
            "email": "a@example.org",
            "username": "Chair",
            "org_role": OrgRole.COORDINATOR,
            "organisation": cast.csp.pk,
        },
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The username “Chair” is taken." in html
    assert 'href="#id_username"' in html


def test_a_coordinator_cannot_create_accounts_for_another_partnership(client, cast) -> None:
    client.force_login(cast.outsider)
    response = client.post(
        reverse("accounts:user_new"),
        {
            "first_name": "A",
            "last_name": "B",
            "email": "a@example.org",
            "username": "newcoord",
            "org_role": OrgRole.COORDINATOR,
            "organisation": cast.csp.pk,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(username="newcoord").exists()


def test_user_detail_shows_their_reviews_and_audits_the_read(client, cast) -> None:
    client.force_login(cast.coordinator)
    response = client.get(reverse("accounts:user_detail", args=[cast.agency_author.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "NB-DHR-2024-07" in html
    assert "Agency author" in html
    assert AuditEvent.objects.filter(
        actor=cast.coordinator,
        action=AuditEvent.Action.READ,
        object_id=str(cast.agency_author.pk),
    ).exists()


def test_user_detail_names_only_reviews_the_viewer_can_see(client, cast) -> None:
    from lantern.testing.factories import ReviewFactory, add_member

    other_review = ReviewFactory(reference="SM-DHR-2024-01", csp=cast.outsider.organisation)
    add_member(other_review, cast.agency_author, "agency_author", cast.police)
    client.force_login(cast.coordinator)
    html = client.get(reverse("accounts:user_detail", args=[cast.agency_author.pk])).content
    assert b"SM-DHR-2024-01" not in html
    assert b"They also have 1 role on a review you cannot see." in html


def test_deactivate_needs_a_reason_then_reactivate(client, cast) -> None:
    api_token_create(user=cast.chair, by=cast.chair, name="script")
    client.force_login(cast.coordinator)
    url = reverse("accounts:user_detail", args=[cast.chair.pk])
    missing = client.post(url, {"action": "deactivate", "reason": ""})
    assert "Enter the reason for deactivating the account" in missing.content.decode()
    response = client.post(url, {"action": "deactivate", "reason": "Report finished"})
    assert response.status_code == 302
    cast.chair.refresh_from_db()
    assert not cast.chair.is_active
    assert cast.chair.deactivated_reason == "Report finished"
    assert not ApiToken.objects.filter(user=cast.chair, revoked_at__isnull=True).exists()
    page = client.get(url).content.decode()
    assert "Reactivate account" in page
    client.post(url, {"action": "reactivate"})
    cast.chair.refresh_from_db()
    assert cast.chair.is_active


def test_a_coordinator_cannot_deactivate_a_system_administrator(client, cast) -> None:
    client.force_login(cast.coordinator)
    url = reverse("accounts:user_detail", args=[cast.admin.pk])
    assert "Deactivate account" not in client.get(url).content.decode()
    assert client.post(url, {"action": "deactivate", "reason": "x"}).status_code == 403
    assert client.get(reverse("accounts:leaver", args=[cast.admin.pk])).status_code == 403
    cast.admin.refresh_from_db()
    assert cast.admin.is_active


def test_nobody_deactivates_themselves_from_the_users_pages(client, cast) -> None:
    client.force_login(cast.coordinator)
    page = client.get(reverse("accounts:user_detail", args=[cast.coordinator.pk]))
    assert "Deactivate account" not in page.content.decode()
    assert client.get(reverse("accounts:leaver", args=[cast.coordinator.pk])).status_code == 403


def test_unlocking_a_locked_account(client, cast) -> None:
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": "chair", "password": "wrong"})
    client.force_login(cast.coordinator)
    url = reverse("accounts:user_detail", args=[cast.chair.pk])
    assert "Sign-in locked" in client.get(url).content.decode()
    client.post(url, {"action": "unlock"})
    assert "Sign-in locked" not in client.get(url).content.decode()
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "chair", "password": PASSWORD})
    assert response.status_code == 302


def test_leaver_ends_memberships_and_deactivates(client, cast) -> None:
    client.force_login(cast.coordinator)
    url = reverse("accounts:leaver", args=[cast.panel_member.pk])
    page = client.get(url).content.decode()
    assert "NB-DHR-2024-07" in page
    unconfirmed = client.post(url, {"reason": "Left the police"})
    assert "Confirm that the account will be deactivated" in unconfirmed.content.decode()
    assert User.objects.get(pk=cast.panel_member.pk).is_active

    response = client.post(url, {"reason": "Left the police", "confirm": "on"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Leaver process complete" in html
    assert "Their role ended on 1 review: NB-DHR-2024-07" in html
    cast.panel_member.refresh_from_db()
    assert not cast.panel_member.is_active
    assert cast.panel_member.deactivated_reason == "Left the police"
    assert not Membership.objects.filter(user=cast.panel_member, ended_at__isnull=True).exists()


def test_leaver_hands_roles_over(client, cast) -> None:
    successor = UserFactory(username="successor", organisation=cast.police)
    from lantern.testing.factories import add_member

    add_member(cast.review, successor, "agency_author", cast.police)
    client.force_login(cast.coordinator)
    url = reverse("accounts:leaver", args=[cast.panel_member.pk])
    options = client.get(url).content.decode()
    assert (
        f'<option value="{successor.pk}">{successor.display_name} (Northbridge Police)' in options
    )
    assert f'<option value="{cast.panel_member.pk}"' not in options
    response = client.post(
        url, {"reason": "Moved job", "confirm": "on", "handover_to": successor.pk}
    )
    html = response.content.decode()
    assert f"{successor.display_name} took over their roles on: NB-DHR-2024-07" in html
    assert Membership.objects.filter(
        user=successor, review=cast.review, role="panel_member", ended_at__isnull=True
    ).exists()
    assert not User.objects.get(pk=cast.panel_member.pk).is_active


def test_leaver_cannot_hand_over_to_someone_outside_the_partnership(client, cast) -> None:
    stranger = UserFactory(username="stranger")
    client.force_login(cast.coordinator)
    url = reverse("accounts:leaver", args=[cast.panel_member.pk])
    response = client.post(url, {"reason": "x", "confirm": "on", "handover_to": stranger.pk})
    assert "Select a valid choice" in response.content.decode()
    assert User.objects.get(pk=cast.panel_member.pk).is_active
