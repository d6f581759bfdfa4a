"""Writes about users: creating, inviting, deactivating, and the leaver process."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts.models import ApiToken, Invitation, Organisation, OrgRole, ReviewRole, User
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
    if getattr(by, "is_coordinator", False) and org_role in (OrgRole.ADMIN, OrgRole.COORDINATOR):
        if org_role == OrgRole.ADMIN or organisation != by.organisation:
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
    handed_over, ended = [], []
    for membership in Membership.objects.filter(user=user, ended_at__isnull=True).select_related(
        "review"
    ):
        if handover_to is not None:
            member_add(
                review=membership.review,
                by=by,
                user=handover_to,
                role=membership.role,
                agency=membership.agency,
            )
            handed_over.append(membership.review.reference)
        member_end(membership=membership, by=by)
        ended.append(membership.review.reference)
    user_deactivate(user=user, by=by, reason=reason)
    return {"ended": ended, "handed_over": handed_over}


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


@transaction.atomic
def api_token_create(*, user: User, by: Any, name: str) -> tuple[ApiToken, str]:
    if by != user and not _can_manage_users(by):
        raise PermissionDenied
    raw, prefix, key_hash = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=key_hash)
    audit_record(
        action=AuditEvent.Action.CREATE,
        by=by,
        obj=token,
        summary=f"API token {prefix} for {user.username}",
    )
    return token, raw


def api_token_user(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
