"""Account pages: sign in, two-factor, your account, API tokens, users, invitations, leavers.

Each view parses its form, calls one service or selector, and renders or redirects. Secrets that
are shown once (a one-time password, an API token, an invitation link, backup codes) are rendered
straight into the response to the POST, never stored for a later page, and never cached.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

from lantern.accounts import selectors, services
from lantern.accounts.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    ChangePasswordForm,
    ConfirmAppForm,
    CurrentPasswordForm,
    DeactivateForm,
    InvitationForm,
    LeaverForm,
    NewUserForm,
    SignInForm,
    VerifyForm,
    apply_service_errors,
)
from lantern.accounts.middleware import two_factor_exempt
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record

# ---------------------------------------------------------------------------------------------
# Helpers


def _safe_next(request: HttpRequest, default: str = "") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}" if next_url else reverse(url_name)


def _is_verified(user: Any) -> bool:
    # django-otp's middleware adds is_verified(); a user just signed in during this request
    # (LoginView replaces request.user) has not been through it, and has passed no check yet.
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def _two_factor_pending(request: HttpRequest) -> bool:
    return bool(settings.LANTERN_REQUIRE_2FA and not _is_verified(request.user))


def _post_int(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise Http404


# ---------------------------------------------------------------------------------------------
# Signing in and out


class LanternLoginView(auth_views.LoginView):
    """Sign in with username and password; then the two-factor check when it is required."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["timed_out"] = self.request.GET.get("timeout") == "1"
        context["idle_minutes"] = settings.SESSION_IDLE_MINUTES
        sso = getattr(settings, "LANTERN_OIDC", {}) or {}
        context["sso_enabled"] = bool(sso.get("ENABLED"))
        context["sso_name"] = sso.get("PROVIDER_NAME", "")
        context["sso_failed"] = self.request.GET.get("sso") == "failed"
        return context

    def get_success_url(self) -> str:
        next_url = self.get_redirect_url() or reverse(settings.LOGIN_REDIRECT_URL)
        if _two_factor_pending(self.request):
            target = (
                "accounts:verify"
                if selectors.has_confirmed_device(user=self.request.user)
                else "accounts:two_factor_setup"
            )
            return _with_next(target, next_url)
        return next_url


login_view = two_factor_exempt(LanternLoginView.as_view())
logout_view = two_factor_exempt(auth_views.LogoutView.as_view())


# ---------------------------------------------------------------------------------------------
# Two-factor authentication


def _qr_svg(config_url: str) -> str:
    """The otpauth:// link as an inline SVG QR code, made here (no third-party service)."""
    svg = segno.make(config_url, error="m").svg_inline(
        scale=4, light="#fff", title=_("QR code to scan with your authenticator app")
    )
    # role="img" makes screen readers announce the <title> as the image's name.
    return mark_safe(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1))  # noqa: S308


def _grouped_secret(device: Any) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@two_factor_exempt
@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if selectors.has_confirmed_device(user=request.user):
        if not _is_verified(request.user):
            return redirect(_with_next("accounts:verify", next_url))
        return render(request, "accounts/two_factor_set_up.html", {"next_url": next_url})
    device = services.two_factor_device_pending(user=request.user)
    form = ConfirmAppForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_confirm(
                user=request.user, device=device, token=form.cleaned_data["code"]
            )
        except ValidationError as error:
            apply_service_errors(form, error, default_field="code")
        else:
            otp_login(request, device)
            return render(
                request, "accounts/backup_codes.html", {"codes": codes, "next_url": next_url}
            )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": _grouped_secret(device),
            "next_url": next_url,
            "required": settings.LANTERN_REQUIRE_2FA,
        },
    )


@two_factor_exempt
@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if not selectors.has_confirmed_device(user=request.user):
        return redirect(_with_next("accounts:two_factor_setup", next_url))
    if _is_verified(request.user):
        return HttpResponseRedirect(next_url)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=request.user, token=form.cleaned_data["code"])
        except ValidationError as error:
            apply_service_errors(form, error, default_field="code")
        else:
            otp_login(request, device)
            return HttpResponseRedirect(next_url)
    return render(request, "accounts/verify.html", {"form": form, "next_url": next_url})


