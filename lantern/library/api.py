"""The library API (mounted at /api/library): documents, their pages and facts, corrections,
search (full-text and by meaning), the learning across reviews, uploads, and published reviews
like a live one.

Reading is open to everyone signed in (or anyone, with LANTERN_LIBRARY_ACCESS="public");
writing is for coordinators, administrators and holders of `library.edit_library`, refused with
403 before the body is read. Published reviews like a live review are for members of that review
only: anyone else gets 404, as for everything about a review.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from lantern.accounts.schemas import error_responses
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.library import access, selectors, services
from lantern.library.models import Document, IngestJob
from lantern.reviews.access import Cap, review_get_for_user

router = Router(tags=["Library"])
READ_ERRORS = error_responses(404, 422)
WRITE_ERRORS = error_responses(403, 404, 422)


class FiltersIn(Schema):
    theme: str | None = None
    relationship: str | None = None
    age_band: str | None = None
    death_type: str | None = None
    year: str | None = None
    report_year: str | None = None
    csp: str | None = None
    sex: str | None = None
    addressee: str | None = None
    recommendation_theme: str | None = None
    format: str | None = None

    def as_filters(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump().items() if v not in (None, "")}


class EvidenceOut(Schema):
    page: int | None = None
    start: int
    end: int
    passage: str


class DocumentOut(Schema):
    id: int
    filename: str
    title: str
    format: str
    words: int
    pages: int
    ingested_at: datetime
    source_note: str
    facts: dict[str, Any]


class CorrectionOut(Schema):
    id: int
    field: str
    kind: Literal["confirm", "correct"]
    value: Any = None
    note: str
    by: str | None = None
    at: datetime


class DocumentDetailOut(DocumentOut):
    extracted: dict[str, Any]
    evidence: dict[str, EvidenceOut]
    corrections: list[CorrectionOut]


class DocumentPageOut(Schema):
    number: int
    text: str


class HitOut(Schema):
    document: str
    title: str
    score: float
    snippet: str
    id: int
    page: int | None = None


class SearchOut(Schema):
    query: str
    mode: Literal["fulltext", "semantic", "browse"]
    total: int
    any_term: bool
    results: list[HitOut]


class CorrectionIn(Schema):
    field: str
    value: Any = None
    note: str = ""
    confirm: bool = False


class FileResultOut(Schema):
    file: str
    status: Literal["stored", "duplicate", "failed", "skipped"]
    reason: str
    document: int | None = None
    title: str
    pages: int
    words: int


class JobOut(Schema):
    id: int
    status: Literal["waiting", "running", "done"]
    total: int
    done: int
    results: list[FileResultOut]
    created_at: datetime
    finished_at: datetime | None = None


def _document_out(d: Document) -> dict[str, Any]:
    return {
        "id": d.pk,
        "filename": d.filename,
        "title": d.display_title,
        "format": d.format,
        "words": d.words,
        "pages": d.pages_count,
        "ingested_at": d.ingested_at,
        "source_note": d.source_note,
        "facts": d.facts,
    }


def _job_out(job: IngestJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "status": job.status,
        "total": job.total,
        "done": job.done,
        "results": job.results,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _document(id: int) -> Document:
    return get_object_or_404(Document.objects.defer("original"), pk=id)


@router.get(
    "/documents",
    response={200: list[DocumentOut], **READ_ERRORS},
    auth=access.reader_auth(),
    operation_id="library_documents_list",
    summary="Published reviews in the library, newest first, filtered by their facts",
)
def documents_list(
    request: HttpRequest, filters: Query[FiltersIn], limit: int = 50, offset: int = 0
) -> Any:
    qs = selectors.filter_documents(filters.as_filters()).defer("original", "extracted")
    limit = max(1, min(limit, 500))
    return [_document_out(d) for d in qs.order_by("-ingested_at", "-id")[offset : offset + limit]]


@router.get(
    "/documents/{id}",
    response={200: DocumentDetailOut, **READ_ERRORS},
    auth=access.reader_auth(),
    operation_id="library_document_get",
    summary="One published review: its effective facts, the facts as extracted with the passage "
    "each came from, and every confirmation or correction",
)
def document_get(request: HttpRequest, id: int) -> Any:
    document = _document(id)
    audit_record(
        action=AuditEvent.Action.READ,
        by=_user(request),
        obj=document,
        object_type="library document",
        summary=f"Viewed {document.filename}",
    )
    out = _document_out(document)
    out["extracted"] = (document.extracted or {}).get("values", {})
    out["evidence"] = (document.extracted or {}).get("evidence", {})
    out["corrections"] = [
        {
            "id": c.pk,
            "field": c.field,
            "kind": c.kind,
            "value": c.value,
            "note": c.note,
            "by": c.by.username if c.by else None,
            "at": c.at,
        }
        for c in document.corrections.select_related("by").order_by("at", "id")
    ]
    return out


@router.get(
    "/documents/{id}/pages",
    response={200: list[DocumentPageOut], **READ_ERRORS},
    auth=access.reader_auth(),
    operation_id="library_document_pages",
    summary="The text of a published review, page by page",
)
def document_pages(request: HttpRequest, id: int) -> Any:
    document = _document(id)
    return list(document.pages.order_by("number").values("number", "text"))


@router.get(
    "/documents/{id}/similar",
    response={200: list[HitOut], **READ_ERRORS},
    auth=access.reader_auth(),
    operation_id="library_document_similar",
    summary="Published reviews closest in meaning to this one",
)
def document_similar(request: HttpRequest, id: int, limit: int = 5) -> Any:
    document = _document(id)
    return [
        h.as_dict() for h in selectors.similar_documents(document=document, limit=min(limit, 50))
    ]


@router.post(
    "/documents/{id}/facts",
    response={201: CorrectionOut, **WRITE_ERRORS},
    auth=access.editor_auth(),
    operation_id="library_fact_correct",
    summary="Confirm a fact as it stands, or correct it (kept over any re-extraction)",
)
def fact_correct(request: HttpRequest, id: int, payload: CorrectionIn) -> Any:
    document = _document(id)
    correction = services.fact_correct(
        document=document,
        field=payload.field,
        value=payload.value,
        by=_user(request),
        note=payload.note,
        confirm=payload.confirm,
    )
    return Status(
        201,
        {
            "id": correction.pk,
            "field": correction.field,
            "kind": correction.kind,
            "value": correction.value,
            "note": correction.note,
            "by": correction.by.username if correction.by else None,
            "at": correction.at,
        },
    )


@router.post(
    "/documents/{id}/reextract",
    response={200: DocumentOut, **WRITE_ERRORS},
    auth=access.editor_auth(),
    operation_id="library_document_reextract",
    summary="Read the facts from the stored text again (corrections still win)",
)
def document_reextract(request: HttpRequest, id: int) -> Any:
    document = services.document_reextract(document=_document(id), by=_user(request))
    return _document_out(document)


@router.get(
    "/search",
    response={200: SearchOut, **READ_ERRORS},
    auth=access.reader_auth(),
    operation_id="library_search",
    summary="Search the library: full-text with snippets, or by meaning (`semantic=true`); "
    "scores from 0 to 1, best first",
)
def search(
    request: HttpRequest,
    filters: Query[FiltersIn],
    q: str = "",
    semantic: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> Any:
    result = selectors.search(
        q[:500], semantic_mode=semantic, filters=filters.as_filters(), limit=limit, offset=offset
    )
    if q.strip():
        audit_record(
            action=AuditEvent.Action.READ,
            by=_user(request),
            object_type="library search",
            summary="Searched the library" + (" by meaning" if semantic else ""),
            data={"query": q[:200], "filters": filters.as_filters(), "found": result.total},
        )
    return {
        "query": q,
        "mode": result.mode,
        "total": result.total,
        "any_term": result.any_term,
        "results": [h.as_dict() for h in result.hits],
    }


@router.get(
    "/stats",
    response={200: dict[str, Any], **READ_ERRORS},
    auth=access.reader_auth(),
    operation_id="library_stats",
    summary="Learning across the library: themes, relationships, deaths, years, "
    "recommendations by addressee and theme, recurring recommendations, with counts",
)
def stats(request: HttpRequest, filters: Query[FiltersIn]) -> Any:
    return selectors.library_stats(filters=filters.as_filters())


_FILES = File(...)
_NOTE = Form("")


@router.post(
    "/ingest",
    response={202: JobOut, **WRITE_ERRORS},
    auth=access.editor_auth(),
    operation_id="library_ingest",
    summary="Upload published review documents (multipart `files`); they are read by a "
    "background job whose progress is at /ingest/{id}",
)
def ingest(
    request: HttpRequest, files: list[UploadedFile] = _FILES, source_note: str = _NOTE
) -> Any:
    if not files:
        raise ValidationError({"files": "Send at least one file."})
    job = services.ingest_job_create(
        files=[(f.name or "upload", f.read()) for f in files],
        by=_user(request),
        source_note=source_note,
    )
    job.refresh_from_db()
    return Status(202, _job_out(job))


@router.get(
    "/ingest/{id}",
    response={200: JobOut, **WRITE_ERRORS},
    auth=access.editor_auth(),
    operation_id="library_ingest_job",
    summary="How an upload is going: files read so far, each stored, a duplicate or failed",
)
def ingest_job(request: HttpRequest, id: int) -> Any:
    return _job_out(get_object_or_404(IngestJob, pk=id))


@router.get(
    "/similar-to-review",
    response={200: list[HitOut], **READ_ERRORS},
    operation_id="library_similar_to_review",
    summary="Published reviews like a live review (`review=REFERENCE`), for its members: 404 "
    "for anyone else",
)
def similar_to_review(request: HttpRequest, review: str, limit: int = 10) -> Any:
    found = review_get_for_user(
        user=_user(request), reference=review, need=Cap.VIEW, what="similar published reviews"
    )
    query = selectors.live_review_query(review=found, user=_user(request))
    if not query.strip():
        return []
    return [h.as_dict() for h in selectors.similar_to_text(query, limit=max(1, min(limit, 50)))]
