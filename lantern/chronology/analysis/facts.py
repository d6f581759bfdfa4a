"""The inputs of the analysis: one `EntryFact` per chronology entry, and the `Rules` it applies.

Plain Python (no Django): the service builds facts from the database, the tests build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lantern.chronology.analysis.notes import TextNotes

DAY = "day"
MONTH = "month"


@dataclass(frozen=True, slots=True)
class EntryFact:
    """What the analysis needs to know about one chronology entry.

    `themes` are top-level theme codes (confirmed tags and suggestions not rejected). `text` is
    what the agency wrote (what happened, action taken, risk assessment), never the panel's own
    analyst comment, which would otherwise count as the agency's knowledge. `notes` are what the
    rules read in that text (`notes.notes_for`), where the caller has them (the service passes
    the notes stored with the entry); a fact without notes gets them from `text` when the
    analysis starts (`notes.with_notes`).
    """

    id: int
    agency: str
    date: date
    precision: str = DAY
    subject: str = ""
    themes: frozenset[str] = frozenset()
    dash_recorded: bool = False
    marac_referral: bool = False
    text: str = ""
    dash_score: int | None = None
    dash_level: str = ""
    mash_referral: bool = False
    notes: TextNotes | None = field(default=None, repr=False, compare=False)
    # The date the analysis uses: a month-precision date counts as the first of its month.
    day: date = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        day = self.date.replace(day=1) if self.precision == MONTH else self.date
        object.__setattr__(self, "day", day)


MISSED_APPOINTMENT_PATTERNS: tuple[str, ...] = (
    r"(?i:\bdid\s+not\s+attend)",
    r"(?i:\bdidn[’']t\s+attend)",
    r"(?i:\bfailed\s+to\s+attend)",
    r"(?i:\bnon[- ]attendance\b)",
    r"\bDNA(?:[’']?d|s)?\b",
    r"(?i:\bmissed\s+(?:\w+\s+){0,3}?(?:appointments?|sessions?|visits?|contacts?|groups?)\b)",
    r"(?i:\bno\s+(?:answer|reply|response)\s+at\s+the\s+(?:door|address|property|flat|house))",
    r"(?i:\bvisit\b[^.;\n]{0,20}\bno\s+(?:answer|reply)\b)",
    r"(?i:\bwas\s+not\s+brought\b)",
    r"(?i:\bno\s+access\s+visit\b)",
)

# A fast first pass: only entries whose lower-cased text holds one of these are matched against
# the patterns above, so keep every pattern's wording covered by one of them.
MISSED_APPOINTMENT_KEYWORDS: tuple[str, ...] = (
    "did not attend",
    "didn't attend",
    "didn’t attend",
    "failed to attend",
    "non-attendance",
    "non attendance",
    "dna",
    "missed",
    "no answer",
    "no reply",
    "no response",
    "not brought",
    "no access",
)

# Words that say an entry reports what another agency passed on, rather than what the person
# disclosed to this agency: "notification received from police", "MASH referral from police".
# The fast first pass for the patterns below: each of them needs one of these words.
RELAYED_KEYWORDS: tuple[str, ...] = ("from", " by")

RELAYED_PATTERNS: tuple[str, ...] = (
    r"(?i:\b(?:notifications?|referrals?|information|contact|reports?|alerts?|letters?|emails?|"
    r"calls?|strategy\s+discussion)\s+(?:\w+\s+){0,2}?(?:received\s+)?from\b)",
    r"(?i:\b(?:notified|referred|informed|alerted)\s+by\b)",
)


@dataclass(frozen=True)
class Rules:
    """Thresholds of the risk-step and engagement checks (DOMAIN.md: configurable, defaults from
    current guidance). Settings: `LANTERN["ANALYSIS"]`, keys named as these fields."""

    # No DASH after disclosure: a DASH recorded by the same agency within this many days after.
    dash_window_days: int = 28
    dash_by_same_agency: bool = True
    # MARAC: "potential escalation", usually 3+ incidents in 12 months.
    marac_incidents: int = 3
    marac_window_months: int = 12
    marac_grace_days: int = 0  # a referral this many days after the last incident still counts
    # DASH high risk (SafeLives: 14+ "yes") without a MARAC referral within this many days.
    dash_high_score: int = 14
    dash_marac_days: int = 28
    # Disclosure not shared: another agency in contact within +/- this many days, and no entry of
    # the disclosing agency within this many days after the disclosure mentions sharing.
    share_window_days: int = 28
    # Contact fell away (see engagement.contact_fell_away).
    fell_away_run_months: int = 3
    fell_away_min_per_month: int = 1
    fell_away_after_months: int = 3
    fell_away_drop_ratio: float = 0.25
    fell_away_min_days_before_death: int = 90
    # Missed appointments closer together than this are one flag.
    missed_group_days: int = 90
    # Theme codes (top level) the rules look for.
    domestic_abuse_themes: frozenset[str] = frozenset({"domestic_abuse"})
    disclosure_themes: frozenset[str] = frozenset({"domestic_abuse", "sexual_violence"})
    disclosure_subjects: frozenset[str] = frozenset({"victim", ""})
    missed_appointment_patterns: tuple[str, ...] = MISSED_APPOINTMENT_PATTERNS
    missed_appointment_keywords: tuple[str, ...] = MISSED_APPOINTMENT_KEYWORDS
    relayed_patterns: tuple[str, ...] = RELAYED_PATTERNS
    relayed_keywords: tuple[str, ...] = RELAYED_KEYWORDS

    @classmethod
    def from_mapping(cls, values: dict[str, Any] | None) -> Rules:
        """Rules from a settings dict, keys named as the fields (upper case accepted). An unknown
        key is refused, so that a typo never silently leaves a default in force."""
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in (values or {}).items():
            name = key.lower()
            if name not in known:
                raise ValueError(f"Unknown analysis setting: {key}")
            default = getattr(cls, name, None)
            if isinstance(default, frozenset):
                value = frozenset(value)
            elif isinstance(default, tuple):
                value = tuple(value)
            kwargs[name] = value
        return cls(**kwargs)

    def as_dict(self) -> dict[str, Any]:
        """The thresholds as plain JSON values (patterns left out: they are long)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in {
                "missed_appointment_patterns",
                "missed_appointment_keywords",
                "relayed_patterns",
                "relayed_keywords",
            }:
                continue
            value = getattr(self, f.name)
            out[f.name] = sorted(value) if isinstance(value, frozenset) else value
        return out
