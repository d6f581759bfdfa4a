"""Engagement: contacts month by month, the silence before the death, agencies whose contact fell
away, and missed appointments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from lantern.chronology.analysis.dates import month_index, month_key_of_index
from lantern.chronology.analysis.facts import EntryFact, Rules
from lantern.chronology.analysis.flags import (
    CONTACT_FELL_AWAY,
    MISSED_APPOINTMENTS,
    Flag,
    gettext_noop,
)
from lantern.chronology.analysis.notes import notes_of


def month_span(contacts: Sequence[EntryFact]) -> list[int]:
    """Month indexes from the first to the last month with contacts (empty without contacts)."""
    if not contacts:
        return []
    indexes = [month_index(f.day) for f in contacts]
    return list(range(min(indexes), max(indexes) + 1))


def monthly_contacts(contacts: Sequence[EntryFact]) -> dict[str, int]:
    """{"YYYY-MM": contacts} from the first to the last month with contacts, zeros included."""
    span = month_span(contacts)
    counts = dict.fromkeys(span, 0)
    for fact in contacts:
        counts[month_index(fact.day)] += 1
    return {month_key_of_index(i): n for i, n in counts.items()}


def agency_monthly(contacts: Sequence[EntryFact], span: Sequence[int]) -> dict[str, list[int]]:
    """Each agency's contacts in each month of `span`, agencies sorted by name."""
    if not span:
        return {}
    first = span[0]
    out: dict[str, list[int]] = {}
    for fact in contacts:
        row = out.get(fact.agency)
        if row is None:
            row = out[fact.agency] = [0] * len(span)
        row[month_index(fact.day) - first] += 1
    return dict(sorted(out.items()))


def last_contact(contacts: Sequence[EntryFact]) -> tuple[date | None, list[str]]:
    """The date of the last contact with any agency, and the agencies in contact that day."""
    if not contacts:
        return None, []
    last = max(f.day for f in contacts)
    return last, sorted({f.agency for f in contacts if f.day == last})


# --- contact fell away ---------------------------------------------------------------------------

FELL_AWAY = {
    # (stopped, death known) -> message
    (True, True): gettext_noop(
        "Contact in each of %(months)s months from %(run_start)s to %(run_end)s (%(rate)s a "
        "month), then none: the last contact was %(days)s days before the death."
    ),
    (True, False): gettext_noop(
        "Contact in each of %(months)s months from %(run_start)s to %(run_end)s (%(rate)s a "
        "month), then none: the last contact was %(days)s days before the last entry of any "
        "agency."
    ),
    (False, True): gettext_noop(
        "Contact in each of %(months)s months from %(run_start)s to %(run_end)s (%(rate)s a "
        "month), then %(after)s in the next %(window)s months; the run ended %(days)s days "
        "before the death."
    ),
    (False, False): gettext_noop(
        "Contact in each of %(months)s months from %(run_start)s to %(run_end)s (%(rate)s a "
        "month), then %(after)s in the next %(window)s months; the run ended %(days)s days "
        "before the last entry of any agency."
    ),
}


