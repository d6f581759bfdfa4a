"""Single sign-on against a real OpenID provider (django-oauth-toolkit) started on loopback in
its own process: the browser's part is played by Django's test client (for Lantern) and a
requests session (for the provider); Lantern's backend talks to the provider over HTTP."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.test import Client

from lantern.accounts.models import Organisation, OrgRole, User
from lantern.accounts.oidc import SSO_MFA_SESSION_KEY
from lantern.core.models import AuditEvent

pytestmark = pytest.mark.django_db

CLIENT_ID = "lantern-test-client"
CLIENT_SECRET = "lantern-test-client-secret-0123456789"  # noqa: S105
TENANT = "0f1e2d3c-tenant-northbridge"
PEOPLE = {
    "jo.coordinator": {
        "password": "provider-password-1",
        "email": "Jo.Coordinator@northbridge.example",
        "given_name": "Jo",
        "family_name": "Coordinator",
        "tid": TENANT,
        "roles": ["Lantern.Coordinator"],
        "amr": ["pwd", "mfa"],
    },
    "sam.nomfa": {
        "password": "provider-password-2",
        "email": "sam@northbridge.example",
        "tid": TENANT,
        "amr": ["pwd"],
    },
    "stranger": {
        "password": "provider-password-3",
        "email": "stranger@elsewhere.example",
        "tid": "another-tenant",
        "amr": ["pwd", "mfa"],
    },
    "new.starter": {
        "password": "provider-password-4",
        "email": "new.starter@northbridge.example",
        "given_name": "New",
        "family_name": "Starter",
        "tid": TENANT,
        "roles": ["Lantern.Board"],
        "amr": ["pwd", "mfa"],
    },
}
CALLBACK = "http://testserver/accounts/sso/callback/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "PROVIDER_DB": str(tmp_path_factory.mktemp("idp") / "idp.sqlite3"),
        "PROVIDER_USERS": json.dumps(PEOPLE),
        "PROVIDER_CLIENT_ID": CLIENT_ID,
        "PROVIDER_CLIENT_SECRET": CLIENT_SECRET,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    root = Path(__file__).resolve().parents[3]
    process = subprocess.Popen(
        [sys.executable, "-m", "lantern.accounts.tests.oidc_provider.serve", str(port), CALLBACK],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError("the test provider stopped: " + process.stderr.read()[-2000:])
            try:
                if requests.get(f"{base}/o/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the test provider did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso(settings: Any, provider: str) -> dict[str, Any]:
    discovery = requests.get(f"{provider}/o/.well-known/openid-configuration", timeout=5).json()
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "lantern.accounts.oidc.LanternOIDCBackend",
    ]
    settings.LANTERN_REQUIRE_2FA = True
    settings.LANTERN_OIDC = {
        "ENABLED": True,
        "ISSUER": discovery["issuer"],
        "TENANT_CLAIM": "tid",
        "CREATE_USERS": False,
        "TRUST_PROVIDER_MFA": True,
        "ROLE_MAP": {"Lantern.Coordinator": "coordinator", "Lantern.Board": "board_member"},
        "PROVIDER_NAME": "Northbridge Council",
    }
    council = Organisation.objects.create(name="Northbridge Council", type="csp", sso_tenant=TENANT)
    return {"provider": provider, "discovery": discovery, "council": council}


def sign_in(client: Client, provider: str, username: str, next_url: str = "/reviews/") -> Any:
    """The whole code flow; returns Lantern's response to the callback."""
    start = client.get("/accounts/sso/start/", {"next": next_url})
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(f"{provider}/o/authorize/")
    params = parse_qs(urlparse(authorize).query)
    assert params["code_challenge_method"] == ["S256"] and params["nonce"]
    browser = requests.Session()
    login_page = browser.get(f"{provider}/login/", params={"next": authorize}, timeout=5)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    signed = browser.post(
        f"{provider}/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": PEOPLE[username]["password"],
            "next": authorize,
        },
        headers={"Referer": f"{provider}/login/"},
        allow_redirects=False,
        timeout=5,
    )
    assert signed.status_code == 302, signed.text[:500]
    back = browser.get(
        requests.compat.urljoin(provider, signed.headers["Location"]),
        allow_redirects=False,
        timeout=5,
    )
    assert back.status_code == 302, back.text[:500]
    callback = back.headers["Location"]
    assert callback.startswith(CALLBACK), callback
    return client.get(callback.replace("http://testserver", ""))


