"""Your account: password change and API tokens."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lantern.accounts.models import ApiToken
from lantern.accounts.services import api_token_create, api_token_revoke, api_token_user
from lantern.conftest import PASSWORD
from lantern.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TOKENS = "/accounts/api-tokens/"
NEW_PASSWORD = "heron-lantern-meadow-19"


def test_changing_the_password_keeps_the_session(client, cast) -> None:
    client.force_login(cast.author)
    response = client.post(
        reverse("accounts:profile"),
        {
            "action": "change_password",
            "password-old_password": PASSWORD,
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    cast.author.refresh_from_db()
    assert cast.author.check_password(NEW_PASSWORD)
    page = client.get(reverse("accounts:profile"))
    assert page.status_code == 200
    assert "Your password has been changed." in page.content.decode()
    assert AuditEvent.objects.filter(actor=cast.author, summary="Changed own password").exists()


def test_a_wrong_current_password_or_weak_new_one_is_refused(client, cast) -> None:
    client.force_login(cast.author)
    wrong = client.post(
        reverse("accounts:profile"),
        {
            "action": "change_password",
            "password-old_password": "not it",
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
        },
    )
    assert "Your current password is not correct" in wrong.content.decode()
    assert 'href="#id_password-old_password"' in wrong.content.decode()
    weak = client.post(
        reverse("accounts:profile"),
        {
            "action": "change_password",
            "password-old_password": PASSWORD,
            "password-new_password1": "password",
            "password-new_password2": "password",
        },
    )
    assert "This password is too common" in weak.content.decode()
    cast.author.refresh_from_db()
    assert cast.author.check_password(PASSWORD)


def test_creating_a_token_shows_it_once_and_stores_only_a_hash(client, cast) -> None:
    client.force_login(cast.chair)
    response = client.post(TOKENS, {"action": "create", "name": "Export script"})
    assert response.status_code == 200
    html = response.content.decode()
    raw = re.search(r'id="new-token" type="text" value="([^"]+)"', html)[1]
    token = ApiToken.objects.get(user=cast.chair)
    assert token.name == "Export script"
    assert raw.startswith(token.prefix)
    assert token.key_hash == ApiToken.hash(raw)
    assert raw not in client.get(TOKENS).content.decode()
    assert api_token_user(raw) == cast.chair


def test_the_list_shows_name_prefix_dates_and_status(client, cast) -> None:
    token, raw = api_token_create(user=cast.chair, by=cast.chair, name="Nightly report")
    api_token_user(raw)
    client.force_login(cast.chair)
    html = client.get(TOKENS).content.decode()
    assert "Nightly report" in html
    assert f"<code>{token.prefix}…</code>" in html
    assert 'govuk-tag--green">Active' in html
    assert "Never" not in html


def test_revoking_a_token_stops_it_working(client, cast) -> None:
    token, raw = api_token_create(user=cast.chair, by=cast.chair, name="Old")
    client.force_login(cast.chair)
    response = client.post(TOKENS, {"action": "revoke", "token": token.pk})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_user(raw) is None
    assert "Revoked" in client.get(TOKENS).content.decode()


def test_nobody_can_revoke_someone_elses_token_from_this_page(client, cast) -> None:
    token, raw = api_token_create(user=cast.chair, by=cast.chair, name="Mine")
    client.force_login(cast.author)
    assert client.post(TOKENS, {"action": "revoke", "token": token.pk}).status_code == 404
    assert client.post(TOKENS, {"action": "revoke", "token": "x"}).status_code == 404
    assert api_token_user(raw) == cast.chair


def test_api_token_revoke_service_checks_who_asks(cast) -> None:
    from django.core.exceptions import PermissionDenied

    token, _raw = api_token_create(user=cast.chair, by=cast.chair, name="Mine")
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, by=cast.author)
    api_token_revoke(token=token, by=cast.coordinator)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    api_token_revoke(token=token, by=cast.chair)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert AuditEvent.objects.filter(summary__startswith="Revoked API token").count() == 1


def test_a_missing_token_name_is_an_error(client, cast) -> None:
    client.force_login(cast.chair)
    response = client.post(TOKENS, {"action": "create", "name": ""})
    assert "Enter a name for the token" in response.content.decode()
    assert not ApiToken.objects.exists()