# ---------------------------------------------------------------------------------------------
# Your account


@sensitive_post_parameters()
@never_cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    reset_form = CurrentPasswordForm(user=user, prefix="reset")
    password_form = ChangePasswordForm(user, prefix="password")
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "reset_two_factor":
        reset_form = CurrentPasswordForm(request.POST, user=user, prefix="reset")
        if reset_form.is_valid():
            services.two_factor_reset(user=user, by=user)
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            messages.success(
                request, _("Two-factor authentication has been reset. Set it up again now.")
            )
            return redirect("accounts:two_factor_setup")
    elif action == "change_password":
        password_form = ChangePasswordForm(user, request.POST, prefix="password")
        if password_form.is_valid():
            try:
                services.user_password_change(
                    user=user, by=user, password=password_form.cleaned_data["new_password1"]
                )
            except ValidationError as error:
                apply_service_errors(password_form, error, default_field="new_password1")
            else:
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password has been changed."))
                return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "two_factor": selectors.two_factor_status(user=user),
            "reset_form": reset_form,
            "password_form": password_form,
            "can_manage_users": selectors.can_manage_users(user),
            "active_tokens": selectors.api_tokens_of(user=user)
            .filter(revoked_at__isnull=True)
            .count(),
        },
    )


@never_cache
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ApiTokenForm()
    new_key = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "create":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            _token, new_key = services.api_token_create(
                user=user,
                by=user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
            form = ApiTokenForm()
    elif action == "revoke":
        token = selectors.api_token_get_for_owner(user=user, pk=_post_int(request, "token"))
        services.api_token_revoke(token=token, by=user)
        messages.success(
            request, _("The token %(prefix)s… has been revoked.") % {"prefix": token.prefix}
        )
        return redirect("accounts:api_tokens")
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": selectors.api_tokens_of(user=user), "new_key": new_key},
    )


# ---------------------------------------------------------------------------------------------
# Users (coordinators of a CSP and system administrators)


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.user_rows(viewer=request.user)
    return render(request, "accounts/user_list.html", {"rows": rows})