def contact_fell_away(
    contacts: Sequence[EntryFact], *, end: date | None, death_known: bool, rules: Rules
) -> list[Flag]:
    """Agencies with a run of regular contact whose contacts stopped or dropped sharply well
    before the death.

    Precisely: an agency's *regular run* is a maximal run of at least `fell_away_run_months`
    consecutive calendar months, each with at least `fell_away_min_per_month` contacts; its rate
    is its contacts over its months. Only the agency's last regular run is considered. Its
    contact *fell away* when the run's last contact is at least `fell_away_min_days_before_death`
    days before `end` (the date of death, or without one the last contact of any agency), and in
    the `fell_away_after_months` months after the run the agency's contacts per month were at
    most `fell_away_drop_ratio` times the run's rate (none at all: "stopped"). The flag is dated
    at the run's last contact.
    """
    if end is None:
        return []
    by_agency: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    last_day: dict[tuple[str, int], date] = {}
    for fact in contacts:
        index = month_index(fact.day)
        by_agency[fact.agency][index] += 1
        key = (fact.agency, index)
        if key not in last_day or fact.day > last_day[key]:
            last_day[key] = fact.day
    flags = []
    need = max(rules.fell_away_min_per_month, 1)
    for agency in sorted(by_agency):
        months = by_agency[agency]
        run = _last_run(months, need=need, length=rules.fell_away_run_months)
        if run is None:
            continue
        start, stop = run
        run_contacts = sum(months[i] for i in range(start, stop + 1))
        rate = run_contacts / (stop - start + 1)
        ended = last_day[(agency, stop)]
        days = (end - ended).days
        if days < rules.fell_away_min_days_before_death:
            continue
        window = rules.fell_away_after_months
        after = sum(months.get(i, 0) for i in range(stop + 1, stop + 1 + window))
        if after / window > rules.fell_away_drop_ratio * rate:
            continue
        params = {
            "months": stop - start + 1,
            "run_start": month_key_of_index(start),
            "run_end": month_key_of_index(stop),
            "rate": round(rate, 1),
            "days": days,
            "after": after,
            "window": window,
        }
        stopped = not any(i > stop for i in months)
        flags.append(
            Flag(
                kind=CONTACT_FELL_AWAY,
                agency=agency,
                date=ended,
                message=FELL_AWAY[(stopped, death_known)],
                params=params,
            )
        )
    return flags


def _last_run(months: dict[int, int], *, need: int, length: int) -> tuple[int, int] | None:
    """The last maximal run of consecutive months with at least `need` contacts each, if it is
    at least `length` months long: (first month index, last month index)."""
    best = None
    run_start = None
    previous = None
    for index in sorted(i for i, n in months.items() if n >= need):
        if previous is None or index != previous + 1:
            run_start = index
        previous = index
        if index - run_start + 1 >= length:
            best = (run_start, index)
    return best


# --- missed appointments -------------------------------------------------------------------------


@dataclass(frozen=True)
class MissedAppointment:
    entry_id: int
    agency: str
    date: date
    text: str  # the clause that records it

    def as_dict(self) -> dict:
        return {
            "entry": self.entry_id,
            "agency": self.agency,
            "date": self.date.isoformat(),
            "text": self.text,
        }


def missed_appointments(contacts: Sequence[EntryFact], rules: Rules) -> list[MissedAppointment]:
    """Entries whose text records a missed appointment (`notes.missed_appointment_in`: "did not
    attend", "DNA", "missed appointment", "no answer at the door"...), by date, with the
    sentence that says so."""
    found = []
    for fact in contacts:
        said = notes_of(fact, rules).missed
        if said is not None:
            found.append(
                MissedAppointment(entry_id=fact.id, agency=fact.agency, date=fact.day, text=said)
            )
    return sorted(found, key=lambda m: (m.date, m.agency, m.entry_id))


MISSED_ONE = gettext_noop("Missed appointment: “%(text)s”.")
MISSED_MANY = gettext_noop("%(count)s missed appointments recorded from %(first)s to %(last)s.")


def missed_appointment_flags(missed: Sequence[MissedAppointment], rules: Rules) -> list[Flag]:
    """One flag per agency per cluster of missed appointments: a cluster ends when the next one
    is more than `missed_group_days` after the previous. Dated at the cluster's first."""
    by_agency: dict[str, list[MissedAppointment]] = defaultdict(list)
    for item in missed:
        by_agency[item.agency].append(item)
    flags = []
    for agency, items in sorted(by_agency.items()):
        items.sort(key=lambda m: (m.date, m.entry_id))
        clusters: list[list[MissedAppointment]] = []
        for item in items:
            if clusters and (item.date - clusters[-1][-1].date).days <= rules.missed_group_days:
                clusters[-1].append(item)
            else:
                clusters.append([item])
        for cluster in clusters:
            first, last = cluster[0], cluster[-1]
            if len(cluster) == 1:
                message, params = MISSED_ONE, {"text": first.text}
            else:
                message = MISSED_MANY
                params = {"count": len(cluster), "first": first.date, "last": last.date}
            flags.append(
                Flag(
                    kind=MISSED_APPOINTMENTS,
                    agency=agency,
                    date=first.date,
                    message=message,
                    params=params,
                    entry_ids=tuple(m.entry_id for m in cluster),
                )
            )
    return flags
