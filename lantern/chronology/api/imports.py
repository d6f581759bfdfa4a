"""Chronology API: imports. Mounted under /api/reviews/{reference}/chronology.

`POST /{reference}/chronology/imports` (multipart: `agency`, an id or exact name, and one or more
`files`) imports an agency's chronology exactly as the page and `lantern chronology import` do,
and answers with the same shape as the command's `--json`: 200 when stored, 422 (same shape,
`stored: false`, every problem listed) when refused, in which case nothing was stored.
`GET /{reference}/chronology/template.xlsx` is the template agencies fill in.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile

from lantern.accounts.schemas import ErrorOut, ValidationErrorOut, error_responses
from lantern.chronology import services
from lantern.chronology.templates_xlsx import (
    XLSX_CONTENT_TYPE,
    template_filename,
    template_xlsx,
)
from lantern.reviews.access import Cap
from lantern.reviews.api import member
from lantern.reviews.api import request_review as _review

router = Router(tags=["Chronology"])


class ImportProblemOut(Schema):
    file: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    message: str
    severity: str = "error"


class ChronologyImportOut(Schema):
    """What an import did; `stored` is false (with the problems) when it was refused."""

    review: str
    agency: str
    stored: bool
    added: int
    replaced: int
    unchanged: int
    problems: list[ImportProblemOut]


@router.post(
    "/{reference}/chronology/imports",
    # 422 is the import's own report when the files were refused, or the API's usual shape
    # when the request itself was (no `files`, say).
    response={
        200: ChronologyImportOut,
        422: ChronologyImportOut | ValidationErrorOut,
        **error_responses(403, 404),
    },
    auth=member(Cap.VIEW_CHRONOLOGY, "chronology imports", audit=False),
    operation_id="chronology_import",
    summary="Import an agency's chronology files (XLSX or CSV), all or nothing",
    description="Multipart form: `agency` (the agency's id or exact name: one of the review's "
    "agencies, or an existing organisation, which is then added to the review) and `files` "
    "(one or more). Agency authors may import only for their own agency (403 otherwise). A "
    "corrected file replaces the agency's earlier entries; unchanged entries keep their "
    "analyst comments. Warnings do not stop an import; any error stops all of it.",
)
def chronology_import(
    request: HttpRequest,
    reference: str,
    agency: Form[str],
    files: File[list[UploadedFile]],
) -> Any:
    review = _review(request)
    text = agency.strip()
    organisation = services.agency_for_import(
        review=review, name=text, pk=int(text) if text.isdigit() else None
    )
    if organisation is None:
        return Status(
            422,
            {
                "review": review.reference,
                "agency": agency,
                "stored": False,
                "added": 0,
                "replaced": 0,
                "unchanged": 0,
                "problems": [
                    {
                        "file": "",
                        "message": _("There is no agency called “%(name)s”.") % {"name": agency},
                        "severity": "error",
                    }
                ],
            },
        )
    actor = request.auth  # type: ignore[attr-defined]
    # Who may import for this agency is settled before the uploads are read.
    services.ensure_can_import(by=actor, review=review, agency=organisation)
    result = services.chronology_import(
        review=review,
        agency=organisation,
        files=[(upload.name or "upload", upload.read()) for upload in files],
        by=actor,
    )
    return Status(200 if result.stored else 422, result.as_dict())


@router.get(
    "/{reference}/chronology/template.xlsx",
    response={200: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=member(Cap.VIEW_CHRONOLOGY, "chronology template"),
    operation_id="chronology_template_xlsx",
    summary="The chronology template (standard columns, Subject dropdown, instructions)",
    openapi_extra={
        "responses": {"200": {"description": "XLSX", "content": {XLSX_CONTENT_TYPE: {}}}}
    },
)
def template(request: HttpRequest, reference: str) -> HttpResponse:
    review = _review(request)
    response = HttpResponse(template_xlsx(reference=review.reference), XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{template_filename("xlsx", review.reference)}"'
    )
    return response
