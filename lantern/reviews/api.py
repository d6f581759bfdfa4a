"""The reviews API: every resource of a review, with exactly the pages' access rules.

Access is decided before anything else: each route under /reviews/{reference} declares the
capability it needs with `member(need, what)`, which runs `review_get_for_user` as part of
authentication, before the body or the other path parameters are read. So a non-member gets 404
whatever they send (never a 422 that would tell them the route exists for this review), a member
without the capability gets 403, and a GET is recorded in the audit trail. Writes then call one
service, which checks the capability again and records the timeline event.
"""

from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security.base import AuthBase

from lantern.accounts.api import organisation_from_input, signed_in
from lantern.accounts.models import User
from lantern.accounts.schemas import error_responses
from lantern.core.selectors import audit_events_for_review
from lantern.reviews import services
from lantern.reviews.access import Cap, capabilities, review_get_for_user
from lantern.reviews.criteria import CriteriaInput
from lantern.reviews.lifecycle import TransitionError, available_transitions, review_transition
from lantern.reviews.models import (
    Meeting,
    MeetingAction,
    Membership,
    Pause,
    Person,
    Review,
    ReviewType,
    TermsOfReference,
)
from lantern.reviews.schemas import (
    AgencyIn,
    AgencyOut,
    AuditEventOut,
    ClockOut,
    CriteriaAssessmentOut,
    CriteriaIn,
    DecisionIn,
    DecisionOut,
    ExtensionIn,
    ExtensionOut,
    FamilyContactIn,
    FamilyContactOut,
    LiaisonIn,
    LiaisonOut,
    MeetingIn,
    MeetingOut,
    MemberIn,
    MemberOut,
    MonitoringCompleteIn,
    PauseEndIn,
    PauseIn,
    PauseOut,
    PersonIn,
    PersonOut,
    PersonPatchIn,
    QaOutcomeIn,
    ReviewNotifyIn,
    ReviewOut,
    ReviewPatchIn,
    ReviewSummaryOut,
    StageCode,
    TermsIn,
    TermsOut,
    TimelineEventOut,
    TransitionIn,
    TransitionsOut,
    person_out,
    review_out,
)
from lantern.reviews.selectors import review_clock

router = Router(tags=["Reviews"])

MAX_PAGE = 200
# 422 is documented on reads too: a path id, a query filter or a page size can be invalid.
ERRORS = error_responses(403, 404, 422)


def member(need: str, what: str, *, audit: bool | None = None) -> list[AuthBase]:
    """Authentication for a route under /reviews/{reference}: the caller, then the review.

    404 for anyone with no role on the review, 403 for a member without `need`; the review is
    left on `request.review`. Reads (GET) are audited unless `audit` says otherwise.
    """

    def gate(request: HttpRequest, user: Any) -> None:
        match = request.resolver_match
        reference = match.kwargs.get("reference") if match else None
        if not reference:
            raise Http404
        request.review = review_get_for_user(  # type: ignore[attr-defined]
            user=user,
            reference=reference,
            need=need,
            audit=(request.method == "GET") if audit is None else audit,
            what=what,
        )

    return signed_in(gate)


def request_review(request: HttpRequest) -> Review:
    """The review that `member(...)` fetched and checked for this request."""
    return request.review  # type: ignore[attr-defined]


def refuse_nulls(changes: dict[str, Any], model: type[models.Model]) -> dict[str, Any]:
    """A PATCH may send `null` only for a field that can be empty in that way (a date, say);
    for a text field it is refused (422) rather than reaching the database's NOT NULL."""
    errors = {}
    for name, value in changes.items():
        if value is not None:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.null:
            errors[name] = [_('This cannot be null: send a value ("" to clear text).')]
    if errors:
        raise ValidationError(errors)
    return changes


def request_actor(request: HttpRequest) -> Any:
    """Who is calling: the signed-in user or the API token's owner."""
    return request.auth  # type: ignore[attr-defined]


def request_caps(request: HttpRequest) -> frozenset[str]:
    """The caller's capabilities on the request's review."""
    return request_review(request).viewer_caps  # type: ignore[attr-defined]


# This module's own routes use the short names.
_review, _actor, _caps = request_review, request_actor, request_caps


# --- reviews -----------------------------------------------------------------------------------


