"""Chronology pages: the combined chronology, an entry (edit, history, analysis, themes), the
timeline with its monthly chart, and the exports. Mounted under /reviews/<reference>/chronology/.

Every page needs `Cap.VIEW_CHRONOLOGY` and shows only `entries_visible_to(user, review)`: an
agency author sees their own agency's entries, a panel member what has been shared with the
panel (and their own agency's), the coordinator, chair and author everything. An entry the
reader may not see answers 404, as if it did not exist. Each GET records one audit read (the
page, with its filters), never one per entry; exports are recorded as exports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Max, Min
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.accounts.models import User
from lantern.chronology import timeline as tl
from lantern.chronology.exports import chronology_export, entry_date_text
from lantern.chronology.forms_combined import EntryCommentForm, EntryEditForm, EntryFilterForm
from lantern.chronology.models import ChronologyEntry, EntryFlag, EntryRevision, Subject, ThemeTag
from lantern.chronology.selectors import can_edit_agency
from lantern.chronology.selectors_entries import (
    EntryListing,
    agencies_with_entries,
    entries_filtered,
    entry_for_user,
    monthly_counts,
    names_shown_to,
    theme_label,
    top_level_theme_choices,
    top_level_themes,
)
from lantern.chronology.services_entries import StaleEntryError, entry_comment, entry_update
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.access import Cap, review_get_for_user
from lantern.reviews.forms_process import add_service_errors
from lantern.reviews.models import Review

PAGE_SIZE = 50
MAX_TIMELINE_MARKS = 3000
TRUNCATE_WORDS = 40

FLAG_TAGS = {
    EntryFlag.MISSED_OPPORTUNITY: (EntryFlag.MISSED_OPPORTUNITY.label, "red"),
    EntryFlag.GOOD_PRACTICE: (EntryFlag.GOOD_PRACTICE.label, "green"),
}
TAG_STATUS = {
    ThemeTag.Status.SUGGESTED: (ThemeTag.Status.SUGGESTED.label, "blue"),
    ThemeTag.Status.CONFIRMED: (ThemeTag.Status.CONFIRMED.label, "green"),
    ThemeTag.Status.REJECTED: (ThemeTag.Status.REJECTED.label, "grey"),
}
FIELD_LABELS = {
    "date": gettext_lazy("Date"),
    "date_precision": gettext_lazy("How exact the date is"),
    "time": gettext_lazy("Time"),
    "subject": gettext_lazy("Subject"),
    "what_happened": gettext_lazy("What happened"),
    "action_taken": gettext_lazy("Action taken / outcome"),
    "risk_assessment": gettext_lazy("Risk assessment and referrals"),
    "analyst_comment": gettext_lazy("Analyst comment"),
    "flag": gettext_lazy("Flag"),
}


# --- helpers -------------------------------------------------------------------------------------


def _fetch(request: HttpRequest, reference: str, what: str) -> Review:
    """The review, if the user may open chronology pages; the read is audited by the caller."""
    return review_get_for_user(
        user=request.user,
        reference=reference,
        need=Cap.VIEW_CHRONOLOGY,
        audit=False,
        what=what,
    )


def _caps(review: Review) -> frozenset[str]:
    return review.viewer_caps  # type: ignore[attr-defined]


def _subject(entry: ChronologyEntry, show: Callable[[ChronologyEntry, str], str]) -> str:
    if entry.subject:
        return str(entry.get_subject_display())
    return show(entry, entry.subject_text)


def _risk(entry: ChronologyEntry, show: Callable[[ChronologyEntry, str], str]) -> dict[str, Any]:
    referrals = []
    if entry.dash_level or entry.dash_score is not None:
        level = entry.get_dash_level_display() if entry.dash_level else ""
        score = f" ({entry.dash_score})" if entry.dash_score is not None else ""
        referrals.append(_("DASH %(level)s%(score)s") % {"level": level, "score": score})
    if entry.marac_referral:
        referrals.append(_("MARAC"))
    if entry.mash_referral:
        referrals.append(_("MASH"))
    return {"text": show(entry, entry.risk_assessment), "referrals": referrals}


def _flag_tag(flag: str) -> dict[str, str] | None:
    if flag in FLAG_TAGS:
        text, colour = FLAG_TAGS[flag]  # type: ignore[index]
        return {"text": str(text), "colour": colour}
    return None


def _filter_form(request: HttpRequest, review: Review) -> EntryFilterForm:
    agencies = agencies_with_entries(user=request.user, review=review)
    data = request.GET if any(k != "page" for k in request.GET) else None
    return EntryFilterForm(data, agencies=agencies, themes=top_level_theme_choices())


def _query(request: HttpRequest, **replace: Any) -> str:
    """The current query string with `replace` applied (None removes a key)."""
    params: QueryDict = request.GET.copy()
    for key, value in replace.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return params.urlencode()


def _pagination(request: HttpRequest, page: Page) -> dict[str, Any] | None:
    """The GOV.UK pagination component's items: first, last, current and its neighbours."""
    last = page.paginator.num_pages
    if last <= 1:
        return None
    wanted = {1, last, page.number - 1, page.number, page.number + 1}
    items: list[dict[str, Any]] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append(
            {
                "number": number,
                "href": "?" + _query(request, page=number),
                "current": number == page.number,
            }
        )
        previous = number
    return {
        "items": items,
        "previous": "?" + _query(request, page=page.number - 1) if page.has_previous() else "",
        "next": "?" + _query(request, page=page.number + 1) if page.has_next() else "",
    }


