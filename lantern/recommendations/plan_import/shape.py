"""The shape of a published action plan: its vocabularies, its columns, and the plan as data.

No Django here: the reader, the writer and their tests run without it. The codes match the
choices on `lantern.recommendations.models` (a test keeps the two in step); the English labels
here are the words a plan uses in its cells, which the reader also accepts in other spellings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

# --- vocabularies: code -> the label written in a plan, then other spellings read back ----------

KINDS: dict[str, str] = {
    "overarching": "Overarching recommendations",
    "single_agency": "Single agency recommendations",
}

SCOPES: dict[str, str] = {
    "single_agency": "Single agency",
    "local": "Local",
    "regional": "Regional",
    "national": "National",
}
SCOPE_ALIASES: dict[str, str] = {
    "single agency": "single_agency",
    "singleagency": "single_agency",
    "agency": "single_agency",
    "internal": "single_agency",
    "local": "local",
    "local partnership": "local",
    "partnership": "local",
    "multi agency": "local",
    "csp": "local",
    "regional": "regional",
    "region": "regional",
    "national": "national",
}

STATUSES: dict[str, str] = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete",
    "not_achieved": "Not achieved",
    "superseded": "Superseded",
}
OPEN_STATUSES = frozenset({"not_started", "in_progress"})
CLOSED_STATUSES = frozenset({"complete", "not_achieved", "superseded"})
# Checked longest first, as whole words at the start of the cell ("Completed in March 2025").
STATUS_ALIASES: dict[str, str] = {
    "not started": "not_started",
    "not yet started": "not_started",
    "not commenced": "not_started",
    "pending": "not_started",
    "to do": "not_started",
    "in progress": "in_progress",
    "ongoing": "in_progress",
    "on going": "in_progress",
    "underway": "in_progress",
    "started": "in_progress",
    "partially complete": "in_progress",
    "partially completed": "in_progress",
    "on track": "in_progress",
    "open": "in_progress",
    "complete": "complete",
    "completed": "complete",
    "achieved": "complete",
    "done": "complete",
    "closed": "complete",
    "not achieved": "not_achieved",
    "not met": "not_achieved",
    "not completed": "not_achieved",
    "unachieved": "not_achieved",
    "superseded": "superseded",
    "withdrawn": "superseded",
}

# DOMAIN.md section 6: the Home Office DHR Library's recommendation themes and addressees.
THEMES: dict[str, str] = {
    "technology_systems": "Technology/systems",
    "identification_of_risk": "Identification of risk",
    "training": "Training",
    "policy": "Policy",
    "multi_agency_working": "Multi-agency working",
    "record_keeping": "Record keeping",
    "awareness_raising": "Awareness raising",
}
ADDRESSEES: dict[str, str] = {
    "police": "Police",
    "social_services": "Social services",
    "health": "Health",
    "idva_da_service": "IDVA/DA service",
    "probation": "Probation",
    "housing": "Housing",
    "school": "School",
    "employer": "Employer",
    "education": "Education",
    "faith_body": "Faith body",
    "military": "Military",
    "csp": "CSP",
    "national_government": "National government",
}
SOURCES: dict[str, str] = {"panel": "Review panel", "imr": "IMR"}

# Words a plan puts in a date cell that mean "no date" (kept as a note; the SMART check flags it).
NO_DATE_WORDS = frozenset(
    {"ongoing", "on going", "tbc", "tbd", "to be confirmed", "n/a", "na", "none", "-", "–"}
)


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces, single spaces: for matching headings and labels."""
    return " ".join(re.sub(r"[^a-z0-9/]+", " ", str(text).lower()).split())


def _lookup(labels: dict[str, str], aliases: dict[str, str] | None = None) -> dict[str, str]:
    table = {normalise(label): code for code, label in labels.items()}
    table.update({normalise(code): code for code in labels})
    table.update({normalise(a): code for a, code in (aliases or {}).items()})
    return table


SCOPE_LOOKUP = _lookup(SCOPES, SCOPE_ALIASES)
STATUS_LOOKUP = _lookup(STATUSES, STATUS_ALIASES)
THEME_LOOKUP = _lookup(
    THEMES,
    {
        "technology": "technology_systems",
        "systems": "technology_systems",
        "it systems": "technology_systems",
        "risk": "identification_of_risk",
        "risk identification": "identification_of_risk",
        "multi agency": "multi_agency_working",
        "partnership working": "multi_agency_working",
        "information sharing": "multi_agency_working",
        "records": "record_keeping",
        "recording": "record_keeping",
        "awareness": "awareness_raising",
        "communications": "awareness_raising",
        "procedures": "policy",
        "policy and procedure": "policy",
    },
)
ADDRESSEE_LOOKUP = _lookup(
    ADDRESSEES,
    {
        "idva": "idva_da_service",
        "da service": "idva_da_service",
        "domestic abuse service": "idva_da_service",
        "social care": "social_services",
        "adult social care": "social_services",
        "children s social care": "social_services",
        "community safety partnership": "csp",
        "government": "national_government",
        "home office": "national_government",
    },
)


