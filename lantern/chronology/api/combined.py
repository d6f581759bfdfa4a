"""Chronology API: the combined chronology. Mounted under /api/reviews/{reference}/chronology.

The same rules as the pages: `Cap.VIEW_CHRONOLOGY` to read, only the entries
`entries_visible_to` allows (another agency's entry answers 404), one audit read per request,
writes through `services_entries` (409 when the entry changed since the caller read it),
exports recorded as exports.
"""

# No `from __future__ import annotations` here: django-ninja reads the parameter annotations
# (Query[EntryFilterIn]) when the routes are declared.
import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from lantern.accounts.schemas import ObjectId, error_responses
from lantern.chronology.exports import CONTENT_TYPES, chronology_export
from lantern.chronology.models import ChronologyEntry, EntryRevision, ThemeTag
from lantern.chronology.selectors_entries import (
    SUBJECT_FILTERS,
    EntryFilters,
    EntryListing,
    entry_for_user,
    names_shown_to,
    top_level_themes,
)
from lantern.chronology.services_entries import StaleEntryError, entry_update
from lantern.reviews.access import Cap
from lantern.reviews.api import _actor, _review, member
from lantern.reviews.models import Review

router = Router(tags=["Chronology"])

MAX_PAGE = 200
ERRORS = error_responses(403, 404, 422)

SubjectCode = Literal["victim", "perpetrator", "child", "other", ""]
SubjectFilter = Literal["victim", "perpetrator", "child", "other"]
FlagCode = Literal["", "missed_opportunity", "good_practice"]
PrecisionCode = Literal["day", "month"]


class AgencyRef(Schema):
    id: int
    name: str


class EntryOut(Schema):
    id: int
    agency: AgencyRef
    date: dt.date
    date_precision: PrecisionCode
    time: dt.time | None
    source_record: str
    subject: SubjectCode
    subject_text: str
    what_happened: str
    action_taken: str
    risk_assessment: str
    dash_level: str
    dash_score: int | None
    marac_referral: bool
    mash_referral: bool
    analyst_comment: str
    flag: FlagCode
    version: int = Field(
        description="Send it back with a PATCH: the change is refused (409) "
        "if the entry has changed since."
    )
    themes: list[str] = Field(description="Top-level theme codes (suggested or confirmed)")


class EntryThemeTagOut(Schema):
    id: int
    theme: str
    status: Literal["suggested", "confirmed", "rejected"]
    source: str


class RevisionOut(Schema):
    at: dt.datetime
    by: str
    changes: dict[str, list[Any]] = Field(description="{field: [before, after]}")


class EntryDetailOut(EntryOut):
    source_file: str
    sheet: str
    row: int | None
    tags: list[EntryThemeTagOut]
    revisions: list[RevisionOut]


class EntryPatchIn(Schema):
    """Only the fields sent are changed. Agency authors may change their own agency's content,
    not `analyst_comment` or `flag`."""

    version: int = Field(description="The `version` of the entry you are changing")
    date: dt.date | None = None
    date_precision: PrecisionCode | None = None
    time: dt.time | None = None
    subject: SubjectCode | None = None
    what_happened: str | None = None
    action_taken: str | None = None
    risk_assessment: str | None = None
    analyst_comment: str | None = None
    flag: FlagCode | None = None


class StaleOut(Schema):
    """409: the entry changed since you read it; nothing was stored."""

    detail: str
    version: int = Field(description="The entry's version now")


class EntryFilterIn(Schema):
    agency: list[ObjectId] = Field(default_factory=list, description="Agency ids (any of)")
    subject: list[SubjectFilter] = Field(default_factory=list, description="Subjects (any of)")
    theme: str = Field("", description="A top-level theme code")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = Field("", max_length=200, description="Words in the entry's text")
    sort: Literal["date", "agency"] = "date"

    def filters(self) -> EntryFilters:
        return EntryFilters(
            agencies=tuple(self.agency),
            subjects=tuple(s for s in self.subject if s in SUBJECT_FILTERS),
            theme=self.theme,
            date_from=self.date_from,
            date_to=self.date_to,
            text=self.q.strip(),
            sort=self.sort,
        )


def _text(review: Review, user: Any) -> Any:
    """Entry text as this caller may read it (pseudonyms without `view_real_names`)."""
    return names_shown_to(user=user, review=review)


_TEXT_FIELDS = (
    "source_record",
    "subject_text",
    "what_happened",
    "action_taken",
    "risk_assessment",
    "analyst_comment",
)


def _entry_out(entry: ChronologyEntry, themes: list[str], show: Any) -> dict[str, Any]:
    data = {
        "id": entry.pk,
        "agency": {"id": entry.agency_id, "name": entry.agency.name},
        "date": entry.date,
        "date_precision": entry.date_precision,
        "time": entry.time,
        "subject": entry.subject,
        "dash_level": entry.dash_level,
        "dash_score": entry.dash_score,
        "marac_referral": entry.marac_referral,
        "mash_referral": entry.mash_referral,
        "flag": entry.flag,
        "version": entry.version,
        "themes": themes,
    }
    for name in _TEXT_FIELDS:
        data[name] = show(entry, getattr(entry, name))
    return data


