"""Writes to a review. Views, the API and the CLI all call these; each is one transaction and
records one timeline event (which is also an audit write)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts.models import Organisation, OrgRole, ReviewRole, User
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews import criteria as criteria_rules
from lantern.reviews.access import Cap, ensure_can
from lantern.reviews.models import (
    CriteriaAssessment,
    DeathType,
    Decision,
    Extension,
    FamilyContact,
    LiaisonEntry,
    Meeting,
    MeetingAction,
    Membership,
    Pause,
    Person,
    Review,
    ReviewAgency,
    ReviewEvent,
    ReviewType,
    Stage,
    TermsOfReference,
)


def review_event_record(
    *, review: Review, by: Any, kind: str, summary: str, data: dict | None = None
) -> ReviewEvent:
    event = ReviewEvent.objects.create(
        review=review,
        by=by if getattr(by, "pk", None) else None,
        kind=kind,
        summary=summary[:500],
        data=data or {},
    )
    audit_record(
        action=AuditEvent.Action.UPDATE
        if kind != ReviewEvent.Kind.NOTIFIED
        else AuditEvent.Action.CREATE,
        by=by,
        review=review,
        obj=event,
        summary=summary,
        data={"kind": kind},
    )
    return event


def organisation_get_or_create(*, name: str, type: str = Organisation.Type.OTHER) -> Organisation:
    name = name.strip()
    if not name:
        raise ValidationError(_("An organisation needs a name."))
    if type not in Organisation.Type.values:
        raise ValidationError(
            _("“%(type)s” is not an organisation type. Use one of: %(types)s.")
            % {"type": type, "types": ", ".join(Organisation.Type.values)}
        )
    org = Organisation.objects.filter(name__iexact=name).first()
    if org is None:
        org = Organisation.objects.create(name=name, type=type)
    return org


def _initials(name: str) -> str:
    words = [
        w
        for w in re.split(r"[^A-Za-z]+", name)
        if w and w.lower() not in {"community", "safety", "partnership", "csp", "and", "the", "of"}
    ]
    return "".join(w[0] for w in words[:3]).upper() or "CSP"


def review_reference_next(*, csp: Organisation, review_type: ReviewType, year: int) -> str:
    prefix = f"{_initials(csp.name)}-{review_type.slug.upper().split('_')[0]}-{year}-"
    existing = Review.objects.filter(reference__startswith=prefix).values_list(
        "reference", flat=True
    )
    numbers = [int(r[len(prefix) :]) for r in existing if r[len(prefix) :].isdigit()]
    return f"{prefix}{(max(numbers) + 1) if numbers else 1:02d}"


def coordinators_of(csp: Organisation) -> Iterable[User]:
    return User.objects.filter(organisation=csp, org_role=OrgRole.COORDINATOR, is_active=True)


@transaction.atomic
def review_notify(
    *,
    by: Any,
    csp: Organisation,
    notification_date: date,
    review_type: ReviewType | None = None,
    reference: str = "",
    title: str = "",
    notification_source: str = "police",
    notifying_agency: Organisation | None = None,
    notifier_name: str = "",
    notifier_contact: str = "",
    circumstances: str = "",
    date_of_death: date | None = None,
    death_type: str = DeathType.UNKNOWN,
    pseudonym: str = "",
    place_of_death: str = "",
    legal_test: str = "",
) -> Review:
    """Record a notification of a death.

    Any agency may notify; the CSP's coordinators are alerted.
    """
    from django.conf import settings

    if not csp.is_csp:
        raise ValidationError({"csp": _("Notifications go to a Community Safety Partnership.")})
    if date_of_death and notification_date < date_of_death:
        raise ValidationError(
            {"notification_date": _("The notification cannot be before the date of death.")}
        )
    review_type = review_type or ReviewType.objects.get(slug="dhr")
    reference = reference or review_reference_next(
        csp=csp, review_type=review_type, year=notification_date.year
    )
    if Review.objects.filter(reference=reference).exists():
        raise ValidationError({"reference": _("A review with this reference already exists.")})
    review = Review(
        reference=reference,
        title=title
        or _("Review of a death notified on %(date)s")
        % {"date": notification_date.strftime("%-d %B %Y")},
        review_type=review_type,
        csp=csp,
        notification_date=notification_date,
        notification_source=notification_source,
        notifying_agency=notifying_agency,
        notifier_name=notifier_name,
        notifier_contact=notifier_contact,
        circumstances=circumstances,
        date_of_death=date_of_death,
        death_type=death_type,
        pseudonym=pseudonym,
        place_of_death=place_of_death,
        legal_test=legal_test or settings.LANTERN["DEFAULT_LEGAL_TEST"],
        created_by=by if getattr(by, "pk", None) else None,
    )
    review.full_clean()
    review.save()
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.NOTIFIED,
        summary=_("Death notified to %(csp)s") % {"csp": csp.name},
        data={"source": notification_source},
    )
    from lantern.reviews.tasks import alert_coordinators_of_notification

    transaction.on_commit(lambda: alert_coordinators_of_notification.enqueue(review_id=review.pk))
    return review


_EDITABLE_FIELDS = (
    "title",
    "pseudonym",
    "date_of_death",
    "death_type",
    "place_of_death",
    "notification_date",
    "notification_source",
    "notifier_name",
    "notifier_contact",
    "circumstances",
    "joint_with",
    "publication_url",
    "legal_test",
    "retention_years",
)


@transaction.atomic
def review_update(*, review: Review, by: Any, **changes: Any) -> Review:
    ensure_can(user=by, review=review, need=Cap.EDIT_REVIEW)
    unknown = set(changes) - set(_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    changed = {}
    for field, value in changes.items():
        if getattr(review, field) != value:
            changed[field] = str(value)
            setattr(review, field, value)
    if not changed:
        return review
    review.full_clean()
    review.save()
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.UPDATED,
        summary=_("Updated: %s") % ", ".join(sorted(changed)),
        data={"fields": sorted(changed)},
    )
    return review


COMMISSIONER_TYPES = (Organisation.Type.CSP, Organisation.Type.SAFEGUARDING_ADULTS_BOARD)


@transaction.atomic
def review_set_co_commissioners(
    *, review: Review, by: Any, organisations: Iterable[Organisation]
) -> Review:
    """Record the partnerships (or Safeguarding Adults Board) commissioning `review` jointly
    with its lead CSP; their coordinators and board members then see it as the lead's do. Only
    the lead partnership decides this."""
    ensure_can(user=by, review=review, need=Cap.EDIT_REVIEW)
    if not getattr(by, "is_system", False) and by.organisation_id != review.csp_id:
        raise PermissionDenied
    chosen = list(organisations)
    wrong = sorted(
        o.name for o in chosen if o.type not in COMMISSIONER_TYPES or o.pk == review.csp_id
    )
    if wrong:
        raise ValidationError(
            {
                "co_commissioners": _(
                    "Only another Community Safety Partnership or a Safeguarding Adults Board "
                    "can commission a review jointly: %s"
                )
                % ", ".join(wrong)
            }
        )
    before = set(review.co_commissioners.values_list("pk", flat=True))
    if before == {o.pk for o in chosen}:
        return review
    review.co_commissioners.set(chosen)
    names = ", ".join(sorted(o.name for o in chosen)) or _("no other partnership")
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.UPDATED,
        summary=_("Commissioned jointly with: %s") % names,
        data={"co_commissioners": sorted(o.pk for o in chosen)},
    )
    return review


@transaction.atomic
def person_add(
    *,
    review: Review,
    by: Any,
    role: str,
    real_name: str = "",
    pseudonym: str = "",
    aliases: list[str] | None = None,
    date_of_birth: date | None = None,
    sex: str = "",
    ethnicity: str = "",
    relationship_to_victim: str = "",
    notes: str = "",
) -> Person:
    ensure_can(user=by, review=review, need=Cap.EDIT_REVIEW)
    if (
        role == Person.Role.PERPETRATOR
        and relationship_to_victim
        and (relationship_to_victim not in Person.Relationship.values)
    ):
        raise ValidationError(
            {
                "relationship_to_victim": _(
                    "“%(value)s” is not a relationship for a perpetrator. Use one of: %(choices)s."
                )
                % {
                    "value": relationship_to_victim,
                    "choices": ", ".join(Person.Relationship.values),
                }
            }
        )
    person = Person(
        review=review,
        role=role,
        real_name=real_name,
        pseudonym=pseudonym,
        aliases=aliases or [],
        date_of_birth=date_of_birth,
        sex=sex,
        ethnicity=ethnicity,
        relationship_to_victim=relationship_to_victim,
        notes=notes,
        position=review.people.count(),
    )
    person.full_clean()
    person.save()
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.PERSON,
        summary=_("Added %(role)s %(name)s")
        % {"role": person.get_role_display().lower(), "name": pseudonym or _("(no pseudonym yet)")},
    )
    return person


@transaction.atomic
def person_update(*, person: Person, by: Any, **changes: Any) -> Person:
    ensure_can(user=by, review=person.review, need=Cap.EDIT_REVIEW)
    for field, value in changes.items():
        setattr(person, field, value)
    person.full_clean()
    person.save()
    review_event_record(
        review=person.review,
        by=by,
        kind=ReviewEvent.Kind.PERSON,
        summary=_("Updated %(name)s in the people register") % {"name": person},
    )
    return person


@transaction.atomic
def person_remove(*, person: Person, by: Any) -> None:
    ensure_can(user=by, review=person.review, need=Cap.EDIT_REVIEW)
    review, label = person.review, str(person)
    person.delete()
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.PERSON,
        summary=_("Removed %(name)s from the people register") % {"name": label},
    )


@transaction.atomic
def review_agency_add(
    *, review: Review, by: Any, name: str, type: str = "other", in_scope: bool = True
) -> ReviewAgency:
    ensure_can(user=by, review=review, need=Cap.EDIT_REVIEW)
    org = organisation_get_or_create(name=name, type=type)
    link, created = ReviewAgency.objects.get_or_create(
        review=review,
        organisation=org,
        defaults={"in_scope": in_scope, "position": review.agencies.count()},
    )
    if created:
        review_event_record(
            review=review,
            by=by,
            kind=ReviewEvent.Kind.AGENCY,
            summary=_("Added agency %(name)s") % {"name": org.name},
        )
    return link


@transaction.atomic
def criteria_assess(
    *, review: Review, by: Any, data: criteria_rules.CriteriaInput
) -> CriteriaAssessment:
    ensure_can(user=by, review=review, need=Cap.DECIDE)
    result = criteria_rules.assess(data)
    assessment = CriteriaAssessment.objects.create(
        review=review,
        legal_test=data.legal_test,
        inputs=dict(vars(data)),
        result=criteria_rules.result_to_dict(result),
        outcome=result.outcome,
        assessed_by=by if getattr(by, "pk", None) else None,
    )
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.ASSESSED,
        summary=_("Criteria assessed (%(test)s): %(outcome)s")
        % {"test": data.legal_test, "outcome": result.outcome},
        data={"assessment": assessment.pk, "outcome": result.outcome},
    )
    return assessment


@transaction.atomic
def decision_record(
    *,
    review: Review,
    by: Any,
    outcome: str,
    decided_on: date,
    decided_by: str,
    consulted: list[str],
    rationale: str,
    joint_with: str = "",
    home_office_informed_on: date | None = None,
    family_informed_on: date | None = None,
    assessment: CriteriaAssessment | None = None,
    challenge: str = "",
    home_secretary_direction_on: date | None = None,
) -> Decision:
    """Record the CSP chair's decision, made in consultation with partners, and move the stage."""
    from lantern.reviews.lifecycle import review_transition

    ensure_can(user=by, review=review, need=Cap.DECIDE)
    consulted = [c.strip() for c in consulted if c and c.strip()]
    errors: dict[str, str] = {}
    if not consulted:
        errors["consulted"] = _(
            "Name the partners consulted: the Home Office QA panel rates a chair deciding alone "
            "as inadequate."
        )
    if not rationale.strip():
        errors["rationale"] = _("Give the rationale for the decision.")
    if decided_on < review.notification_date:
        errors["decided_on"] = _("The decision cannot be before the notification.")
    if outcome == Decision.Outcome.JOINT and not joint_with.strip():
        errors["joint_with"] = _("Say which review this is held jointly with.")
    if errors:
        raise ValidationError(errors)
    if assessment is None:
        assessment = review.assessments.first()
    decision = Decision(
        review=review,
        outcome=outcome,
        joint_with=joint_with,
        decided_on=decided_on,
        decided_by=decided_by,
        consulted=consulted,
        rationale=rationale,
        legal_test=assessment.legal_test if assessment else review.legal_test,
        assessment=assessment,
        home_office_informed_on=home_office_informed_on,
        family_informed_on=family_informed_on,
        challenge=challenge,
        home_secretary_direction_on=home_secretary_direction_on,
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    decision.full_clean()
    decision.save()
    if outcome == Decision.Outcome.JOINT and review.joint_with != joint_with:
        review.joint_with = joint_with
        review.save(update_fields=["joint_with"])
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.DECIDED,
        summary=_("Decision: %(outcome)s") % {"outcome": decision.get_outcome_display()}
        + (_(" (flagged for Home Office scrutiny)") if decision.needs_home_office_scrutiny else ""),
        data={"decision": decision.pk, "outcome": outcome},
    )
    review.refresh_from_db()
    if review.stage == Stage.NOTIFIED:
        review = review_transition(review=review, by=by, target=Stage.SCOPING, on=decided_on)
    if review.stage == Stage.SCOPING:
        target = Stage.NOT_HELD if outcome == Decision.Outcome.NOT_HOLD else Stage.DECIDED
        review_transition(review=review, by=by, target=target, on=decided_on)
    return decision


