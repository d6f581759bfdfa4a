"""The standard chronology columns (DOMAIN.md section 4), in order.

One definition for the template workbook users fill in, the import's header matching and the
exports, so they cannot drift apart. No Django imports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str  # the ChronologyEntry field (or "date"/"time" pseudo-fields)
    heading: str  # the heading in Lantern's template and exports
    required: bool = False
    help: str = ""


STANDARD_COLUMNS: tuple[Column, ...] = (
    Column("date", "Date", True, "Date of the contact: 14/03/2022, 14 March 2022, or March 2022"),
    Column("time", "Time", False, "24-hour time, e.g. 14:30 (optional)"),
    Column("agency", "Agency", False, "Filled in by Lantern from the agency you upload for"),
    Column("source_record", "Source record", False, "System and record reference"),
    Column("subject", "Subject", False, "Victim, perpetrator, child or other"),
    Column("what_happened", "What happened", True, "What happened at the contact"),
    Column("action_taken", "Action taken / outcome", False, "What was done, and the outcome"),
    Column(
        "risk_assessment",
        "Risk assessment and referrals",
        False,
        "DASH level and score, MARAC, MASH and other referrals",
    ),
    Column("analyst_comment", "Analyst comment", False, "Missed opportunity, good practice"),
)

COLUMN_BY_KEY = {c.key: c for c in STANDARD_COLUMNS}