def status_code(text: str) -> str | None:
    """The status a cell names, or None. Reads "Completed in March", "Ongoing", "Not started"."""
    value = normalise(text)
    if not value:
        return "not_started"
    if value in STATUS_LOOKUP:
        return STATUS_LOOKUP[value]
    for alias in sorted(STATUS_LOOKUP, key=len, reverse=True):
        if value.startswith(alias + " "):
            return STATUS_LOOKUP[alias]
    return None


# --- columns -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    heading: str  # as the export writes it
    aliases: tuple[str, ...]  # other headings read as this column
    level: str  # "recommendation" or "action": which row of a recommendation carries it
    width: int = 18  # in the exported workbook
    main: bool = True  # in the published shape (and the DOCX table); else an extra column


COLUMNS: tuple[Column, ...] = (
    Column(
        "number", "No.", ("no", "number", "ref", "reference", "rec no", "#"), "recommendation", 7
    ),
    Column(
        "recommendation",
        "Recommendation",
        ("recommendations", "recommendation text"),
        "recommendation",
        45,
    ),
    Column(
        "scope",
        "Scope of recommendation",
        ("scope", "scope of the recommendation", "level"),
        "recommendation",
        14,
    ),
    Column(
        "action",
        "Action to take",
        ("action", "actions", "actions to take", "action required", "action to be taken"),
        "action",
        45,
    ),
    Column(
        "lead_agency",
        "Lead Agency",
        ("lead", "lead agencies", "agency", "responsible agency", "owner", "lead organisation"),
        "action",
        18,
    ),
    Column("milestones", "Key milestones", ("milestones", "key milestone"), "action", 30),
    Column(
        "target_date",
        "Target date",
        ("target", "target date for completion", "deadline", "due date", "timescale", "by when"),
        "action",
        12,
    ),
    Column("status", "Status", ("progress", "current status", "rag status"), "action", 12),
    Column(
        "completion",
        "Date of completion and outcome",
        (
            "date of completion & outcome",
            "completion date and outcome",
            "date completed and outcome",
            "outcome",
            "completion and outcome",
        ),
        "action",
        35,
    ),
    Column("lead_officer", "Lead officer", ("lead officer name",), "action", 18, main=False),
    Column(
        "outcome_measure",
        "Measurable outcome",
        ("how success will be measured", "success measure", "measure of success"),
        "action",
        30,
        main=False,
    ),
    Column("themes", "Theme", ("themes",), "recommendation", 18, main=False),
    Column("addressee", "Addressee", ("addressee type",), "recommendation", 16, main=False),
    Column("addressed_to", "Addressed to", ("addressee name",), "recommendation", 18, main=False),
    Column(
        "finding",
        "Finding",
        ("finding addressed", "finding it answers"),
        "recommendation",
        30,
        main=False,
    ),
    Column("source", "Source", ("source of recommendation",), "recommendation", 16, main=False),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
HEADING_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    HEADING_LOOKUP[normalise(_column.heading)] = _column.key
    for _alias in _column.aliases:
        HEADING_LOOKUP[normalise(_alias)] = _column.key
REQUIRED_COLUMNS = ("recommendation", "action")


# --- the plan as data --------------------------------------------------------------------------


@dataclass
class PlanAction:
    description: str
    lead_agency: str = ""
    lead_officer: str = ""
    milestones: str = ""
    outcome_measure: str = ""
    target_date: date | None = None
    target_date_note: str = ""  # "Ongoing", when the plan gives no date
    status: str = "not_started"
    completed_on: date | None = None
    outcome: str = ""


@dataclass
class PlanRecommendation:
    number: str
    kind: str
    text: str
    scope: str
    themes: list[str] = field(default_factory=list)
    addressee: str = ""  # a code of ADDRESSEES
    addressed_to: str = ""  # the body it names: "Home Office", "Northbridge Police"
    finding: str = ""
    source: str = "panel"
    source_agency: str = ""  # for an IMR's recommendation, the agency
    actions: list[PlanAction] = field(default_factory=list)


@dataclass
class PlanDocument:
    """What the writer needs: title lines above the header, then the recommendations."""

    title: str
    subtitle_lines: list[str] = field(default_factory=list)
    recommendations: list[PlanRecommendation] = field(default_factory=list)