def _detail_out(review: Review, user: Any, entry: ChronologyEntry) -> dict[str, Any]:
    show = _text(review, user)
    themes = top_level_themes(review=review, entry_ids=[entry.pk]).get(entry.pk, [])
    data = _entry_out(entry, themes, show)
    data.update(
        source_file=entry.source_file.path if entry.source_file_id and entry.source_file else "",
        sheet=entry.sheet,
        row=entry.row,
        tags=[
            {"id": t.pk, "theme": t.theme, "status": t.status, "source": t.source}
            for t in ThemeTag.objects.filter(entry=entry).order_by("id")
        ],
        revisions=[
            {
                "at": r.at,
                "by": r.by.display_name if r.by else "Lantern",
                "changes": {
                    field: [show(entry, v) if isinstance(v, str) else v for v in pair]
                    for field, pair in r.changes.items()
                },
            }
            for r in EntryRevision.objects.filter(entry=entry).select_related("by")
        ],
    )
    return data


def _entry_or_404(request: HttpRequest, entry_id: int) -> ChronologyEntry:
    entry = entry_for_user(user=_actor(request), review=_review(request), entry_id=entry_id)
    if entry is None:
        raise Http404
    return entry


@router.get(
    "/{reference}/chronology/entries",
    response={200: list[EntryOut], **ERRORS},
    auth=member(Cap.VIEW_CHRONOLOGY, "combined chronology"),
    operation_id="chronology_entries_list",
    summary="The combined chronology: the entries you may see, filtered and sorted",
)
@paginate(LimitOffsetPagination, max_limit=MAX_PAGE)
def entries_list(request: HttpRequest, reference: str, filters: Query[EntryFilterIn]) -> Any:
    review = _review(request)
    listing = EntryListing(user=_actor(request), review=review, filters=filters.filters())
    return _EntryPages(listing, _text(review, _actor(request)))


class _EntryPages:
    """The listing as the paginator reads it: count(), and each page turned into JSON with its
    entries' themes fetched in one query."""

    def __init__(self, listing: EntryListing, show: Any) -> None:
        self.listing = listing
        self.show = show

    def count(self) -> int:
        return self.listing.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        entries = self.listing[index]
        themes = top_level_themes(review=self.listing.review, entry_ids=[e.pk for e in entries])
        return [_entry_out(e, themes.get(e.pk, []), self.show) for e in entries]


@router.get(
    "/{reference}/chronology/entries/{int:entry_id}",
    response={200: EntryDetailOut, **ERRORS},
    auth=member(Cap.VIEW_CHRONOLOGY, "chronology entry"),
    operation_id="chronology_entry_get",
    summary="One entry, with its themes and history",
)
def entry_get(request: HttpRequest, reference: str, entry_id: int) -> Any:
    return _detail_out(_review(request), _actor(request), _entry_or_404(request, entry_id))


@router.patch(
    "/{reference}/chronology/entries/{int:entry_id}",
    response={200: EntryDetailOut, 409: StaleOut, **ERRORS},
    auth=member(Cap.VIEW_CHRONOLOGY, "chronology entry"),
    operation_id="chronology_entry_update",
    summary="Change an entry (send its version; 409 if it changed since you read it)",
)
def entry_patch(request: HttpRequest, reference: str, entry_id: int, payload: EntryPatchIn) -> Any:
    entry = _entry_or_404(request, entry_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    try:
        stored = entry_update(
            entry=entry, by=_actor(request), changes=changes, expected_version=version
        )
    except StaleEntryError as error:
        return Status(409, {"detail": error.messages[0], "version": error.current_version})
    return _detail_out(_review(request), _actor(request), stored)


def _export(request: HttpRequest, fmt: str, filters: EntryFilterIn) -> HttpResponse:
    export = chronology_export(
        review=_review(request), by=_actor(request), fmt=fmt, filters=filters.filters()
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


# The filters are query parameters that can be refused (422) as on the listing.
_FILE = {200: None, **error_responses(403, 404, 422)}


@router.get(
    "/{reference}/chronology/export.xlsx",
    response=_FILE,
    auth=member(Cap.VIEW_CHRONOLOGY, "combined chronology export", audit=False),
    operation_id="chronology_export_xlsx",
    summary="The combined chronology as a workbook (standard columns, pseudonyms)",
    openapi_extra={
        "responses": {200: {"description": "XLSX", "content": {CONTENT_TYPES["xlsx"]: {}}}}
    },
)
def export_xlsx(request: HttpRequest, reference: str, filters: Query[EntryFilterIn]) -> Any:
    return _export(request, "xlsx", filters)


@router.get(
    "/{reference}/chronology/export.docx",
    response=_FILE,
    auth=member(Cap.VIEW_CHRONOLOGY, "combined chronology export", audit=False),
    operation_id="chronology_export_docx",
    summary="The combined chronology as a DOCX table for the overview report's appendix",
    openapi_extra={
        "responses": {200: {"description": "DOCX", "content": {CONTENT_TYPES["docx"]: {}}}}
    },
)
def export_docx(request: HttpRequest, reference: str, filters: Query[EntryFilterIn]) -> Any:
    return _export(request, "docx", filters)
