"""Chronology API: analysis. Mounted under /api/reviews/{reference}/chronology.

`GET /{reference}/chronology/analysis?subject=` answers exactly what `lantern chronology analyse
--json` prints: what the combined chronology shows, over the entries the caller may see
(`Cap.VIEW_CHRONOLOGY`; an agency author's analysis covers their own agency), with one audit
read per request.
"""

# No `from __future__ import annotations` here: django-ninja reads the parameter annotations
# when the routes are declared.
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from lantern.accounts.schemas import error_responses
from lantern.chronology.analysis.flags import KINDS
from lantern.chronology.analysis_service import chronology_analysis
from lantern.reviews.access import Cap
from lantern.reviews.api import _actor, _review, member

router = Router(tags=["Chronology"])

SubjectFilter = Literal["victim", "perpetrator", "child", "other"]
FlagKind = Literal[KINDS]  # type: ignore[valid-type]


class AnalysisAgencyOut(Schema):
    agency: str
    entries: int = Field(description="Entries (contacts) before the death")
    first_contact: str = Field(description="YYYY-MM-DD")
    last_contact: str = Field(description="YYYY-MM-DD")
    themes: list[str] = Field(description="Top-level themes of its entries")
    theme_coverage: float = Field(description="Its themes over all themes, to 2 decimals")


class AnalysisFlagOut(Schema):
    kind: FlagKind
    agency: str
    date: str
    detail: str


class AnalysisLastContactOut(Schema):
    date: str | None
    agencies: list[str]


class AnalysisGapOut(Schema):
    agency: str
    theme: str
    known_by: list[str]


class AnalysisMissedAppointmentOut(Schema):
    entry: int
    agency: str
    date: str
    text: str


class AnalysisRiskNoteOut(Schema):
    kind: str
    entry: int
    agency: str
    date: str
    dash_score: int | None
    dash_level: str


class ChronologyAnalysisOut(Schema):
    """What the combined chronology shows. The first nine keys are the contract that the
    command's `--json` shares; the rest add detail."""

    review: str
    date_of_death: str | None
    entries: int
    agencies: list[AnalysisAgencyOut]
    themes: list[str] = Field(description="Every top-level theme any agency knew of")
    single_issue_agencies: list[str]
    days_without_contact_before_death: int | None
    monthly_contacts: dict[str, int] = Field(description='{"YYYY-MM": contacts}, zeros included')
    flags: list[AnalysisFlagOut]
    subject: SubjectFilter | None
    entries_on_or_after_death: int
    last_contact: AnalysisLastContactOut
    months_without_contact_before_death: int | None
    agency_monthly_contacts: dict[str, dict[str, int]]
    gaps: list[AnalysisGapOut]
    missed_appointments: list[AnalysisMissedAppointmentOut]
    risk_notes: list[AnalysisRiskNoteOut]
    referrals: list[dict[str, Any]] = Field(
        description='{"from", "to", "referrals", "first", "last"}: referrals between agencies'
    )
    rules: dict[str, Any] = Field(description="The thresholds used")


@router.get(
    "/{reference}/chronology/analysis",
    response={200: ChronologyAnalysisOut, **error_responses(403, 404, 422)},
    auth=member(Cap.VIEW_CHRONOLOGY, "chronology analysis", audit=False),
    operation_id="chronology_analysis",
    summary="What the combined chronology shows: who knew what, engagement, risk steps",
)
def chronology_analysis_get(
    request: HttpRequest, reference: str, subject: SubjectFilter | None = None
) -> Any:
    analysis = chronology_analysis(user=_actor(request), review=_review(request), subject=subject)
    return analysis.as_dict()
