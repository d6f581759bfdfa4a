"""Reading what agencies wrote: DASH and MARAC mentions, sharing and referrals, agency names.

Agencies write free text in their own terms ("referred to CSC", "Referral to MASH", "DASH:
high (15/24). No MARAC referral made."). These functions find the facts the rules need and are
deliberately conservative about negation: a sentence that says a step was *not* taken never counts
as the step.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import ahocorasick

# --- sentences and negation ----------------------------------------------------------------------

_SENTENCE = re.compile(r"[^.;:\n!?]+")
_NEGATION = re.compile(
    r"\b(?:no|not|never|without|nor|neither|declined|refused|none)\b|n[’']t\b", re.IGNORECASE
)


def normalise(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


def sentences(text: str) -> Iterator[str]:
    """Clauses of a text, split at full stops, semicolons, colons and line breaks."""
    for match in _SENTENCE.finditer(normalise(text)):
        clause = match.group().strip()
        if clause:
            yield clause


def negated(clause: str) -> bool:
    return bool(_NEGATION.search(clause))


# --- DASH and MARAC ------------------------------------------------------------------------------

_DASH = re.compile(
    r"\bDASH\b|(?i:\bdash[\s-]+(?:ric|risk|checklist|assessment|score|form)\b)|"
    r"(?i:\brisk\s+identification\s+checklist\b)"
)
_DASH_SCORE = re.compile(
    r"(?i:\bDASH\b)[^.;\n]{0,40}?\b(?P<score>\d{1,2})\s*(?:/|out\s+of\s+)\s*24\b"
    r"|(?i:\bDASH\b)[^.;\n]{0,20}?\bscore[ds]?\s*(?:of\s*)?(?P<score2>\d{1,2})\b"
)
_DASH_LEVEL = re.compile(
    r"(?i:\bDASH\b)\W{0,3}(?:risk\W{0,3})?(?P<level>standard|medium|high)\b", re.IGNORECASE
)
_MARAC = re.compile(r"\bMARAC\b", re.IGNORECASE)
_MULTI_AGENCY_NAME = re.compile(
    r"\bMASH\b|\bmulti[- ]agency\s+safeguarding\s+hub\b|\bMARAC\b", re.IGNORECASE
)
_REFERRAL_WORD = re.compile(
    r"(?<!self-)(?<!self )\b(?:referred|referral|referrals|refer|refers|referring|signposted|"
    r"signposting)\b",
    re.IGNORECASE,
)
_SHARE_WORDS = frozenset(
    [
        "referred",
        "referral",
        "referrals",
        "refer",
        "referring",
        "signposted",
        "shared",
        "share",
        "sharing",
        "informed",
        "notified",
        "notification",
        "told",
        "passed",
        "sent",
        "emailed",
        "mailed",
        "called",
        "phoned",
        "rang",
        "contacted",
        "liaised",
        "liaison",
        "reported",
        "alerted",
        "copied",
        "discussed",
        "raised",
        "flagged",
        "escalated",
        "submitted",
    ]
)
_SHARE_WORD = re.compile(
    r"(?<!self-)\b(?:" + "|".join(sorted(_SHARE_WORDS - {"mailed"})) + r"|e-?mailed)\b",
    re.IGNORECASE,
)


def _finder(words: Iterable[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH, ahocorasick.KEY_STRING)
    for word in words:
        automaton.add_word(word)
    automaton.make_automaton()
    return automaton


# The words `_SHARE_WORD` looks for, as one Aho-Corasick automaton (pyahocorasick, decision 0008).
_SHARE_FINDER = _finder([*sorted(_SHARE_WORDS - {"mailed"}), "emailed", "e-mailed"])
# Python's case-insensitive matching also takes these for "i"; case folding does not.
_DOTTED_I = ("İ", "ı")


def mentions_a_share_word(clause: str) -> bool:
    """Whether `_SHARE_WORD` can match the clause: one of its words is in the case-folded clause
    (ignoring word boundaries). A fast first pass, so the expression runs on few clauses;
    exact, because every character Python's case-insensitive match takes for a letter of those
    words case-folds to that letter, except the two dotted and dotless i (a test checks every
    character)."""
    if _DOTTED_I[0] in clause or _DOTTED_I[1] in clause:
        return True
    return next(_SHARE_FINDER.iter(clause.casefold()), None) is not None


# Words as the fast first passes see them: lower case, with apostrophes kept inside a word.
_WORDS = re.compile(r"[\w&'’]+")


def words_in(low: str) -> list[str]:
    """The words of a lower-cased text, as written ("children's" stays whole): for the fast
    first passes, which only ask whether some word is there."""
    return _WORDS.findall(low)


def mentions_dash(text: str) -> bool:
    """The text records a DASH risk assessment (and does not say one was not done)."""
    low = text.lower()
    if "dash" not in low and "checklist" not in low:
        return False
    return any(_DASH.search(clause) and not negated(clause) for clause in sentences(text))


def dash_from_text(text: str) -> tuple[str, int | None]:
    """The DASH level and score a text records, e.g. "DASH: high (15/24)" -> ("high", 15)."""
    if "dash" not in text.lower():
        return "", None
    level = ""
    score: int | None = None
    match = _DASH_LEVEL.search(text)
    if match:
        level = match.group("level").lower()
    match = _DASH_SCORE.search(text)
    if match:
        value = int(match.group("score") or match.group("score2"))
        if 0 <= value <= 24:
            score = value
    return level, score


def dash_recorded(*, level: str = "", score: int | None = None, text: str = "") -> bool:
    return bool(level) or score is not None or mentions_dash(text)


def marac_referral_in_text(text: str) -> bool:
    """A clause says a MARAC referral was made ("referred to MARAC", "MARAC referral submitted"),
    not that one was not ("No MARAC referral made")."""
    if "marac" not in text.lower():
        return False
    for clause in sentences(text):
        if _MARAC.search(clause) and _REFERRAL_WORD.search(clause) and not negated(clause):
            return True
    return False


def marac_referral(*, flag: bool, text: str = "") -> bool:
    return flag or marac_referral_in_text(text)


def shares_with_multi_agency(text: str) -> bool:
    """A clause shares or refers to MASH or MARAC, and is not negated."""
    low = text.lower()
    if "mash" not in low and "marac" not in low and "multi" not in low:
        return False
    for clause in sentences(text):
        if _MULTI_AGENCY_NAME.search(clause) and _SHARE_WORD.search(clause) and not negated(clause):
            return True
    return False


# --- agency names --------------------------------------------------------------------------------

# Words in an agency's name -> the short forms people write for it. A short form that is itself a
# word of the name ("police" for "Northbridge Police") is a stronger match than a synonym
# ("police" for "Fenmarsh Constabulary"), which settles most clashes.
_SHORT_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("police", ("police", "police officers")),
    ("constabulary", ("constabulary", "police")),
    ("surgery", ("surgery", "GP", "GP practice", "practice")),
    ("medical centre", ("GP", "GP practice", "practice")),
    ("health centre", ("GP", "GP practice", "practice")),
    ("gp", ("GP", "GP practice")),
    ("hospital", ("hospital", "ED", "A&E", "emergency department")),
    ("mental health", ("mental health", "mental health services", "CMHT", "crisis team")),
    ("ambulance", ("ambulance", "ambulance service", "paramedics")),
    ("adult social care", ("adult social care", "ASC", "adult services", "adult safeguarding")),
    (
        "children's social care",
        ("children's social care", "CSC", "children's services", "children's social services"),
    ),
    ("housing", ("housing",)),
    ("homes", ("housing", "landlord")),
    ("probation", ("probation", "probation service")),
    ("drug and alcohol", ("drug and alcohol service", "substance misuse service", "drug service")),
    ("substance", ("substance misuse service",)),
    ("domestic abuse", ("domestic abuse service", "IDVA", "IDVA service", "DA service")),
    ("sexual assault referral", ("SARC", "ISVA")),
    ("school", ("school",)),
    ("academy", ("academy", "school")),
    ("college", ("college",)),
    ("universal credit", ("Universal Credit", "DWP", "UC")),
    ("dwp", ("DWP",)),
    ("jobcentre", ("Jobcentre", "job centre", "work coach")),
    ("111", ("111", "NHS 111")),
    ("homeless", ("homelessness project", "homelessness service", "outreach")),
    ("bereavement", ("bereavement support", "bereavement service", "bereavement counselling")),
    ("recovery", ("recovery network", "peer recovery")),
    ("women's centre", ("women's centre", "womens centre")),
)
_TRAILING = re.compile(
    r"\s+(?:NHS\s+Foundation\s+Trust|NHS\s+Trust|Foundation\s+Trust|Service\s+Centre|Service)$",
    re.IGNORECASE,
)

MASH = "MASH"
MARAC = "MARAC"
# The multi-agency meetings a referral can go to: nodes of the referral network beside agencies.
MULTI_AGENCY: dict[str, tuple[str, ...]] = {
    MASH: ("MASH", "multi-agency safeguarding hub", "multi agency safeguarding hub"),
    MARAC: ("MARAC",),
}


def place_prefix(names: Iterable[str]) -> str:
    """The first word most agencies' names share ("Northbridge"), if at least three do."""
    counts: dict[str, int] = {}
    for name in names:
        first = name.split(" ", 1)[0]
        counts[first] = counts.get(first, 0) + 1
    if not counts:
        return ""
    word, count = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return word if count >= 3 else ""