def _audit_read(request: HttpRequest, review: Review, what: str, summary: str, **data: Any) -> None:
    audit_record(
        action=AuditEvent.Action.READ,
        by=request.user,
        review=review,
        object_type=what,
        object_id=str(data.pop("object_id", review.reference)),
        summary=summary,
        data={k: v for k, v in data.items() if v not in (None, {}, [], "")},
    )


# --- the combined chronology -------------------------------------------------------------------


@login_required
def combined(request: HttpRequest, reference: str) -> HttpResponse:
    review = _fetch(request, reference, "combined chronology")
    form = _filter_form(request, review)
    filters = form.filters()
    paginator = Paginator(
        EntryListing(user=request.user, review=review, filters=filters), PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    entries = list(page.object_list)
    themes = top_level_themes(review=review, entry_ids=[e.pk for e in entries])
    show = names_shown_to(user=request.user, review=review)
    rows = []
    for entry in entries:
        rows.append(
            {
                "entry": entry,
                "date": entry_date_text(entry),
                "subject": _subject(entry, show),
                "what_happened": Truncator(show(entry, entry.what_happened)).words(TRUNCATE_WORDS),
                "truncated": len(entry.what_happened.split()) > TRUNCATE_WORDS,
                "action_taken": Truncator(show(entry, entry.action_taken)).words(TRUNCATE_WORDS),
                "risk": _risk(entry, show),
                "flag": _flag_tag(entry.flag),
                "analyst_comment": show(entry, entry.analyst_comment),
                "themes": [theme_label(code) for code in themes.get(entry.pk, [])],
            }
        )
    _audit_read(
        request,
        review,
        "combined chronology",
        "Viewed the combined chronology",
        filters=filters.as_audit_data(),
        page=page.number,
        entries=len(entries),
    )
    query = _query(request, page=None)
    return render(
        request,
        "chronology/combined.html",
        {
            "review": review,
            "caps": _caps(review),
            "form": form,
            "filters": filters,
            "rows": rows,
            "page": page,
            "pagination": _pagination(request, page),
            "query": query,
            "any_entries": bool(form.fields["agency"].choices),
        },
    )


# --- one entry ---------------------------------------------------------------------------------


def _show_value(field: str, value: Any) -> str:
    if value in (None, ""):
        return "–"
    if field == "date":
        try:
            return date_format(dt.date.fromisoformat(value), "j F Y")
        except (TypeError, ValueError):
            return str(value)
    if field == "subject":
        return str(Subject(value).label) if value in Subject.values else str(value)
    if field == "flag":
        return str(EntryFlag(value).label) if value in EntryFlag.values else str(value)
    if field == "date_precision":
        precision = ChronologyEntry.Precision
        return str(precision(value).label) if value in precision.values else str(value)
    return str(value)


def _history(
    entry: ChronologyEntry, show: Callable[[ChronologyEntry, str], str]
) -> list[dict[str, Any]]:
    history = []
    revisions = EntryRevision.objects.filter(entry=entry).select_related("by")
    for revision in revisions:
        changes = []
        for field, pair in sorted(revision.changes.items()):
            before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            changes.append(
                {
                    "label": FIELD_LABELS.get(field, field),
                    "before": show(entry, _show_value(field, before)),
                    "after": show(entry, _show_value(field, after)),
                }
            )
        who = revision.by.display_name if isinstance(revision.by, User) else _("Lantern")
        history.append({"at": revision.at, "by": who, "changes": changes})
    return history


def _theme_tags(entry: ChronologyEntry) -> list[dict[str, Any]]:
    tags = []
    for tag in ThemeTag.objects.filter(entry=entry).order_by("status", "theme", "id"):
        text, colour = TAG_STATUS.get(tag.status, (tag.status, "grey"))  # type: ignore[call-overload]
        tags.append(
            {
                "tag": tag,
                "label": theme_label(tag.theme),
                "status": {"text": str(text), "colour": colour},
            }
        )
    return tags


def _decide_theme(request: HttpRequest, entry: ChronologyEntry) -> None:
    """Confirm or reject a theme on the entry, or add one, through the themes app's services."""
    from lantern.themes.services import theme_tag_add, theme_tag_decide

    decision = request.POST.get("decision")
    if decision == "add":
        code = request.POST.get("theme") or ""
        if not code:
            raise ValidationError(_("Choose a theme to add."))
        tag = theme_tag_add(entry=entry, by=request.user, theme=code)
        messages.success(request, _("Theme added: %(theme)s") % {"theme": theme_label(tag.theme)})
        return
    tag = ThemeTag.objects.filter(entry=entry, pk=request.POST.get("tag") or 0).first()
    if tag is None or decision not in (ThemeTag.Status.CONFIRMED, ThemeTag.Status.REJECTED):
        raise ValidationError(_("Choose a theme to confirm or reject."))
    theme_tag_decide(tag=tag, by=request.user, status=decision)
    label = theme_label(tag.theme)
    if decision == ThemeTag.Status.CONFIRMED:
        messages.success(request, _("Theme confirmed: %(theme)s") % {"theme": label})
    else:
        messages.success(request, _("Theme rejected: %(theme)s") % {"theme": label})


def _theme_options() -> list[dict[str, Any]]:
    """The vocabulary for the "add a theme" list: each top-level theme with its finer ones."""
    from lantern.themes.vocabulary import load_vocabulary

    return [
        {
            "code": top.code,
            "label": top.label,
            "children": [{"code": c.code, "label": c.label} for c in top.children],
        }
        for top in load_vocabulary().top_levels
    ]


STALE_ON_PAGE = gettext_lazy(
    "Someone else changed this entry while you were editing it, so nothing was saved. "
    "Check their change, then save yours again."
)


@login_required
def entry_detail(request: HttpRequest, reference: str, entry_id: int) -> HttpResponse:
    review = _fetch(request, reference, "chronology entry")
    entry = entry_for_user(user=request.user, review=review, entry_id=entry_id)
    if entry is None:
        raise Http404
    caps = _caps(review)
    can_analyse = Cap.EDIT_ANALYSIS in caps
    can_edit = can_analyse or (
        Cap.EDIT_OWN_AGENCY_MATERIAL in caps
        and can_edit_agency(user=request.user, review=review, agency_id=entry.agency_id)
    )
    edit_form: EntryEditForm | None = EntryEditForm.for_entry(entry) if can_edit else None
    comment_form: EntryCommentForm | None = (
        EntryCommentForm.for_entry(entry) if can_analyse else None
    )
    stale = False
    here = reverse("chronology:entry", args=[review.reference, entry.pk])

    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "edit" and can_edit:
                edit_form = EntryEditForm(request.POST)
                if edit_form.is_valid():
                    entry_update(
                        entry=entry,
                        by=request.user,
                        changes=edit_form.changes(),
                        expected_version=edit_form.cleaned_data["version"],
                    )
                    messages.success(request, _("Entry saved"))
                    return redirect(here)
            elif which == "comment" and can_analyse:
                comment_form = EntryCommentForm(request.POST)
                if comment_form.is_valid():
                    entry_comment(
                        entry=entry,
                        by=request.user,
                        comment=comment_form.cleaned_data["analyst_comment"],
                        flag=comment_form.cleaned_data["flag"],
                        expected_version=comment_form.cleaned_data["version"],
                    )
                    messages.success(request, _("Analysis saved"))
                    return redirect(here)
            elif which == "theme" and can_analyse:
                _decide_theme(request, entry)
                return redirect(here + "#themes")
            else:
                raise PermissionDenied
        except StaleEntryError:
            stale = True
            entry = entry_for_user(user=request.user, review=review, entry_id=entry_id) or entry
            # What they typed is laid over the entry as it now is; nothing is lost.
            if which == "edit":
                edit_form = EntryEditForm.over(entry, request.POST)
                edit_form.add_error(None, str(STALE_ON_PAGE))
            else:
                comment_form = EntryCommentForm.over(entry, request.POST)
                comment_form.add_error(None, str(STALE_ON_PAGE))
        except ValidationError as error:
            target = edit_form if which == "edit" else comment_form
            if target is not None and target.is_bound:
                add_service_errors(target, error)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect(here + "#themes")
    else:
        _audit_read(
            request,
            review,
            "chronology entry",
            f"Viewed chronology entry {entry.pk}",
            object_id=entry.pk,
            agency=entry.agency.name,
        )

    show = names_shown_to(user=request.user, review=review)
    return render(
        request,
        "chronology/entry.html",
        {
            "review": review,
            "caps": _caps(review),
            "entry": entry,
            "date": entry_date_text(entry),
            "subject": _subject(entry, show),
            "what_happened": show(entry, entry.what_happened),
            "action_taken": show(entry, entry.action_taken),
            "risk": _risk(entry, show),
            "analyst_comment": show(entry, entry.analyst_comment),
            "flag": _flag_tag(entry.flag),
            "source_record": show(entry, entry.source_record),
            "history": _history(entry, show),
            "tags": _theme_tags(entry),
            "edit_form": edit_form,
            "comment_form": comment_form,
            "can_decide_themes": can_analyse,
            "theme_options": _theme_options() if can_analyse else [],
            "stale": stale,
            "error_form": _first_with_errors(edit_form, comment_form),
        },
    )


def _first_with_errors(*forms: Any) -> Any:
    for form in forms:
        if form is not None and form.is_bound and form.errors:
            return form
    return None


# --- the timeline and the monthly chart ---------------------------------------------------------


def _timeline_entries(
    request: HttpRequest,
    review: Review,
    entries: list[ChronologyEntry],
    themes: dict[int, list[str]],
) -> list[tl.TimelineEntry]:
    show = names_shown_to(user=request.user, review=review)
    out = []
    for e in entries:
        first = (themes.get(e.pk) or [""])[0]
        words = Truncator(show(e, e.what_happened)).words(20)
        theme = f" ({theme_label(first)})" if first else ""
        title = f"{entry_date_text(e)}, {e.agency.name}{theme}: {words}"
        out.append(
            tl.TimelineEntry(
                id=e.pk,
                agency_id=e.agency_id,
                agency=e.agency.name,
                date=e.date,
                month_precision=e.date_precision == ChronologyEntry.Precision.MONTH,
                theme=first,
                title=title,
            )
        )
    return out


@login_required
def timeline(request: HttpRequest, reference: str) -> HttpResponse:
    review = _fetch(request, reference, "chronology timeline")
    form = _filter_form(request, review)
    filters = form.filters()
    qs = entries_filtered(user=request.user, review=review, filters=filters)
    bounds = qs.order_by().aggregate(first=Min("date"), last=Max("date"))
    start = filters.date_from or (tl.first_of_month(bounds["first"]) if bounds["first"] else None)
    end = filters.date_to or (tl.last_of_month(bounds["last"]) if bounds["last"] else None)
    total = qs.count()
    too_many = total > MAX_TIMELINE_MARKS
    theme_choices = top_level_theme_choices()
    theme_order = [code for code, _label in theme_choices]
    drawing = None
    if total and not too_many:
        entries = list(qs.order_by("date", "id"))
        themes = top_level_themes(review=review, entry_ids=[e.pk for e in entries])
        drawing = tl.build_timeline(
            _timeline_entries(request, review, entries, themes),
            start=start,
            end=end,
            theme_order=theme_order,
        )
    counts = monthly_counts(qs)
    chart = tl.build_month_chart(tl.month_buckets(counts, start, end)) if counts else None
    month_rows = []
    if chart:
        for bar in chart.bars:
            month_filter = {
                "date_from": bar.month.isoformat(),
                "date_to": tl.last_of_month(bar.month).isoformat(),
            }
            month_rows.append(
                {
                    "bar": bar,
                    "label": date_format(bar.month, "F Y"),
                    "href": reverse("chronology:combined", args=[review.reference])
                    + "?"
                    + _query(request, page=None, **month_filter),
                }
            )
    legend = [
        {"label": theme_label(code), "css_class": css}
        for code, css in (drawing.themes if drawing else [])
    ]
    _audit_read(
        request,
        review,
        "chronology timeline",
        "Viewed the chronology timeline",
        filters=filters.as_audit_data(),
        entries=total,
    )
    return render(
        request,
        "chronology/timeline.html",
        {
            "review": review,
            "caps": _caps(review),
            "form": form,
            "filters": filters,
            "drawing": drawing,
            "legend": legend,
            "chart": chart,
            "month_rows": month_rows,
            "total": total,
            "too_many": too_many,
            "max_marks": MAX_TIMELINE_MARKS,
            "start": start,
            "end": end,
            "query": _query(request, page=None),
            "zoom_out": _zoom_out(request, start, end, bounds),
        },
    )


def _zoom_out(
    request: HttpRequest, start: dt.date | None, end: dt.date | None, bounds: dict[str, Any]
) -> str:
    """A link showing twice the range around the same middle (or everything, if that is less)."""
    if not (start and end) or not (request.GET.get("date_from") or request.GET.get("date_to")):
        return ""
    middle = start + (end - start) / 2
    half = (end - start) or dt.timedelta(days=15)
    new_start, new_end = middle - half, middle + half
    first, last = bounds.get("first"), bounds.get("last")
    if first and last and new_start <= first and new_end >= last:
        return "?" + _query(request, page=None, date_from=None, date_to=None)
    return "?" + _query(
        request, page=None, date_from=new_start.isoformat(), date_to=new_end.isoformat()
    )


# --- exports -----------------------------------------------------------------------------------


def _export(request: HttpRequest, reference: str, fmt: str) -> HttpResponse:
    review = _fetch(request, reference, "combined chronology export")
    filters = _filter_form(request, review).filters()
    export = chronology_export(review=review, by=request.user, fmt=fmt, filters=filters)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def export_xlsx(request: HttpRequest, reference: str) -> HttpResponse:
    return _export(request, reference, "xlsx")


@login_required
def export_docx(request: HttpRequest, reference: str) -> HttpResponse:
    return _export(request, reference, "docx")


urlpatterns = [
    path("", combined, name="combined"),
    path("entries/<int:entry_id>/", entry_detail, name="entry"),
    path("timeline/", timeline, name="timeline"),
    path("export.xlsx", export_xlsx, name="export_xlsx"),
    path("export.docx", export_docx, name="export_docx"),
]
