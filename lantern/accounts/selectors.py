"""Reads about users: who may manage whom, the user list, invitations, tokens and 2FA status.

Deny by default. Only coordinators of a Community Safety Partnership and system administrators
manage users; a coordinator sees the people of their own partnership and the people who hold (or
held) a role on one of its reviews, and nobody else. Anyone outside that scope gets 404, so the
existence of an account elsewhere is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.models import ApiToken, BackupCode, Invitation, Organisation, User


def can_manage_users(user: Any) -> bool:
    """Coordinators of a CSP and system administrators manage accounts and invitations."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_lantern_admin:
        return True
    return bool(
        user.is_coordinator and user.organisation_id is not None and user.organisation.is_csp
    )


def ensure_can_manage_users(user: Any) -> None:
    if not can_manage_users(user):
        raise PermissionDenied


def _scope_condition(viewer: User) -> Q:
    csp_id = viewer.organisation_id
    return Q(organisation_id=csp_id) | Q(memberships__review__csp_id=csp_id)


def users_manageable_by(*, viewer: Any) -> QuerySet[User]:
    """Every account `viewer` may see on the Users pages (deactivated ones included)."""
    ensure_can_manage_users(viewer)
    qs = User.objects.filter(is_system=False)
    if viewer.is_lantern_admin:
        return qs
    return qs.filter(_scope_condition(viewer)).distinct()


@dataclass(frozen=True)
class UserRow:
    user: User
    org_role: str
    review_roles: tuple[str, ...]
    active_reviews: int


def user_rows(*, viewer: Any) -> list[UserRow]:
    """The Users table: each person with their organisation role and their roles on reviews.

    Review roles count only on reviews the viewer's partnership runs (all reviews, for an
    administrator), so the table says nothing about other partnerships' work.
    """
    from lantern.reviews.models import Membership

    users = list(
        users_manageable_by(viewer=viewer)
        .select_related("organisation")
        .order_by("last_name", "first_name", "username")
    )
    memberships = Membership.objects.filter(user__in=users).select_related("review")
    if not viewer.is_lantern_admin:
        memberships = memberships.filter(review__csp_id=viewer.organisation_id)
    roles: dict[int, set[str]] = {}
    active: dict[int, set[int]] = {}
    for membership in memberships:
        if membership.ended_at is None:
            roles.setdefault(membership.user_id, set()).add(membership.get_role_display())
            active.setdefault(membership.user_id, set()).add(membership.review_id)
    return [
        UserRow(
            user=u,
            org_role=u.get_org_role_display() if u.org_role else "",
            review_roles=tuple(sorted(roles.get(u.pk, ()))),
            active_reviews=len(active.get(u.pk, ())),
        )
        for u in users
    ]


def user_get_for_manager(*, viewer: Any, pk: int, write: bool = False) -> User:
    """The account, if `viewer` manages it: 403 for non-managers, 404 outside their scope.

    With write=True a coordinator may not change a system administrator's account.
    """
    user = users_manageable_by(viewer=viewer).filter(pk=pk).select_related("organisation").first()
    if user is None:
        raise Http404
    if write and not viewer.is_lantern_admin and (user.is_lantern_admin or user.is_staff):
        raise PermissionDenied
    return user


def manager_may_change(*, viewer: Any, user: User) -> bool:
    """Whether the deactivate, reactivate and leaver actions are offered for `user`."""
    if user.pk == viewer.pk:
        return False
    return viewer.is_lantern_admin or not (user.is_lantern_admin or user.is_staff)


@dataclass(frozen=True)
class UserReviews:
    current: list[Any]
    ended: list[Any]
    hidden: int = 0


def user_reviews(*, user: User, viewer: Any) -> UserReviews:
    """The review roles `user` holds or held, on reviews `viewer` may see.

    Roles on other reviews are only counted, never named.
    """
    from lantern.reviews.access import reviews_visible_to
    from lantern.reviews.models import Membership

    all_memberships = Membership.objects.filter(user=user)
    visible_ids = reviews_visible_to(user=viewer).values("pk")
    visible = list(
        all_memberships.filter(review_id__in=visible_ids)
        .select_related("review", "agency")
        .order_by("review__reference", "role")
    )
    hidden = all_memberships.exclude(review_id__in=visible_ids).count()
    return UserReviews(
        current=[m for m in visible if m.ended_at is None],
        ended=[m for m in visible if m.ended_at is not None],
        hidden=hidden,
    )


