"""What the combined chronology shows: who knew what, engagement, risk steps, referrals.

Plain Python with no Django imports: `lantern/chronology/analysis_service.py` builds the
`EntryFact`s from the database for what the caller may see and calls `analyse()`.
"""

from lantern.chronology.analysis.facts import EntryFact, Rules
from lantern.chronology.analysis.flags import KINDS, Flag
from lantern.chronology.analysis.network import circle_layout, referral_network
from lantern.chronology.analysis.summary import Analysis, analyse, build_analysis
from lantern.chronology.analysis.text import (
    AgencyNames,
    dash_from_text,
    dash_recorded,
    marac_referral,
)

__all__ = [
    "KINDS",
    "AgencyNames",
    "Analysis",
    "EntryFact",
    "Flag",
    "Rules",
    "analyse",
    "build_analysis",
    "circle_layout",
    "dash_from_text",
    "dash_recorded",
    "marac_referral",
    "referral_network",
]
