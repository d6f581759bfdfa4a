"""Two-factor authentication: set-up, the check after signing in, backup codes and reset."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.models import BackupCode, BackupCodeDevice
from lantern.conftest import PASSWORD
from lantern.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_required")]

SETUP = "/accounts/two-factor/"
VERIFY = "/accounts/verify/"


@pytest.fixture
def two_factor_required():  # noqa: ANN201
    with override_settings(LANTERN_REQUIRE_2FA=True):
        yield


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def app_for(user) -> TOTPDevice:  # noqa: ANN001
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def sign_in(client, username: str, next_url: str = ""):  # noqa: ANN001, ANN202
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


def test_without_a_device_the_person_is_sent_to_set_up(client, cast) -> None:
    response = sign_in(client, "chair")
    assert response["Location"] == f"{SETUP}?next=%2Freviews%2F"
    # Every other page sends them there too, keeping where they were going.
    response = client.get("/reviews/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Freviews%2F"


def test_setting_up_shows_a_qr_code_and_the_key_then_lets_them_in(client, cast) -> None:
    sign_in(client, "chair")
    page = client.get(SETUP, {"next": "/reviews/"})
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg role="img"' in html
    assert "<title>QR code to scan with your authenticator app</title>" in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    device = TOTPDevice.objects.get(user=cast.chair)
    assert not device.confirmed
    secret = re.search(r'id="secret-key">([A-Z2-7 ]+)<', html).group(1)
    from base64 import b32encode

    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()
    # A second visit shows the same device, not a new secret.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=cast.chair).count() == 1

    response = client.post(SETUP, {"code": code_for(device), "next": "/reviews/"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Save your backup codes" in html
    codes = re.findall(
        r'<code class="govuk-!-font-size-24">([a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5})</code>', html
    )
    assert len(set(codes)) == 10
    # Only their hashes are kept, never the codes.
    assert BackupCode.objects.filter(device__user=cast.chair).count() == 10
    assert not StaticToken.objects.exists()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/reviews/").status_code == 200
    assert AuditEvent.objects.filter(
        actor=cast.chair, summary="Set up two-factor authentication"
    ).exists()


def test_a_wrong_code_does_not_confirm_the_app(client, cast) -> None:
    sign_in(client, "chair")
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "The code is not correct" in html
    device = TOTPDevice.objects.get(user=cast.chair)
    assert not device.confirmed
    assert device.throttling_failure_count == 1  # wrong codes count here too
    assert client.get("/reviews/").status_code == 302


def test_a_code_that_is_not_six_digits_is_refused_by_the_form(client, cast) -> None:
    sign_in(client, "chair")
    client.get(SETUP)
    response = client.post(SETUP, {"code": "12ab"})
    assert "The code must be 6 digits" in response.content.decode()


def test_with_a_device_the_person_is_asked_for_a_code(client, cast) -> None:
    device = app_for(cast.coordinator)
    response = sign_in(client, "coordinator", next_url="/accounts/users/")
    assert response["Location"] == f"{VERIFY}?next=%2Faccounts%2Fusers%2F"
    assert client.get("/reviews/")["Location"] == f"{VERIFY}?next=%2Freviews%2F"

    wrong = client.post(VERIFY, {"code": "000000", "next": "/accounts/users/"})
    assert wrong.status_code == 200
    assert "The code is not correct" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert AuditEvent.objects.filter(
        actor=cast.coordinator, action=AuditEvent.Action.LOGIN_FAILED
    ).exists()

    # django-otp makes them wait after a failure; let the wait pass.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    right = client.post(VERIFY, {"code": code_for(device), "next": "/accounts/users/"})
    assert right.status_code == 302
    assert right["Location"] == "/accounts/users/"
    assert client.get("/reviews/").status_code == 200
    assert client.get("/accounts/users/").status_code == 200


def test_repeated_wrong_codes_are_throttled(client, cast) -> None:
    device = app_for(cast.coordinator)
    sign_in(client, "coordinator")
    client.post(VERIFY, {"code": "000000"})
    # Straight after a failure even the right code is refused until the wait is over.
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/reviews/").status_code == 302


def test_a_backup_code_works_once(client, cast) -> None:
    app_for(cast.coordinator)
    backup = BackupCodeDevice.objects.create(user=cast.coordinator, name="Backup codes")
    backup.add_codes(["abcde-fghjk", "mnpqr-stuvw"])
    sign_in(client, "coordinator")
    response = client.post(VERIFY, {"code": "ABCDE FGHJK"})
    assert response.status_code == 302
    assert client.get("/reviews/").status_code == 200
    assert backup.codes.count() == 1
    client.post("/accounts/logout/")
    sign_in(client, "coordinator")
    again = client.post(VERIFY, {"code": "abcde-fghjk"})
    assert again.status_code == 200
    assert client.get("/reviews/").status_code == 302


def test_a_person_with_a_device_cannot_add_another_before_the_check(client, cast) -> None:
    app_for(cast.coordinator)
    sign_in(client, "coordinator")
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=cast.coordinator).count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/profile/",
        "/accounts/users/",
        "/accounts/users/new/",
        "/accounts/invite/",
        "/accounts/api-tokens/",
        "/reference-data/",
    ],
)
def test_account_pages_need_the_check_too(client, cast, url: str) -> None:
    app_for(cast.coordinator)
    sign_in(client, "coordinator")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_the_api_treats_a_session_without_the_check_as_signed_out(client, cast) -> None:
    device = app_for(cast.coordinator)
    sign_in(client, "coordinator")
    assert client.get("/api/reviews").status_code == 401
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/api/reviews").status_code == 200


def test_resetting_two_factor_needs_the_current_password(client, cast) -> None:
    device = app_for(cast.coordinator)
    sign_in(client, "coordinator")
    client.post(VERIFY, {"code": code_for(device)})
    wrong = client.post(
        "/accounts/profile/", {"action": "reset_two_factor", "reset-password": "nope"}
    )
    assert wrong.status_code == 200
    assert "The password is not correct" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=cast.coordinator).exists()

    right = client.post(
        "/accounts/profile/", {"action": "reset_two_factor", "reset-password": PASSWORD}
    )
    assert right["Location"] == SETUP
    assert not TOTPDevice.objects.filter(user=cast.coordinator, confirmed=True).exists()
    # The session no longer counts as checked: they must set up again.
    assert client.get("/reviews/")["Location"].startswith(SETUP)


def test_profile_shows_the_two_factor_state(client, cast) -> None:
    device = app_for(cast.coordinator)
    backup = BackupCodeDevice.objects.create(user=cast.coordinator, name="Backup codes")
    backup.add_codes(["aaaaa-aaaaa", "bbbbb-bbbbb", "ccccc-ccccc"])
    sign_in(client, "coordinator")
    client.post(VERIFY, {"code": code_for(device)})
    html = client.get("/accounts/profile/").content.decode()
    assert '<strong class="govuk-tag govuk-tag--green">Set up</strong>' in html
    assert re.search(r"Backup codes left</dt>\s*<dd[^>]*>3</dd>", html)
    assert reverse("accounts:api_tokens") in html


def test_the_setup_page_for_someone_already_set_up_and_checked(client, cast) -> None:
    device = app_for(cast.coordinator)
    sign_in(client, "coordinator")
    client.post(VERIFY, {"code": code_for(device)})
    response = client.get(SETUP)
    assert response.status_code == 200
    assert "Two-factor authentication is set up" in response.content.decode()