@transaction.atomic
def decision_update_dates(
    *,
    decision: Decision,
    by: Any,
    home_office_informed_on: date | None,
    family_informed_on: date | None,
    home_secretary_direction_on: date | None = None,
) -> Decision:
    ensure_can(user=by, review=decision.review, need=Cap.DECIDE)
    decision.home_office_informed_on = home_office_informed_on
    decision.family_informed_on = family_informed_on
    decision.home_secretary_direction_on = home_secretary_direction_on
    decision.save()
    review_event_record(
        review=decision.review,
        by=by,
        kind=ReviewEvent.Kind.DECIDED,
        summary=_("Decision notification dates updated"),
    )
    return decision


@transaction.atomic
def pause_add(
    *,
    review: Review,
    by: Any,
    cause: str,
    start: date,
    agreed_by: str,
    end: date | None = None,
    home_office_told_on: date | None = None,
    notes: str = "",
) -> Pause:
    ensure_can(user=by, review=review, need=Cap.EDIT_PROCESS)
    if end and end < start:
        raise ValidationError({"end": _("The pause cannot end before it starts.")})
    pause = Pause(
        review=review,
        cause=cause,
        start=start,
        end=end,
        agreed_by=agreed_by,
        home_office_told_on=home_office_told_on,
        notes=notes,
    )
    pause.full_clean()
    pause.save()
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.PAUSE,
        summary=_("Paused for %(cause)s from %(start)s")
        % {"cause": pause.get_cause_display(), "start": start.isoformat()},
        data={"pause": pause.pk},
    )
    return pause


