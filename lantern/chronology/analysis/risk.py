"""Risk steps (DOMAIN.md: the DASH checklist and the MARAC referral criteria): DASH after a
disclosure, MARAC after repeat incidents or a high DASH score, and sharing what was disclosed."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from lantern.chronology.analysis.dates import add_months
from lantern.chronology.analysis.facts import EntryFact, Rules
from lantern.chronology.analysis.flags import (
    DISCLOSURE_NOT_SHARED,
    NO_DASH_AFTER_DISCLOSURE,
    NO_MARAC_AFTER_REPEAT_INCIDENTS,
    Flag,
    gettext_noop,
)
from lantern.chronology.analysis.notes import is_relayed_text, notes_of
from lantern.chronology.analysis.text import AgencyNames, shared_with_in


def is_relayed(fact: EntryFact, rules: Rules) -> bool:
    """The entry reports what another agency passed on ("notification received from police"):
    from its notes, or `notes.is_relayed_text` on its text."""
    if fact.notes is not None:
        return fact.notes.relayed
    return is_relayed_text(fact.text, rules)


def is_disclosure(fact: EntryFact, themes: frozenset[str], rules: Rules) -> bool:
    """An entry in which the person told this agency of abuse: it has one of `themes`, it is
    about the person (`Rules.disclosure_subjects`), and it does not report what another agency
    passed on."""
    if not (fact.themes & themes) or fact.subject not in rules.disclosure_subjects:
        return False
    return not is_relayed(fact, rules)


def dash_high(fact: EntryFact, rules: Rules) -> bool:
    if fact.dash_score is not None:
        return fact.dash_score >= rules.dash_high_score
    return fact.dash_level == "high"


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    """ "Sexual violence" -> "sexual violence", but "MARAC" stays as it is."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _and(items: list[str]) -> str:
    """["Domestic abuse", "Sexual violence"] -> "domestic abuse and sexual violence"."""
    items = [_lower_first(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def theme_label(code: str, labels: dict[str, str] | None) -> str:
    if labels and code in labels:
        return labels[code]
    return code.replace("_", " ")


class _Days:
    """Sorted dates for "is there one between a and b?" questions."""

    def __init__(self, days: list[date]) -> None:
        self.days = sorted(days)

    def any_between(self, start: date, end: date) -> bool:
        return bisect_right(self.days, end) > bisect_left(self.days, start)


def _group(items: list[tuple[date, EntryFact]], days: int) -> list[list[tuple[date, EntryFact]]]:
    """Items of one agency, sorted by date, in clusters: a cluster ends when the next item is
    more than `days` after the cluster's first."""
    clusters: list[list[tuple[date, EntryFact]]] = []
    for item in sorted(items, key=lambda x: (x[0], x[1].id)):
        if clusters and (item[0] - clusters[-1][0][0]).days <= days:
            clusters[-1].append(item)
        else:
            clusters.append([item])
    return clusters


# --- DASH after a disclosure ---------------------------------------------------------------------

NO_DASH_ONE = gettext_noop(
    "Domestic abuse disclosed; no DASH risk assessment recorded within %(days)s days."
)
NO_DASH_MANY = gettext_noop(
    "Domestic abuse disclosed in %(count)s entries from %(first)s to %(last)s; no DASH risk "
    "assessment recorded within %(days)s days of any of them."
)


def no_dash_after_disclosure(contacts: Sequence[EntryFact], rules: Rules) -> list[Flag]:
    """A domestic-abuse disclosure (`is_disclosure` with `Rules.domestic_abuse_themes`) with no
    DASH recorded from its date to `dash_window_days` after, by the same agency (or by any agency
    when `dash_by_same_agency` is off). Uncovered disclosures of one agency within
    `dash_window_days` of the first are one flag, dated at the first."""
    dash_days: dict[str | None, list[date]] = defaultdict(list)
    for fact in contacts:
        if fact.dash_recorded:
            dash_days[fact.agency if rules.dash_by_same_agency else None].append(fact.day)
    index = {key: _Days(days) for key, days in dash_days.items()}
    empty = _Days([])
    window = timedelta(days=rules.dash_window_days)
    uncovered: dict[str, list[tuple[date, EntryFact]]] = defaultdict(list)
    for fact in contacts:
        if not is_disclosure(fact, rules.domestic_abuse_themes, rules):
            continue
        days = index.get(fact.agency if rules.dash_by_same_agency else None, empty)
        if not days.any_between(fact.day, fact.day + window):
            uncovered[fact.agency].append((fact.day, fact))
    flags = []
    for agency in sorted(uncovered):
        for cluster in _group(uncovered[agency], rules.dash_window_days):
            first, last = cluster[0][0], cluster[-1][0]
            if len(cluster) == 1:
                message, params = NO_DASH_ONE, {"days": rules.dash_window_days}
            else:
                message = NO_DASH_MANY
                params = {
                    "count": len(cluster),
                    "first": first,
                    "last": last,
                    "days": rules.dash_window_days,
                }
            flags.append(
                Flag(
                    kind=NO_DASH_AFTER_DISCLOSURE,
                    agency=agency,
                    date=first,
                    message=message,
                    params=params,
                    entry_ids=tuple(f.id for _d, f in cluster),
                )
            )
    return flags


# --- MARAC ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskNote:
    """A high DASH score with no MARAC referral by any agency within `dash_marac_days`."""

    entry_id: int
    agency: str
    date: date
    score: int | None
    level: str

    def as_dict(self) -> dict:
        return {
            "kind": "dash_high_without_marac",
            "entry": self.entry_id,
            "agency": self.agency,
            "date": self.date.isoformat(),
            "dash_score": self.score,
            "dash_level": self.level,
        }


def _marac_days(contacts: Sequence[EntryFact]) -> _Days:
    return _Days([f.day for f in contacts if f.marac_referral])


def dash_high_without_marac(contacts: Sequence[EntryFact], rules: Rules) -> list[RiskNote]:
    """High-risk DASH results (score >= `dash_high_score`, or level "high" without a score) with
    no MARAC referral recorded by any agency from that day to `dash_marac_days` after."""
    marac = _marac_days(contacts)
    notes = [
        RiskNote(f.id, f.agency, f.day, f.dash_score, f.dash_level)
        for f in contacts
        if dash_high(f, rules)
        and not marac.any_between(f.day, f.day + timedelta(days=rules.dash_marac_days))
    ]
    return sorted(notes, key=lambda n: (n.date, n.agency, n.entry_id))


REPEAT = gettext_noop(
    "%(count)s domestic abuse incidents within %(months)s months (%(first)s to %(last)s, "
    "recorded by %(agencies)s) and no MARAC referral recorded."
)
REPEAT_WITH_DASH = gettext_noop(
    "%(count)s domestic abuse incidents within %(months)s months (%(first)s to %(last)s, "
    "recorded by %(agencies)s) and no MARAC referral recorded, although a DASH assessed high "
    "risk (%(dash)s) on %(dash_date)s."
)


def no_marac_after_repeat_incidents(
    contacts: Sequence[EntryFact],
    rules: Rules,
    notes: Sequence[RiskNote] = (),
) -> list[Flag]:
    """Potential escalation: `marac_incidents` or more domestic-abuse incidents within
    `marac_window_months`, and no MARAC referral recorded by any agency from the first of them to
    `marac_grace_days` after the last.

    An incident is a day on which any agency recorded an entry with a domestic-abuse theme, other
    than one reporting what another agency passed on (`Rules.relayed_patterns`): the same night
    in the police, ambulance and hospital records is one incident, and the school's note of the
    police notification two days later is not another. For each incident
    the window is the `marac_window_months` before it, inclusive. Later incidents within
    `marac_window_months` of a flag's first incident, still without a referral, join that flag;
    after it, counting starts again. A flag is dated at the incident that completed the count
    (when a referral became due); its agency is the one that recorded most of its incidents (then
    by name). A high DASH without MARAC inside it is named too.
    """
    incidents: dict[date, list[EntryFact]] = defaultdict(list)
    for fact in contacts:
        if fact.themes & rules.domestic_abuse_themes and not is_relayed(fact, rules):
            incidents[fact.day].append(fact)
    days = sorted(incidents)
    marac = _marac_days(contacts)
    grace = timedelta(days=rules.marac_grace_days)
    runs: list[list[date]] = []  # the incident days of each flag
    current: list[date] | None = None  # the flag still open
    counted_to: date | None = None  # incidents up to this day belong to an earlier flag
    lo = 0
    for k, day in enumerate(days):
        start = add_months(day, -rules.marac_window_months)
        while days[lo] < start:
            lo += 1
        if current is not None:
            if day <= add_months(current[0], rules.marac_window_months) and not marac.any_between(
                current[0], day + grace
            ):
                current.append(day)
                continue
            counted_to, current = current[-1], None
        window = [d for d in days[lo : k + 1] if counted_to is None or d > counted_to]
        if len(window) >= rules.marac_incidents and not marac.any_between(window[0], day + grace):
            current = list(window)
            runs.append(current)
    flags = []
    for run in runs:
        counts: dict[str, int] = defaultdict(int)
        for day in run:
            for agency in {f.agency for f in incidents[day]}:
                counts[agency] += 1
        agency = min(counts, key=lambda a: (-counts[a], a))
        params: dict = {
            "count": len(run),
            "months": rules.marac_window_months,
            "first": run[0],
            "last": run[-1],
            "agencies": sorted(counts),
        }
        message = REPEAT
        inside = [n for n in notes if run[0] <= n.date <= run[-1]]
        if inside:
            note = inside[0]
            message = REPEAT_WITH_DASH
            params["dash"] = f"{note.score}/24" if note.score is not None else note.level
            params["dash_date"] = note.date
        # Dated at the incident that completed the count: that is when a referral was due.
        completed = run[min(rules.marac_incidents, len(run)) - 1]
        flags.append(
            Flag(
                kind=NO_MARAC_AFTER_REPEAT_INCIDENTS,
                agency=agency,
                date=completed,
                message=message,
                params=params,
                entry_ids=tuple(f.id for day in run for f in incidents[day]),
            )
        )
    return flags


# --- sharing a disclosure ------------------------------------------------------------------------

NOT_SHARED_ONE = gettext_noop(
    "%(theme)s disclosed; %(others)s in contact within %(days)s days, and no entry of this "
    "agency within %(days)s days records sharing it with them, MASH or MARAC."
)
NOT_SHARED_MANY = gettext_noop(
    "%(theme)s disclosed in %(count)s entries from %(first)s to %(last)s; %(others)s in contact "
    "within %(days)s days, and no entry of this agency within %(days)s days records sharing it "
    "with them, MASH or MARAC."
)


def _in_contact_around(
    days: list[date], agencies_on: dict[date, set[str]], window: timedelta
) -> dict[date, frozenset[str]]:
    """For each day with contacts, the agencies with a contact within +/- `window` of it (a
    sliding window over the sorted days, so each day's agencies are counted in and out once)."""
    counts: dict[str, int] = defaultdict(int)
    out: dict[date, frozenset[str]] = {}
    lo = hi = 0
    for day in days:
        while hi < len(days) and days[hi] <= day + window:
            for agency in agencies_on[days[hi]]:
                counts[agency] += 1
            hi += 1
        while days[lo] < day - window:
            for agency in agencies_on[days[lo]]:
                counts[agency] -= 1
                if not counts[agency]:
                    del counts[agency]
            lo += 1
        out[day] = frozenset(counts)
    return out


def disclosure_not_shared(
    contacts: Sequence[EntryFact],
    rules: Rules,
    names: AgencyNames,
    labels: dict[str, str] | None = None,
) -> list[Flag]:
    """A domestic-abuse or sexual-violence disclosure to agency A (`is_disclosure` with
    `Rules.disclosure_themes`), while another agency B had contact within +/-
    `share_window_days`, and no entry of A from the disclosure to `share_window_days` after
    records a MASH or MARAC referral or sharing with / referring to / informing B (by name or
    a common short form). Disclosures of one agency within `share_window_days` of the first are
    one flag, dated at the first, naming every agency not told."""
    window = timedelta(days=rules.share_window_days)
    agencies_on: dict[date, set[str]] = defaultdict(set)  # day -> agencies in contact
    entries_on: dict[tuple[str, date], list[EntryFact]] = defaultdict(list)
    for fact in contacts:
        agencies_on[fact.day].add(fact.agency)
        entries_on[(fact.agency, fact.day)].append(fact)
    days = sorted(agencies_on)
    around = _in_contact_around(days, agencies_on, window)
    own_days: dict[str, list[date]] = defaultdict(list)  # agency -> its days, sorted
    for agency, day in sorted(entries_on):
        own_days[agency].append(day)
    told_on: dict[tuple[str, date], frozenset[str] | None] = {}
    told_after: dict[tuple[str, date], frozenset[str] | None] = {}
    # clauses -> the agencies they name (chronologies repeat standard phrases)
    whom_in: dict[tuple[str, ...], frozenset[str]] = {}

    def told(agency: str, day: date) -> frozenset[str] | None:
        """Agencies `agency`'s entries of `day` share with; None: MASH or MARAC (everyone)."""
        key = (agency, day)
        if key not in told_on:
            named: set[str] = set()
            result: frozenset[str] | None = None
            for f in entries_on.get(key, ()):
                if f.marac_referral or f.mash_referral:
                    break
                notes = notes_of(f, rules)
                if notes.shares_with_everyone:  # MASH or MARAC: everyone there
                    break
                clauses = notes.share_clauses
                if clauses:
                    whom = whom_in.get(clauses)
                    if whom is None:
                        whom = whom_in[clauses] = frozenset(shared_with_in(clauses, names))
                    named |= whom
            else:
                result = frozenset(named)
            told_on[key] = result
        return told_on[key]

    def told_within(agency: str, day: date) -> frozenset[str] | None:
        """Whom `agency` told from `day` to the end of the window after it."""
        key = (agency, day)
        if key not in told_after:
            named: set[str] = set()
            result: frozenset[str] | None = None
            mine = own_days[agency]
            for other in mine[bisect_left(mine, day) : bisect_right(mine, day + window)]:
                shared = (
                    told_on[(agency, other)] if (agency, other) in told_on else told(agency, other)
                )
                if shared is None:
                    break
                named |= shared
            else:
                result = frozenset(named)
            told_after[key] = result
        return told_after[key]

    found: dict[str, list[tuple[date, EntryFact, set[str]]]] = defaultdict(list)
    for fact in contacts:
        if not is_disclosure(fact, rules.disclosure_themes, rules):
            continue
        others = around[fact.day] - {fact.agency}
        if not others:
            continue
        shared = told_within(fact.agency, fact.day)
        if shared is None:
            continue
        unshared = others - shared
        if unshared:
            found[fact.agency].append((fact.day, fact, unshared))
    flags = []
    for agency in sorted(found):
        items = sorted(found[agency], key=lambda x: (x[0], x[1].id))
        clusters: list[list[tuple[date, EntryFact, set[str]]]] = []
        for item in items:
            if clusters and (item[0] - clusters[-1][0][0]).days <= rules.share_window_days:
                clusters[-1].append(item)
            else:
                clusters.append([item])
        for cluster in clusters:
            themes = sorted(
                {t for _d, f, _u in cluster for t in f.themes & rules.disclosure_themes}
            )
            others = sorted(set().union(*(u for _d, _f, u in cluster)))
            params: dict = {
                "theme": _sentence_case(_and([theme_label(t, labels) for t in themes])),
                "others": others,
                "days": rules.share_window_days,
            }
            if len(cluster) == 1:
                message = NOT_SHARED_ONE
            else:
                message = NOT_SHARED_MANY
                params.update(count=len(cluster), first=cluster[0][0], last=cluster[-1][0])
            flags.append(
                Flag(
                    kind=DISCLOSURE_NOT_SHARED,
                    agency=agency,
                    date=cluster[0][0],
                    message=message,
                    params=params,
                    entry_ids=tuple(f.id for _d, f, _u in cluster),
                )
            )
    return flags