def handover_candidates(*, viewer: Any, leaver: User) -> QuerySet[User]:
    """Active accounts in the viewer's scope who could take over the leaver's review roles."""
    return (
        users_manageable_by(viewer=viewer)
        .filter(is_active=True)
        .exclude(pk=leaver.pk)
        .select_related("organisation")
        .order_by("last_name", "first_name", "username")
    )


def csp_choices_for(*, viewer: Any) -> QuerySet[Organisation]:
    """The partnerships a manager may create CSP accounts for."""
    ensure_can_manage_users(viewer)
    qs = Organisation.objects.filter(type=Organisation.Type.CSP)
    if viewer.is_lantern_admin:
        return qs
    return qs.filter(pk=viewer.organisation_id)


class InvitationStatus:
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


def invitation_status(invitation: Invitation, now: datetime | None = None) -> str:
    from django.utils import timezone

    now = now or timezone.now()
    if invitation.accepted_at is not None:
        return InvitationStatus.ACCEPTED
    if invitation.revoked_at is not None:
        return InvitationStatus.REVOKED
    if invitation.expires_at <= now:
        return InvitationStatus.EXPIRED
    return InvitationStatus.PENDING


def invitations_visible_to(*, viewer: Any) -> QuerySet[Invitation]:
    """Invitations sent by the viewer's partnership or for its reviews (all, for an admin)."""
    ensure_can_manage_users(viewer)
    qs = Invitation.objects.select_related(
        "organisation", "review", "agency", "invited_by", "accepted_user"
    )
    if viewer.is_lantern_admin:
        return qs
    csp_id = viewer.organisation_id
    return qs.filter(Q(invited_by__organisation_id=csp_id) | Q(review__csp_id=csp_id))


def invitation_get_for_manager(*, viewer: Any, pk: int) -> Invitation:
    invitation = invitations_visible_to(viewer=viewer).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def api_token_get_for_owner(*, user: User, pk: int) -> ApiToken:
    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404
    return token


@dataclass(frozen=True)
class TwoFactorStatus:
    has_device: bool
    app_set_up_at: datetime | None = None
    app_last_used_at: datetime | None = None
    backup_codes_left: int = 0


def two_factor_status(*, user: User) -> TwoFactorStatus:
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at").first()
    codes = BackupCode.objects.filter(device__user=user, device__confirmed=True).count()
    return TwoFactorStatus(
        has_device=has_confirmed_device(user=user),
        app_set_up_at=totp.created_at if totp is not None else None,
        app_last_used_at=totp.last_used_at if totp is not None else None,
        backup_codes_left=codes,
    )


def has_confirmed_device(*, user: Any) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def sign_in_locked(*, user: User) -> bool:
    """Whether repeated failed sign-ins have locked the account (django-axes, by username)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.db.models import Sum
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(
        username__iexact=user.username, attempt_time__gte=since
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return (failures or 0) >= settings.AXES_FAILURE_LIMIT


def users_known_to_review(*, review: Any) -> QuerySet[User]:
    """Active people a coordinator may add to a review without inviting them.

    Deny by default: not every account in a shared installation, only staff of the review's
    partnership, staff of the agencies on the review, and people who have held a role on one of
    that partnership's reviews. Anyone else is invited (which also records who vouched for them).
    """
    from lantern.reviews.models import Membership, ReviewAgency

    agencies = ReviewAgency.objects.filter(review=review).values("organisation_id")
    past_members = Membership.objects.filter(review__csp_id=review.csp_id).values("user_id")
    return (
        User.objects.filter(is_active=True, is_system=False)
        .filter(
            Q(organisation_id=review.csp_id)
            | Q(organisation_id__in=agencies)
            | Q(pk__in=past_members)
        )
        .distinct()
    )
