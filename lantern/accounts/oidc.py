"""Sign-in with the council's identity provider over OpenID Connect (Microsoft Entra ID, or any
OpenID provider), beside local accounts with TOTP.

The code flow, state, nonce and PKCE are mozilla-django-oidc's; Lantern decides who the person is
and what they may do:

- A person is found by the provider's subject (`iss` + `sub`) once linked; the first time, by
  email address, and only an active account whose organisation is the one the provider's tenant
  maps to (`Organisation.sso_tenant`, matched against the `tid` claim or
  `LANTERN_OIDC["TENANT_CLAIM"]`). An unknown person is refused unless
  `LANTERN_OIDC["CREATE_USERS"]` is on and the tenant maps to an organisation.
- Organisation roles come from the provider's app roles or groups (`roles`/`groups` claims)
  through `LANTERN_OIDC["ROLE_MAP"]` when it is set; review roles stay in Lantern.
- The ID token's issuer, audience and expiry are checked, as well as the signature and nonce.
- The provider's own multi-factor sign-in stands in for Lantern's TOTP when the ID token's `amr`
  claim says it happened ("mfa"); otherwise the person is asked for Lantern's TOTP as usual
  (`LANTERN_OIDC["TRUST_PROVIDER_MFA"]`).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import requests
from django.conf import settings
from django.contrib import auth
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from lantern.accounts.middleware import two_factor_exempt
from lantern.accounts.models import Organisation, OrgRole, User

LOGGER = logging.getLogger(__name__)

SSO_MFA_SESSION_KEY = "lantern_sso_mfa"
CLAIMS_SESSION_KEY = "lantern_sso_claims"


def oidc_settings() -> dict[str, Any]:
    return dict(getattr(settings, "LANTERN_OIDC", None) or {})


def oidc_enabled() -> bool:
    return bool(oidc_settings().get("ENABLED"))


def session_passed_provider_mfa(request: HttpRequest) -> bool:
    return bool(getattr(request, "session", None) and request.session.get(SSO_MFA_SESSION_KEY))


class LanternOIDCBackend(OIDCAuthenticationBackend):
    """Maps an OpenID Connect sign-in to a Lantern account (see the module docstring)."""

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        config = oidc_settings()
        issuer = config.get("ISSUER")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation(f"ID token from issuer {payload.get('iss')!r}")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if "nonce" in kwargs and self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        expires = payload.get("exp")
        if "nonce" in kwargs and (not isinstance(expires, int | float) or expires < time.time()):
            raise SuspiciousOperation("ID token expired")
        if "nonce" in kwargs:
            self._id_claims = payload
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict) -> dict[str, Any]:
        claims = dict(payload)
        claims.update(super().get_userinfo(access_token, id_token, payload))
        # The subject must be the same person in both.
        if payload.get("sub") and claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject")
        claims["iss"] = payload.get("iss")
        claims["amr"] = payload.get("amr", [])
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub") and claims.get("iss"))

    @staticmethod
    def subject(claims: dict[str, Any]) -> str:
        return f"{claims['iss']}|{claims['sub']}"

    def _organisation(self, claims: dict[str, Any]) -> Organisation | None:
        tenant = claims.get(oidc_settings().get("TENANT_CLAIM", "tid"))
        if not tenant:
            return None
        return Organisation.objects.filter(sso_tenant=str(tenant)).first()

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        linked = User.objects.filter(oidc_subject=self.subject(claims), is_system=False)
        if linked.exists():
            return linked
        email = (claims.get("email") or claims.get("preferred_username") or "").strip()
        organisation = self._organisation(claims)
        if not email or organisation is None:
            return User.objects.none()
        return User.objects.filter(
            email__iexact=email,
            organisation=organisation,
            oidc_subject__isnull=True,
            is_system=False,
        )

    def _role(self, claims: dict[str, Any]) -> str | None:
        role_map: dict[str, str] = oidc_settings().get("ROLE_MAP") or {}
        if not role_map:
            return None
        values = list(claims.get("roles") or []) + list(claims.get("groups") or [])
        for preferred in (OrgRole.ADMIN, OrgRole.COORDINATOR, OrgRole.BOARD_MEMBER):
            if any(role_map.get(v) == preferred for v in values):
                return preferred
        return ""

    def create_user(self, claims: dict[str, Any]) -> User | None:
        if not oidc_settings().get("CREATE_USERS"):
            LOGGER.info("OIDC sign-in refused: no Lantern account for %s", claims.get("email"))
            return None
        organisation = self._organisation(claims)
        if organisation is None:
            return None
        email = claims.get("email") or claims.get("preferred_username") or ""
        base = (email.split("@")[0] or claims["sub"])[:100]
        username, n = base, 1
        while User.objects.filter(username=username).exists():
            n += 1
            username = f"{base}{n}"
        user = User.objects.create_user(
            username=username,
            email=email,
            first_name=claims.get("given_name", ""),
            last_name=claims.get("family_name", ""),
            organisation=organisation,
            org_role=self._role(claims) or "",
        )
        user.set_unusable_password()
        user.oidc_subject = self.subject(claims)
        user.save(update_fields=["password", "oidc_subject"])
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        if not user.is_active:
            return user  # the callback refuses inactive accounts
        changed = []
        subject = self.subject(claims)
        if user.oidc_subject != subject:
            user.oidc_subject = subject
            changed.append("oidc_subject")
        role = self._role(claims)
        if role is not None and role != user.org_role:
            user.org_role = role
            changed.append("org_role")
        for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
            value = claims.get(claim)
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
        return user

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> Any:
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None and getattr(self, "request", None) is not None:
            amr = payload.get("amr") or []
            self.request.lantern_sso_mfa = "mfa" in amr
        return user


@two_factor_exempt
def oidc_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the identity provider."""
    return OIDCAuthenticationRequestView.as_view()(request)


class _Callback(OIDCAuthenticationCallbackView):
    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException) as error:
            # A token from the wrong issuer or for another client, a replayed state, or the
            # provider unreachable: refused, and recorded.
            LOGGER.warning("Single sign-on refused: %s", error)
            from lantern.core.models import AuditEvent
            from lantern.core.services import audit_record

            audit_record(
                action=AuditEvent.Action.LOGIN_FAILED,
                by=None,
                object_type="single sign-on",
                summary=f"Single sign-on refused: {str(error)[:200]}",
            )
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        if getattr(self.request, "user", None) is not None and self.request.user.is_authenticated:
            auth.logout(self.request)
        return super().login_failure()

    def login_success(self) -> HttpResponse:
        mfa = bool(getattr(self.request, "lantern_sso_mfa", False))
        response = super().login_success()
        trust = oidc_settings().get("TRUST_PROVIDER_MFA", True)
        self.request.session[SSO_MFA_SESSION_KEY] = bool(trust and mfa)
        return response


@two_factor_exempt
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with a code; sign the person in or refuse."""
    return _Callback.as_view()(request)
