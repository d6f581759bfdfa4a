"""The anonymisation check's API, mirroring the pages: checks of a review (upload a file or send
text), one check with its findings, resolving a finding, the corrected file, the publication
status of a file by its SHA-256, and the places known to the review.

Every route needs `check_anonymisation` on the review, decided in authentication
(`member(need, what)`): 404 for non-members, 403 for members without it. GETs are audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status, UploadedFile
from pydantic import Field

from lantern.accounts.schemas import error_responses, file_response
from lantern.anonymisation import selectors, services
from lantern.anonymisation.models import Check, Finding, KnownPlace
from lantern.reviews.access import Cap
from lantern.reviews.api import member
from lantern.reviews.api import request_actor as _actor
from lantern.reviews.api import request_review as _review

router = Router(tags=["Anonymisation"])
ERRORS = error_responses(403, 404, 422)
Category = Literal[
    "person_name",
    "address",
    "postcode",
    "date_of_birth",
    "exact_date",
    "phone",
    "email",
    "nhs_number",
    "ni_number",
    "vehicle_registration",
    "other_identifier",
    "organisation_identifying",
]


class FindingContractOut(Schema):
    """A finding as `lantern publish check --json` gives it: offsets into the checked text."""

    start: int
    end: int
    text: str
    category: Category
    suggestion: str


class FindingOut(FindingContractOut):
    id: int
    number: int
    status: Literal["open", "replaced", "accepted"]
    replacement: str
    reason: str
    resolved_by: str | None
    resolved_at: datetime | None


class CheckSummaryOut(Schema):
    id: int
    filename: str
    sha256: str
    format: Literal["txt", "docx", "pdf", "html"]
    title: str
    created_at: datetime
    created_by: str
    channel: str
    state: Literal["clear", "corrected", "unresolved"] = Field(
        description="clear: nothing open, nothing replaced; corrected: nothing open, publish the "
        "corrected file; unresolved: findings still open"
    )
    findings_total: int
    findings_open: int
    findings_resolved: int
    can_correct: bool
    corrected_sha256: str


class AnonymisationCheckOut(CheckSummaryOut):
    findings: list[FindingOut]


class TextIn(Schema):
    text: str = Field(max_length=2_000_000)


class FindingResolveIn(Schema):
    action: Literal["replace", "accept"]
    replacement: str = ""
    reason: str = ""


class AnonymisationStatusOut(Schema):
    sha256: str
    status: Literal["clear", "unresolved", "not_checked"]


class KnownPlaceIn(Schema):
    kind: Literal["address", "place", "school", "workplace", "identifier"]
    text: str = Field(max_length=300)
    suggestion: str = Field("", max_length=300)
    notes: str = Field("", max_length=500)


class KnownPlaceOut(Schema):
    id: int
    kind: str
    text: str
    suggestion: str
    notes: str


def _check(request: HttpRequest, id: int) -> Check:
    return get_object_or_404(Check.objects.defer("content"), review=_review(request), pk=id)


_OPTIONAL_FILE = File(None)
_OPTIONAL_TEXT = Form("")
_NEED = Cap.CHECK_ANONYMISATION


@router.get(
    "/{reference}/anonymisation/checks",
    response={200: list[CheckSummaryOut], **ERRORS},
    auth=member(_NEED, "anonymisation checks"),
    operation_id="anonymisation_checks_list",
    summary="The review's anonymisation checks, newest first",
)
def checks_list(request: HttpRequest, reference: str) -> Any:
    return [
        selectors.check_out(c, with_findings=False)
        for c in _review(request).anonymisation_checks.defer("content", "corrected_content")
    ]


@router.post(
    "/{reference}/anonymisation/checks",
    response={201: AnonymisationCheckOut, **ERRORS},
    auth=member(_NEED, "anonymisation check"),
    operation_id="anonymisation_check_run",
    summary="Check a file (multipart `file`) or text (form field `text`) and store the check",
    description="A file Lantern cannot read (wrong format, damaged, encrypted, too large) is "
    "refused with 422 and a problem naming the file and the reason; nothing is stored.",
)
def check_run(
    request: HttpRequest,
    reference: str,
    file: UploadedFile | None = _OPTIONAL_FILE,
    text: str = _OPTIONAL_TEXT,
) -> Any:
    if file is not None:
        if file.size and file.size > services.MAX_CHECK_BYTES:
            raise ValidationError({"file": ["The file must be smaller than 50 MB."]})
        filename, data = file.name or "upload", file.read()
    elif text.strip():
        filename, data = "pasted-text.txt", text.encode("utf-8")
    else:
        raise ValidationError({"file": ["Send a file, or the text to check."]})
    check = services.run_check(
        review=_review(request), by=_actor(request), filename=filename, data=data, channel="api"
    )
    return Status(201, selectors.check_out(check))


@router.post(
    "/{reference}/anonymisation/check-text",
    response={200: list[FindingContractOut], **ERRORS},
    auth=member(_NEED, "anonymisation check"),
    operation_id="anonymisation_check_text",
    summary="The findings for a text, without storing anything",
)
def check_text(request: HttpRequest, reference: str, payload: TextIn) -> Any:
    return services.check_review_text(
        review=_review(request), text=payload.text, by=_actor(request)
    )


@router.get(
    "/{reference}/anonymisation/checks/{id}",
    response={200: AnonymisationCheckOut, **ERRORS},
    auth=member(_NEED, "anonymisation check"),
    operation_id="anonymisation_check_get",
    summary="One check with its findings and how each was resolved",
)
def check_get(request: HttpRequest, reference: str, id: int) -> Any:
    return selectors.check_out(_check(request, id))


@router.get(
    "/{reference}/anonymisation/checks/{id}/text",
    response={200: None, **ERRORS},
    auth=member(_NEED, "anonymisation check"),
    operation_id="anonymisation_check_text_get",
    summary="The plain text the check read (the findings' offsets are into it)",
    openapi_extra=file_response("text/plain; charset=utf-8", description="The text"),
)
def check_plain_text(request: HttpRequest, reference: str, id: int) -> Any:
    return HttpResponse(_check(request, id).text, content_type="text/plain; charset=utf-8")


@router.post(
    "/{reference}/anonymisation/checks/{id}/findings/{number}",
    response={200: FindingOut, **ERRORS},
    auth=member(_NEED, "anonymisation finding"),
    operation_id="anonymisation_finding_resolve",
    summary="Resolve finding `number` (1-based): replace it, or accept it with a reason",
)
def finding_resolve(
    request: HttpRequest, reference: str, id: int, number: int, payload: FindingResolveIn
) -> Any:
    finding = get_object_or_404(Finding, check_run=_check(request, id), position=number - 1)
    services.finding_resolve(finding=finding, by=_actor(request), **payload.model_dump())
    return selectors.finding_out(finding)


@router.post(
    "/{reference}/anonymisation/checks/{id}/findings/{number}/reopen",
    response={200: FindingOut, **ERRORS},
    auth=member(_NEED, "anonymisation finding"),
    operation_id="anonymisation_finding_reopen",
    summary="Open a resolved finding again (the corrected file is discarded)",
)
def finding_reopen(request: HttpRequest, reference: str, id: int, number: int) -> Any:
    finding = get_object_or_404(Finding, check_run=_check(request, id), position=number - 1)
    services.finding_reopen(finding=finding, by=_actor(request))
    return selectors.finding_out(finding)


@router.get(
    "/{reference}/anonymisation/checks/{id}/corrected",
    response={200: None, **ERRORS},
    auth=member(_NEED, "anonymisation check"),
    operation_id="anonymisation_corrected_file",
    summary="The corrected file (text and Word only), once every finding is resolved",
    openapi_extra=file_response(*sorted(set(services.CONTENT_TYPES.values()))),
)
def corrected(request: HttpRequest, reference: str, id: int) -> Any:
    check = get_object_or_404(Check, review=_review(request), pk=id)
    filename, content, content_type = services.corrected_file(check=check, by=_actor(request))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename.replace(chr(34), "")}"'
    return response


@router.get(
    "/{reference}/anonymisation/status/{sha256}",
    response={200: AnonymisationStatusOut, **ERRORS},
    auth=member(_NEED, "anonymisation status"),
    operation_id="anonymisation_status",
    summary="Whether the file with this SHA-256 has passed the check (what publication asks)",
)
def status(request: HttpRequest, reference: str, sha256: str) -> Any:
    return {
        "sha256": sha256,
        "status": services.check_status(review=_review(request), sha256=sha256),
    }


@router.get(
    "/{reference}/anonymisation/places",
    response={200: list[KnownPlaceOut], **ERRORS},
    auth=member(_NEED, "known places"),
    operation_id="anonymisation_places_list",
    summary="Addresses, schools, workplaces and identifiers known to the review",
)
def places_list(request: HttpRequest, reference: str) -> Any:
    return _review(request).known_places.all()


@router.post(
    "/{reference}/anonymisation/places",
    response={201: KnownPlaceOut, **ERRORS},
    auth=member(_NEED, "known places"),
    operation_id="anonymisation_place_add",
    summary="Record a place or identifier for the check to look for",
)
def place_add(request: HttpRequest, reference: str, payload: KnownPlaceIn) -> Any:
    place = services.known_place_add(
        review=_review(request), by=_actor(request), **payload.model_dump()
    )
    return Status(201, place)


@router.delete(
    "/{reference}/anonymisation/places/{id}",
    response={204: None, **ERRORS},
    auth=member(_NEED, "known places"),
    operation_id="anonymisation_place_delete",
    summary="Remove a recorded place or identifier",
)
def place_delete(request: HttpRequest, reference: str, id: int) -> Any:
    place = get_object_or_404(KnownPlace, review=_review(request), pk=id)
    services.known_place_delete(place=place, by=_actor(request))
    return Status(204, None)