@router.get(
    "",
    response={200: list[ReviewSummaryOut], **error_responses(422)},
    operation_id="reviews_list",
    summary="Reviews you can see, with stage and statutory clock",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def reviews_list(
    request: HttpRequest,
    stage: StageCode | None = None,
    include_closed: bool = False,
) -> Any:
    return services.review_list(
        by=_actor(request),
        stage=stage,
        include_closed=include_closed,
    )


@router.post(
    "",
    response={201: ReviewOut, **error_responses(403, 422)},
    operation_id="review_notify",
    summary="Record the notification of a death to a Community Safety Partnership",
)
def review_notify(request: HttpRequest, payload: ReviewNotifyIn) -> Any:
    actor = _actor(request)
    csp = organisation_from_input(payload.csp, field="csp", required=True)
    agency = organisation_from_input(payload.notifying_agency, field="notifying_agency")
    review_type = ReviewType.objects.filter(slug=payload.review_type, active=True).first()
    if review_type is None:
        raise ValidationError({"review_type": _("No review type “%s”.") % payload.review_type})
    review = services.review_notify(
        by=actor,
        csp=csp,
        notification_date=payload.notification_date,
        review_type=review_type,
        title=payload.title,
        notification_source=payload.notification_source,
        notifying_agency=agency,
        notifier_name=payload.notifier_name,
        notifier_contact=payload.notifier_contact,
        circumstances=payload.circumstances,
        date_of_death=payload.date_of_death,
        death_type=payload.death_type,
        pseudonym=payload.pseudonym,
        place_of_death=payload.place_of_death,
        legal_test=payload.legal_test or "",
    )
    return Status(201, review_out(review, caps=capabilities(user=actor, review=review)))


@router.get(
    "/{reference}",
    response={200: ReviewOut, **ERRORS},
    auth=member(Cap.VIEW, "review"),
    operation_id="review_get",
    summary="One review",
)
def review_get(request: HttpRequest, reference: str) -> Any:
    return review_out(_review(request), caps=_caps(request))


@router.patch(
    "/{reference}",
    response={200: ReviewOut, **ERRORS},
    auth=member(Cap.EDIT_REVIEW, "review"),
    operation_id="review_update",
    summary="Change a review's notification details",
)
def review_update(request: HttpRequest, reference: str, payload: ReviewPatchIn) -> Any:
    changes = refuse_nulls(payload.model_dump(exclude_unset=True), Review)
    partners = changes.pop("co_commissioners", None)
    with transaction.atomic():
        review = services.review_update(review=_review(request), by=_actor(request), **changes)
        if partners is not None:
            organisations = [
                organisation_from_input(value, field=f"co_commissioners.{i}", required=True)
                for i, value in enumerate(partners)
            ]
            services.review_set_co_commissioners(
                review=review, by=_actor(request), organisations=organisations
            )
    return review_out(review, caps=_caps(request))


@router.get(
    "/{reference}/clock",
    response={200: ClockOut, **ERRORS},
    auth=member(Cap.VIEW, "clock"),
    operation_id="review_clock",
    summary="The statutory clock: decision and completion deadlines, pauses",
)
def clock(request: HttpRequest, reference: str) -> Any:
    return review_clock(review=_review(request)).as_dict()


@router.get(
    "/{reference}/timeline",
    response={200: list[TimelineEventOut], **ERRORS},
    auth=member(Cap.VIEW_PROCESS, "timeline"),
    operation_id="review_timeline",
    summary="The review's timeline, newest first",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def timeline(request: HttpRequest, reference: str) -> Any:
    return _review(request).events.select_related("by").order_by("-at", "-id")


# --- people ------------------------------------------------------------------------------------


def _person(request: HttpRequest, id: int) -> Person:
    return get_object_or_404(Person, review=_review(request), pk=id)


def _identity(request: HttpRequest) -> bool:
    return Cap.VIEW_REAL_NAMES in _caps(request)


@router.get(
    "/{reference}/people",
    response={200: list[PersonOut], **ERRORS},
    auth=member(Cap.VIEW_PEOPLE, "people"),
    operation_id="people_list",
    summary="The people register (real names only for those who may see them)",
    tags=["People"],
)
def people_list(request: HttpRequest, reference: str) -> Any:
    identity = _identity(request)
    return [person_out(p, identity=identity) for p in _review(request).people.all()]


@router.post(
    "/{reference}/people",
    response={201: PersonOut, **ERRORS},
    auth=member(Cap.EDIT_REVIEW, "people"),
    operation_id="person_add",
    summary="Add a person to the register",
    tags=["People"],
)
def person_add(request: HttpRequest, reference: str, payload: PersonIn) -> Any:
    person = services.person_add(
        review=_review(request), by=_actor(request), **payload.model_dump()
    )
    return Status(201, person_out(person, identity=_identity(request)))


@router.get(
    "/{reference}/people/{id}",
    response={200: PersonOut, **ERRORS},
    auth=member(Cap.VIEW_PEOPLE, "people"),
    operation_id="person_get",
    summary="One person in the register",
    tags=["People"],
)
def person_get(request: HttpRequest, reference: str, id: int) -> Any:
    return person_out(_person(request, id), identity=_identity(request))


@router.patch(
    "/{reference}/people/{id}",
    response={200: PersonOut, **ERRORS},
    auth=member(Cap.EDIT_REVIEW, "people"),
    operation_id="person_update",
    summary="Change a person in the register",
    tags=["People"],
)
def person_update(request: HttpRequest, reference: str, id: int, payload: PersonPatchIn) -> Any:
    person = services.person_update(
        person=_person(request, id),
        by=_actor(request),
        **refuse_nulls(payload.model_dump(exclude_unset=True), Person),
    )
    return person_out(person, identity=_identity(request))


@router.delete(
    "/{reference}/people/{id}",
    response={204: None, **ERRORS},
    auth=member(Cap.EDIT_REVIEW, "people"),
    operation_id="person_remove",
    summary="Remove a person from the register",
    tags=["People"],
)
def person_remove(request: HttpRequest, reference: str, id: int) -> Any:
    services.person_remove(person=_person(request, id), by=_actor(request))
    return Status(204, None)


# --- agencies ----------------------------------------------------------------------------------


@router.get(
    "/{reference}/agencies",
    response={200: list[AgencyOut], **ERRORS},
    auth=member(Cap.VIEW_PROCESS, "agencies"),
    operation_id="agencies_list",
    summary="Agencies named on the review, and whether each is in scope",
    tags=["Agencies"],
)
def agencies_list(request: HttpRequest, reference: str) -> Any:
    return _review(request).agencies.select_related("organisation")


@router.post(
    "/{reference}/agencies",
    response={201: AgencyOut, **ERRORS},
    auth=member(Cap.EDIT_REVIEW, "agencies"),
    operation_id="agency_add",
    summary="Name an agency on the review",
    tags=["Agencies"],
)
def agency_add(request: HttpRequest, reference: str, payload: AgencyIn) -> Any:
    link = services.review_agency_add(
        review=_review(request),
        by=_actor(request),
        name=payload.name,
        type=payload.type,
        in_scope=payload.in_scope,
    )
    return Status(201, link)


# --- criteria and decisions --------------------------------------------------------------------


@router.get(
    "/{reference}/criteria",
    response={200: list[CriteriaAssessmentOut], **ERRORS},
    auth=member(Cap.VIEW_PROCESS, "criteria assessments"),
    operation_id="criteria_list",
    summary="Criteria assessments, newest first",
    tags=["Decision"],
)
def criteria_list(request: HttpRequest, reference: str) -> Any:
    return _review(request).assessments.select_related("assessed_by")


@router.post(
    "/{reference}/criteria",
    response={201: CriteriaAssessmentOut, **ERRORS},
    auth=member(Cap.DECIDE, "criteria assessments"),
    operation_id="criteria_assess",
    summary="Assess the death against the legal test (advice for the CSP chair)",
    tags=["Decision"],
)
def criteria_assess(request: HttpRequest, reference: str, payload: CriteriaIn) -> Any:
    review = _review(request)
    values = payload.model_dump()
    values["legal_test"] = values["legal_test"] or review.legal_test
    try:
        data = CriteriaInput(**values)
    except ValueError as error:  # "field: message", from the assessment's own checks
        field, _sep, message = str(error).partition(": ")
        raise ValidationError({field if message else "__all__": message or str(error)})
    return Status(201, services.criteria_assess(review=review, by=_actor(request), data=data))


@router.get(
    "/{reference}/decisions",
    response={200: list[DecisionOut], **ERRORS},
    auth=member(Cap.VIEW_PROCESS, "decisions"),
    operation_id="decisions_list",
    summary="Decisions on whether to hold a review, newest first",
    tags=["Decision"],
)
def decisions_list(request: HttpRequest, reference: str) -> Any:
    return _review(request).decisions.all()


@router.post(
    "/{reference}/decisions",
    response={201: DecisionOut, **ERRORS},
    auth=member(Cap.DECIDE, "decisions"),
    operation_id="decision_record",
    summary="Record the CSP chair's decision (moves the review to decided or not held)",
    tags=["Decision"],
)
def decision_record(request: HttpRequest, reference: str, payload: DecisionIn) -> Any:
    review = _review(request)
    values = payload.model_dump()
    assessment_id = values.pop("assessment_id")
    assessment = None
    if assessment_id is not None:
        assessment = review.assessments.filter(pk=assessment_id).first()
        if assessment is None:
            raise ValidationError({"assessment_id": _("No such assessment on this review.")})
    decision = services.decision_record(
        review=review, by=_actor(request), assessment=assessment, **values
    )
    return Status(201, decision)


# --- lifecycle ---------------------------------------------------------------------------------


@router.get(
    "/{reference}/transitions",
    response={200: TransitionsOut, **ERRORS},
    auth=member(Cap.VIEW_PROCESS, "stage"),
    operation_id="transitions_list",
    summary="Where the review can move next, and what blocks each move",
    tags=["Lifecycle"],
)
def transitions_list(request: HttpRequest, reference: str) -> Any:
    review = _review(request)
    return {
        "stage": review.stage,
        "stage_label": str(review.get_stage_display()),
        "can_transition": Cap.TRANSITION in _caps(request),
        "transitions": [
            {
                "target": t.target,
                "label": str(t.label),
                "allowed": blocked is None,
                "blocked_reason": blocked,
            }
            for t, blocked in available_transitions(review)
        ],
    }


@router.post(
    "/{reference}/transitions",
    response={200: ReviewOut, **ERRORS},
    auth=member(Cap.TRANSITION, "stage"),
    operation_id="review_transition",
    summary="Move the review to another stage",
    tags=["Lifecycle"],
)
def transition(request: HttpRequest, reference: str, payload: TransitionIn) -> Any:
    try:
        review = review_transition(
            review=_review(request),
            by=_actor(request),
            target=payload.target,
            note=payload.note,
        )
    except TransitionError as error:
        raise ValidationError({"target": error.messages})
    return review_out(review, caps=_caps(request))


@router.post(
    "/{reference}/qa-outcome",
    response={200: ReviewOut, **ERRORS},
    auth=member(Cap.EDIT_REVIEW, "stage"),
    operation_id="qa_outcome_record",
    summary="Record the Home Office QA panel's outcome (moves the stage it implies)",
    tags=["Lifecycle"],
)
def qa_outcome(request: HttpRequest, reference: str, payload: QaOutcomeIn) -> Any:
    review = services.qa_outcome_record(
        review=_review(request), by=_actor(request), **payload.model_dump()
    )
    return review_out(review, caps=_caps(request))


@router.post(
    "/{reference}/monitoring-complete",
    response={200: ReviewOut, **ERRORS},
    auth=member(Cap.EDIT_REVIEW, "stage"),
    operation_id="monitoring_complete",
    summary="Record that the CSP board has closed every action in the action plan",
    tags=["Lifecycle"],
)
def monitoring_complete(request: HttpRequest, reference: str, payload: MonitoringCompleteIn) -> Any:
    review = services.monitoring_complete(
        review=_review(request), by=_actor(request), on=payload.on, note=payload.note
    )
    return review_out(review, caps=_caps(request))


# --- pauses, extensions, liaison, terms --------------------------------------------------------


@router.get(
    "/{reference}/pauses",
    response={200: list[PauseOut], **ERRORS},
    auth=member(Cap.VIEW_PROCESS, "pauses"),
    operation_id="pauses_list",
    summary="Pauses of the statutory clock (parallel processes)",
    tags=["Process"],
)
def pauses_list(request: HttpRequest, reference: str) -> Any:
    return _review(request).pauses.all()


@router.post(
    "/{reference}/pauses",
    response={201: PauseOut, **ERRORS},
    auth=member(Cap.EDIT_PROCESS, "pauses"),
    operation_id="pause_add",
    summary="Record a pause",
    tags=["Process"],
)
def pause_add(request: HttpRequest, reference: str, payload: PauseIn) -> Any:
    pause = services.pause_add(review=_review(request), by=_actor(request), **payload.model_dump())
    return Status(201, pause)


@router.post(
    "/{reference}/pauses/{id}/end",
    response={200: PauseOut, **ERRORS},
    auth=member(Cap.EDIT_PROCESS, "pauses"),
    operation_id="pause_end",
    summary="End a pause",
    tags=["Process"],
)
def pause_end(request: HttpRequest, reference: str, id: int, payload: PauseEndIn) -> Any:
    pause = get_object_or_404(Pause, review=_review(request), pk=id)
    return services.pause_end(pause=pause, by=_actor(request), end=payload.end)


@router.get(
    "/{reference}/extensions",
    response={200: list[ExtensionOut], **ERRORS},
    auth=member(Cap.VIEW_PROCESS, "extensions"),
    operation_id="extensions_list",
    summary="Extensions of the completion deadline",
    tags=["Process"],
)
def extensions_list(request: HttpRequest, reference: str) -> Any:
    return _review(request).extensions.all()


@router.post(
    "/{reference}/extensions",
    response={201: ExtensionOut, **ERRORS},
    auth=member(Cap.EDIT_PROCESS, "extensions"),
    operation_id="extension_add",
    summary="Record an agreed extension",
    tags=["Process"],
)
def extension_add(request: HttpRequest, reference: str, payload: ExtensionIn) -> Any:
    extension = services.extension_add(
        review=_review(request), by=_actor(request), **payload.model_dump()
    )
    return Status(201, extension)


@router.get(
    "/{reference}/liaison",
    response={200: list[LiaisonOut], **ERRORS},
    auth=member(Cap.VIEW_LIAISON, "liaison"),
    operation_id="liaison_list",
    summary="Liaison with the police, CPS and coroner",
    tags=["Process"],
)
def liaison_list(request: HttpRequest, reference: str) -> Any:
    return _review(request).liaison.all()


@router.post(
    "/{reference}/liaison",
    response={201: LiaisonOut, **ERRORS},
    auth=member(Cap.EDIT_PROCESS, "liaison"),
    operation_id="liaison_add",
    summary="Record liaison",
    tags=["Process"],
)
def liaison_add(request: HttpRequest, reference: str, payload: LiaisonIn) -> Any:
    entry = services.liaison_add(
        review=_review(request), by=_actor(request), **payload.model_dump()
    )
    return Status(201, entry)


def _terms_out(review: Review, terms: TermsOfReference | None) -> dict[str, Any]:
    return {
        "agreed": bool(terms and terms.agreed_on),
        "period_start": terms.period_start if terms else None,
        "period_end": terms.period_end if terms else None,
        "key_lines_of_enquiry": list(terms.key_lines_of_enquiry) if terms else [],
        "family_involvement": terms.family_involvement if terms else "",
        "parallel_processes": terms.parallel_processes if terms else "",
        "agreed_on": terms.agreed_on if terms else None,
        "agencies": list(review.agencies.select_related("organisation")),
    }


@router.get(
    "/{reference}/terms",
    response={200: TermsOut, **ERRORS},
    auth=member(Cap.VIEW_PROCESS, "terms of reference"),
    operation_id="terms_get",
    summary="The terms of reference (empty until drafted)",
    tags=["Process"],
)
def terms_get(request: HttpRequest, reference: str) -> Any:
    review = _review(request)
    return _terms_out(review, TermsOfReference.objects.filter(review=review).first())


@router.put(
    "/{reference}/terms",
    response={200: TermsOut, **ERRORS},
    auth=member(Cap.EDIT_PROCESS, "terms of reference"),
    operation_id="terms_save",
    summary="Draft or agree the terms of reference",
    tags=["Process"],
)
def terms_save(request: HttpRequest, reference: str, payload: TermsIn) -> Any:
    review = _review(request)
    if payload.agencies_in_scope is not None:
        named = set(review.agencies.values_list("organisation_id", flat=True))
        unknown = sorted(set(payload.agencies_in_scope) - named)
        if unknown:
            raise ValidationError(
                {
                    "agencies_in_scope": _("Not agencies on this review: %s")
                    % ", ".join(map(str, unknown))
                }
            )
    terms = services.terms_save(review=review, by=_actor(request), **payload.model_dump())
    return _terms_out(review, terms)


# --- panel and membership ----------------------------------------------------------------------


@router.get(
    "/{reference}/members",
    response={200: list[MemberOut], **ERRORS},
    auth=member(Cap.VIEW_PROCESS, "membership"),
    operation_id="members_list",
    summary="Who holds a role on the review",
    tags=["Members"],
)
def members_list(request: HttpRequest, reference: str, include_ended: bool = False) -> Any:
    qs = _review(request).memberships.select_related("user", "agency")
    return qs if include_ended else qs.filter(ended_at__isnull=True)


@router.post(
    "/{reference}/members",
    response={201: MemberOut, **ERRORS},
    auth=member(Cap.MANAGE_MEMBERS, "membership"),
    operation_id="member_add",
    summary="Give a user a role on the review",
    tags=["Members"],
)
def member_add(request: HttpRequest, reference: str, payload: MemberIn) -> Any:
    user = User.objects.filter(username=payload.username, is_system=False).first()
    if user is None:
        raise ValidationError({"username": _("No user called “%s”.") % payload.username})
    agency = organisation_from_input(payload.agency, field="agency")
    membership = services.member_add(
        review=_review(request),
        by=_actor(request),
        user=user,
        role=payload.role,
        agency=agency,
    )
    return Status(201, membership)


@router.delete(
    "/{reference}/members/{id}",
    response={200: MemberOut, **ERRORS},
    auth=member(Cap.MANAGE_MEMBERS, "membership"),
    operation_id="member_end",
    summary="End a role on the review (the record is kept)",
    tags=["Members"],
)
def member_end(request: HttpRequest, reference: str, id: int) -> Any:
    membership = get_object_or_404(
        Membership.objects.select_related("user", "agency"),
        review=_review(request),
        pk=id,
        ended_at__isnull=True,
    )
    return services.member_end(membership=membership, by=_actor(request))


# --- family and meetings -----------------------------------------------------------------------


@router.get(
    "/{reference}/family-contacts",
    response={200: list[FamilyContactOut], **ERRORS},
    auth=member(Cap.VIEW_FAMILY, "family contact"),
    operation_id="family_contacts_list",
    summary="Contact with the family, newest first",
    tags=["Family"],
)
def family_contacts_list(request: HttpRequest, reference: str) -> Any:
    return _review(request).family_contacts.select_related("recorded_by")


@router.post(
    "/{reference}/family-contacts",
    response={201: FamilyContactOut, **ERRORS},
    auth=member(Cap.EDIT_FAMILY, "family contact"),
    operation_id="family_contact_add",
    summary="Record contact with the family",
    tags=["Family"],
)
def family_contact_add(request: HttpRequest, reference: str, payload: FamilyContactIn) -> Any:
    review = _review(request)
    values = payload.model_dump()
    person_id = values.pop("person_id")
    person = None
    if person_id is not None:
        person = review.people.filter(pk=person_id).first()
        if person is None:
            raise ValidationError({"person_id": _("No such person on this review.")})
    contact = services.family_contact_add(
        review=review, by=_actor(request), person=person, **values
    )
    return Status(201, contact)


@router.get(
    "/{reference}/meetings",
    response={200: list[MeetingOut], **ERRORS},
    auth=member(Cap.VIEW_PROCESS, "meetings"),
    operation_id="meetings_list",
    summary="Panel meetings and their actions, newest first",
    tags=["Process"],
)
def meetings_list(request: HttpRequest, reference: str) -> Any:
    return _review(request).meetings.prefetch_related(
        Prefetch("actions", queryset=MeetingAction.objects.order_by("id"))
    )


@router.post(
    "/{reference}/meetings",
    response={201: MeetingOut, **ERRORS},
    auth=member(Cap.EDIT_PROCESS, "meetings"),
    operation_id="meeting_add",
    summary="Record a meeting, with any actions agreed",
    tags=["Process"],
)
def meeting_add(request: HttpRequest, reference: str, payload: MeetingIn) -> Any:
    values = payload.model_dump()
    meeting = services.meeting_add(review=_review(request), by=_actor(request), **values)
    return Status(201, Meeting.objects.prefetch_related("actions").get(pk=meeting.pk))


# --- audit -------------------------------------------------------------------------------------


@router.get(
    "/{reference}/audit",
    response={200: list[AuditEventOut], **ERRORS},
    auth=member(Cap.VIEW_AUDIT, "audit trail"),
    operation_id="audit_list",
    summary="Every read and write of this review's data, newest first",
    tags=["Audit"],
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def audit_list(request: HttpRequest, reference: str) -> Any:
    return audit_events_for_review(review=_review(request))
