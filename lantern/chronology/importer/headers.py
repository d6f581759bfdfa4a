"""Agencies' headings -> the standard column keys of `chronology.columns`.

Agencies word their headings their own way ("Date of contact", "Date/Time", "Summary of
contact", "Narrative", "Outcome / action", "IMR AUTHOR COMMENT"...). A heading is matched in
three steps, strongest first:

1. exactly one of the known wordings (after normalising case, punctuation and spacing);
2. a keyword of one column, read left to right, so that "Subject of record" is a subject and
   "Record type / reference" a source record; a heading naming a date and a time is the
   combined "date and time" column;
3. a near spelling of a keyword ("Narative", "Sumary"), with a high cutoff, so a typo is
   forgiven but an unrelated word is never guessed into a column.

Headings that only look like the contact date ("Date of birth", "Date entered") are never read
as it. "Notes" is weak: it is the description when nothing else is, otherwise the comment.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lantern.chronology.columns import STANDARD_COLUMNS

DATETIME = "datetime"  # a column holding the date and the time together; read as "date"

# Wordings agencies use, beyond Lantern's own headings (added from STANDARD_COLUMNS below).
_VARIANTS: dict[str, tuple[str, ...]] = {
    "date": (
        "date",
        "date of contact",
        "contact date",
        "date of event",
        "event date",
        "date of incident",
        "incident date",
        "date of entry",
        "date seen",
        "when",
    ),
    DATETIME: (
        "date/time",
        "date time",
        "datetime",
        "date and time",
        "date and time of contact",
        "time and date",
        "date/time of contact",
        "date time of contact",
    ),
    "time": ("time", "time of contact", "time (24h)", "time 24h", "time of event"),
    "source_record": (
        "source",
        "source record",
        "source document",
        "record",
        "record type",
        "record ref",
        "record reference",
        "record type / reference",
        "where recorded",
        "system",
        "reference",
        "source of information",
    ),
    "subject": (
        "subject",
        "person",
        "client",
        "who",
        "subject of record",
        "service user",
        "individual",
        "patient",
        "name",
        "person involved",
    ),
    "what_happened": (
        "what happened",
        "narrative",
        "summary",
        "summary of contact",
        "contact summary",
        "details",
        "details of contact",
        "description",
        "event",
        "events",
        "what happened / contact summary",
        "incident",
        "details of event",
        "case note",
        "case notes",
        "contact details",
        "nature of contact",
        "reason for contact",
    ),
    "action_taken": (
        "action",
        "action taken",
        "actions",
        "outcome",
        "outcome / action",
        "action / outcome",
        "action taken / outcome",
        "actions and outcome",
        "response",
        "result",
        "next steps",
        "what was done",
        "what action was taken",
    ),
    "risk_assessment": (
        "risk",
        "risk assessment",
        "risk / referrals",
        "dash / marac / mash",
        "risk (dash/marac/mash)",
        "safeguarding / risk",
        "safeguarding",
        "referrals",
        "risk assessment and referrals",
    ),
    "analyst_comment": (
        "analyst comment",
        "comment",
        "comments",
        "analysis",
        "learning",
        "reviewer's comment",
        "imr author comment",
        "observations",
        "remarks",
        "analysis (missed opportunity / good practice)",
    ),
    "agency": ("agency", "organisation", "organization", "agency name"),
}

# Keywords, tried left to right through a heading's words. Two-word phrases are tried first.
_KEYWORDS: dict[str, str] = {}
for _key, _words in {
    "date": ("date", "dated", "when"),
    "time": ("time", "hrs"),
    "source_record": (
        "source",
        "record",
        "records",
        "recorded",
        "reference",
        "ref",
        "document",
        "system",
        "log",
    ),
    "subject": ("subject", "person", "client", "who", "individual", "patient", "people"),
    "what_happened": (
        "narrative",
        "summary",
        "description",
        "details",
        "detail",
        "event",
        "events",
        "happened",
        "incident",
        "circumstances",
        "presentation",
    ),
    "action_taken": ("action", "actions", "outcome", "outcomes", "response", "result", "taken"),
    "risk_assessment": (
        "risk",
        "risks",
        "dash",
        "marac",
        "mash",
        "safeguarding",
        "referral",
        "referrals",
    ),
    "analyst_comment": (
        "comment",
        "comments",
        "analysis",
        "analyst",
        "learning",
        "reviewer",
        "reviewers",
        "observations",
        "observation",
        "reflection",
        "remarks",
        "lessons",
    ),
    "agency": ("agency", "organisation", "organization"),
}.items():
    for _word in _words:
        _KEYWORDS[_word] = _key

_PHRASES: dict[str, str] = {
    "service user": "subject",
    "what happened": "what_happened",
    "case note": "what_happened",
    "case notes": "what_happened",
    "next steps": "action_taken",
    "missed opportunity": "analyst_comment",
    "good practice": "analyst_comment",
}

_WEAK = ("notes", "note", "other information", "additional information", "further information")

# Dates that are not the date of the contact.
_NOT_THE_CONTACT_DATE = re.compile(
    r"\b(birth|dob|born|age|entered|created|modified|updated|input|printed|closed|opened|"
    r"review date|date of review|due|deadline)\b"
)
_STRENGTH_EXACT, _STRENGTH_LEADING, _STRENGTH_INSIDE, _STRENGTH_FUZZY = 4, 3, 2, 1
_FUZZY_CUTOFF = 0.85
_MAX_HEADING_LENGTH = 80  # a longer cell is text, not a heading


def normalise(heading: object) -> str:
    """'  Date &  Time of Contact: ' -> 'date and time of contact'."""
    text = str(heading or "").strip().lower()
    text = text.replace("&", " and ").replace("’", "'").replace("\u00a0", " ")
    text = re.sub(r"[_\-:;,.*#?!\[\]{}]+", " ", text)
    text = re.sub(r"\s*/\s*", " / ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text


def _words(text: str) -> list[str]:
    return [w.strip("'()") for w in re.split(r"[\s/()]+", text) if w.strip("'()")]


_VARIANT_KEY: dict[str, str] = {}
for _column in STANDARD_COLUMNS:
    _VARIANT_KEY[normalise(_column.heading)] = _column.key
for _key, _variants in _VARIANTS.items():
    for _variant in _variants:
        _VARIANT_KEY.setdefault(normalise(_variant), _key)
# Typos are forgiven only in words long enough to tell apart ("time" vs "type" is not safe).
_FUZZY_WORDS = tuple(w for w in _KEYWORDS if len(w) >= 5)


@dataclass(frozen=True)
class HeaderMatch:
    key: str  # a STANDARD_COLUMNS key, or DATETIME
    strength: int  # 4 exact wording, 3 leading keyword, 2 keyword inside, 1 near spelling
    weak: bool = False


def match_heading(heading: object) -> HeaderMatch | None:
    """The standard column a heading names, or None."""
    text = normalise(heading)
    if not text or len(text) > _MAX_HEADING_LENGTH:
        return None
    if text in _VARIANT_KEY:
        return HeaderMatch(_VARIANT_KEY[text], _STRENGTH_EXACT)
    words = _words(text)
    if not words:
        return None
    keys: list[tuple[int, str]] = []  # (position, key) of every keyword, in order
    for index, word in enumerate(words):
        if index + 1 < len(words) and f"{word} {words[index + 1]}" in _PHRASES:
            keys.append((index, _PHRASES[f"{word} {words[index + 1]}"]))
        elif word in _KEYWORDS:
            keys.append((index, _KEYWORDS[word]))
    found = [k for _i, k in keys]
    if "date" in found and "time" in found:
        return HeaderMatch(DATETIME, _STRENGTH_LEADING if keys[0][0] == 0 else _STRENGTH_INSIDE)
    for index, key in keys:
        if key == "date" and _NOT_THE_CONTACT_DATE.search(text):
            continue
        return HeaderMatch(key, _STRENGTH_LEADING if index == 0 else _STRENGTH_INSIDE)
    if text in _WEAK or (words[-1] in ("notes", "note") and len(words) <= 3):
        return HeaderMatch("what_happened", 0, weak=True)
    for word in words:
        if len(word) < 5:
            continue
        close = difflib.get_close_matches(word, _FUZZY_WORDS, n=1, cutoff=_FUZZY_CUTOFF)
        if close:
            key = _KEYWORDS[close[0]]
            if key == "date" and _NOT_THE_CONTACT_DATE.search(text):
                continue
            return HeaderMatch(key, _STRENGTH_FUZZY)
    return None


@dataclass
class ColumnMap:
    """Which column of a sheet holds which standard column."""

    columns: dict[str, int] = field(default_factory=dict)  # key -> 0-based column index
    headings: dict[int, str] = field(default_factory=dict)  # column index -> heading as written
    date_has_time: bool = False  # the date column is a "date and time" column
    unmapped: list[int] = field(default_factory=list)  # columns with a heading Lantern ignores
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (column, key kept elsewhere)

    @property
    def score(self) -> int:
        return len(self.columns)

    def heading(self, key: str) -> str:
        index = self.columns.get(key)
        return self.headings.get(index, "") if index is not None else ""


def map_headings(cells: Sequence[object]) -> ColumnMap:
    """Map one row of headings to the standard columns, the strongest match winning a key."""
    result = ColumnMap()
    best: dict[str, tuple[int, int]] = {}  # key -> (strength, index)
    weak: list[int] = []
    matched: dict[int, str] = {}
    for index, cell in enumerate(cells):
        if cell is None or str(cell).strip() == "":
            continue
        result.headings[index] = str(cell).strip()
        match = match_heading(cell)
        if match is None:
            result.unmapped.append(index)
            continue
        if match.weak:
            weak.append(index)
            continue
        key = "date" if match.key == DATETIME else match.key
        strength = match.strength
        current = best.get(key)
        if current is None or strength > current[0]:
            if current is not None:
                result.duplicates.append((current[1], key))
            best[key] = (strength, index)
            matched[index] = match.key
        else:
            result.duplicates.append((index, key))
    for index in weak:
        for key in ("what_happened", "analyst_comment"):
            if key not in best:
                best[key] = (0, index)
                matched[index] = key
                break
        else:
            result.unmapped.append(index)
    result.columns = {key: index for key, (_strength, index) in best.items()}
    date_index = result.columns.get("date")
    result.date_has_time = date_index is not None and matched.get(date_index) == DATETIME
    result.unmapped.sort()
    result.duplicates.sort()
    return result