@transaction.atomic
def pause_end(*, pause: Pause, by: Any, end: date) -> Pause:
    ensure_can(user=by, review=pause.review, need=Cap.EDIT_PROCESS)
    if end < pause.start:
        raise ValidationError({"end": _("The pause cannot end before it starts.")})
    pause.end = end
    pause.save(update_fields=["end"])
    review_event_record(
        review=pause.review,
        by=by,
        kind=ReviewEvent.Kind.PAUSE,
        summary=_("Pause for %(cause)s ended on %(end)s")
        % {"cause": pause.get_cause_display(), "end": end.isoformat()},
    )
    return pause


@transaction.atomic
def extension_add(
    *,
    review: Review,
    by: Any,
    months: int,
    days: int,
    reason: str,
    agreed_by: str,
    agreed_on: date,
    home_office_told_on: date | None = None,
) -> Extension:
    ensure_can(user=by, review=review, need=Cap.EDIT_PROCESS)
    if months <= 0 and days <= 0:
        raise ValidationError({"months": _("An extension must add some months or days.")})
    ext = Extension(
        review=review,
        months=months,
        days=days,
        reason=reason,
        agreed_by=agreed_by,
        agreed_on=agreed_on,
        home_office_told_on=home_office_told_on,
    )
    ext.full_clean()
    ext.save()
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.EXTENSION,
        summary=_("Extension of %(m)s months %(d)s days agreed by %(who)s")
        % {"m": months, "d": days, "who": agreed_by},
    )
    return ext


