"""Writes about users: creating, inviting, deactivating, and the leaver process."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts import backup_codes
from lantern.accounts.models import (
    ApiToken,
    BackupCodeDevice,
    Invitation,
    Organisation,
    OrgRole,
    ReviewRole,
    User,
)
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def _can_manage_users(by: Any) -> bool:
    return bool(
        getattr(by, "is_system", False)
        or getattr(by, "is_lantern_admin", False)
        or getattr(by, "is_coordinator", False)
    )


@transaction.atomic
def user_create(
    *,
    by: Any,
    username: str,
    org_role: str = "",
    organisation: Organisation | None = None,
    email: str = "",
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
) -> tuple[User, str | None]:
    """Create an account. Returns the user and the generated one-time password, if any."""
    if not _can_manage_users(by):
        raise PermissionDenied
    if org_role not in OrgRole.values:
        raise ValidationError(
            {
                "role": _("“%(role)s” is not an organisation role. Use one of: %(roles)s.")
                % {"role": org_role, "roles": ", ".join(v for v in OrgRole.values if v)}
            }
        )
    if org_role in (OrgRole.COORDINATOR, OrgRole.BOARD_MEMBER) and (
        organisation is None or not organisation.is_csp
    ):
        raise ValidationError(
            {
                "organisation": _(
                    "A %(role)s belongs to a Community Safety Partnership: "
                    "give --organisation with the CSP's name."
                )
                % {"role": org_role}
            }
        )
    # A coordinator creates accounts for their own partnership only: an admin account, or a
    # coordinator or board member of another CSP, would see reviews they must not.
    if getattr(by, "is_coordinator", False) and not getattr(by, "is_lantern_admin", False):
        if org_role == OrgRole.ADMIN:
            raise PermissionDenied
        if org_role in (OrgRole.COORDINATOR, OrgRole.BOARD_MEMBER) and (
            organisation != by.organisation
        ):
            raise PermissionDenied
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username “%s” is taken.") % username})
    generated = None
    if password is None:
        password = generated = generate_password()
    user = User(
        username=username,
        email=email,
        org_role=org_role,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
    )
    from django.contrib.auth.password_validation import validate_password

    if generated is None:
        validate_password(password, user)
    user.set_password(password)
    user.must_change_password = generated is not None
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        action=AuditEvent.Action.CREATE,
        by=by,
        obj=user,
        summary=f"Created user {username}",
        data={"org_role": org_role},
    )
    return user, generated


@transaction.atomic
def user_deactivate(*, user: User, by: Any, reason: str) -> User:
    if not _can_manage_users(by) and by != user:
        raise PermissionDenied
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.deactivated_reason = reason[:300]
    user.save(update_fields=["is_active", "deactivated_at", "deactivated_reason"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(
        action=AuditEvent.Action.UPDATE,
        by=by,
        obj=user,
        summary=f"Deactivated {user.username}: {reason}",
    )
    return user


@transaction.atomic
def user_reactivate(*, user: User, by: Any) -> User:
    if not _can_manage_users(by):
        raise PermissionDenied
    user.is_active = True
    user.deactivated_at = None
    user.deactivated_reason = ""
    user.save(update_fields=["is_active", "deactivated_at", "deactivated_reason"])
    audit_record(
        action=AuditEvent.Action.UPDATE, by=by, obj=user, summary=f"Reactivated {user.username}"
    )
    return user


@transaction.atomic
def user_leaver(
    *, user: User, by: Any, reason: str = "Left the organisation", handover_to: User | None = None
) -> dict:
    """The leaver process: end every review role (handing it over if asked), deactivate.

    Returns what was done so the page and CLI can show it.
    """
    from lantern.reviews.models import Membership
    from lantern.reviews.services import member_add, member_end

    if not _can_manage_users(by):
        raise PermissionDenied
    from django.http import Http404

    handed_over, ended, not_ended = [], [], []
    for membership in Membership.objects.filter(user=user, ended_at__isnull=True).select_related(
        "review"
    ):
        try:
            if handover_to is not None:
                member_add(
                    review=membership.review,
                    by=by,
                    user=handover_to,
                    role=membership.role,
                    agency=membership.agency,
                    leaver=True,
                )
                handed_over.append(membership.review.reference)
            member_end(membership=membership, by=by, leaver=True)
            ended.append(membership.review.reference)
        except (PermissionDenied, Http404):
            # A review of another partnership: its own coordinator must end the role. The
            # account is still deactivated below, which already shuts the person out.
            not_ended.append(membership.review_id)
    user_deactivate(user=user, by=by, reason=reason)
    return {"ended": ended, "handed_over": handed_over, "not_ended": len(not_ended)}


def users_deactivate_after_review_closed(*, review: Any, by: Any) -> list[str]:
    """Accounts from other organisations whose last open review has closed are deactivated.

    Staff of the CSP itself (coordinators, board members) keep their accounts.
    """
    from lantern.reviews.models import Membership, Stage

    done = []
    for membership in Membership.objects.filter(
        review=review, ended_at__isnull=True
    ).select_related("user"):
        user = membership.user
        if user.org_role in (OrgRole.COORDINATOR, OrgRole.BOARD_MEMBER, OrgRole.ADMIN):
            continue
        still_open = (
            Membership.objects.filter(user=user, ended_at__isnull=True)
            .exclude(review__stage=Stage.CLOSED)
            .exists()
        )
        if not still_open and user.is_active:
            user_deactivate(user=user, by=by, reason=f"Last review {review.reference} closed")
            done.append(user.username)
    return done


@transaction.atomic
def invitation_create(
    *,
    by: Any,
    email: str,
    organisation: Organisation,
    review: Any = None,
    review_role: str = "",
    agency: Organisation | None = None,
    first_name: str = "",
    last_name: str = "",
) -> tuple[Invitation, str]:
    """Create an invitation; returns it with the raw token (only ever shown in the link)."""
    if not _can_manage_users(by):
        raise PermissionDenied
    if review is not None:
        from lantern.reviews.access import Cap, ensure_can

        ensure_can(user=by, review=review, need=Cap.MANAGE_MEMBERS)
        if review_role not in ReviewRole.values:
            raise ValidationError({"review_role": _("Choose the role on the review.")})
    raw, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        email=email,
        organisation=organisation,
        review=review,
        review_role=review_role,
        agency=agency,
        first_name=first_name,
        last_name=last_name,
        token_hash=token_hash,
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.LANTERN["INVITATION_DAYS"]),
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        by=by,
        obj=invitation,
        review=review,
        summary=f"Invited {email}",
    )
    return invitation, raw


def invitation_for_token(raw: str) -> Invitation | None:
    invitation = Invitation.objects.filter(token_hash=Invitation.hash(raw)).first()
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, raw_token: str, username: str, password: str) -> User:
    invitation = invitation_for_token(raw_token)
    if invitation is None:
        raise ValidationError(_("This invitation has expired or has already been used."))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username “%s” is taken.") % username})
    user = User(
        username=username,
        email=invitation.email,
        organisation=invitation.organisation,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    from django.contrib.auth.password_validation import validate_password

    validate_password(password, user)
    user.set_password(password)
    user.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    if invitation.review is not None:
        from lantern.reviews.services import member_add

        member_add(
            review=invitation.review,
            by=invitation.invited_by,
            user=user,
            role=invitation.review_role,
            agency=invitation.agency,
        )
    audit_record(
        action=AuditEvent.Action.CREATE,
        by=user,
        obj=user,
        summary=f"Accepted invitation from {invitation.invited_by.username}",
    )
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: Any) -> Invitation:
    if not _can_manage_users(by):
        raise PermissionDenied
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        by=by,
        obj=invitation,
        summary=f"Revoked invitation to {invitation.email}",
    )
    return invitation


def api_token_scopes(scopes: Iterable[str] | str | None) -> str:
    """The canonical form of a token's scopes ("read" or "read write"); None is the default.

    Accepts a list or one string, spaces or commas between; an unknown or empty choice is
    refused (422 naming `scopes`)."""
    if scopes is None:
        return ApiToken.DEFAULT_SCOPES
    text = scopes if isinstance(scopes, str) else " ".join(scopes)
    chosen = {word.lower() for word in text.replace(",", " ").split()}
    unknown = sorted(chosen - set(ApiToken.Scope.values))
    if unknown:
        raise ValidationError(
            {
                "scopes": _("No scope %(unknown)s: choose from %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(ApiToken.Scope.values)}
            }
        )
    if not chosen:
        raise ValidationError({"scopes": _("Choose what the token may do: read, or read write.")})
    # `write` allows everything, reading included: say so in what is stored.
    if ApiToken.Scope.WRITE in chosen:
        chosen.add(ApiToken.Scope.READ)
    return " ".join(s for s in ApiToken.Scope.values if s in chosen)


@transaction.atomic
def api_token_create(
    *, user: User, by: Any, name: str, scopes: Iterable[str] | str | None = None
) -> tuple[ApiToken, str]:
    if by != user and not _can_manage_users(by):
        raise PermissionDenied
    canonical = api_token_scopes(scopes)
    raw, prefix, key_hash = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=key_hash, scopes=canonical
    )
    audit_record(
        action=AuditEvent.Action.CREATE,
        by=by,
        obj=token,
        summary=f"API token {prefix} for {user.username} ({canonical})",
    )
    return token, raw


def api_token_get(raw: str) -> ApiToken | None:
    """The active token with this key, of an active user (its last use noted), or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def api_token_user(raw: str) -> User | None:
    token = api_token_get(raw)
    return token.user if token is not None else None


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Any) -> ApiToken:
    """Revoke an API token; it stops working at once. Revoking twice changes nothing."""
    if by != token.user and not _can_manage_users(by):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action=AuditEvent.Action.UPDATE,
            by=by,
            obj=token,
            summary=f"Revoked API token {token.prefix} of {token.user.username}",
        )
    return token


