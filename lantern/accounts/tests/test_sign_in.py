"""Signing in and out: lock-out, idle timeout, deactivated accounts and the audit of it all."""

from __future__ import annotations

import re
import time

import pytest
from django.urls import reverse

from lantern.accounts.services import user_deactivate
from lantern.conftest import PASSWORD
from lantern.core.models import AuditEvent

LOGIN = "/accounts/login/"


def _sign_in(client, username: str, password: str = PASSWORD):  # noqa: ANN001, ANN202
    return client.post(LOGIN, {"username": username, "password": password})


def _signed_in(client) -> bool:  # noqa: ANN001
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_sign_in_page_is_a_govuk_form(client) -> None:
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="govuk-label" for="id_username">Username</label>' in html
    assert 'autocomplete="current-password"' in html
    assert "autofocus" not in html


@pytest.mark.django_db
def test_sign_in_with_the_right_password(client, cast) -> None:
    response = _sign_in(client, "coordinator")
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:dashboard")
    assert _signed_in(client)


@pytest.mark.django_db
def test_sign_in_goes_on_to_a_safe_next_page_only(client, cast) -> None:
    response = client.post(
        LOGIN, {"username": "coordinator", "password": PASSWORD, "next": "/accounts/profile/"}
    )
    assert response["Location"] == "/accounts/profile/"
    client.post("/accounts/logout/")
    response = client.post(
        LOGIN, {"username": "coordinator", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("reviews:dashboard")


@pytest.mark.django_db
def test_a_failed_sign_in_does_not_say_whether_the_username_exists(client, cast) -> None:
    wrong_password = _sign_in(client, "coordinator", "not the password")
    no_such_user = _sign_in(client, "nobody-by-this-name", "not the password")
    assert wrong_password.status_code == no_such_user.status_code == 200
    for response in (wrong_password, no_such_user):
        html = response.content.decode()
        assert "There is a problem" in html
        assert "Enter a correct username and password" in html
        assert not _signed_in(client)
    # Apart from the echoed username and the CSRF token the two pages are the same.
    assert _normalised(wrong_password, "coordinator") == _normalised(
        no_such_user, "nobody-by-this-name"
    )


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


_NONCE = re.compile(r'nonce="[^"]+"')


def _normalised(response, username: str) -> str:  # noqa: ANN001
    page = response.content.decode().replace(f'value="{username}"', 'value="X"')
    return _NONCE.sub("", _CSRF.sub("", page))


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, cast) -> None:
    for _attempt in range(5):
        _sign_in(client, "chair", "wrong password")
    response = _sign_in(client, "chair")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many attempts; try again in 30 minutes or ask your coordinator" in html
    assert not _signed_in(client)
    # Another account is not affected.
    assert _sign_in(client, "author").status_code == 302


@pytest.mark.django_db
def test_four_wrong_passwords_do_not_lock(client, cast) -> None:
    for _attempt in range(4):
        _sign_in(client, "chair", "wrong password")
    assert _sign_in(client, "chair").status_code == 302


@pytest.mark.django_db
def test_a_deactivated_user_cannot_sign_in(client, cast) -> None:
    user_deactivate(user=cast.panel_member, by=cast.coordinator, reason="Left the police")
    response = _sign_in(client, "panel_member")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert not _signed_in(client)


@pytest.mark.django_db
def test_deactivating_ends_a_session_already_open(client, cast) -> None:
    assert _sign_in(client, "panel_member").status_code == 302
    assert client.get(reverse("reviews:dashboard")).status_code == 200
    user_deactivate(user=cast.panel_member, by=cast.coordinator, reason="Left the police")
    response = client.get(reverse("reviews:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_sign_out_is_post_only(client, cast) -> None:
    _sign_in(client, "coordinator")
    assert client.get("/accounts/logout/").status_code == 405
    assert _signed_in(client)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not _signed_in(client)


@pytest.mark.django_db
def test_idle_timeout_signs_out(client, cast) -> None:
    client.force_login(cast.coordinator)
    session = client.session
    session["last_seen"] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/reviews/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?timeout=1")
    assert "next=%2Freviews%2F" in response["Location"]
    assert not _signed_in(client)
    page = client.get(response["Location"])
    assert "You were signed out after 30 minutes without activity" in page.content.decode()
    assert AuditEvent.objects.get(action=AuditEvent.Action.LOGOUT).summary == (
        "Signed out after a period without activity"
    )


@pytest.mark.django_db
def test_activity_within_the_limit_keeps_the_session(client, cast) -> None:
    client.force_login(cast.coordinator)
    session = client.session
    session["last_seen"] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/reviews/").status_code == 200
    assert _signed_in(client)
    assert client.session["last_seen"] >= int(time.time()) - 5


@pytest.mark.django_db
def test_idle_timeout_tells_htmx_to_load_the_sign_in_page(client, cast) -> None:
    client.force_login(cast.coordinator)
    session = client.session
    session["last_seen"] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/reviews/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(f"{LOGIN}?timeout=1")


@pytest.mark.django_db
def test_sign_in_sign_out_and_failures_are_audited(client, cast) -> None:
    _sign_in(client, "author", "wrong password")
    failed = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert failed.summary == "Failed sign-in for author"
    assert failed.channel == "web"
    assert failed.actor is None
    _sign_in(client, "author")
    signed_in = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert signed_in.actor == cast.author
    assert signed_in.source == "127.0.0.1"
    client.post("/accounts/logout/")
    assert AuditEvent.objects.get(action=AuditEvent.Action.LOGOUT).actor == cast.author
    assert "wrong password" not in str(list(AuditEvent.objects.values()))