@transaction.atomic
def liaison_add(
    *,
    review: Review,
    by: Any,
    date: date,
    with_whom: str,
    summary: str,
    contact_name: str = "",
    next_steps: str = "",
) -> LiaisonEntry:
    ensure_can(user=by, review=review, need=Cap.EDIT_PROCESS)
    entry = LiaisonEntry(
        review=review,
        date=date,
        with_whom=with_whom,
        summary=summary,
        contact_name=contact_name,
        next_steps=next_steps,
    )
    entry.full_clean()
    entry.save()
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.LIAISON,
        summary=_("Liaison with %(who)s recorded") % {"who": entry.get_with_whom_display()},
    )
    return entry


@transaction.atomic
def terms_save(
    *,
    review: Review,
    by: Any,
    period_start: date | None,
    period_end: date | None,
    key_lines_of_enquiry: list[str],
    family_involvement: str = "",
    parallel_processes: str = "",
    agreed_on: date | None = None,
    agencies_in_scope: list[int] | None = None,
    reasons_not_in_scope: dict[int, str] | None = None,
) -> TermsOfReference:
    """Save the terms of reference. Agreed terms must explain every agency left out of scope
    (the Home Office QA panel checks that any agency left out is explained)."""
    ensure_can(user=by, review=review, need=Cap.EDIT_PROCESS)
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"period_end": _("The review period cannot end before it starts.")})
    reasons = {k: v.strip() for k, v in (reasons_not_in_scope or {}).items() if v and v.strip()}
    if agencies_in_scope is not None and agreed_on:
        unexplained = [
            link.organisation.name
            for link in review.agencies.select_related("organisation")
            if link.organisation_id not in agencies_in_scope
            and not (reasons.get(link.organisation_id) or link.reason_not_in_scope)
        ]
        if unexplained:
            raise ValidationError(
                {
                    "reasons_not_in_scope": _(
                        "Explain why each agency is left out of scope before agreeing the terms: %s"
                    )
                    % ", ".join(unexplained)
                }
            )
    terms, _created = TermsOfReference.objects.get_or_create(review=review)
    terms.period_start, terms.period_end = period_start, period_end
    terms.key_lines_of_enquiry = [k.strip() for k in key_lines_of_enquiry if k.strip()]
    terms.family_involvement, terms.parallel_processes = family_involvement, parallel_processes
    terms.agreed_on = agreed_on
    terms.save()
    if agencies_in_scope is not None:
        for link in review.agencies.all():
            link.in_scope = link.organisation_id in agencies_in_scope
            if link.in_scope:
                link.reason_not_in_scope = ""
            elif link.organisation_id in reasons:
                link.reason_not_in_scope = reasons[link.organisation_id][:300]
            link.save(update_fields=["in_scope", "reason_not_in_scope"])
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.TERMS,
        summary=_("Terms of reference agreed") if agreed_on else _("Terms of reference drafted"),
    )
    return terms


