"""The library's pages: search with filters, a document with its facts and text, corrections,
learning across reviews (charts, CSV, XLSX), the ingest page with its background job, and
published reviews like a live one."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.library import access, exports, selectors, services, vocab
from lantern.library import facts as factlib
from lantern.library.forms import CorrectionForm, IngestForm, SearchForm
from lantern.library.models import Document, IngestJob
from lantern.recommendations.charts import stacked_bars
from lantern.reviews.access import Cap, review_get_for_user

PER_PAGE = 20


def reader(view: Callable) -> Callable:
    """The library is open to everyone signed in (or everyone, when public)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.can_read(request.user):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def editor(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access.ensure_can_edit(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"can_edit": access.can_edit(request.user), **extra}


# --- search ----------------------------------------------------------------------------------


@require_GET
@reader
def home(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    result = None
    filters: dict[str, str] = {}
    query = ""
    semantic = False
    page_number = 1
    if form.is_bound and form.is_valid():
        filters = form.filters()
        query = form.cleaned_data["q"].strip()
        semantic = form.cleaned_data["semantic"]
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    if not form.is_bound or form.is_valid():
        result = selectors.search(
            query,
            semantic_mode=semantic,
            filters=filters,
            limit=PER_PAGE,
            offset=(page_number - 1) * PER_PAGE,
        )
        if query:
            audit_record(
                action=AuditEvent.Action.READ,
                by=request.user,
                object_type="library search",
                summary="Searched the library" + (" by meaning" if semantic else ""),
                data={"query": query[:200], "filters": filters, "found": result.total},
            )
    pages = max(1, -(-result.total // PER_PAGE)) if result else 1
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "library/home.html",
        _context(
            request,
            title=_("Library of published reviews"),
            form=form,
            result=result,
            query=query,
            semantic=semantic,
            filters=filters,
            page_number=page_number,
            pages=pages,
            base_query=params.urlencode(),
            total_documents=Document.objects.count(),
        ),
    )


# --- one document ----------------------------------------------------------------------------


def _fact_rows(document: Document) -> list[dict[str, Any]]:
    evidence = (document.extracted or {}).get("evidence", {})
    extracted = (document.extracted or {}).get("values", {})
    corrections = selectors.corrections_by_field(document)
    rows = []
    for key in factlib.FACT_KEYS:
        value = document.facts.get(key)
        correction = corrections.get(key)
        rows.append(
            {
                "key": key,
                "label": _(factlib.FACT_LABELS[key]),
                "value": value,
                "shown": factlib.display(key, value),
                "extracted_shown": factlib.display(key, extracted.get(key)),
                "evidence": evidence.get(key),
                "correction": correction,
            }
        )
    return rows


@require_GET
@reader
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.defer("original"), pk=pk)
    audit_record(
        action=AuditEvent.Action.READ,
        by=request.user,
        obj=document,
        object_type="library document",
        summary=f"Viewed {document.filename}",
    )
    pages = Paginator(document.pages.order_by("number"), 5)
    text_page = pages.get_page(request.GET.get("text_page"))
    recommendations = list(document.recommendation_rows.all())
    for r in recommendations:
        r.addressee_label = vocab.label(vocab.addressees(), r.addressee)
        r.theme_label = vocab.label(vocab.recommendation_themes(), r.theme)
    return render(
        request,
        "library/document.html",
        _context(
            request,
            title=document.display_title,
            document=document,
            facts=[r for r in _fact_rows(document) if r["key"] != "recommendations"],
            recommendations=recommendations,
            themes=[vocab.label(vocab.THEMES, t) for t in document.facts.get("themes") or []],
            similar=selectors.similar_documents(document=document, limit=5),
            text_page=text_page,
            highlight_page=request.GET.get("p"),
        ),
    )


@require_GET
@reader
def document_original(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    if document.original is None:
        raise Http404
    types = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "html": "text/plain; charset=utf-8",  # never rendered as a page of ours
        "txt": "text/plain; charset=utf-8",
    }
    response = HttpResponse(
        bytes(document.original),
        content_type=types.get(document.format, "application/octet-stream"),
    )
    safe = "".join(c for c in document.filename if c.isalnum() or c in "._- ") or "document"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


@require_http_methods(["GET", "POST"])
@editor
def fact_correct(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    document = get_object_or_404(Document.objects.defer("original"), pk=pk)
    if field not in factlib.FACT_KEYS:
        raise Http404
    current = document.facts.get(field)
    form = CorrectionForm(request.POST or None, field=field, current=current)
    if request.method == "POST":
        confirm = "confirm" in request.POST
        if confirm or form.is_valid():
            note = (
                form.cleaned_data.get("note", "")
                if form.is_valid()
                else request.POST.get("note", "")
            )
            services.fact_correct(
                document=document,
                field=field,
                value=None if confirm else form.cleaned_data["value"],
                by=request.user,
                note=note or "",
                confirm=confirm,
            )
            label = _(factlib.FACT_LABELS[field])
            messages.success(
                request,
                (_("%(fact)s confirmed.") if confirm else _("%(fact)s corrected."))
                % {"fact": label},
            )
            return redirect(reverse("library:document", args=[document.pk]) + f"#fact-{field}")
    evidence = (document.extracted or {}).get("evidence", {}).get(field)
    return render(
        request,
        "library/correct.html",
        _context(
            request,
            title=_("Correct: %(fact)s") % {"fact": _(factlib.FACT_LABELS[field])},
            document=document,
            field=field,
            form=form,
            evidence=evidence,
            shown=factlib.display(field, current),
            history=document.corrections.filter(field=field).select_related("by").order_by("-at"),
        ),
    )


# --- learning across reviews -----------------------------------------------------------------


def _bars(rows: list[dict[str, Any]], *, limit: int = 30) -> Any:
    series = [("count", _("Reviews"))]
    return stacked_bars(
        [(r["label"], {"count": r["count"]}) for r in rows[:limit]],
        series,
        width=900,
        label_width=330,
    )


def _learning_filters(request: HttpRequest) -> tuple[SearchForm, dict[str, str]]:
    form = SearchForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    return form, filters


@require_GET
@reader
def learning(request: HttpRequest) -> HttpResponse:
    form, filters = _learning_filters(request)
    stats = selectors.library_stats(filters=filters)
    themes = [r for r in stats["themes"] if r["count"] or r["code"] == ""]
    rec_series = [("count", _("Recommendations"))]
    year_rows = [(str(y["year"]), {"count": y["count"]}) for y in stats["years"]]
    return render(
        request,
        "library/learning.html",
        _context(
            request,
            title=_("Learning across published reviews"),
            form=form,
            stats=stats,
            query=request.GET.urlencode(),
            theme_chart=_bars(themes),
            theme_rows=stats["themes"],
            relationship_chart=_bars(stats["relationship_category"]),
            death_chart=_bars(stats["death_type"]),
            age_chart=_bars(stats["victim_age_band"]),
            year_chart=stacked_bars(
                year_rows, [("count", _("Reviews"))], width=900, label_width=120
            ),
            addressee_chart=stacked_bars(
                [
                    (r["label"], {"count": r["count"]})
                    for r in stats["recommendations"]["by_addressee"]
                ],
                rec_series,
                width=900,
                label_width=330,
            ),
            rec_theme_chart=stacked_bars(
                [(r["label"], {"count": r["count"]}) for r in stats["recommendations"]["by_theme"]],
                rec_series,
                width=900,
                label_width=330,
            ),
        ),
    )


def _audit_export(request: HttpRequest, kind: str, filters: dict[str, str]) -> None:
    audit_record(
        action=AuditEvent.Action.EXPORT,
        by=request.user,
        object_type="library learning",
        summary=f"Downloaded the learning across published reviews ({kind})",
        data={"filters": filters},
    )


@require_GET
@reader
def learning_csv(request: HttpRequest) -> HttpResponse:
    _form, filters = _learning_filters(request)
    stats = selectors.library_stats(filters=filters)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in exports.learning_rows(stats):
        writer.writerow(exports.csv_cells(row))
    _audit_export(request, "CSV", filters)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="library-learning-{timezone.localdate().isoformat()}.csv"'
    )
    return response


@require_GET
@reader
def learning_xlsx(request: HttpRequest) -> HttpResponse:
    _form, filters = _learning_filters(request)
    stats = selectors.library_stats(filters=filters)
    data = exports.learning_xlsx(stats)
    _audit_export(request, "XLSX", filters)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="library-learning-{timezone.localdate().isoformat()}.xlsx"'
    )
    return response


# --- ingest ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@editor
def ingest(request: HttpRequest) -> HttpResponse:
    form = IngestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
        job = services.ingest_job_create(
            files=files, by=request.user, source_note=form.cleaned_data["source_note"]
        )
        return redirect("library:job", pk=job.pk)
    return render(
        request,
        "library/ingest.html",
        _context(
            request,
            title=_("Add published reviews"),
            form=form,
            jobs=IngestJob.objects.filter(created_by=request.user)[:10],
        ),
    )


def _job_for(request: HttpRequest, pk: int) -> IngestJob:
    job = get_object_or_404(IngestJob, pk=pk)
    if job.created_by_id != request.user.pk and not getattr(request.user, "is_system", False):
        access.ensure_can_edit(request.user)
    return job


def _job_context(job: IngestJob) -> dict[str, Any]:
    results = job.results or []
    return {
        "job": job,
        "percent": int(100 * job.done / job.total) if job.total else 100,
        "stored": [r for r in results if r["status"] == "stored"],
        "duplicates": [r for r in results if r["status"] == "duplicate"],
        "failed": [r for r in results if r["status"] in ("failed", "skipped")],
        "finished": job.status == IngestJob.Status.DONE,
    }


@require_GET
@editor
def job(request: HttpRequest, pk: int) -> HttpResponse:
    found = _job_for(request, pk)
    return render(
        request,
        "library/job.html",
        _context(request, title=_("Adding published reviews"), **_job_context(found)),
    )


@require_GET
@editor
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    found = _job_for(request, pk)
    return render(request, "library/_job_status.html", _job_context(found))


# --- beside a live review --------------------------------------------------------------------


def review_similar(request: HttpRequest, reference: str) -> HttpResponse:
    """Published reviews like this live one: for members of the review who may view it.
    Access is decided before the method, so a non-member gets 404 whatever they send."""
    review = review_get_for_user(
        user=request.user,
        reference=reference,
        need=Cap.VIEW,
        what="similar published reviews",
        audit=request.method == "GET",
    )
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    query = selectors.live_review_query(review=review, user=request.user)
    hits = selectors.similar_to_text(query, limit=10) if query.strip() else []
    themes = selectors.live_review_recommendation_themes(review=review, user=request.user)
    similar_ids = [h.document.pk for h in hits]
    recurring = []
    if themes:
        recurring = selectors.recurring_recommendations(themes=themes, limit=10)
    elif similar_ids:
        recurring = selectors.recurring_recommendations(
            documents=Document.objects.filter(pk__in=similar_ids), limit=10
        )
    return render(
        request,
        "library/review_similar.html",
        {
            "title": _("Published reviews like this one"),
            "review": review,
            "caps": review.viewer_caps,  # type: ignore[attr-defined]
            "hits": hits,
            "recurring": recurring,
            "themes": [vocab.label(vocab.recommendation_themes(), t) for t in themes],
            "had_query": bool(query.strip()),
        },
    )


def validation_problem(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{k}: {m}" for k, ms in error.message_dict.items() for m in ms)
    return "; ".join(error.messages)