def short_label(name: str, prefix: str = "", limit: int = 30) -> str:
    """A short label for a diagram: "Northbridge Mental Health NHS Foundation Trust" ->
    "Mental Health"; "Northbridge Domestic Abuse Service (IDVA)" -> "IDVA"."""
    inner = re.search(r"\(([^)]+)\)", name)
    if inner and len(inner.group(1)) <= limit:
        return inner.group(1).strip()
    label = name.split(",", 1)[0].strip()
    if prefix and label.startswith(prefix + " ") and len(label) > len(prefix) + 1:
        label = label[len(prefix) + 1 :]
    label = _TRAILING.sub("", label).strip() or label
    if len(label) > limit:
        label = label[: limit - 1].rstrip() + "…"
    return label


def _alias_candidates(name: str, prefix: str) -> list[tuple[str, int]]:
    """(alias, strength) for one agency: 3 for its own name and distinctive parts of it, 2 for a
    word of the name that people use alone, 1 for a synonym."""
    out: list[tuple[str, int]] = [(name, 3)]
    base = name.split(",", 1)[0].strip()
    inner = re.search(r"\(([^)]+)\)", base)
    if inner:
        out.append((inner.group(1).strip(), 3))
        base = (base[: inner.start()] + base[inner.end() :]).strip()
    out.append((base, 3))
    if prefix and base.startswith(prefix + " "):
        rest = base[len(prefix) + 1 :]
        out.append((rest, 3))
        trimmed = _TRAILING.sub("", rest).strip()
        if trimmed and trimmed != rest:
            out.append((trimmed, 3))
    for token in re.findall(r"\b[A-Z]{2,6}\b", name):
        if token != "NHS":
            out.append((token, 2))
    low = normalise(name).lower()
    for key, forms in _SHORT_FORMS:
        if re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)", low):
            for form in forms:
                literal = re.search(r"(?<!\w)" + re.escape(form.lower()) + r"(?!\w)", low)
                out.append((form, 2 if literal else 1))
    return out