def test_a_linked_person_signs_in_and_the_providers_mfa_stands_in_for_totp(
    sso: dict[str, Any],
) -> None:
    jo = User.objects.create_user(
        username="jo",
        email="jo.coordinator@northbridge.example",
        organisation=sso["council"],
    )
    client = Client()
    response = sign_in(client, sso["provider"], "jo.coordinator")
    assert response.status_code == 302 and response["Location"] == "/reviews/"
    jo.refresh_from_db()
    assert jo.oidc_subject.startswith(sso["discovery"]["issuer"] + "|")
    assert jo.org_role == OrgRole.COORDINATOR  # from the provider's app role
    assert client.session[SSO_MFA_SESSION_KEY] is True
    page = client.get("/reviews/")
    assert page.status_code == 200  # no TOTP asked: the provider did multi-factor
    assert AuditEvent.objects.filter(actor=jo, action=AuditEvent.Action.LOGIN).exists()
    # Next time the link by subject is used, even if the email changed at the provider.
    jo.email = "changed@northbridge.example"
    jo.save()
    again = Client()
    assert sign_in(again, sso["provider"], "jo.coordinator").status_code == 302
    assert int(again.session["_auth_user_id"]) == jo.pk


def test_without_provider_mfa_lantern_asks_for_its_own_totp(sso: dict[str, Any]) -> None:
    User.objects.create_user(
        username="sam", email="sam@northbridge.example", organisation=sso["council"]
    )
    client = Client()
    sign_in(client, sso["provider"], "sam.nomfa")
    assert client.session.get("_auth_user_id")
    assert client.session[SSO_MFA_SESSION_KEY] is False
    page = client.get("/reviews/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/two-factor/")


def test_someone_without_an_account_or_from_another_tenant_is_refused(
    sso: dict[str, Any],
) -> None:
    # The same email address, but in an organisation the provider's tenant does not map to.
    other = Organisation.objects.create(name="Elsewhere", type="csp")
    User.objects.create_user(
        username="stranger", email="stranger@elsewhere.example", organisation=other
    )
    client = Client()
    response = sign_in(client, sso["provider"], "stranger")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?sso=failed"
    assert "_auth_user_id" not in client.session
    assert "Signing in with your organisation" in client.get(response["Location"]).content.decode()


def test_a_deactivated_account_cannot_sign_in(sso: dict[str, Any]) -> None:
    User.objects.create_user(
        username="jo",
        email="jo.coordinator@northbridge.example",
        organisation=sso["council"],
        is_active=False,
    )
    client = Client()
    response = sign_in(client, sso["provider"], "jo.coordinator")
    assert response["Location"] == "/accounts/login/?sso=failed"
    assert "_auth_user_id" not in client.session


def test_accounts_are_created_only_when_configured(sso: dict[str, Any], settings: Any) -> None:
    client = Client()
    refused = sign_in(client, sso["provider"], "new.starter")
    assert refused["Location"] == "/accounts/login/?sso=failed"
    assert not User.objects.filter(email="new.starter@northbridge.example").exists()
    settings.LANTERN_OIDC = {**settings.LANTERN_OIDC, "CREATE_USERS": True}
    client = Client()
    sign_in(client, sso["provider"], "new.starter")
    made = User.objects.get(email="new.starter@northbridge.example")
    assert made.organisation == sso["council"] and made.org_role == OrgRole.BOARD_MEMBER
    assert not made.has_usable_password() and made.first_name == "New"


def test_a_token_for_another_issuer_is_refused(sso: dict[str, Any], settings: Any) -> None:
    User.objects.create_user(
        username="jo", email="jo.coordinator@northbridge.example", organisation=sso["council"]
    )
    settings.LANTERN_OIDC = {**settings.LANTERN_OIDC, "ISSUER": "https://login.example/other"}
    client = Client()
    response = sign_in(client, sso["provider"], "jo.coordinator")
    assert response["Location"] == "/accounts/login/?sso=failed"


def test_the_sign_in_page_offers_single_sign_on_only_when_configured(
    settings: Any, sso: dict[str, Any]
) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert "Sign in with Northbridge Council" in page
    settings.LANTERN_OIDC = {"ENABLED": False}
    assert "Sign in with" not in Client().get("/accounts/login/").content.decode()


def test_discover_prints_the_endpoint_settings(provider: str, capsys: Any) -> None:
    from django.core.management import call_command

    call_command("sso", "discover", f"{provider}/o", "--json")
    values = json.loads(capsys.readouterr().out)
    assert values["LANTERN_OIDC_ISSUER"] == f"{provider}/o"
    assert values["LANTERN_OIDC_JWKS_ENDPOINT"].startswith(provider)
