"""Is an action SMART? The checks a person can make from the plan alone.

Specific (the action says what will be done), Measurable (an outcome or milestones to judge it
by), Assigned (an owner: lead agency or lead officer), Time-bound (a target date). Whether it is
achievable and realistic is for the panel and the board, not for a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Openings that describe an intention rather than an action ("consider", "explore").
VAGUE_OPENINGS = (
    "consider",
    "explore",
    "look at",
    "look into",
    "think about",
    "be aware",
    "continue to",
    "aim to",
    "seek to",
)
MIN_WORDS = 4


@dataclass(frozen=True)
class ActionFacts:
    description: str
    lead_agency: str = ""
    lead_officer: str = ""
    target_date: date | None = None
    outcome_measure: str = ""
    milestones: str = ""


@dataclass(frozen=True)
class SmartFlag:
    code: str  # "not_specific" | "no_owner" | "no_date" | "no_measure"
    message: str


FLAG_MESSAGES = {
    "not_specific": "Not specific: say what will be done, by whom, in a few words more.",
    "no_owner": "No owner: name the lead agency or the lead officer.",
    "no_date": "No target date.",
    "no_measure": "No measurable outcome: add how success will be measured, or milestones.",
}


def smart_flags(facts: ActionFacts) -> list[SmartFlag]:
    """The ways the action falls short of SMART; empty when it does not."""
    codes: list[str] = []
    words = facts.description.split()
    opening = " ".join(words).lower()
    if len(words) < MIN_WORDS or opening.startswith(VAGUE_OPENINGS):
        codes.append("not_specific")
    if not facts.lead_agency.strip() and not facts.lead_officer.strip():
        codes.append("no_owner")
    if facts.target_date is None:
        codes.append("no_date")
    if not facts.outcome_measure.strip() and not facts.milestones.strip():
        codes.append("no_measure")
    return [SmartFlag(code, FLAG_MESSAGES[code]) for code in codes]