@never_cache
@login_required
def user_new(request: HttpRequest) -> HttpResponse:
    partnerships = selectors.csp_choices_for(viewer=request.user)
    form = NewUserForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, one_time_password = services.user_create(
                by=request.user,
                username=data["username"],
                org_role=data["org_role"],
                organisation=data["organisation"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                job_title=data["job_title"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return render(
                request,
                "accounts/user_created.html",
                {"new_user": user, "one_time_password": one_time_password},
            )
    return render(request, "accounts/user_new.html", {"form": form})


@never_cache
@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    person = selectors.user_get_for_manager(viewer=viewer, pk=pk)
    deactivate_form = DeactivateForm()
    if request.method == "POST":
        person = selectors.user_get_for_manager(viewer=viewer, pk=pk, write=True)
        action = request.POST.get("action")
        if action == "deactivate":
            deactivate_form = DeactivateForm(request.POST)
            if deactivate_form.is_valid():
                services.user_deactivate(
                    user=person, by=viewer, reason=deactivate_form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _("%(name)s’s account has been deactivated.") % {"name": person.display_name},
                )
                return redirect("accounts:user_detail", pk=person.pk)
        elif action == "reactivate":
            services.user_reactivate(user=person, by=viewer)
            messages.success(
                request,
                _("%(name)s’s account has been reactivated.") % {"name": person.display_name},
            )
            return redirect("accounts:user_detail", pk=person.pk)
        elif action == "reset_two_factor":
            services.two_factor_reset(user=person, by=viewer)
            messages.success(
                request,
                _("%(name)s will set up two-factor authentication again when they next sign in.")
                % {"name": person.display_name},
            )
            return redirect("accounts:user_detail", pk=person.pk)
        elif action == "unlock":
            services.user_sign_in_unlock(user=person, by=viewer)
            messages.success(
                request, _("%(name)s can sign in again.") % {"name": person.display_name}
            )
            return redirect("accounts:user_detail", pk=person.pk)
        else:
            raise Http404
    audit_record(
        action=AuditEvent.Action.READ, by=viewer, obj=person, summary="Viewed account details"
    )
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "reviews": selectors.user_reviews(user=person, viewer=viewer),
            "two_factor": selectors.two_factor_status(user=person),
            "locked": selectors.sign_in_locked(user=person),
            "may_change": selectors.manager_may_change(viewer=viewer, user=person),
            "deactivate_form": deactivate_form,
        },
    )


@never_cache
@login_required
def leaver(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.user
    person = selectors.user_get_for_manager(viewer=viewer, pk=pk, write=True)
    if not selectors.manager_may_change(viewer=viewer, user=person):
        raise PermissionDenied
    candidates = selectors.handover_candidates(viewer=viewer, leaver=person)
    form = LeaverForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        handover_to = form.cleaned_data["handover_to"]
        try:
            result = services.user_leaver(
                user=person,
                by=viewer,
                reason=form.cleaned_data["reason"],
                handover_to=handover_to,
            )
        except ValidationError as error:
            apply_service_errors(form, error, default_field="handover_to")
        except (Http404, PermissionDenied):
            form.add_error(
                None,
                _(
                    "%(name)s holds roles on reviews you do not manage, so the leaver process "
                    "cannot end them all. Ask the coordinator of those reviews, or a system "
                    "administrator at the server's console, to run it."
                )
                % {"name": person.display_name},
            )
        else:
            return render(
                request,
                "accounts/leaver_done.html",
                {"person": person, "result": result, "handover_to": handover_to},
            )
    return render(
        request,
        "accounts/leaver.html",
        {
            "person": person,
            "form": form,
            "reviews": selectors.user_reviews(user=person, viewer=viewer),
        },
    )


# ---------------------------------------------------------------------------------------------
# Invitations


def _invitation_rows(viewer: Any) -> list[dict[str, Any]]:
    invitations = selectors.invitations_visible_to(viewer=viewer)[:200]
    return [{"invitation": i, "status": selectors.invitation_status(i)} for i in invitations]


@never_cache
@login_required
def invite(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    selectors.ensure_can_manage_users(viewer)
    review = None
    reference = request.GET.get("review", "").strip()
    if reference:
        from lantern.reviews.access import Cap, review_get_for_user

        review = review_get_for_user(
            user=viewer, reference=reference, need=Cap.MANAGE_MEMBERS, what="invitation"
        )
    form = InvitationForm(request.POST or None, review=review)
    sent = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, link, emailed = services.invitation_issue(
                by=viewer,
                email=data["email"],
                link_for=lambda raw: request.build_absolute_uri(
                    reverse("accounts:accept_invitation", args=[raw])
                ),
                organisation=data["organisation"],
                new_organisation_name=data["new_organisation_name"],
                new_organisation_type=data["new_organisation_type"],
                review=review,
                review_role=data.get("review_role", ""),
                agency=data.get("agency"),
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            sent = {"invitation": invitation, "link": link, "emailed": emailed}
            form = InvitationForm(review=review)
    return render(
        request,
        "accounts/invite.html",
        {
            "form": form,
            "review": review,
            "sent": sent,
            "rows": _invitation_rows(viewer),
            "invitation_days": settings.LANTERN["INVITATION_DAYS"],
        },
    )


@require_POST
@login_required
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get_for_manager(viewer=request.user, pk=pk)
    services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(
        request,
        _("The invitation to %(email)s has been revoked; its link no longer works.")
        % {"email": invitation.email},
    )
    reference = request.POST.get("review", "").strip()
    if reference:
        return redirect(f"{reverse('accounts:invite')}?{urlencode({'review': reference})}")
    return redirect("accounts:invite")


@two_factor_exempt
@sensitive_post_parameters()
@never_cache
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    if request.user.is_authenticated:
        return render(request, "accounts/invitation_signed_in.html")
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                raw_token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            apply_service_errors(form, error, default_field="password1")
        except (Http404, PermissionDenied):
            # The inviter can no longer add people to the review (they left, or lost the role):
            # nothing was created, and the invitation needs sending again by someone who can.
            return render(request, "accounts/invitation_invalid.html", status=410)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if settings.LANTERN_REQUIRE_2FA:
                return redirect("accounts:two_factor_setup")
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation}
    )
