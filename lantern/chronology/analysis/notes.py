"""What the analysis reads in an entry's text, worked out once per entry rather than at every
analysis.

Reading text is most of the analysis's work (the DASH, MARAC, sharing, referral and missed
appointment rules each look for phrases), and none of it depends on the other entries: so
`notes_for()` reads one entry's text for all of them, the service stores the result with the
entry (`encode`), and the analysis uses the stored notes (`decode`) of every entry whose notes
were worked out by this code under the rules in force (`notes_key`), and reads the text of any
other entry itself, with the same function. Either way the analysis is the same.

What depends on the review's agencies (whom a clause names) stays with the analysis: the notes
keep the clauses that share or refer, and the analysis looks for the agencies' names in those
alone.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lantern.chronology.analysis.facts import EntryFact, Rules
from lantern.chronology.analysis.text import (
    dash_from_text,
    marac_referral_in_text,
    mentions_dash,
    quote,
    referral_clauses,
    share_clauses,
    shares_with_everyone,
)

# Change this whenever what `notes_for` finds changes: stored notes of another version are not
# used (the analysis reads those entries' text itself until the notes are worked out again).
NOTES_VERSION = 1


@dataclass(frozen=True, slots=True)
class TextNotes:
    """What an entry's text says, for the analysis.

    `text` is what the agency wrote: what happened, then the action taken and the risk
    assessment (`entry_text`); `steps` the last two alone.
    """

    # The text reports what another agency passed on (`Rules.relayed_patterns`).
    relayed: bool = False
    # The sentence recording a missed appointment (`Rules.missed_appointment_patterns`).
    missed: str | None = None
    # It shares with MASH or MARAC, so with every agency there.
    shares_with_everyone: bool = False
    # Clauses that record a referral, or sharing with someone, not negated.
    referral_clauses: tuple[str, ...] = ()
    share_clauses: tuple[str, ...] = ()
    # A DASH is recorded in the text (and not said to be missing).
    dash_mentioned: bool = False
    # The DASH level and score written in the risk assessment ("DASH: high (15/24)").
    dash_level: str = ""
    dash_score: int | None = None
    # The action taken or risk assessment records a MARAC referral.
    marac_in_steps: bool = False


NOTHING = TextNotes()


def entry_text(what: str, action: str, risk: str) -> tuple[str, str]:
    """An entry's text as the analysis reads it, and its steps (action taken, risk assessment)."""
    steps = f"{action}\n{risk}" if action or risk else ""
    return (f"{what}\n{steps}" if steps else what), steps


@lru_cache(maxsize=16)
def _pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def is_relayed_text(text: str, rules: Rules) -> bool:
    """The text reports what another agency passed on ("notification received from police"):
    `Rules.relayed_patterns`, tried only on texts holding one of `Rules.relayed_keywords`."""
    low = text.lower()
    if not any(keyword in low for keyword in rules.relayed_keywords):
        return False
    return bool(_pattern(rules.relayed_patterns).search(text))


def missed_appointment_in(text: str, rules: Rules) -> str | None:
    """The sentence of the text recording a missed appointment ("did not attend", "DNA",
    "missed appointment", "no answer at the door"...: `Rules.missed_appointment_patterns`),
    if there is one. Only texts holding one of `Rules.missed_appointment_keywords` are matched."""
    if not text:
        return None
    low = text.lower()
    if not any(keyword in low for keyword in rules.missed_appointment_keywords):
        return None
    pattern = _pattern(rules.missed_appointment_patterns)
    return quote(text, pattern) if pattern.search(text) else None


def notes_for(what: str, action: str, risk: str, rules: Rules) -> TextNotes:
    """What one entry's text says, for the analysis (see `TextNotes`)."""
    text, steps = entry_text(what, action, risk)
    level, score = dash_from_text(risk) if risk else ("", None)
    notes = _read(
        text,
        rules,
        dash_mentioned=mentions_dash(text),
        dash_level=level,
        dash_score=score,
        marac_in_steps=marac_referral_in_text(steps),
    )
    return NOTHING if notes == NOTHING else notes


def notes_of_text(text: str, rules: Rules) -> TextNotes:
    """The notes the rules need of a text given whole (an `EntryFact` made without notes): all
    but the DASH and MARAC ones, which the fact carries itself."""
    return _read(text, rules)


def _read(text: str, rules: Rules, **risk_steps: Any) -> TextNotes:
    everyone = shares_with_everyone(text)
    return TextNotes(
        relayed=is_relayed_text(text, rules),
        missed=missed_appointment_in(text, rules),
        shares_with_everyone=everyone,
        referral_clauses=referral_clauses(text),
        # Whom else it shares with matters only when it does not share with everyone.
        share_clauses=() if everyone else share_clauses(text),
        **risk_steps,
    )


def notes_of(fact: EntryFact, rules: Rules) -> TextNotes:
    """A fact's notes: those it came with, else read from its text now."""
    return fact.notes if fact.notes is not None else notes_of_text(fact.text, rules)


def with_notes(facts: Iterable[EntryFact], rules: Rules) -> list[EntryFact]:
    """The facts, each with its notes: a fact made without them (by hand, in tests) gets them
    from its text, each distinct text read once."""
    seen: dict[str, TextNotes] = {}
    out = []
    for fact in facts:
        if fact.notes is None:
            notes = seen.get(fact.text)
            if notes is None:
                notes = seen[fact.text] = notes_of_text(fact.text, rules)
            fact = dataclasses.replace(fact, notes=notes)
        out.append(fact)
    return out


def notes_key(rules: Rules) -> str:
    """Which notes are current: this code's version and the text rules in force (a partnership
    can change the relayed and missed-appointment wordings in settings)."""
    wording = repr(
        (
            rules.relayed_patterns,
            rules.relayed_keywords,
            rules.missed_appointment_patterns,
            rules.missed_appointment_keywords,
        )
    )
    digest = hashlib.sha256(wording.encode()).hexdigest()[:10]
    return f"{NOTES_VERSION}-{digest}"


def encode(notes: TextNotes) -> str | None:
    """The notes as stored: None when the text says nothing the analysis looks for (most
    entries), else a short JSON list."""
    if notes == NOTHING:
        return None
    return json.dumps(
        [
            int(notes.relayed),
            notes.missed,
            int(notes.shares_with_everyone),
            list(notes.referral_clauses),
            list(notes.share_clauses),
            int(notes.dash_mentioned),
            notes.dash_level,
            notes.dash_score,
            int(notes.marac_in_steps),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(stored: str | None) -> TextNotes:
    """The notes `encode` stored."""
    if stored is None:
        return NOTHING
    relayed, missed, everyone, referrals, shares, dash, level, score, marac = json.loads(stored)
    return TextNotes(
        relayed=bool(relayed),
        missed=missed,
        shares_with_everyone=bool(everyone),
        referral_clauses=tuple(referrals),
        share_clauses=tuple(shares),
        dash_mentioned=bool(dash),
        dash_level=level,
        dash_score=score,
        marac_in_steps=bool(marac),
    )
