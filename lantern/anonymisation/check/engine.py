"""The check: every recogniser over the text, then one finding per stretch of text.

Where recognisers disagree about a stretch, the stronger evidence wins: a name from the register,
then a place the review recorded, then the identifiers with a fixed shape, dates, addresses,
schools and workplaces, and last the heuristics for other people's names. Agencies, legislation
and the pseudonyms are kept out of the heuristics.
"""

from __future__ import annotations

import re

from lantern.anonymisation.check.dates import find_dates
from lantern.anonymisation.check.findings import ORGANISATION_IDENTIFYING, PERSON_NAME, Finding
from lantern.anonymisation.check.identifiers import find_identifiers
from lantern.anonymisation.check.organisations import (
    find_schools_and_workplaces,
    generic_agency_spans,
    named_agency_spans,
)
from lantern.anonymisation.check.people import chair_author_spans, find_other_names
from lantern.anonymisation.check.places import find_addresses, find_known_places
from lantern.anonymisation.check.register import Register
from lantern.anonymisation.check.register_names import find_register_names
from lantern.anonymisation.check.text import NAME_PART, flexible, inside_any, touches_any

# "the Domestic Abuse Act 2021", "section 9 of the Domestic Violence, Crime and Victims Act 2004",
# "Clare's Law", "the Care Act 2014": never names, places or identifiers.
LEGISLATION = re.compile(
    rf"\b(?:{NAME_PART}|and|of|the|for|,)(?:[ ,]+(?:{NAME_PART}|and|of|the|for|\(\w+\)))*"
    rf"\s+Act(?:\s+\(?(?:19|20)\d{{2}}\)?)?"
    rf"|\b(?:Clare|Sarah|Helen|Stalking|Claire)['’]s\s+Law\b"
    rf"|\bSection\s+\d+[A-Z]?(?:\(\d+\))*(?:\([a-z]\))?"
)

_HEURISTIC_RULES = {"title", "role", "forename", "worked at", "street", "address", "school",
                    "workplace", "reference shape"}  # fmt: skip


def protected_spans(text: str, register: Register) -> list[tuple[int, int]]:
    """Stretches that the heuristics leave alone: agencies, legislation, pseudonyms, the
    review's chair and author."""
    spans = named_agency_spans(text, register)
    spans += [(m.start(), m.end()) for m in LEGISLATION.finditer(text)]
    spans += chair_author_spans(text)
    for pseudonym in register.pseudonyms:
        pattern = re.compile(r"(?<!\w)" + flexible(pseudonym) + r"(?!\w)")
        spans += [(m.start(), m.end()) for m in pattern.finditer(text)]
    return spans


def _keep(
    finding: Finding, protected: list[tuple[int, int]], agencies: list[tuple[int, int]]
) -> bool:
    span = (finding.start, finding.end)
    if finding.rule in _HEURISTIC_RULES and finding.category == PERSON_NAME:
        return not touches_any(span, protected) and not touches_any(span, agencies)
    if finding.rule == "worked at":
        return not touches_any(span, protected) and not touches_any(span, agencies)
    if finding.category == ORGANISATION_IDENTIFYING and finding.rule != "known place":
        return not inside_any(span, protected)
    if finding.rule in ("street", "address"):
        return not inside_any(span, protected) and not inside_any(span, agencies)
    if finding.rule == "reference shape":
        return not inside_any(span, protected)
    return True


def _resolve(candidates: list[Finding]) -> list[Finding]:
    """One finding per stretch: the strongest (then the longest) wins; the rest are dropped."""
    chosen: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for f in sorted(candidates, key=lambda f: (-f.priority, -(f.end - f.start), f.start)):
        if f.end <= f.start or touches_any((f.start, f.end), taken):
            continue
        chosen.append(f)
        taken.append((f.start, f.end))
    return sorted(chosen, key=lambda f: f.start)


def check_text(text: str, register: Register | None = None) -> list[Finding]:
    """Every identifying detail found in `text`, sorted by start, none overlapping."""
    register = register or Register()
    protected = protected_spans(text, register)
    agencies = generic_agency_spans(text)
    candidates = [
        *find_register_names(text, register),
        *find_known_places(text, register),
        *find_identifiers(text),
        *find_dates(text, register),
        *find_addresses(text),
        *find_schools_and_workplaces(text),
        *find_other_names(text, register),
    ]
    kept = [f for f in candidates if _keep(f, protected, agencies)]
    return _resolve(kept)