@transaction.atomic
def family_contact_add(
    *,
    review: Review,
    by: Any,
    date: date,
    kind: str,
    summary: str,
    contact_with: str = "",
    person: Person | None = None,
    advocacy_offered: bool = False,
    advocacy_provider: str = "",
    pseudonym_agreed: bool = False,
    draft_shared: bool = False,
) -> FamilyContact:
    ensure_can(user=by, review=review, need=Cap.EDIT_FAMILY)
    contact = FamilyContact(
        review=review,
        date=date,
        kind=kind,
        summary=summary,
        contact_with=contact_with,
        person=person,
        advocacy_offered=advocacy_offered,
        advocacy_provider=advocacy_provider,
        pseudonym_agreed=pseudonym_agreed,
        draft_shared=draft_shared,
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    contact.full_clean()
    contact.save()
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.FAMILY,
        summary=_("Family contact recorded (%(kind)s)")
        % {"kind": contact.get_kind_display().lower()},
    )
    return contact


@transaction.atomic
def meeting_add(
    *,
    review: Review,
    by: Any,
    date: date,
    title: str,
    attendees: str = "",
    minutes: str = "",
    actions: list[dict] | None = None,
) -> Meeting:
    ensure_can(user=by, review=review, need=Cap.EDIT_PROCESS)
    meeting = Meeting.objects.create(
        review=review, date=date, title=title, attendees=attendees, minutes=minutes
    )
    for action in actions or []:
        MeetingAction.objects.create(meeting=meeting, **action)
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.MEETING,
        summary=_("%(title)s on %(date)s recorded") % {"title": title, "date": date.isoformat()},
    )
    return meeting


