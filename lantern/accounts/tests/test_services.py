"""The account services added for the pages, and the selectors that scope them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts import selectors
from lantern.accounts.models import BackupCode, BackupCodeDevice, Invitation, Organisation
from lantern.accounts.services import (
    invitation_create,
    invitation_issue,
    two_factor_confirm,
    two_factor_device_pending,
    two_factor_reset,
    two_factor_verify,
    user_password_change,
    user_sign_in_unlock,
)

pytestmark = pytest.mark.django_db


def _link(raw: str) -> str:
    return f"https://lantern.example/accounts/invitation/{raw}/"


def test_two_factor_set_up_and_verify_round_trip(cast) -> None:
    device = two_factor_device_pending(user=cast.chair)
    assert two_factor_device_pending(user=cast.chair) == device
    codes = two_factor_confirm(user=cast.chair, device=device, token=f"{totp(device.bin_key):06d}")
    assert len(codes) == len(set(codes)) == 10
    with pytest.raises(ValidationError):
        two_factor_device_pending(user=cast.chair)
    assert two_factor_verify(user=cast.chair, token=codes[0].upper()).name == "Backup codes"
    with pytest.raises(ValidationError) as refused:
        two_factor_verify(user=cast.chair, token=codes[0])
    assert "code" in refused.value.message_dict


def test_confirming_replaces_old_backup_codes(cast) -> None:
    old = BackupCodeDevice.objects.create(user=cast.chair, name="old", confirmed=False)
    old.add_codes(["pqrst-debcd"])
    # A plaintext code of django-otp's kind (as a restored older backup could bring back).
    StaticDevice.objects.create(user=cast.chair, name="older", confirmed=False).token_set.create(
        token="oldcode1"
    )
    device = two_factor_device_pending(user=cast.chair)
    codes = two_factor_confirm(user=cast.chair, device=device, token=f"{totp(device.bin_key):06d}")
    new = BackupCodeDevice.objects.get(user=cast.chair)
    assert new.pk != old.pk
    assert new.codes.count() == len(codes) == 10
    assert not StaticDevice.objects.filter(user=cast.chair).exists()
    assert not StaticToken.objects.exists()
    with pytest.raises(ValidationError):
        two_factor_verify(user=cast.chair, token="pqrst-debcd")


def test_two_factor_reset_removes_the_backup_codes(cast) -> None:
    device = two_factor_device_pending(user=cast.chair)
    two_factor_confirm(user=cast.chair, device=device, token=f"{totp(device.bin_key):06d}")
    assert selectors.two_factor_status(user=cast.chair).backup_codes_left == 10
    two_factor_reset(user=cast.chair, by=cast.coordinator)
    assert not BackupCodeDevice.objects.filter(user=cast.chair).exists()
    assert not BackupCode.objects.exists()
    status = selectors.two_factor_status(user=cast.chair)
    assert (status.has_device, status.backup_codes_left) == (False, 0)


def test_nobody_confirms_someone_elses_device(cast) -> None:
    device = two_factor_device_pending(user=cast.chair)
    with pytest.raises(PermissionDenied):
        two_factor_confirm(user=cast.author, device=device, token=f"{totp(device.bin_key):06d}")
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed


def test_two_factor_reset_is_for_the_user_or_a_manager(cast) -> None:
    TOTPDevice.objects.create(user=cast.chair, name="app", confirmed=True)
    with pytest.raises(PermissionDenied):
        two_factor_reset(user=cast.chair, by=cast.author)
    assert TOTPDevice.objects.filter(user=cast.chair).exists()
    two_factor_reset(user=cast.chair, by=cast.coordinator)
    assert not TOTPDevice.objects.filter(user=cast.chair).exists()


def test_only_the_user_changes_their_own_password(cast) -> None:
    with pytest.raises(PermissionDenied):
        user_password_change(user=cast.chair, by=cast.coordinator, password="a-long-new-pass-99")
    with pytest.raises(ValidationError):
        user_password_change(user=cast.chair, by=cast.chair, password="short")


def test_invitation_issue_creates_a_new_organisation_and_emails(cast, mailoutbox) -> None:
    invitation, link, emailed = invitation_issue(
        by=cast.coordinator,
        email="new@example.org",
        link_for=_link,
        new_organisation_name="Northbridge Mind",
        new_organisation_type=Organisation.Type.VOLUNTARY,
    )
    assert emailed
    assert invitation.organisation.name == "Northbridge Mind"
    assert link.startswith("https://lantern.example/accounts/invitation/")
    assert link in mailoutbox[0].body
    assert "Northbridge Community Safety Partnership" in mailoutbox[0].body


def test_invitation_issue_refused_creates_nothing(cast) -> None:
    with pytest.raises(PermissionDenied):
        invitation_issue(
            by=cast.chair,
            email="new@example.org",
            link_for=_link,
            new_organisation_name="Never made",
            new_organisation_type=Organisation.Type.OTHER,
        )
    assert not Organisation.objects.filter(name="Never made").exists()
    with pytest.raises(ValidationError):
        invitation_issue(by=cast.coordinator, email="new@example.org", link_for=_link)
    assert not Invitation.objects.exists()


def test_unlock_is_for_managers(cast) -> None:
    with pytest.raises(PermissionDenied):
        user_sign_in_unlock(user=cast.chair, by=cast.author)
    assert user_sign_in_unlock(user=cast.chair, by=cast.coordinator) == 0


def test_invitation_status(cast) -> None:
    invitation, _raw = invitation_create(
        by=cast.coordinator, email="a@example.org", organisation=cast.housing
    )
    assert selectors.invitation_status(invitation) == "pending"
    later = invitation.expires_at + timedelta(seconds=1)
    assert selectors.invitation_status(invitation, now=later) == "expired"
    invitation.revoked_at = timezone.now()
    assert selectors.invitation_status(invitation) == "revoked"
    invitation.accepted_at = timezone.now()
    assert selectors.invitation_status(invitation) == "accepted"


def test_who_manages_users(cast) -> None:
    assert selectors.can_manage_users(cast.coordinator)
    assert selectors.can_manage_users(cast.admin)
    assert selectors.can_manage_users(cast.outsider)
    for role in ("chair", "author", "panel_member", "agency_author", "board_member"):
        assert not selectors.can_manage_users(getattr(cast, role)), role
    cast.coordinator.is_active = False
    assert not selectors.can_manage_users(cast.coordinator)


def test_a_coordinator_of_an_agency_is_not_a_user_manager(cast) -> None:
    cast.panel_member.org_role = "coordinator"
    assert not selectors.can_manage_users(cast.panel_member)


def test_user_get_for_manager_scopes_and_protects_administrators(cast) -> None:
    assert selectors.user_get_for_manager(viewer=cast.coordinator, pk=cast.chair.pk) == cast.chair
    with pytest.raises(Http404):
        selectors.user_get_for_manager(viewer=cast.outsider, pk=cast.chair.pk)
    with pytest.raises(PermissionDenied):
        selectors.user_get_for_manager(viewer=cast.chair, pk=cast.chair.pk)
    assert selectors.user_get_for_manager(viewer=cast.coordinator, pk=cast.admin.pk)
    with pytest.raises(PermissionDenied):
        selectors.user_get_for_manager(viewer=cast.coordinator, pk=cast.admin.pk, write=True)
    assert selectors.user_get_for_manager(viewer=cast.admin, pk=cast.outsider.pk, write=True)
