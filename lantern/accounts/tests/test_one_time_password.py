"""A generated one-time password must be changed before the service can be used."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from lantern.accounts.models import User

pytestmark = pytest.mark.django_db


def _add(capsys, *args: str) -> str:
    call_command("user", "add", *args)
    out = capsys.readouterr().out
    return out.split("One-time password: ")[1].strip()


def test_generated_password_forces_a_change(client, capsys, cast) -> None:
    password = _add(capsys, "newcoord", "--role", "coordinator", "--organisation", cast.csp.name)
    user = User.objects.get(username="newcoord")
    assert user.must_change_password
    client.post("/accounts/login/", {"username": "newcoord", "password": password})
    response = client.get("/reviews/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/profile/")
    response = client.post(
        "/accounts/profile/",
        {
            "action": "change_password",
            "password-old_password": password,
            "password-new_password1": "a much longer new passphrase",
            "password-new_password2": "a much longer new passphrase",
        },
    )
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/reviews/").status_code == 200


def test_chosen_password_from_stdin_needs_no_change(monkeypatch, cast) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("a chosen long passphrase\n"))
    call_command(
        "user",
        "add",
        "chosen",
        "--role",
        "board_member",
        "--organisation",
        cast.csp.name,
        "--password-stdin",
    )
    user = User.objects.get(username="chosen")
    assert not user.must_change_password
    assert user.check_password("a chosen long passphrase")
