"""Who may do what on a review: one capability table, and fetch-and-check helpers.

Deny by default. Anyone with no role on a review gets 404 for everything about it, so that a
sensitive case is not even discoverable; a member who lacks a capability gets 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from lantern.accounts.models import OrgRole, ReviewRole
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.models import Membership, Review


class Cap:
    VIEW = "view"  # the review exists: reference, title, stage, deadlines
    VIEW_PROCESS = "view_process"  # decision, pauses, extensions, terms, panel, meetings
    VIEW_PEOPLE = "view_people"  # the people register, by pseudonym
    VIEW_REAL_NAMES = "view_real_names"
    VIEW_FAMILY = "view_family"
    VIEW_LIAISON = "view_liaison"
    VIEW_ALL_AGENCY_MATERIAL = "view_all_agency_material"  # every agency's chronology/IMR
    VIEW_SHARED_AGENCY_MATERIAL = "view_shared_agency_material"
    VIEW_OWN_AGENCY_MATERIAL = "view_own_agency_material"
    # Any chronology, IMR or analysis page; which agencies' material it shows comes from
    # lantern.chronology.selectors.agency_ids_visible.
    VIEW_CHRONOLOGY = "view_chronology"
    VIEW_AUDIT = "view_audit"
    EDIT_REVIEW = "edit_review"  # notification details, people, agencies
    DECIDE = "decide"  # record criteria assessment and decision
    TRANSITION = "transition"
    EDIT_PROCESS = "edit_process"  # pauses, extensions, liaison, terms, meetings
    EDIT_FAMILY = "edit_family"
    MANAGE_MEMBERS = "manage_members"
    EXPORT = "export"
    EDIT_OWN_AGENCY_MATERIAL = "edit_own_agency_material"  # upload own chronology, IMR, returns
    EDIT_ANALYSIS = "edit_analysis"  # analyst comments, flags, theme decisions, entry edits
    SHARE_AGENCY_MATERIAL = "share_agency_material"  # share an agency's material with the panel
    MANAGE_RETURNS = "manage_returns"  # scoping requests, due dates, chasers
    # Recommendations and the action plan (lantern.recommendations).
    VIEW_ACTIONS = "view_actions"  # recommendations, actions, progress, evidence (read-only)
    EDIT_ACTIONS = "edit_actions"  # write recommendations and actions, import the plan
    UPDATE_OWN_AGENCY_ACTIONS = "update_own_agency_actions"  # progress on own agency's actions
    SIGN_OFF_ACTIONS = "sign_off_actions"  # sign a closed action off
    # Documents, the authored report, anonymisation, QA, publication, dissemination
    # (lantern.documents, lantern.anonymisation, lantern.publishing).
    VIEW_DOCUMENTS = "view_documents"  # generate/download documents, read drafts and briefing
    EDIT_DRAFTS = "edit_drafts"  # upload the author's drafts, circulate them, record sign-off
    COMMENT_ON_DRAFTS = "comment_on_drafts"  # factual-accuracy comments (own agency's, if agency)
    CHECK_ANONYMISATION = "check_anonymisation"  # run the check, resolve findings
    VIEW_PUBLICATION = "view_publication"  # QA, publication and dissemination records
    MANAGE_PUBLICATION = "manage_publication"  # record QA, publication, send the briefing
    ACKNOWLEDGE_BRIEFING = "acknowledge_briefing"  # own agency's acknowledgement and use


_EVERYTHING = frozenset(v for k, v in vars(Cap).items() if k.isupper())

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    "system": _EVERYTHING,
    OrgRole.COORDINATOR: _EVERYTHING,
    ReviewRole.CHAIR: frozenset(
        {
            Cap.VIEW,
            Cap.VIEW_PROCESS,
            Cap.VIEW_PEOPLE,
            Cap.VIEW_REAL_NAMES,
            Cap.VIEW_FAMILY,
            Cap.VIEW_LIAISON,
            Cap.VIEW_ALL_AGENCY_MATERIAL,
            Cap.VIEW_SHARED_AGENCY_MATERIAL,
            Cap.VIEW_CHRONOLOGY,
            Cap.EDIT_PROCESS,
            Cap.EDIT_FAMILY,
            Cap.TRANSITION,
            Cap.EDIT_ANALYSIS,
            Cap.SHARE_AGENCY_MATERIAL,
            Cap.VIEW_ACTIONS,
            Cap.EDIT_ACTIONS,
            Cap.VIEW_DOCUMENTS,
            Cap.EDIT_DRAFTS,
            Cap.COMMENT_ON_DRAFTS,
            Cap.CHECK_ANONYMISATION,
            Cap.VIEW_PUBLICATION,
            Cap.MANAGE_PUBLICATION,
        }
    ),
    ReviewRole.AUTHOR: frozenset(
        {
            Cap.VIEW,
            Cap.VIEW_PROCESS,
            Cap.VIEW_PEOPLE,
            Cap.VIEW_REAL_NAMES,
            Cap.VIEW_FAMILY,
            Cap.VIEW_LIAISON,
            Cap.VIEW_ALL_AGENCY_MATERIAL,
            Cap.VIEW_SHARED_AGENCY_MATERIAL,
            Cap.VIEW_CHRONOLOGY,
            Cap.EDIT_FAMILY,
            Cap.EDIT_ANALYSIS,
            Cap.VIEW_ACTIONS,
            Cap.VIEW_DOCUMENTS,
            Cap.EDIT_DRAFTS,
            Cap.COMMENT_ON_DRAFTS,
            Cap.CHECK_ANONYMISATION,
            Cap.VIEW_PUBLICATION,
        }
    ),
    ReviewRole.PANEL_MEMBER: frozenset(
        {
            Cap.VIEW,
            Cap.VIEW_PROCESS,
            Cap.VIEW_PEOPLE,
            Cap.VIEW_SHARED_AGENCY_MATERIAL,
            Cap.VIEW_OWN_AGENCY_MATERIAL,
            Cap.VIEW_CHRONOLOGY,
            Cap.VIEW_ACTIONS,
            Cap.VIEW_DOCUMENTS,
            Cap.COMMENT_ON_DRAFTS,
            Cap.VIEW_PUBLICATION,
            Cap.ACKNOWLEDGE_BRIEFING,
        }
    ),
    ReviewRole.AGENCY_AUTHOR: frozenset(
        {
            Cap.VIEW,
            Cap.VIEW_PEOPLE,
            Cap.VIEW_OWN_AGENCY_MATERIAL,
            Cap.EDIT_OWN_AGENCY_MATERIAL,
            Cap.VIEW_CHRONOLOGY,
            Cap.VIEW_ACTIONS,
            Cap.UPDATE_OWN_AGENCY_ACTIONS,
            Cap.COMMENT_ON_DRAFTS,
            Cap.ACKNOWLEDGE_BRIEFING,
        }
    ),
    # Oversight: stages, deadlines, decisions, recommendations; never chronologies, IMRs or people.
    OrgRole.BOARD_MEMBER: frozenset(
        {Cap.VIEW, Cap.VIEW_PROCESS, Cap.VIEW_ACTIONS, Cap.VIEW_PUBLICATION}
    ),
}


def roles_on_review(*, user: Any, review: Review) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    if getattr(user, "is_system", False):
        return {"system"}
    if not user.is_active:
        return set()
    roles: set[str] = set()
    if user.organisation_id and (
        user.organisation_id == review.csp_id
        or review.co_commissioners.filter(pk=user.organisation_id).exists()
    ):
        if user.org_role == OrgRole.COORDINATOR:
            roles.add(OrgRole.COORDINATOR)
        elif user.org_role == OrgRole.BOARD_MEMBER:
            roles.add(OrgRole.BOARD_MEMBER)
    roles.update(
        Membership.objects.filter(review=review, user=user, ended_at__isnull=True).values_list(
            "role", flat=True
        )
    )
    return roles


def capabilities(*, user: Any, review: Review) -> frozenset[str]:
    caps: set[str] = set()
    for role in roles_on_review(user=user, review=review):
        caps |= ROLE_CAPABILITIES.get(role, frozenset())
    return frozenset(caps)


def user_agencies_on_review(*, user: Any, review: Review) -> set[int]:
    """Agencies whose own material this user may see on this review."""
    ids = set(
        Membership.objects.filter(review=review, user=user, ended_at__isnull=True)
        .exclude(agency__isnull=True)
        .values_list("agency_id", flat=True)
    )
    if getattr(user, "organisation_id", None):
        ids.add(user.organisation_id)
    return ids


def reviews_visible_to(*, user: Any) -> QuerySet[Review]:
    qs = Review.objects.all()
    if getattr(user, "is_system", False):
        return qs
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    condition = Q(memberships__user=user, memberships__ended_at__isnull=True)
    if user.organisation_id and user.org_role in (OrgRole.COORDINATOR, OrgRole.BOARD_MEMBER):
        condition |= Q(csp_id=user.organisation_id) | Q(co_commissioners=user.organisation_id)
    return qs.filter(condition).distinct()


def review_get_for_user(
    *,
    user: Any,
    reference: str,
    need: str = Cap.VIEW,
    audit: bool = True,
    what: str = "review",
) -> Review:
    """Return the review if `user` holds `need` on it.

    404 when the user has no role at all (not discoverable); 403 when they are a member without
    the capability. A successful read is recorded in the audit trail.
    """
    review = Review.objects.select_related("csp", "review_type").filter(reference=reference).first()
    if review is None:
        raise Http404
    caps = capabilities(user=user, review=review)
    if not caps:
        raise Http404
    if need not in caps:
        audit_record(
            action=AuditEvent.Action.ACCESS_DENIED,
            by=user,
            review=review,
            object_type=what,
            summary=f"Refused: needs {need}",
        )
        raise PermissionDenied
    if audit:
        audit_record(
            action=AuditEvent.Action.READ,
            by=user,
            review=review,
            object_type=what,
            object_id=review.reference,
            summary=f"Viewed {what}",
        )
    review.viewer_caps = caps  # type: ignore[attr-defined]
    review.viewer_caps_for = getattr(user, "pk", None)  # type: ignore[attr-defined]
    return review


def ensure_can(*, user: Any, review: Review, need: str) -> frozenset[str]:
    caps = capabilities(user=user, review=review)
    if not caps:
        raise Http404
    if need not in caps:
        raise PermissionDenied
    return caps


def cached_capabilities(*, user: Any, review: Review) -> frozenset[str]:
    """The capabilities `review_get_for_user` already worked out, if they were for this user."""
    if getattr(review, "viewer_caps_for", object()) == getattr(user, "pk", None):
        return review.viewer_caps  # type: ignore[attr-defined]
    return capabilities(user=user, review=review)
