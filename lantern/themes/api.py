"""The themes API: the vocabulary, and the theme tags on a chronology entry.

`router` is mounted at /api/reviews (paths start /{reference}/chronology/...). Reading an entry's
tags needs `view_chronology` and sight of that entry's agency (else 404, as for the entry
itself); adding, confirming and rejecting tags needs `edit_analysis`. As on every review route,
a non-member gets 404 whatever they send and a member without the capability 403, decided in
authentication (`member`). Reads are audited with the entry they concern; writes call the
services, which audit them.

`vocabulary_router` is mounted at /api/themes: the vocabulary is reference data, open to anyone
signed in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from lantern.accounts.api import signed_in
from lantern.accounts.schemas import error_responses
from lantern.chronology.models import ChronologyEntry, ThemeTag
from lantern.chronology.selectors import entries_visible_to
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.access import Cap
from lantern.reviews.api import member
from lantern.reviews.api import request_review as _review
from lantern.themes import selectors, services
from lantern.themes.vocabulary import Theme, UnknownTheme, load_vocabulary

router = Router(tags=["Themes"])
vocabulary_router = Router(tags=["Themes"])

ERRORS = error_responses(403, 404, 422)


# --- schemas -----------------------------------------------------------------------------------


class ThemeTagOut(Schema):
    id: int
    entry_id: int
    theme: str = Field(examples=["coercive_control"])
    label: str = Field(examples=["Coercive or controlling behaviour"])
    top_level: str = Field(examples=["domestic_abuse"])
    status: Literal["suggested", "confirmed", "rejected"]
    source: str = Field(description="“tagger” for a suggestion, “person” for a tag a person added")
    score: float | None = Field(None, description="The tagger's confidence, 0 to 1")
    decided_by: str | None = None
    decided_at: datetime | None = None


class ThemeTagAddIn(Schema):
    theme: str = Field(description="A code from GET /api/themes/vocabulary")


class ThemeTagDecideIn(Schema):
    status: Literal["confirmed", "rejected"]


class ThemeOut(Schema):
    code: str
    label: str
    description: str
    mapping: list[str] = Field(description="What it covers in DOMAIN.md section 6's schemes")


class TopLevelThemeOut(ThemeOut):
    children: list[ThemeOut]


class VocabularyOut(Schema):
    version: str
    name: str
    source: str
    themes: list[TopLevelThemeOut]


def tag_out(tag: ThemeTag) -> dict[str, Any]:
    vocabulary = load_vocabulary()
    try:
        label, top = vocabulary.label(tag.theme), vocabulary.top_level_of(tag.theme)
    except UnknownTheme:  # a code retired from the vocabulary
        label, top = tag.theme, tag.theme
    return {
        "id": tag.pk,
        "entry_id": tag.entry_id,
        "theme": tag.theme,
        "label": label,
        "top_level": top,
        "status": tag.status,
        "source": tag.source,
        "score": tag.score,
        "decided_by": tag.decided_by.username if tag.decided_by else None,
        "decided_at": tag.decided_at,
    }


def _theme_out(theme: Theme) -> dict[str, Any]:
    return {
        "code": theme.code,
        "label": theme.label,
        "description": theme.description,
        "mapping": list(theme.mapping),
    }


# --- helpers -----------------------------------------------------------------------------------


def _visible_entry(request: HttpRequest, entry_id: int) -> ChronologyEntry:
    """The entry, if it is on this review and the caller may see its agency's material."""
    review, user = _review(request), request.auth  # type: ignore[attr-defined]
    entry = entries_visible_to(user=user, review=review).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


# --- routes ------------------------------------------------------------------------------------


@router.get(
    "/{reference}/chronology/entries/{int:entry_id}/tags",
    response={200: list[ThemeTagOut], **ERRORS},
    auth=member(Cap.VIEW_CHRONOLOGY, "theme tags", audit=False),
    operation_id="theme_tags_list",
    summary="The themes on a chronology entry: suggestions, confirmed and rejected tags",
)
def theme_tags_list(request: HttpRequest, reference: str, entry_id: int) -> Any:
    entry = _visible_entry(request, entry_id)
    audit_record(
        action=AuditEvent.Action.READ,
        by=request.auth,  # type: ignore[attr-defined]
        review=_review(request),
        obj=entry,
        summary=f"Viewed the theme tags of chronology entry {entry.pk}",
    )
    return [tag_out(t) for t in selectors.tags_for_entry(entry)]


@router.post(
    "/{reference}/chronology/entries/{int:entry_id}/tags",
    response={201: ThemeTagOut, **ERRORS},
    auth=member(Cap.EDIT_ANALYSIS, "theme tags"),
    operation_id="theme_tag_add",
    summary="Tag a chronology entry with a theme (a confirmed tag)",
)
def theme_tag_add(
    request: HttpRequest, reference: str, entry_id: int, payload: ThemeTagAddIn
) -> Any:
    entry = _visible_entry(request, entry_id)
    tag = services.theme_tag_add(entry=entry, by=request.auth, theme=payload.theme)  # type: ignore[attr-defined]
    return Status(201, tag_out(tag))


@router.patch(
    "/{reference}/chronology/tags/{int:tag_id}",
    response={200: ThemeTagOut, **ERRORS},
    auth=member(Cap.EDIT_ANALYSIS, "theme tags"),
    operation_id="theme_tag_decide",
    summary="Confirm or reject a theme tag",
)
def theme_tag_decide(
    request: HttpRequest, reference: str, tag_id: int, payload: ThemeTagDecideIn
) -> Any:
    tag = ThemeTag.objects.filter(pk=tag_id, entry__review=_review(request)).first()
    if tag is None:
        raise Http404
    _visible_entry(request, tag.entry_id)
    tag = services.theme_tag_decide(tag=tag, by=request.auth, status=payload.status)  # type: ignore[attr-defined]
    return tag_out(tag)


@vocabulary_router.get(
    "/vocabulary",
    response={200: VocabularyOut, **error_responses()},
    auth=signed_in(),
    operation_id="themes_vocabulary",
    summary="The theme vocabulary: top-level themes and the finer themes beneath them",
)
def themes_vocabulary(request: HttpRequest) -> Any:
    vocabulary = load_vocabulary()
    return {
        "version": vocabulary.version,
        "name": vocabulary.name,
        "source": vocabulary.source,
        "themes": [
            {**_theme_out(top), "children": [_theme_out(c) for c in top.children]}
            for top in vocabulary.top_levels
        ],
    }