@dataclass(frozen=True)
class AgencyNames:
    """Finds agencies (and MASH/MARAC) named in text, by full name or common short form.

    `resolved` maps each alias to the one agency it names: where agencies share an alias at the
    same strength it names none of them (too ambiguous for a referral edge). `own` keeps every
    alias of each agency and `holders` every agency of each alias, for the more generous
    question "might this text mean agency B?".
    """

    resolved: dict[str, str]
    own: dict[str, frozenset[str]]
    holders: dict[str, frozenset[str]]
    # Short capitalised forms (ED, UC, GP, CSC) count only as written so: "ed" is not a place.
    strict: dict[str, frozenset[str]]
    # first word of each name -> (number of words, name's key), longest first
    starts: dict[str, tuple[tuple[int, str], ...]]

    @classmethod
    def build(cls, agencies: Iterable[str], *, multi_agency: bool = True) -> AgencyNames:
        names = sorted(set(agencies))
        prefix = place_prefix(names)
        best: dict[str, tuple[int, set[str]]] = {}
        own: dict[str, set[str]] = {}
        strict: dict[str, set[str]] = defaultdict(set)
        candidates: list[tuple[str, str, int]] = [
            (name, alias, strength)
            for name in names
            for alias, strength in _alias_candidates(normalise(name), prefix)
        ]
        if multi_agency:
            for node, forms in MULTI_AGENCY.items():
                candidates.extend((node, form, 4) for form in forms)
        ignored = _key(prefix) if prefix else ""
        for name, alias, strength in candidates:
            key = _key(alias)
            if len(key) < 2 or key == ignored:
                continue
            if len(alias) <= 4 and alias.isalpha():
                strict[key].add(alias.upper())
                if len(alias) > 3:
                    strict[key].add(alias.capitalize())
            own.setdefault(name, set()).add(key)
            level, holders = best.get(key, (0, set()))
            if strength > level:
                best[key] = (strength, {name})
            elif strength == level:
                holders.add(name)
        resolved = {k: next(iter(v)) for k, (_s, v) in best.items() if len(v) == 1}
        holders: dict[str, set[str]] = defaultdict(set)
        for name, aliases in own.items():
            for alias in aliases:
                holders[alias].add(name)
        return cls(
            resolved=resolved,
            own={k: frozenset(v) for k, v in own.items()},
            holders={k: frozenset(v) for k, v in holders.items()},
            strict={k: frozenset(v) for k, v in strict.items()},
            starts=_starts(holders),
        )

    def find(self, clause: str) -> list[tuple[str, int, int]]:
        """Names in a clause: (name's key, start, end), the longest name at each place first.

        Words are compared, not characters ("children's social care" and "Children’s Social
        Care" are the same name), so a long list of names costs no more than a short one.
        """
        starts = self.starts
        if not starts:
            return []
        lowered = clause.lower()
        exact = len(lowered) == len(clause)  # not so for a rare letter whose lower case is longer
        if not exact:
            lowered = clause
        words = _TOKEN.findall(lowered)
        if not exact or "'" in lowered or "’" in lowered:
            words = [_token(w) for w in words]
        if starts.keys().isdisjoint(words):
            return []
        spans = [m.span() for m in _TOKEN.finditer(lowered)]
        found = []
        i = 0
        while i < len(words):
            options = starts.get(words[i])
            if options:
                for size, key in options:
                    if i + size > len(words):
                        continue
                    if size > 1 and " ".join(words[i : i + size]) != key:
                        continue
                    start, end = spans[i][0], spans[i + size - 1][1]
                    allowed = self.strict.get(key)
                    if allowed is not None and clause[start:end] not in allowed:
                        continue
                    found.append((key, start, end))
                    i += size - 1
                    break
            i += 1
        return found


