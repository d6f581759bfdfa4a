"""The recommendations API: a review's recommendations and action plan, progress, evidence,
sign-off, import and export, and the board's oversight across reviews.

Routes under /reviews/{reference} decide access in authentication, like the reviews router
(`member(need, what)`): 404 for non-members whatever they send, 403 for members without the
capability; GETs are audited. Writes call the same services as the pages and the CLI.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Router, Status, UploadedFile

from lantern.accounts.api import organisation_from_input, signed_in
from lantern.accounts.schemas import error_responses, file_response
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.recommendations import selectors, services
from lantern.recommendations.models import Action, Recommendation
from lantern.recommendations.models import Status as ActionStatus
from lantern.recommendations.plan_import import write_docx, write_xlsx
from lantern.recommendations.schemas import (
    ActionDetailOut,
    ActionEvidenceOut,
    ActionIn,
    ActionOut,
    ActionPatchIn,
    ActionSignOffIn,
    OverdueOut,
    OversightActionOut,
    OversightSummaryOut,
    PlanImportOut,
    ProgressIn,
    RecommendationIn,
    RecommendationOut,
    RecommendationPatchIn,
    SimilarOut,
    StaleActionOut,
    StatusCode,
    SummaryOut,
    action_out,
    change_out,
    evidence_out,
    recommendation_out,
)
from lantern.reviews.access import Cap
from lantern.reviews.api import member, refuse_nulls
from lantern.reviews.api import request_actor as _actor
from lantern.reviews.api import request_caps as _caps
from lantern.reviews.api import request_review as _review

router = Router(tags=["Recommendations"])
ERRORS = error_responses(403, 404, 422)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _updater(request: HttpRequest) -> Any:
    review, user, caps = _review(request), _actor(request), _caps(request)
    return lambda a: selectors.can_update_progress(user=user, review=review, action=a, caps=caps)


def _action(request: HttpRequest, id: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related("recommendation", "recommendation__review", "lead_agency"),
        recommendation__review=_review(request),
        pk=id,
    )


def _recommendation(request: HttpRequest, id: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.select_related("review", "source_agency"),
        review=_review(request),
        pk=id,
    )


# Form fields of the evidence upload: a note, a file, or both.
_NOTE_FIELD = Form("")
_OPTIONAL_FILE = File(None)


def _today() -> date:
    return timezone.localdate()


# --- recommendations ---------------------------------------------------------------------------


@router.get(
    "/reviews/{reference}/recommendations",
    response={200: list[RecommendationOut], **ERRORS},
    auth=member(Cap.VIEW_ACTIONS, "action plan"),
    operation_id="recommendations_list",
    summary="The review's recommendations, each with its actions, in plan order",
)
def recommendations_list(request: HttpRequest, reference: str) -> Any:
    can_update = _updater(request)
    return [
        recommendation_out(r, as_of=_today(), can_update=can_update)
        for r in selectors.plan_recommendations(review=_review(request))
    ]


@router.post(
    "/reviews/{reference}/recommendations",
    response={201: RecommendationOut, **ERRORS},
    auth=member(Cap.EDIT_ACTIONS, "action plan"),
    operation_id="recommendation_create",
    summary="Add a recommendation",
)
def recommendation_create(request: HttpRequest, reference: str, payload: RecommendationIn) -> Any:
    data = payload.model_dump()
    data["source_agency"] = organisation_from_input(data["source_agency"], field="source_agency")
    rec = services.recommendation_create(review=_review(request), by=_actor(request), **data)
    return Status(201, recommendation_out(rec, as_of=_today()))


@router.get(
    "/reviews/{reference}/recommendations/similar",
    response={200: list[SimilarOut], **ERRORS},
    auth=member(Cap.EDIT_ACTIONS, "action plan"),
    operation_id="recommendations_similar",
    summary="Recommendations like this text in other reviews you may see (names taken out)",
)
def recommendations_similar(request: HttpRequest, reference: str, text: str = "") -> Any:
    found = selectors.similar_recommendations(
        user=_actor(request), text=text[:5000], exclude_review=_review(request)
    )
    return [
        {
            "reference": s.reference,
            "number": s.number,
            "text": s.text,
            "score": s.score,
            "shared": list(s.shared),
        }
        for s in found
    ]


@router.get(
    "/reviews/{reference}/recommendations/{id}",
    response={200: RecommendationOut, **ERRORS},
    auth=member(Cap.VIEW_ACTIONS, "recommendation"),
    operation_id="recommendation_get",
    summary="One recommendation with its actions",
)
def recommendation_get(request: HttpRequest, reference: str, id: int) -> Any:
    return recommendation_out(
        _recommendation(request, id), as_of=_today(), can_update=_updater(request)
    )


@router.patch(
    "/reviews/{reference}/recommendations/{id}",
    response={200: RecommendationOut, **ERRORS},
    auth=member(Cap.EDIT_ACTIONS, "recommendation"),
    operation_id="recommendation_update",
    summary="Change a recommendation (every change is kept)",
)
def recommendation_update(
    request: HttpRequest, reference: str, id: int, payload: RecommendationPatchIn
) -> Any:
    changes = refuse_nulls(payload.model_dump(exclude_unset=True), Recommendation)
    note = changes.pop("note", "")
    rec = services.recommendation_update(
        recommendation=_recommendation(request, id), by=_actor(request), note=note, **changes
    )
    return recommendation_out(rec, as_of=_today(), can_update=_updater(request))


@router.post(
    "/reviews/{reference}/recommendations/{id}/actions",
    response={201: ActionOut, **ERRORS},
    auth=member(Cap.EDIT_ACTIONS, "action plan"),
    operation_id="action_create",
    summary="Add an action to a recommendation",
)
def action_create(request: HttpRequest, reference: str, id: int, payload: ActionIn) -> Any:
    data = payload.model_dump()
    data["lead_agency_name"] = data.pop("lead")
    action = services.action_create(
        recommendation=_recommendation(request, id), by=_actor(request), **data
    )
    return Status(201, action_out(action, as_of=_today(), can_update=True))


# --- actions -----------------------------------------------------------------------------------


@router.get(
    "/reviews/{reference}/actions",
    response={200: list[ActionOut], **ERRORS},
    auth=member(Cap.VIEW_ACTIONS, "action plan"),
    operation_id="actions_list",
    summary="The review's actions; filter by status, or overdue as of a date",
)
def actions_list(
    request: HttpRequest,
    reference: str,
    status: StatusCode | None = None,
    overdue: bool = False,
    as_of: date | None = None,
) -> Any:
    as_of = as_of or _today()
    actions = selectors.plan_actions(reviews=[_review(request)])
    if status:
        actions = actions.filter(status=status)
    can_update = _updater(request)
    return [
        action_out(a, as_of=as_of, can_update=can_update(a))
        for a in actions
        if not overdue or a.is_overdue(as_of)
    ]


@router.get(
    "/reviews/{reference}/actions/{id}",
    response={200: ActionDetailOut, **ERRORS},
    auth=member(Cap.VIEW_ACTIONS, "action"),
    operation_id="action_get",
    summary="One action, with every change (who, when, what) and its evidence",
)
def action_get(request: HttpRequest, reference: str, id: int) -> Any:
    action = _action(request, id)
    data = action_out(action, as_of=_today(), can_update=_updater(request)(action))
    data["changes"] = [change_out(c) for c in action.changes.all()]
    data["evidence"] = [
        evidence_out(e) for e in action.evidence.select_related("added_by").defer("content")
    ]
    return data


@router.patch(
    "/reviews/{reference}/actions/{id}",
    response={200: ActionOut, 409: StaleActionOut, **ERRORS},
    auth=member(Cap.EDIT_ACTIONS, "action"),
    operation_id="action_update",
    summary="Change an action (coordinator and chair; every change is kept)",
)
def action_update(request: HttpRequest, reference: str, id: int, payload: ActionPatchIn) -> Any:
    changes = refuse_nulls(payload.model_dump(exclude_unset=True), Action)
    note = changes.pop("note", "")
    version = changes.pop("version", None)
    if "lead" in changes:
        changes["lead_agency_name"] = changes.pop("lead") or ""
    try:
        action = services.action_update(
            action=_action(request, id),
            by=_actor(request),
            note=note,
            expected_version=version,
            **changes,
        )
    except services.StaleActionError as error:
        return Status(409, {"detail": error.messages[0], "version": error.current_version})
    return action_out(action, as_of=_today(), can_update=True)


@router.post(
    "/reviews/{reference}/actions/{id}/progress",
    response={200: ActionOut, 409: StaleActionOut, **ERRORS},
    auth=member(Cap.VIEW_ACTIONS, "action", audit=False),
    operation_id="action_progress",
    summary="Record progress: agency authors on their own agency's actions only",
)
def action_progress(request: HttpRequest, reference: str, id: int, payload: ProgressIn) -> Any:
    data = payload.model_dump()
    version = data.pop("version", None)
    try:
        action = services.action_progress(
            action=_action(request, id), by=_actor(request), expected_version=version, **data
        )
    except services.StaleActionError as error:
        return Status(409, {"detail": error.messages[0], "version": error.current_version})
    return action_out(action, as_of=_today(), can_update=True)


@router.post(
    "/reviews/{reference}/actions/{id}/evidence",
    response={201: ActionEvidenceOut, **ERRORS},
    auth=member(Cap.VIEW_ACTIONS, "action", audit=False),
    operation_id="evidence_add",
    summary="Add evidence (a note, a file, or both) to an action",
)
def evidence_add(
    request: HttpRequest,
    reference: str,
    id: int,
    note: str = _NOTE_FIELD,
    file: UploadedFile | None = _OPTIONAL_FILE,
) -> Any:
    action = _action(request, id)
    services.ensure_can_update_progress(user=_actor(request), action=action)
    if file is not None and file.size > services.MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": ["The file must be smaller than 10 MB."]})
    evidence = services.evidence_add(
        action=action,
        by=_actor(request),
        note=note,
        filename=file.name if file is not None else "",
        content=file.read() if file is not None else None,
    )
    return Status(201, evidence_out(evidence))


@router.get(
    "/reviews/{reference}/actions/{id}/evidence/{evidence_id}",
    response={200: None, **ERRORS},
    auth=member(Cap.VIEW_ACTIONS, "action evidence"),
    operation_id="evidence_download",
    summary="Download an evidence file",
    openapi_extra=file_response(*sorted(set(services.EVIDENCE_TYPES.values()))),
)
def evidence_download(request: HttpRequest, reference: str, id: int, evidence_id: int) -> Any:
    action = _action(request, id)
    evidence = get_object_or_404(
        action.evidence.exclude(filename="").exclude(content__isnull=True), pk=evidence_id
    )
    audit_record(
        action=AuditEvent.Action.EXPORT,
        by=_actor(request),
        review=_review(request),
        object_type="action evidence",
        object_id=str(evidence.pk),
        summary=f"Downloaded evidence {evidence.filename} for action {action.label}",
    )
    response = HttpResponse(bytes(evidence.content), content_type=evidence.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{evidence.filename.replace(chr(34), "")}"'
    )
    return response


@router.post(
    "/reviews/{reference}/actions/{id}/sign-off",
    response={200: ActionOut, **ERRORS},
    auth=member(Cap.SIGN_OFF_ACTIONS, "action"),
    operation_id="action_sign_off",
    summary="Sign a closed action off (the coordinator)",
)
def action_sign_off(request: HttpRequest, reference: str, id: int, payload: ActionSignOffIn) -> Any:
    action = services.action_sign_off(
        action=_action(request, id), by=_actor(request), note=payload.note
    )
    return action_out(action, as_of=_today(), can_update=_updater(request)(action))


# --- the plan as a whole -----------------------------------------------------------------------


@router.get(
    "/reviews/{reference}/action-plan/summary",
    response={200: SummaryOut, **ERRORS},
    auth=member(Cap.VIEW_ACTIONS, "action plan"),
    operation_id="action_plan_summary",
    summary="Counts: recommendations by kind, actions by status, overdue (as of today or a date)",
)
def action_plan_summary(request: HttpRequest, reference: str, as_of: date | None = None) -> Any:
    return selectors.plan_summary(review=_review(request), as_of=as_of or _today())


@router.get(
    "/reviews/{reference}/action-plan/overdue",
    response={200: list[OverdueOut], **ERRORS},
    auth=member(Cap.VIEW_ACTIONS, "action plan"),
    operation_id="action_plan_overdue",
    summary="Actions past their target date and not started or in progress",
)
def action_plan_overdue(request: HttpRequest, reference: str, as_of: date | None = None) -> Any:
    actions = selectors.overdue_actions(reviews=[_review(request)], as_of=as_of or _today())
    return [selectors.overdue_row(a) for a in actions]


@router.post(
    "/reviews/{reference}/action-plan/import",
    response={200: PlanImportOut, **ERRORS},
    auth=member(Cap.EDIT_ACTIONS, "action plan"),
    operation_id="action_plan_import",
    summary="Import an action plan workbook (published shape); any problem: nothing stored",
)
def action_plan_import(
    request: HttpRequest,
    reference: str,
    file: File[UploadedFile],
    replace: Form[bool] = False,
) -> Any:
    result = services.plan_import(
        review=_review(request),
        by=_actor(request),
        content=file.read(),
        filename=file.name or "upload.xlsx",
        replace=replace,
    )
    return result.as_dict()


@router.get(
    "/reviews/{reference}/action-plan/export",
    response={200: None, **ERRORS},
    auth=member(Cap.VIEW_ACTIONS, "action plan"),
    operation_id="action_plan_export",
    summary="The action plan in the published shape, as XLSX (default) or DOCX",
    openapi_extra=file_response(XLSX_TYPE, DOCX_TYPE),
)
def action_plan_export(
    request: HttpRequest, reference: str, format: Literal["xlsx", "docx"] = "xlsx"
) -> Any:
    review = _review(request)
    document = selectors.plan_document(review=review, today=_today())
    buffer = io.BytesIO()
    (write_xlsx if format == "xlsx" else write_docx)(document, buffer)
    audit_record(
        action=AuditEvent.Action.EXPORT,
        by=_actor(request),
        review=review,
        object_type="action plan",
        object_id=review.reference,
        summary=f"Downloaded the action plan ({format.upper()}) through the API",
    )
    response = HttpResponse(
        buffer.getvalue(), content_type=XLSX_TYPE if format == "xlsx" else DOCX_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{review.reference}-action-plan.{format}"'
    )
    return response


# --- oversight ---------------------------------------------------------------------------------


def _overseer(request: HttpRequest) -> Any:
    user = _actor(request)
    if not selectors.may_oversee(user):
        raise PermissionDenied
    return user


@router.get(
    "/oversight/actions",
    response={200: list[OversightActionOut], **error_responses(403, 422)},
    auth=signed_in(),
    operation_id="oversight_actions",
    summary="Every action across the reviews you oversee (coordinators and board members)",
    tags=["Oversight"],
)
def oversight_actions(
    request: HttpRequest,
    as_of: date | None = None,
    review: str | None = None,
    status: StatusCode | None = None,
    overdue: bool = False,
) -> Any:
    data = selectors.oversight(user=_overseer(request), as_of=as_of or _today(), reference=review)
    rows = []
    for row in data.rows:
        if status and row.action.status != status:
            continue
        if overdue and not row.overdue:
            continue
        rows.append(
            {
                **selectors.overdue_row(row.action),
                "review": row.review.reference,
                "label": row.action.label,
                "overdue": row.overdue,
                "days_overdue": row.days_overdue,
                "due_soon": row.due_soon,
                "completed_on": row.action.completed_on,
                "signed_off": row.action.is_signed_off,
            }
        )
    return rows


@router.get(
    "/oversight/summary",
    response={200: OversightSummaryOut, **error_responses(403, 422)},
    auth=signed_in(),
    operation_id="oversight_summary",
    summary="Where every action stands: by status, overdue, due soon, by agency and theme",
    tags=["Oversight"],
)
def oversight_summary(
    request: HttpRequest, as_of: date | None = None, review: str | None = None
) -> Any:
    data = selectors.oversight(user=_overseer(request), as_of=as_of or _today(), reference=review)

    def groups(items: list[tuple[str, dict[str, int]]]) -> list[dict[str, Any]]:
        return [
            {
                "name": name,
                "overdue": c.get("overdue", 0),
                "open": c.get("open", 0),
                "closed": c.get("closed", 0),
            }
            for name, c in items
        ]

    return {
        "as_of": data.as_of,
        "reviews": [r.reference for r in data.reviews],
        "actions": data.total,
        "by_status": {code: data.by_status.get(code, 0) for code in ActionStatus.values},
        "overdue": len(data.overdue),
        "due_soon": len(data.due_soon),
        "due_soon_days": data.due_soon_days,
        "by_agency": groups(data.by_agency),
        "by_theme": groups(data.by_theme),
    }
