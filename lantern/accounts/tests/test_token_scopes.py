"""API token scopes: `read` tokens may only read; `write` (the default, with read) may do
whatever their owner may. Chosen on the API tokens page and with `lantern user token --scope`."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from lantern.accounts.models import ApiToken, User
from lantern.accounts.services import api_token_create, api_token_scopes
from lantern.reviews.models import LiaisonEntry

pytestmark = pytest.mark.django_db

TOKENS = "/accounts/api-tokens/"


def _bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _liaison(client: Client, cast: Any, raw: str) -> Any:
    return client.post(
        f"/api/reviews/{cast.review.reference}/liaison",
        {"date": "2024-11-02", "with_whom": "coroner", "summary": "Inquest date set."},
        content_type="application/json",
        **_bearer(raw),
    )


@pytest.mark.parametrize(
    ("asked", "stored"),
    [
        (None, "read write"),
        ("read", "read"),
        (["read"], "read"),
        ("write", "read write"),
        ("write,read", "read write"),
        (["READ", "write"], "read write"),
    ],
)
def test_scopes_are_stored_in_one_form(asked: Any, stored: str) -> None:
    assert api_token_scopes(asked) == stored


@pytest.mark.parametrize("asked", ["admin", "read delete", "", []])
def test_an_unknown_or_empty_scope_is_refused(asked: Any) -> None:
    with pytest.raises(ValidationError) as error:
        api_token_scopes(asked)
    assert "scopes" in error.value.message_dict


def test_a_read_token_reads_and_is_refused_every_change(client: Client, cast: Any) -> None:
    _token, raw = api_token_create(
        user=cast.coordinator, by=cast.coordinator, name="r", scopes="read"
    )
    assert client.get("/api/me", **_bearer(raw)).status_code == 200
    assert client.get(f"/api/reviews/{cast.review.reference}", **_bearer(raw)).status_code == 200
    refused = _liaison(client, cast, raw)
    assert refused.status_code == 403
    assert "read-only" in refused.json()["detail"]
    assert not LiaisonEntry.objects.exists()
    deactivate = client.post(
        f"/api/users/{cast.author.username}/deactivate",
        {"reason": "Left"},
        content_type="application/json",
        **_bearer(raw),
    )
    assert deactivate.status_code == 403
    cast.author.refresh_from_db()
    assert cast.author.is_active


def test_a_write_token_changes_what_its_owner_may(client: Client, cast: Any) -> None:
    _token, raw = api_token_create(user=cast.coordinator, by=cast.coordinator, name="w")
    created = _liaison(client, cast, raw)
    assert created.status_code == 201, created.content
    assert LiaisonEntry.objects.count() == 1


def test_scope_never_widens_access(client: Client, cast: Any) -> None:
    """A non-member still gets 404 (not 403) with a read token: the case is not revealed; a
    member without the capability still gets 403 with a write token."""
    _t, outsider = api_token_create(user=cast.outsider, by=cast.outsider, name="r", scopes="read")
    assert _liaison(client, cast, outsider).status_code == 404
    _t, board = api_token_create(user=cast.board_member, by=cast.board_member, name="w")
    assert _liaison(client, cast, board).status_code == 403
    assert not LiaisonEntry.objects.exists()


def test_a_token_made_before_scopes_may_still_write(client: Client, cast: Any) -> None:
    raw, prefix, key_hash = ApiToken.new_key()
    ApiToken.objects.create(user=cast.coordinator, name="old", prefix=prefix, key_hash=key_hash)
    assert _liaison(client, cast, raw).status_code == 201


def test_cli_creates_a_read_only_token(client: Client, cast: Any, capsys: Any) -> None:
    call_command("user", "token", "coordinator", "--scope", "read", "--name", "report", "--json")
    made = json.loads(capsys.readouterr().out)
    assert made["scopes"] == ["read"] and made["name"] == "report"
    assert ApiToken.objects.get(prefix=made["prefix"]).scopes == "read"
    assert client.get("/api/me", **_bearer(made["key"])).status_code == 200
    assert _liaison(client, cast, made["key"]).status_code == 403


def test_cli_default_is_read_write_and_a_bad_scope_fails(cast: Any, capsys: Any) -> None:
    call_command("user", "token", "coordinator")
    raw = capsys.readouterr().out.strip()
    assert ApiToken.objects.get(key_hash=ApiToken.hash(raw)).scopes == "read write"
    with pytest.raises(CommandError):
        call_command("user", "token", "coordinator", "--scope", "everything")
    assert "No scope everything" in capsys.readouterr().err
    assert ApiToken.objects.count() == 1


def test_the_tokens_page_offers_read_only(client: Client, cast: Any) -> None:
    client.force_login(cast.chair)
    page = client.get(TOKENS).content.decode()
    assert 'name="scopes"' in page and "Read only" in page
    response = client.post(TOKENS, {"action": "create", "name": "Dashboard", "scopes": "read"})
    raw = re.search(r'id="new-token" type="text" value="([^"]+)"', response.content.decode())[1]
    token = ApiToken.objects.get(user=cast.chair)
    assert token.scopes == "read" and token.key_hash == ApiToken.hash(raw)
    listed = client.get(TOKENS).content.decode()
    assert re.search(r"<td[^>]*>Read only</td>", listed)
    refused = client.post(TOKENS, {"action": "create", "name": "x", "scopes": "admin"})
    assert "Select a valid choice" in refused.content.decode()
    assert ApiToken.objects.filter(user=cast.chair).count() == 1


def test_the_user_keeps_their_own_access_whatever_the_token(cast: Any) -> None:
    token, _raw = api_token_create(user=cast.chair, by=cast.chair, name="r", scopes="read")
    assert token.allows("GET") and token.allows("HEAD")
    assert not any(token.allows(m) for m in ("POST", "PUT", "PATCH", "DELETE"))
    assert isinstance(token.user, User)