BACKUP_CODE_COUNT = 10


def _two_factor_throttled(device: Any) -> str | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    until = (data or {}).get("locked_until")
    if until is None:
        return _("Too many wrong codes. Wait a minute, then try again.")
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1)
    return _("Too many wrong codes. Wait %(seconds)s seconds, then try again.") % {
        "seconds": seconds
    }


def _backup_codes_delete(*, user: User) -> None:
    """Delete the user's backup codes, with any django-otp plaintext ones (`StaticDevice`).

    Migration 0008 converted and deleted every plaintext code and nothing makes them any more;
    they are deleted here too so that none can linger (from a restored older backup, say)."""
    from django_otp.plugins.otp_static.models import StaticDevice

    BackupCodeDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_device_pending(*, user: User) -> Any:
    """The authenticator-app device being set up: created once, confirmed by a first code."""
    from django_otp import user_has_device
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if user_has_device(user, confirmed=True):
        raise ValidationError(
            _("Two-factor authentication is already set up. Reset it from your account page.")
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def two_factor_confirm(*, user: User, device: Any, token: str) -> list[str]:
    """Confirm the authenticator app with its first code; returns new backup codes (shown once).

    Any earlier devices of the user (unconfirmed apps, old backup codes) are removed. A wrong
    code is recorded against the device (the check runs in its own transaction, so django-otp's
    throttling counts it) before the error is raised. Only keyed hashes of the backup codes are
    stored; the codes returned here are the only copy.
    """
    from django_otp import verify_token
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(pk=device.pk)
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    throttled = _two_factor_throttled(device)
    if throttled:
        raise ValidationError({"code": throttled})
    if verify_token(user, device.persistent_id, token.replace(" ", "").strip()) is None:
        raise ValidationError(
            {
                "code": _(
                    "The code is not correct. Check the time on your phone is right and enter "
                    "the code the app shows now."
                )
            }
        )
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        _backup_codes_delete(user=user)
        backup = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
        codes = backup_codes.new_codes(BACKUP_CODE_COUNT)
        backup.add_codes(codes)
        audit_record(
            action=AuditEvent.Action.UPDATE,
            by=user,
            obj=user,
            summary="Set up two-factor authentication",
        )
    return codes


def two_factor_verify(*, user: User, token: str) -> Any:
    """Check a code from the authenticator app (6 digits) or a backup code; return the device.

    Wrong codes count against the device (django-otp's throttling doubles the wait after each
    failure). Raises ValidationError({"code": ...}) when the code is refused.
    """
    from django_otp import devices_for_user, verify_token
    from django_otp.plugins.otp_totp.models import TOTPDevice

    token = backup_codes.normalise(token)
    # Six digits come from the app; anything else is a backup code (10 characters, or 8 for
    # codes made before they were hashed), even the rare one that is all digits.
    wanted = TOTPDevice if token.isdigit() and len(token) == 6 else BackupCodeDevice
    devices = [d for d in devices_for_user(user, confirmed=True) if isinstance(d, wanted)]
    refused = _("The code is not correct. Enter the code your app shows now, or a backup code.")
    for device in devices:
        throttled = _two_factor_throttled(device)
        if throttled:
            refused = throttled
            continue
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            audit_record(
                action=AuditEvent.Action.LOGIN,
                by=user,
                obj=user,
                summary="Passed the two-factor check"
                + (" with a backup code" if wanted is BackupCodeDevice else ""),
            )
            return verified
    audit_record(
        action=AuditEvent.Action.LOGIN_FAILED,
        by=user,
        obj=user,
        summary="Wrong two-factor code",
    )
    raise ValidationError({"code": refused})


@transaction.atomic
def two_factor_reset(*, user: User, by: Any) -> None:
    """Remove the user's authenticator app and backup codes; they set it up again next time."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if by != user and not _can_manage_users(by):
        raise PermissionDenied
    TOTPDevice.objects.filter(user=user).delete()
    _backup_codes_delete(user=user)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        by=by,
        obj=user,
        summary=f"Reset two-factor authentication of {user.username}",
    )


@transaction.atomic
def user_password_change(*, user: User, by: Any, password: str) -> User:
    """Set a new password chosen by the user (checked against the password validators)."""
    from django.contrib.auth.password_validation import validate_password

    if by != user:
        raise PermissionDenied
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(action=AuditEvent.Action.UPDATE, by=by, obj=user, summary="Changed own password")
    return user


@transaction.atomic
def invitation_issue(
    *,
    by: Any,
    email: str,
    link_for: Callable[[str], str],
    organisation: Organisation | None = None,
    new_organisation_name: str = "",
    new_organisation_type: str = "",
    review: Any = None,
    review_role: str = "",
    agency: Organisation | None = None,
    first_name: str = "",
    last_name: str = "",
) -> tuple[Invitation, str, bool]:
    """Invite someone, creating their organisation if it is new, and email them the link.

    `link_for(raw_token)` turns the token into the absolute link. Returns the invitation, the
    link (to show once, for copying) and whether the email was handed to the mail server.
    """
    from django.core.mail import send_mail
    from django.utils.dateformat import format as date_format

    from lantern.reviews.services import organisation_get_or_create

    if not _can_manage_users(by):
        raise PermissionDenied
    if organisation is None:
        if not new_organisation_name.strip():
            raise ValidationError(
                {"organisation": _("Choose the person's organisation, or give a new one.")}
            )
        organisation = organisation_get_or_create(
            name=new_organisation_name, type=new_organisation_type or Organisation.Type.OTHER
        )
    invitation, raw = invitation_create(
        by=by,
        email=email,
        organisation=organisation,
        review=review,
        review_role=review_role,
        agency=agency,
        first_name=first_name,
        last_name=last_name,
    )
    link = link_for(raw)
    inviter = getattr(by, "display_name", "") or _("A coordinator")
    subject = _("You have been invited to Lantern")
    body = _(
        "%(inviter)s has invited you to use Lantern, the service %(csp)s uses to run "
        "Domestic Homicide Reviews.\n\n"
        "Open this link to choose a username and password:\n%(link)s\n\n"
        "The link works once and expires on %(expires)s. If you were not expecting this "
        "email, you can ignore it.\n"
    ) % {
        "inviter": inviter,
        "csp": getattr(getattr(by, "organisation", None), "name", "") or _("your partnership"),
        "link": link,
        "expires": date_format(timezone.localtime(invitation.expires_at), "j F Y, H:i"),
    }
    try:
        send_mail(subject, body, None, [email], fail_silently=False)
        emailed = True
    except (OSError, ConnectionError):  # smtplib errors are OSErrors
        emailed = False
    audit_record(
        action=AuditEvent.Action.UPDATE,
        by=by,
        obj=invitation,
        review=review,
        summary=f"Invitation link {'emailed' if emailed else 'not emailed'} to {email}",
    )
    return invitation, link, emailed


@transaction.atomic
def user_sign_in_unlock(*, user: User, by: Any) -> int:
    """Clear the failed sign-in attempts that locked an account; returns how many were cleared."""
    from axes.models import AccessAttempt

    if not _can_manage_users(by):
        raise PermissionDenied
    attempts = AccessAttempt.objects.filter(username__iexact=user.username)
    cleared = attempts.count()
    attempts.delete()
    audit_record(
        action=AuditEvent.Action.UPDATE,
        by=by,
        obj=user,
        summary=f"Unlocked sign-in for {user.username}",
    )
    return cleared