def _starts(keys: Iterable[str]) -> dict[str, tuple[tuple[int, str], ...]]:
    index: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for key in keys:
        words = key.split(" ")
        index[words[0]].append((len(words), key))
    return {first: tuple(sorted(options, reverse=True)) for first, options in index.items()}


_TOKEN = re.compile(r"[\w&]+(?:['’][\w&]+)*")


def _token(word: str) -> str:
    word = word.lower().replace("’", "'")
    return word[:-2] if word.endswith("'s") else word


def _key(name: str) -> str:
    """A name as the words `find` compares: lower case, without possessive "'s"."""
    return " ".join(_token(m.group()) for m in _TOKEN.finditer(name))


_INBOUND = re.compile(r"\b(?:from|by)\s+(?:the\s+|a\s+|an\s+|local\s+)*$", re.IGNORECASE)


def referral_clauses(text: str) -> tuple[str, ...]:
    """The clauses of a text that record a referral ("Referred to CSC", "MASH referral from
    police"), negated ones ("no referral made") left out: the part of `referrals_in` that
    needs no agency names, so it can be worked out once, when the entry is stored."""
    low = text.lower()
    if "refer" not in low and "signpost" not in low:
        return ()
    return tuple(
        clause
        for clause in sentences(text)
        if _REFERRAL_WORD.search(clause) and not negated(clause)
    )


