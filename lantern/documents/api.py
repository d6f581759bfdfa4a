"""The documents API: the documents a review has (and their settings and issue log), a copy of
any of them in any format, and the 7-minute briefing as data or as a file.

Mounted under /reviews. Access is decided in authentication (`member(need, what)`): 404 for
non-members, 403 for members without the capability; GETs are audited. Every copy generated is
recorded in the issue log and audited as an export, as on the pages and in the CLI.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from lantern.accounts.schemas import error_responses
from lantern.documents import selectors, services
from lantern.documents.content.model import Bullets, Document, Text
from lantern.documents.models import DocumentIssue, HeadingSet, Kind
from lantern.reviews.access import Cap
from lantern.reviews.api import member
from lantern.reviews.api import request_actor as _actor
from lantern.reviews.api import request_review as _review
from lantern.reviews.models import Review
from lantern.reviews.schemas import choices

router = Router(tags=["Documents"])
ERRORS = error_responses(403, 404, 422)

KindCode = choices(services.DOCUMENT_KINDS)
FormatCode = Literal["docx", "pdf", "xlsx", "html"]
HeadingSetCode = choices(HeadingSet.values)
SettingSource = Literal["review", "partnership", "default"]

_FILE_RESPONSES = {
    200: {
        "description": "The document",
        "content": {content_type: {} for content_type in services.CONTENT_TYPES.values()},
    }
}


# --- shapes ---------------------------------------------------------------------------------------


class SettingsOut(Schema):
    heading_set: HeadingSetCode
    marking: str = Field(description="The protective marking drafts carry; empty for none")
    local_services: str
    why_it_matters: str
    practice_points: str
    reflection_questions: str
    sources: dict[str, SettingSource] = Field(
        description="Where each value comes from: the review, the partnership's default, or "
        "Lantern's default"
    )


class SettingsIn(Schema):
    heading_set: Literal["", "standard", "alternative"] | None = None
    marking: str | None = Field(None, max_length=services.MAX_MARKING)
    local_services: str | None = None
    why_it_matters: str | None = None
    practice_points: str | None = None
    reflection_questions: str | None = None
    partnership_default: bool = Field(
        False,
        description="Also make these the default of every review of the partnership "
        "(the partnership's coordinators only)",
    )


class DocumentKindOut(Schema):
    kind: KindCode
    name: str
    formats: list[FormatCode]


class IssueOut(Schema):
    id: int
    kind: KindCode
    format: FormatCode
    filename: str
    issued_to: str
    marking: str
    sha256: str
    bytes: int
    generated_at: str
    generated_by: str
    channel: str


class DocumentsOut(Schema):
    reference: str
    documents: list[DocumentKindOut]
    settings: SettingsOut
    issued: list[IssueOut] = Field(description="The issue log, newest first (at most 100)")


class IssueIn(Schema):
    format: FormatCode
    issued_to: str = Field("", max_length=services.MAX_ISSUED_TO, examples=["Review panel"])
    marking: str | None = Field(
        None,
        max_length=services.MAX_MARKING,
        description='Another protective marking for this copy ("" for none); needs '
        "edit_drafts. Leave out for the review's marking.",
    )


class BlockOut(Schema):
    type: Literal["text", "bullets"]
    text: str = ""
    items: list[str] = []


class BriefingSectionOut(Schema):
    number: int
    heading: str
    blocks: list[BlockOut]


class BriefingOut(Schema):
    reference: str
    title: str
    subtitle: str
    partnership: str
    heading_set: HeadingSetCode
    marking: str
    sections: list[BriefingSectionOut]


def _issue_out(issue: DocumentIssue) -> dict[str, Any]:
    return services.issue_dict(issue)


def _briefing_out(review: Review, document: Document, heading_set: str) -> dict[str, Any]:
    sections = []
    for number, section in enumerate(document.sections, start=1):
        blocks = []
        for block in section.blocks:
            if isinstance(block, Bullets):
                blocks.append({"type": "bullets", "items": list(block.items)})
            elif isinstance(block, Text):
                blocks.append({"type": "text", "text": block.text})
        sections.append({"number": number, "heading": section.heading, "blocks": blocks})
    return {
        "reference": review.reference,
        "title": document.title,
        "subtitle": document.subtitle,
        "partnership": document.partnership,
        "heading_set": heading_set,
        "marking": document.marking,
        "sections": sections,
    }


def _file(issued: services.IssuedDocument) -> HttpResponse:
    response = HttpResponse(issued.content, content_type=issued.content_type)
    response["Content-Disposition"] = f'attachment; filename="{issued.filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Lantern-SHA256"] = issued.issue.sha256
    return response


# --- routes ---------------------------------------------------------------------------------------


@router.get(
    "/{reference}/documents",
    response={200: DocumentsOut, **ERRORS},
    auth=member(Cap.VIEW_DOCUMENTS, "documents"),
    operation_id="documents_list",
    summary="The documents Lantern generates for the review, their settings and the issue log",
)
def documents_list(request: HttpRequest, reference: str) -> Any:
    review = _review(request)
    return {
        "reference": review.reference,
        "documents": [
            {"kind": kind, "name": str(Kind(kind).label), "formats": list(services.FORMATS[kind])}
            for kind in services.DOCUMENT_KINDS
        ],
        "settings": selectors.settings_for(review).as_dict(),
        "issued": [_issue_out(i) for i in selectors.issue_log(review)[:100]],
    }


@router.get(
    "/{reference}/documents/settings",
    response={200: SettingsOut, **ERRORS},
    auth=member(Cap.VIEW_DOCUMENTS, "document settings"),
    operation_id="document_settings_get",
    summary="The document settings in force: briefing headings, marking, local services",
)
def document_settings_get(request: HttpRequest, reference: str) -> Any:
    return selectors.settings_for(_review(request)).as_dict()


@router.put(
    "/{reference}/documents/settings",
    response={200: SettingsOut, **ERRORS},
    auth=member(Cap.EDIT_DRAFTS, "document settings"),
    operation_id="document_settings_update",
    summary='Change the review\'s document settings (fields left out are kept; "" clears one)',
)
def document_settings_update(request: HttpRequest, reference: str, payload: SettingsIn) -> Any:
    review = _review(request)
    values = payload.model_dump(exclude_unset=True, exclude={"partnership_default"})
    values = {name: value or "" for name, value in values.items()}
    services.document_settings_update(
        review=review,
        by=_actor(request),
        values=values,
        partnership_default=payload.partnership_default,
    )
    return selectors.settings_for(review).as_dict()


@router.get(
    "/{reference}/documents/issued",
    response={200: list[IssueOut], **ERRORS},
    auth=member(Cap.VIEW_DOCUMENTS, "document issue log"),
    operation_id="documents_issued",
    summary="The issue log: every copy generated, newest first",
)
def documents_issued(request: HttpRequest, reference: str) -> Any:
    return [_issue_out(i) for i in selectors.issue_log(_review(request))]


@router.post(
    "/{reference}/documents/{kind}",
    response={200: None, **ERRORS},
    auth=member(Cap.VIEW_DOCUMENTS, "documents"),
    operation_id="document_generate",
    summary="Generate a copy of a document (recorded in the issue log); the file is the body",
    description="overview_report and executive_summary: docx or pdf; action_plan: docx, xlsx "
    "or pdf; briefing: docx, pdf or html. The SHA-256 recorded in the issue log is also in the "
    "X-Lantern-SHA256 header.",
    openapi_extra={"responses": _FILE_RESPONSES},
)
def document_generate(request: HttpRequest, reference: str, kind: str, payload: IssueIn) -> Any:
    issued = services.document_issue(
        review=_review(request),
        kind=kind,
        fmt=payload.format,
        by=_actor(request),
        issued_to=payload.issued_to,
        marking=payload.marking,
    )
    return _file(issued)


@router.get(
    "/{reference}/briefing",
    response={200: BriefingOut, **ERRORS},
    auth=member(Cap.VIEW_DOCUMENTS, "7-minute briefing"),
    operation_id="briefing_get",
    summary="The 7-minute briefing: its seven sections as data, or with ?format= a file",
    description="With format (docx, pdf or html) the body is the file, and the copy is "
    "recorded in the issue log with issued_to.",
    openapi_extra={
        "responses": {
            200: {
                "description": "The briefing",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/BriefingOut"}},
                    **{services.CONTENT_TYPES[f]: {} for f in services.FORMATS["briefing"]},
                },
            }
        }
    },
)
def briefing_get(
    request: HttpRequest,
    reference: str,
    format: Literal["docx", "pdf", "html"] | None = None,
    issued_to: str = "",
) -> Any:
    review = _review(request)
    if format is not None:
        return _file(
            services.document_issue(
                review=review,
                kind="briefing",
                fmt=format,
                by=_actor(request),
                issued_to=issued_to,
            )
        )
    document = services.build_document(
        review, "briefing", issued_to=issued_to, viewer=_actor(request)
    )
    return _briefing_out(review, document, selectors.settings_for(review).heading_set)