@transaction.atomic
def member_add(
    *,
    review: Review,
    by: Any,
    user: User,
    role: str,
    agency: Organisation | None = None,
    independence_statement: str = "",
    independence_declared_on: date | None = None,
    leaver: bool = False,
) -> Membership:
    _ensure_can_manage_members(by=by, review=review, leaver=leaver)
    if role not in ReviewRole.values:
        raise ValidationError(
            {
                "role": _(
                    "“%(role)s” is not a role on a review. Use one of: %(roles)s "
                    "(coordinator and board_member are held for an organisation, not a review)."
                )
                % {"role": role, "roles": ", ".join(ReviewRole.values)}
            }
        )
    if not user.is_active:
        raise ValidationError(
            {"user": _("%(user)s's account is deactivated.") % {"user": user.username}}
        )
    if role == ReviewRole.AGENCY_AUTHOR and agency is None:
        agency = user.organisation
        if agency is None:
            raise ValidationError({"agency": _("An agency author must belong to an agency.")})
    existing = Membership.objects.filter(
        review=review, user=user, role=role, ended_at__isnull=True
    ).first()
    if existing:
        return existing
    membership = Membership.objects.create(
        review=review,
        user=user,
        role=role,
        agency=agency,
        independence_statement=independence_statement,
        independence_declared_on=independence_declared_on,
        added_by=by if getattr(by, "pk", None) else None,
    )
    if agency is not None and not agency.is_csp:
        # The agency a member represents is on the review (its material is in scope).
        ReviewAgency.objects.get_or_create(
            review=review, organisation=agency, defaults={"position": review.agencies.count()}
        )
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.MEMBER,
        summary=_("%(user)s added as %(role)s")
        % {"user": user.display_name, "role": membership.get_role_display()},
        data={"user": user.username, "role": role},
    )
    return membership


@transaction.atomic
def _ensure_can_manage_members(*, by: Any, review: Review, leaver: bool) -> None:
    # The leaver process is account administration: a system administrator may end (and hand
    # over) a leaver's roles without being able to read the review itself.
    if leaver and getattr(by, "is_lantern_admin", False):
        return
    ensure_can(user=by, review=review, need=Cap.MANAGE_MEMBERS)


def member_end(*, membership: Membership, by: Any, leaver: bool = False) -> Membership:
    _ensure_can_manage_members(by=by, review=membership.review, leaver=leaver)
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
    review_event_record(
        review=membership.review,
        by=by,
        kind=ReviewEvent.Kind.MEMBER,
        summary=_("%(user)s is no longer %(role)s")
        % {"user": membership.user.display_name, "role": membership.get_role_display()},
    )
    return membership


@transaction.atomic
def member_declare_independence(
    *, membership: Membership, by: Any, statement: str, declared_on: date
) -> Membership:
    if by != membership.user:
        ensure_can(user=by, review=membership.review, need=Cap.MANAGE_MEMBERS)
    membership.independence_statement = statement
    membership.independence_declared_on = declared_on
    membership.save(update_fields=["independence_statement", "independence_declared_on"])
    review_event_record(
        review=membership.review,
        by=by,
        kind=ReviewEvent.Kind.MEMBER,
        summary=_("Statement of independence from %(user)s")
        % {"user": membership.user.display_name},
    )
    return membership