def referrals_from(
    clauses: Iterable[str], names: AgencyNames, *, own_agency: str
) -> list[tuple[str, str]]:
    """`referrals_in` for a text's `referral_clauses`."""
    edges: list[tuple[str, str]] = []
    for clause in clauses:
        found = names.find(clause)
        named = [
            (other, bool(_INBOUND.search(clause[:start])))
            for key, start, _end in found
            if (other := names.resolved.get(key)) is not None and other != own_agency
        ]
        # "MASH referral from police": the clause is about a referral this agency received, so
        # the other names in it describe that referral, not referrals this agency made.
        inbound = any(is_inbound for _other, is_inbound in named)
        for other, is_inbound in named:
            if inbound and not is_inbound:
                continue
            edge = (other, own_agency) if is_inbound else (own_agency, other)
            if edge not in edges:
                edges.append(edge)
    return edges


def referrals_in(text: str, names: AgencyNames, *, own_agency: str) -> list[tuple[str, str]]:
    """Referrals a text records, as (from, to) agency names: "referred to CSC" from this agency,
    "referral received from police" to it. Negated clauses ("no referral made") are skipped, and
    so are self-referrals and mentions of the agency itself."""
    return referrals_from(referral_clauses(text), names, own_agency=own_agency)


def share_clauses(text: str) -> tuple[str, ...]:
    """The clauses of a text that share with, refer to or inform someone, negated ones left out:
    the part of `shared_with_in` that needs no agency names."""
    if _SHARE_WORDS.isdisjoint(words_in(text.lower())):
        return ()
    return tuple(
        clause
        for clause in sentences(text)
        if mentions_a_share_word(clause) and _SHARE_WORD.search(clause) and not negated(clause)
    )


def shared_with_in(clauses: Iterable[str], names: AgencyNames) -> set[str]:
    """Agencies a text shares with, refers to or informs, from its `share_clauses`: by any of
    their names or short forms (a short form several agencies share names each of them), and
    not where the clause is about something received from them."""
    found: set[str] = set()
    for clause in clauses:
        for key, start, _end in names.find(clause):
            if not _INBOUND.search(clause[:start]):
                found |= names.holders[key]
    return found


def shares_with_everyone(text: str) -> bool:
    """The text shares with MASH or MARAC (everyone there): `shares_with_multi_agency` behind
    its fast first pass."""
    low = text.lower()
    return ("mash" in low or "marac" in low or "multi" in low) and shares_with_multi_agency(text)


_QUOTE_BREAK = re.compile(r"[.;\n!?]")


def quote(text: str, pattern: re.Pattern[str], limit: int = 160) -> str:
    """The sentence of `text` in which `pattern` matches, shortened for display."""
    match = pattern.search(text)
    if match is None:
        return ""
    start = max((m.end() for m in _QUOTE_BREAK.finditer(text, 0, match.start())), default=0)
    found = _QUOTE_BREAK.search(text, match.end())
    sentence = normalise(text[start : found.start() if found else len(text)]).strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"
