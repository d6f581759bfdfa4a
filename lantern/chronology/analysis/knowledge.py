"""Who knew what: each agency's themes, the totality, coverage, and the gaps between agencies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from lantern.chronology.analysis.facts import EntryFact


@dataclass(frozen=True)
class AgencyKnowledge:
    """One agency's contacts and the top-level themes of its entries."""

    agency: str
    entries: int
    first_contact: date
    last_contact: date
    themes: tuple[str, ...]
    theme_entries: dict[str, int]  # theme -> number of the agency's entries with it
    theme_coverage: float

    def as_dict(self) -> dict:
        return {
            "agency": self.agency,
            "entries": self.entries,
            "first_contact": self.first_contact.isoformat(),
            "last_contact": self.last_contact.isoformat(),
            "themes": list(self.themes),
            "theme_coverage": self.theme_coverage,
        }


def coverage(known: int, total: int) -> float:
    """`known` over `total` to 2 decimals (Python's round); 0.0 when nothing is known at all."""
    return round(known / total, 2) if total else 0.0


def totality(contacts: Sequence[EntryFact]) -> tuple[str, ...]:
    """Every top-level theme any agency knew of, sorted by code."""
    themes: set[str] = set()
    for fact in contacts:
        themes |= fact.themes
    return tuple(sorted(themes))


def agency_knowledge(
    contacts: Sequence[EntryFact], all_themes: Sequence[str]
) -> list[AgencyKnowledge]:
    """Each agency with contacts, sorted by name."""
    by_agency: dict[str, list[EntryFact]] = defaultdict(list)
    for fact in contacts:
        by_agency[fact.agency].append(fact)
    out = []
    for agency in sorted(by_agency):
        facts = by_agency[agency]
        counts: dict[str, int] = defaultdict(int)
        for fact in facts:
            for theme in fact.themes:
                counts[theme] += 1
        days = [f.day for f in facts]
        themes = tuple(sorted(counts))
        out.append(
            AgencyKnowledge(
                agency=agency,
                entries=len(facts),
                first_contact=min(days),
                last_contact=max(days),
                themes=themes,
                theme_entries=dict(sorted(counts.items())),
                theme_coverage=coverage(len(themes), len(all_themes)),
            )
        )
    return out


def single_issue_agencies(knowledge: Sequence[AgencyKnowledge]) -> list[str]:
    """Agencies that knew of exactly one top-level theme, sorted by name."""
    return sorted(k.agency for k in knowledge if len(k.themes) == 1)


@dataclass(frozen=True)
class Gap:
    """A theme `agency` never knew of that `known_by` (in contact at the same time) did."""

    agency: str
    theme: str
    known_by: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"agency": self.agency, "theme": self.theme, "known_by": list(self.known_by)}


def theme_gaps(contacts: Sequence[EntryFact], knowledge: Sequence[AgencyKnowledge]) -> list[Gap]:
    """Themes an agency never knew of that another agency in contact at the same time did.

    For agency A, in contact from its first to its last contact, a theme T that none of A's
    entries has is a gap when some other agency B was in contact at the same time (B's first to
    last contact overlaps A's) and had recorded T by A's last contact (B's first entry with T is
    on or before it): what B knew was there to be shared while A was involved. Sorted by agency,
    then theme; `known_by` sorted by name.
    """
    first_known: dict[tuple[str, str], date] = {}
    for fact in contacts:
        for theme in fact.themes:
            key = (theme, fact.agency)
            if key not in first_known or fact.day < first_known[key]:
                first_known[key] = fact.day
    period = {k.agency: (k.first_contact, k.last_contact) for k in knowledge}
    by_theme: dict[str, list[tuple[str, date]]] = defaultdict(list)
    for (theme, agency), day in sorted(first_known.items()):
        by_theme[theme].append((agency, day))
    gaps = []
    for k in knowledge:
        known = set(k.themes)
        for theme in sorted(by_theme):
            if theme in known:
                continue
            knew = tuple(
                agency
                for agency, day in by_theme[theme]
                if agency != k.agency
                and day <= k.last_contact
                and period[agency][0] <= k.last_contact
                and period[agency][1] >= k.first_contact
            )
            if knew:
                gaps.append(Gap(agency=k.agency, theme=theme, known_by=knew))
    return gaps
