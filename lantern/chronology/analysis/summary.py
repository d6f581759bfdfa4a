"""`analyse()`: what the combined chronology shows, in the shape the page, API and CLI share.

Definitions (the contract):
- Every entry counts as a contact, whoever it is about (`subject` filters). Entries dated on or
  after the date of death are left out of everything. A month-precision date counts as the
  first of its month.
- `first_contact`/`last_contact`: the dates of an agency's first and last entries.
- `days_without_contact_before_death`: the date of death minus the date of the last entry of
  any agency, in days (None without a date of death or without contacts).
- An agency's `themes`: the top-level themes of its entries (confirmed tags and suggestions not
  rejected: the caller passes them); `theme_coverage`: their number over the number in the
  totality (every theme any agency knew of), to 2 decimals.
- `monthly_contacts`: from the first to the last month with contacts, zeros included.
- `flags`: sorted by date (then kind, agency); agencies sorted by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lantern.chronology.analysis.dates import month_key_of_index, whole_months_between
from lantern.chronology.analysis.engagement import (
    MissedAppointment,
    agency_monthly,
    contact_fell_away,
    last_contact,
    missed_appointment_flags,
    missed_appointments,
    month_span,
    monthly_contacts,
)
from lantern.chronology.analysis.facts import EntryFact, Rules
from lantern.chronology.analysis.flags import Flag
from lantern.chronology.analysis.knowledge import (
    AgencyKnowledge,
    Gap,
    agency_knowledge,
    single_issue_agencies,
    theme_gaps,
    totality,
)
from lantern.chronology.analysis.network import Edge, referral_network
from lantern.chronology.analysis.notes import with_notes
from lantern.chronology.analysis.risk import (
    RiskNote,
    dash_high_without_marac,
    disclosure_not_shared,
    no_dash_after_disclosure,
    no_marac_after_repeat_incidents,
)
from lantern.chronology.analysis.text import AgencyNames


@dataclass
class Analysis:
    review: str
    date_of_death: date | None
    subject: str | None
    rules: Rules
    contacts: int
    after_death: int
    agencies: list[AgencyKnowledge]
    themes: tuple[str, ...]
    single_issue_agencies: list[str]
    last_contact: date | None
    last_contact_agencies: list[str]
    days_without_contact: int | None
    months_without_contact: int | None
    monthly_contacts: dict[str, int]
    months: list[str]
    agency_monthly: dict[str, list[int]]
    flags: list[Flag]
    risk_notes: list[RiskNote]
    gaps: list[Gap]
    missed: list[MissedAppointment]
    referrals: list[Edge]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def most_known(self) -> int:
        return max((len(a.themes) for a in self.agencies), default=0)

    def as_dict(self) -> dict[str, Any]:
        """The contract's keys, exactly, then extra keys."""
        return {
            "review": self.review,
            "date_of_death": self.date_of_death.isoformat() if self.date_of_death else None,
            "entries": self.contacts,
            "agencies": [a.as_dict() for a in self.agencies],
            "themes": list(self.themes),
            "single_issue_agencies": list(self.single_issue_agencies),
            "days_without_contact_before_death": self.days_without_contact,
            "monthly_contacts": dict(self.monthly_contacts),
            "flags": [f.as_dict() for f in self.flags],
            # extra keys
            "subject": self.subject,
            "entries_on_or_after_death": self.after_death,
            "last_contact": {
                "date": self.last_contact.isoformat() if self.last_contact else None,
                "agencies": self.last_contact_agencies,
            },
            "months_without_contact_before_death": self.months_without_contact,
            "agency_monthly_contacts": {
                agency: dict(zip(self.months, row, strict=True))
                for agency, row in self.agency_monthly.items()
            },
            "gaps": [g.as_dict() for g in self.gaps],
            "missed_appointments": [m.as_dict() for m in self.missed],
            "risk_notes": [n.as_dict() for n in self.risk_notes],
            "referrals": [e.as_dict() for e in self.referrals],
            "rules": self.rules.as_dict(),
        }


def build_analysis(
    *,
    review: str,
    date_of_death: date | None,
    entries: Iterable[EntryFact],
    rules: Rules | None = None,
    subject: str | None = None,
    theme_labels: dict[str, str] | None = None,
    agency_names: Sequence[str] = (),
) -> Analysis:
    """The analysis of `entries` (facts the caller may see). `agency_names` are the names to
    recognise in text besides the agencies with entries."""
    rules = rules or Rules()
    facts = with_notes((f for f in entries if subject is None or f.subject == subject), rules)
    contacts = facts
    if date_of_death is not None:
        contacts = [f for f in facts if f.day < date_of_death]
    all_themes = totality(contacts)
    knowledge = agency_knowledge(contacts, all_themes)
    last, last_agencies = last_contact(contacts)
    days_without = months_without = None
    if last is not None and date_of_death is not None:
        days_without = (date_of_death - last).days
        months_without = whole_months_between(last, date_of_death)
    span = month_span(contacts)
    names = AgencyNames.build({f.agency for f in contacts} | set(agency_names))
    missed = missed_appointments(contacts, rules)
    notes = dash_high_without_marac(contacts, rules)
    flags: list[Flag] = [
        *no_dash_after_disclosure(contacts, rules),
        *no_marac_after_repeat_incidents(contacts, rules, notes),
        *disclosure_not_shared(contacts, rules, names, theme_labels),
        *contact_fell_away(
            contacts,
            end=date_of_death or last,
            death_known=date_of_death is not None,
            rules=rules,
        ),
        *missed_appointment_flags(missed, rules),
    ]
    flags.sort(key=lambda f: f.sort_key)
    return Analysis(
        review=review,
        date_of_death=date_of_death,
        subject=subject,
        rules=rules,
        contacts=len(contacts),
        after_death=len(facts) - len(contacts),
        agencies=knowledge,
        themes=all_themes,
        single_issue_agencies=single_issue_agencies(knowledge),
        last_contact=last,
        last_contact_agencies=last_agencies,
        days_without_contact=days_without,
        months_without_contact=months_without,
        monthly_contacts=monthly_contacts(contacts),
        months=[month_key_of_index(i) for i in span],
        agency_monthly=agency_monthly(contacts, span),
        flags=flags,
        risk_notes=notes,
        gaps=theme_gaps(contacts, knowledge),
        missed=missed,
        referrals=referral_network(contacts, names),
    )


def analyse(
    *,
    review: str,
    date_of_death: date | None,
    entries: Iterable[EntryFact],
    rules: Rules | None = None,
    subject: str | None = None,
    theme_labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The analysis as the JSON contract (plus extra keys)."""
    return build_analysis(
        review=review,
        date_of_death=date_of_death,
        entries=entries,
        rules=rules,
        subject=subject,
        theme_labels=theme_labels,
    ).as_dict()
