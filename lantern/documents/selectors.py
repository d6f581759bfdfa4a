"""Reads of the documents app: a review's settings as they apply (review, then partnership
default, then Lantern's default) and the issue log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import QuerySet

from lantern.documents.builders.common import Options
from lantern.documents.models import DocumentIssue, DocumentSettings, HeadingSet
from lantern.reviews.models import Review

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
SETTING_FIELDS = (
    "heading_set",
    "marking",
    "local_services",
    "why_it_matters",
    "practice_points",
    "reflection_questions",
)


def default_marking() -> str:
    """The protective marking of drafts unless a partnership or review sets another
    (settings.LANTERN["DOCUMENTS"]["MARKING"], from LANTERN_PROTECTIVE_MARKING)."""
    configured = getattr(settings, "LANTERN", {}).get("DOCUMENTS", {}).get("MARKING")
    return (configured or DEFAULT_MARKING).strip()


@dataclass(frozen=True)
class ResolvedSettings:
    heading_set: str
    marking: str
    local_services: str
    why_it_matters: str
    practice_points: str
    reflection_questions: str
    # field -> "review", "partnership" or "default": where each value came from
    sources: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {name: getattr(self, name) for name in SETTING_FIELDS}
        data["sources"] = dict(self.sources)
        return data


def review_settings(review: Review) -> DocumentSettings | None:
    return DocumentSettings.objects.filter(review=review).first()


def partnership_settings(review: Review) -> DocumentSettings | None:
    return DocumentSettings.objects.filter(csp_id=review.csp_id).first()


def settings_for(review: Review) -> ResolvedSettings:
    own = review_settings(review)
    partnership = partnership_settings(review)
    defaults = {
        "heading_set": HeadingSet.STANDARD.value,
        "marking": default_marking(),
        "local_services": "",
        "why_it_matters": "",
        "practice_points": "",
        "reflection_questions": "",
    }
    values: dict[str, str] = {}
    sources: dict[str, str] = {}
    for name in SETTING_FIELDS:
        for source, row in (("review", own), ("partnership", partnership)):
            value = getattr(row, name, "") if row is not None else ""
            if value and value.strip():
                values[name], sources[name] = value.strip(), source
                break
        else:
            values[name], sources[name] = defaults[name], "default"
    return ResolvedSettings(**values, sources=sources)


def options_for(
    review: Review, *, issued_on: date, issued_to: str = "", marking: str | None = None
) -> Options:
    """The options a document is generated with: `marking` None means the review's setting,
    "" means no marking (a published copy)."""
    resolved = settings_for(review)
    return Options(
        marking=resolved.marking if marking is None else marking.strip(),
        issued_on=issued_on,
        issued_to=issued_to.strip(),
        heading_set=resolved.heading_set,
        local_services=resolved.local_services,
        why_it_matters=resolved.why_it_matters,
        practice_points=resolved.practice_points,
        reflection_questions=resolved.reflection_questions,
    )


def issue_log(review: Review) -> QuerySet[DocumentIssue]:
    return DocumentIssue.objects.filter(review=review).select_related("generated_by")
