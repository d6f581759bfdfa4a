"""DASH level and score, and MARAC and MASH referrals, read out of an entry's risk text.

Agencies write these in prose: "DASH: high (15/24). MARAC referral submitted the same day.",
"DASH completed: 11 ticks, medium", "High risk; MARAC", "No MARAC referral made",
"Notification to MASH: children in household". The text itself is always kept; these are the
structured fields the combined chronology and the analysis filter on.

A clause (text between full stops or semicolons) that negates a referral ("No MARAC referral",
"MARAC threshold not met", "not referred to MASH") does not count. A level is taken only from a
clause about DASH or risk, so "MASH: standard" is not read as a DASH level. When only the score
is given, the level comes from the bands (DOMAIN.md: 14 or more is high; 1-9 standard and 10-13
medium are common local bands, so they are a parameter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# (lowest score, level), highest first. 14+ "yes" answers is high risk (SafeLives).
DEFAULT_DASH_BANDS: tuple[tuple[int, str], ...] = ((14, "high"), (10, "medium"), (0, "standard"))
DASH_QUESTIONS = 24

_CLAUSES = re.compile(r"[;\n]+|\.(?!\d)")
_NEGATION = re.compile(
    r"\b(no|not|never|without|declined|refused|didn't|did not|wasn't|was not|none|nfa)\b"
    r"|\bthreshold not\b|\bnot met\b"
)
# Information coming in from a MARAC or MASH is not a referral made by this agency:
# "MARAC: information received", "MASH contact from police", "MARAC minutes circulated".
_INBOUND = re.compile(
    r"\b(received|receipt|information from|contact from|request from|minutes|circulated)\b"
)
_LEVEL = re.compile(r"\b(high|medium|standard|low)\b")
_SCORE_OUT_OF = re.compile(r"\b(\d{1,2})\s*(?:/|out of)\s*24\b")
_SCORE_NEAR_DASH = re.compile(
    r"\bdash\b[^.;\d]{0,40}?\b(\d{1,2})\b(?!\s*(?:/|out of)\s*(?!24)\d)"
    r"|\b(\d{1,2})\s*(?:ticks|yes answers|yes|questions answered yes|positive answers)\b"
)
_DASH_OR_RISK = re.compile(r"\b(dash|risk|ric)\b")


@dataclass(frozen=True)
class RiskReading:
    dash_level: str = ""  # "", "standard", "medium" or "high"
    dash_score: int | None = None
    marac_referral: bool = False
    mash_referral: bool = False


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSES.split(text.lower()) if c.strip()]


def _referral(clauses: list[str], name: str) -> bool:
    """Named in a part of a clause (between commas) that does not negate it."""
    word = re.compile(rf"\b{name}\b")
    parts = [p for c in clauses for p in c.split(",")]
    return any(word.search(p) and not _NEGATION.search(p) and not _INBOUND.search(p) for p in parts)


def level_for_score(score: int, bands: tuple[tuple[int, str], ...] = DEFAULT_DASH_BANDS) -> str:
    for lowest, level in bands:
        if score >= lowest:
            return level
    return ""


def read_risk(text: str, *, bands: tuple[tuple[int, str], ...] = DEFAULT_DASH_BANDS) -> RiskReading:
    """The DASH level and score and the MARAC/MASH referrals a risk text records."""
    if not text or not text.strip():
        return RiskReading()
    return _read(text, bands)


@lru_cache(maxsize=16_384)  # agencies repeat the same risk wording many times
def _read(text: str, bands: tuple[tuple[int, str], ...]) -> RiskReading:
    clauses = _clauses(text)
    level = ""
    score: int | None = None
    for clause in clauses:
        if not _DASH_OR_RISK.search(clause):
            continue
        if re.search(r"\bdash\b[^.;]*\b(not|no)\b\s*(completed|done|repeated|undertaken)", clause):
            continue
        if score is None:
            match = _SCORE_OUT_OF.search(clause) or _SCORE_NEAR_DASH.search(clause)
            if match:
                value = int(next(g for g in match.groups() if g is not None))
                if 0 <= value <= DASH_QUESTIONS:
                    score = value
        if not level and (found := _LEVEL.search(clause)):
            level = "standard" if found[1] == "low" else found[1]
    if not level and score is not None:
        level = level_for_score(score, bands)
    return RiskReading(
        dash_level=level,
        dash_score=score,
        marac_referral=_referral(clauses, "marac"),
        mash_referral=_referral(clauses, "mash"),
    )