@transaction.atomic
def qa_outcome_record(
    *, review: Review, by: Any, outcome: str, letter_received_on: date, notes: str = ""
) -> Review:
    """Record the Home Office QA panel's feedback letter, then move the stage it implies."""
    from lantern.reviews.lifecycle import review_transition

    # The coordinator, or whoever manages publication (the chair), records the letter.
    caps = ensure_can(user=by, review=review, need=Cap.VIEW)
    if Cap.EDIT_REVIEW not in caps and Cap.MANAGE_PUBLICATION not in caps:
        raise PermissionDenied
    if review.stage != Stage.QA_SUBMITTED:
        raise ValidationError(_("A QA outcome is recorded once the review is submitted for QA."))
    if outcome not in ("publish", "publish_after_changes", "resubmit"):
        raise ValidationError({"outcome": _("Unknown QA outcome “%s”.") % outcome})
    review.qa_outcome = outcome
    review.save(update_fields=["qa_outcome"])
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.QA,
        summary=_("QA outcome: %(o)s (letter of %(d)s)")
        % {"o": review.get_qa_outcome_display(), "d": letter_received_on},
        data={
            "outcome": outcome,
            "notes": notes,
            "letter_received_on": letter_received_on.isoformat(),
        },
    )
    target = Stage.DRAFTING if outcome == "resubmit" else Stage.QA_APPROVED
    return review_transition(review=review, by=by, target=target, on=letter_received_on)


@transaction.atomic
def monitoring_complete(*, review: Review, by: Any, on: date, note: str = "") -> Review:
    """Mark the action-plan monitoring track finished (the board has closed every action)."""
    ensure_can(user=by, review=review, need=Cap.EDIT_REVIEW)
    if not review.monitoring_started_on:
        raise ValidationError(_("Action-plan monitoring starts at CSP sign-off."))
    review.monitoring_completed_on = on
    review.save(update_fields=["monitoring_completed_on"])
    review_event_record(
        review=review,
        by=by,
        kind=ReviewEvent.Kind.MONITORING,
        summary=_("Action-plan monitoring completed") + (f": {note}" if note else ""),
    )
    return review


@transaction.atomic
def meeting_action_complete(*, action: MeetingAction, by: Any, done_on: date) -> MeetingAction:
    """Mark an action from a panel meeting done on `done_on`."""
    meeting = action.meeting
    ensure_can(user=by, review=meeting.review, need=Cap.EDIT_PROCESS)
    if done_on < meeting.date:
        raise ValidationError(
            {"done_on": _("An action cannot be done before the meeting that agreed it.")}
        )
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    review_event_record(
        review=meeting.review,
        by=by,
        kind=ReviewEvent.Kind.MEETING,
        summary=_("Action from %(title)s on %(date)s done on %(done)s")
        % {"title": meeting.title, "date": meeting.date.isoformat(), "done": done_on.isoformat()},
        data={"meeting": meeting.pk, "action": action.pk},
    )
    return action


@transaction.atomic
def alerts_mark_read(*, user: Any, alert_ids: list[int] | None = None) -> int:
    """Mark the user's own unread alerts read: those named, or all of them. Returns how many.

    An alert belongs to one person and says only that something happened on a review, so this
    is not a change to the review and records no timeline event.
    """
    from lantern.reviews.models import Alert

    alerts = Alert.objects.filter(user=user, read_at__isnull=True)
    if alert_ids is not None:
        alerts = alerts.filter(pk__in=alert_ids)
    return alerts.update(read_at=timezone.now())


def review_list(
    *, by: Any, stage: str | None = None, include_closed: bool = False
) -> Iterable[Review]:
    """The reviews `by` may see, for a list (the API's), oldest notification first: a lazy
    queryset, so a page of it can be sliced off.

    The listing is itself a read of review data, so it is recorded in the audit trail once,
    with the references it covers. Closed reviews are left out unless asked for (or `stage` is
    closed).
    """
    from lantern.reviews.selectors import dashboard_reviews

    reviews = dashboard_reviews(user=by, include_closed=include_closed or stage == Stage.CLOSED)
    if stage:
        reviews = reviews.filter(stage=stage)
    references = list(reviews.values_list("reference", flat=True))
    audit_record(
        action=AuditEvent.Action.READ,
        by=by,
        object_type="review list",
        summary=f"Listed {len(references)} review(s)",
        data={"references": references, "stage": stage or "", "include_closed": include_closed},
    )
    return reviews
