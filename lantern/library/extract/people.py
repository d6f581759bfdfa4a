# ruff: noqa: E501 (regular expressions and phrase tables read better unbroken)
"""The victim: pseudonym, sex, age band, and how the perpetrator was related to them."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from lantern.library.extract.scan import finditer
from lantern.library.extract.text import Document, Evidence

Q = r"[\"'‘’“”]?"
# A pseudonym as reports write one: "Louise", "Mr C", "Subject A", "Female A", "Adult H".
NAME = (
    r"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+[A-Z](?:[a-z]+)?\b"
    r"|(?i:subject|adult|victim|female|male|person|client|case)[ \t]+[A-Z0-9]\b"
    r"|[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?\b)"
)
NOT_NAMES = {
    "The", "This", "That", "These", "Those", "Her", "His", "Their", "She", "Him", "They", "Domestic",
    "Review", "Section", "Panel", "Police", "Home", "Office", "Report", "Overview", "Executive",
    "Summary", "Chair", "Independent", "Community", "Safety", "Partnership", "Safer", "Council",
    "County", "City", "Court", "Crown", "Coroner", "Following", "During", "After", "Before",
    "When", "While", "Although", "However", "Mother", "Father", "Son", "Daughter", "Husband",
    "Wife", "Partner", "Victim", "Perpetrator", "Subject", "Adult", "Female", "Male", "Person",
    "Client", "Case", "Mr", "Mrs", "Ms", "Miss", "Dr", "Monday", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May",
    "June", "July", "August", "September", "October", "November", "December", "Homicide",
    "Death", "Murder", "Trust", "Hospital", "Service", "Services", "Agency", "Agencies", "All",
    "Both", "Each", "Our", "One", "Two", "Three", "Its", "Mental", "Health", "Act", "Safeguarding",
    "Adults", "Children", "England", "Wales", "Devon", "Sussex",
}  # fmt: skip
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+"
VICTIM_CUES = [
    # weight, pattern with a <name> group
    (3.0, re.compile(rf"pseudonyms?[ \t]+(?:of[ \t]+)?{Q}(?P<name>{NAME}){Q}[ \t]+(?:has|have|was|were|is|will|had)[^.]{{0,40}}(?:victim|her|him|deceased)")),
    (2.0, re.compile(rf"pseudonyms?[ \t]+(?:of[ \t]+|for[ \t]+the[ \t]+victim[ \t]+|used[ \t]+for[ \t]+the[ \t]+victim[ \t]+is[ \t]+)?{Q}(?P<name>{NAME}){Q}")),
    (2.5, re.compile(rf"(?:victim|deceased)[ \t]+(?:is[ \t]+|will[ \t]+be[ \t]+)?(?:referred[ \t]+to|known)[ \t]+(?:in[ \t]+this[ \t]+report[ \t]+)?as[ \t]+{Q}(?P<name>{NAME}){Q}")),
    (2.0, re.compile(rf"(?:death|murder|killing|homicide|manslaughter|suicide)[ \t]+of[ \t]+(?:the[ \t]+victim,?[ \t]+)?{Q}(?P<name>{NAME}){Q}", re.IGNORECASE)),
    (2.0, re.compile(rf"\b(?:Victim|victim)[:,]?[ \t]+{Q}(?P<name>{NAME}){Q}")),
    (2.0, re.compile(rf"(?:killed|murdered|stabbed|attacked)[ \t]+(?:his|her|their)[ \t]+(?:\w+[ \t]+){{0,2}}{Q}(?P<name>{NAME}){Q}")),
]  # fmt: skip
# Cues that follow the name ("Louise was killed"): found by what follows, then the name before it.
NAME_BEFORE = re.compile(
    rf"(?:^|(?<=[\s\"'‘“(,;:]))(?P<name>{NAME}){Q}(?:[ \t]+\([^)\n]{{1,30}}\))?,?[ \t]+(?:who[ \t]+)?$"
)
VICTIM_AFTER_NAME = [
    (1.5, re.compile(r"(?:was|had[ \t]+been|has[ \t]+been)[ \t]+(?:killed|murdered|stabbed|found[ \t]+dead|fatally|strangled|unlawfully)")),
    (1.5, re.compile(r"(?:had[ \t]+)?(?:died|took[ \t]+(?:her|his|their)[ \t]+own[ \t]+life)")),
    (1.0, re.compile(r"\(not[ \t]+her[ \t]+real[ \t]+name\)")),
    (1.0, re.compile(r"was[ \t]+\d{2}[ \t]+years[ \t]+old")),
]  # fmt: skip
_REL_PHRASE = r"(?:her|his|their)[ \t]+(?:[\w-]+[ \t]+){0,2}?[\w-]+"
PERPETRATOR_CUES = [
    re.compile(rf"(?:killed|murdered|stabbed|attacked|abused)[ \t]+by[ \t]+(?:{_REL_PHRASE},?[ \t]+)?{Q}(?P<name>{NAME}){Q}"),
    re.compile(rf"abuse[ \t]+by[ \t]+{_REL_PHRASE},[ \t]+{Q}(?P<name>{NAME}){Q}"),
    re.compile(rf"perpetrator[^.\n]{{0,60}}?(?:referred[ \t]+to(?:[ \t]+in[ \t]+this[ \t]+report)?[ \t]+as|known[ \t]+as|called)[ \t]+{Q}(?P<name>{NAME}){Q}"),
    re.compile(rf"perpetrator[ \t]+(?:was|is)[ \t]+{_REL_PHRASE},[ \t]+{Q}(?P<name>{NAME}){Q}"),
    re.compile(rf"perpetrator,?[ \t]+(?:is[ \t]+)?(?:referred[ \t]+to[ \t]+as[ \t]+|known[ \t]+as[ \t]+|called[ \t]+)?{Q}(?P<name>{NAME}){Q}"),
    re.compile(rf"(?:called|named)[ \t]+{Q}(?P<name>{NAME}){Q},?[ \t]+(?:killed|murdered|stabbed|attacked)"),
]  # fmt: skip
PERPETRATOR_AFTER_NAME = [
    re.compile(r"(?:was|is)[ \t]+the[ \t]+(?:alleged[ \t]+)?perpetrator"),
    re.compile(r"(?:was[ \t]+)?(?:charged|convicted|sentenced|arrested|pleaded)"),
    re.compile(rf"{_REL_PHRASE},[ \t]+(?:was|had|has)\b"),
    re.compile(r"(?:killed|murdered|stabbed|attacked)[ \t]+(?:his|her|their)\b"),
]  # fmt: skip


def _names_before(doc: Document, regex: re.Pattern[str]) -> Iterator[tuple[str, tuple[int, int]]]:
    for match in finditer(regex, doc.text, doc.lower, index=doc.index):
        found = NAME_BEFORE.search(doc.text, max(0, match.start() - 70), match.start())
        if found:
            yield found.group("name"), (found.start(), match.end())


def _normal_name(name: str) -> str:
    name = " ".join(name.split())
    parts = name.split(" ")
    if len(parts) == 2 and len(parts[1]) == 1 and parts[0].lower() in {
        "subject", "adult", "victim", "female", "male", "person", "client", "case",
    }:  # fmt: skip
        return f"{parts[0].capitalize()} {parts[1].upper()}"
    return name


def _valid(name: str) -> bool:
    first = name.split(" ")[0].rstrip(".")
    if len(name.split(" ")) == 1 and name in NOT_NAMES:
        return False
    return first not in NOT_NAMES or first in {"Mr", "Mrs", "Ms", "Miss", "Dr", "Subject",
                                               "Adult", "Victim", "Female", "Male", "Person",
                                               "Client", "Case"}  # fmt: skip


@dataclass
class Victim:
    pseudonym: str | None = None
    pseudonym_evidence: Evidence | None = None
    perpetrator_names: tuple[str, ...] = ()


def extract_pseudonym(doc: Document) -> Victim:
    text = doc.text
    perpetrators: Counter[str] = Counter()
    for regex in PERPETRATOR_CUES:
        for match in finditer(regex, text, doc.lower, index=doc.index):
            name = _normal_name(match.group("name"))
            if _valid(name):
                perpetrators[name] += 1
    for regex in PERPETRATOR_AFTER_NAME:
        for raw, _ in _names_before(doc, regex):
            name = _normal_name(raw)
            if _valid(name):
                perpetrators[name] += 1
    scores: dict[str, float] = defaultdict(float)
    first: dict[str, tuple[int, int]] = {}

    def credit(raw: str, weight: float, span: tuple[int, int]) -> None:
        name = _normal_name(raw)
        if not _valid(name):
            return
        scores[name] += weight
        if name not in first or weight >= 2.0 and span[0] < first[name][0]:
            first[name] = span

    for weight, regex in VICTIM_CUES:
        for match in finditer(regex, text, doc.lower, index=doc.index):
            credit(match.group("name"), weight, match.span())
    for weight, regex in VICTIM_AFTER_NAME:
        for raw, span in _names_before(doc, regex):
            credit(raw, weight, span)
    for name in list(scores):
        scores[name] -= 1.5 * perpetrators.get(name, 0)
        mentions = text.count(name)
        scores[name] += min(mentions, 30) * 0.1
    candidates = {n: s for n, s in scores.items() if s >= 1.5}
    perpetrator_names = tuple(n for n, c in perpetrators.most_common() if n not in candidates)
    if not candidates:
        return Victim(perpetrator_names=perpetrator_names)
    best = max(candidates, key=lambda n: (candidates[n], -first[n][0]))
    start, end = first[best]
    return Victim(best, doc.evidence(start, end), perpetrator_names)


# --- sex ------------------------------------------------------------------------------------
FEMALE_WORDS = re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE)
MALE_WORDS = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)
DEATH_OF_A = re.compile(
    r"(?:death|murder|killing|homicide)[ \t]+of[ \t]+(?:a|an|the)[ \t]+(?:\d{2}[- ]year[- ]old[ \t]+|young[ \t]+|older[ \t]+|elderly[ \t]+)?"
    r"(?P<noun>woman|man|lady|gentleman|mother|father|wife|husband|girl|boy)\b",
    re.IGNORECASE,
)
KILLED_BY_PRONOUN = re.compile(
    r"(?:killed|murdered|stabbed|attacked|assaulted|strangled)[ \t]+by[ \t]+(?P<pronoun>her|his)\b"
)
FEMALE_NOUNS = {"woman", "lady", "mother", "wife", "girl"}


def extract_sex(doc: Document, victim: Victim) -> tuple[str | None, Evidence | None]:
    text = doc.text
    name = victim.pseudonym
    if name:
        title = name.split(" ")[0].rstrip(".")
        if title in {"Mrs", "Ms", "Miss", "Female"}:
            return "female", victim.pseudonym_evidence
        if title in {"Mr", "Male"}:
            return "male", victim.pseudonym_evidence
    if name:
        for pronoun, sex in (("her", "female"), ("his", "male")):
            position = text.find(f"(not {pronoun} real name")
            while position >= 0:
                if name in text[max(0, position - len(name) - 14) : position]:
                    return sex, doc.evidence(position - len(name) - 1, position + 18)
                position = text.find(f"(not {pronoun} real name", position + 1)
    match = DEATH_OF_A.search(text)
    if match:
        sex = "female" if match.group("noun").lower() in FEMALE_NOUNS else "male"
        return sex, doc.evidence(*match.span())
    female = male = 0.0
    evidence: tuple[int, int] | None = None
    for match in finditer(KILLED_BY_PRONOUN, text, doc.lower, index=doc.index):
        if match.group("pronoun") == "her":
            female += 3
        else:
            male += 3
        evidence = evidence or match.span()
    if name:
        for index, match in enumerate(re.finditer(rf"\b{re.escape(name)}\b", text)):
            if index >= 60:
                break
            # The pronouns in the rest of the sentence after the pseudonym mostly refer to them.
            _, end = doc.sentence_bounds(match.start())
            tail = text[match.end() : min(end, match.end() + 160)]
            f = len(FEMALE_WORDS.findall(tail))
            m = len(MALE_WORDS.findall(tail))
            female += f
            male += m
            if evidence is None and (f or m):
                evidence = match.span()
    if female == male:
        return None, None
    sex = "female" if female > male else "male"
    return sex, doc.evidence(*evidence) if evidence else victim.pseudonym_evidence


# --- age --------------------------------------------------------------------------------------
AGE_BANDS = ((16, 19, "16-19"), (20, 24, "20-24"), (25, 34, "25-34"), (35, 44, "35-44"),
             (45, 54, "45-54"), (55, 64, "55-64"), (65, 200, "65+"))  # fmt: skip


def age_band(low: int, high: int | None = None) -> str | None:
    """The Home Office band holding an age, or a range of ages wholly inside one band."""
    high = low if high is None else high
    for lo, hi, band in AGE_BANDS:
        if lo <= low <= hi and lo <= high <= hi:
            return band
    return None


AGE_AFTER_NAME = (
    r"(?:[ \t]*\((?:aged[ \t]+)?(?P<p1>\d{2,3})(?:[ \t]*[-–][ \t]*(?P<p2>\d{2,3}))?\)"
    r"|,?[ \t]+(?:who[ \t]+was[ \t]+|was[ \t]+|,[ \t]+)?(?:aged[ \t]+(?P<a1>\d{2,3})\b|(?P<a2>\d{2,3})[ \t]+years[ \t]+(?:old|of[ \t]+age)|a[ \t]+(?P<a3>\d{2,3})[- ]year[- ]old))"
)  # fmt: skip
GENERIC_AGE = re.compile(
    r"(?:(?:woman|man|lady|gentleman|victim|mother|father|wife|husband|grandmother|grandfather)[ \t]+aged[ \t]+(?P<g1>\d{2,3})\b"
    r"|(?P<g2>\d{2,3})[- ]years?[- ]old[ \t]+(?:woman|man|lady|gentleman|victim|mother|father|wife|husband|grandmother|grandfather)"
    r"|victim[^.\n]{0,40}?\b(?:was|aged)[ \t]+(?P<g3>\d{2,3})\b)",
    re.IGNORECASE,
)  # fmt: skip


def extract_age_band(doc: Document, victim: Victim) -> tuple[str | None, Evidence | None]:
    text = doc.text
    if victim.pseudonym:
        regex = re.compile(rf"\b{re.escape(victim.pseudonym)}(?:['’]s)?{AGE_AFTER_NAME}")
        for match in finditer(regex, text, doc.lower, index=doc.index):
            groups = match.groupdict()
            low = groups["p1"] or groups["a1"] or groups["a2"] or groups["a3"]
            band = age_band(int(low), int(groups["p2"]) if groups["p2"] else None)
            if band:
                return band, doc.evidence(*match.span())
    for match in finditer(GENERIC_AGE, text, doc.lower, index=doc.index):
        value = match.group("g1") or match.group("g2") or match.group("g3")
        band = age_band(int(value))
        if band:
            return band, doc.evidence(*match.span())
    return None, None


# --- relationship -------------------------------------------------------------------------------
RELATIONSHIP_WORDS = {
    "husband": "current_partner", "wife": "current_partner", "partner": "current_partner",
    "boyfriend": "current_partner", "girlfriend": "current_partner", "fiancé": "current_partner",
    "fiance": "current_partner", "fiancée": "current_partner", "fiancee": "current_partner",
    "spouse": "current_partner", "civil partner": "current_partner",
    "ex-partner": "former_partner", "ex-husband": "former_partner", "ex-wife": "former_partner",
    "ex-boyfriend": "former_partner", "ex-girlfriend": "former_partner",
    "son": "son_or_daughter", "daughter": "son_or_daughter", "stepson": "son_or_daughter",
    "stepdaughter": "son_or_daughter", "step-son": "son_or_daughter",
    "step-daughter": "son_or_daughter",
    "grandson": "grandchild", "granddaughter": "grandchild",
    "father": "parent", "mother": "parent", "stepfather": "parent", "stepmother": "parent",
    "step-father": "parent", "step-mother": "parent", "mum": "parent", "dad": "parent",
    "brother": "sibling", "sister": "sibling", "half-brother": "sibling", "half-sister": "sibling",
    "uncle": "other_relative", "aunt": "other_relative", "nephew": "other_relative",
    "niece": "other_relative", "cousin": "other_relative", "brother-in-law": "other_relative",
    "sister-in-law": "other_relative", "son-in-law": "other_relative",
    "daughter-in-law": "other_relative", "father-in-law": "other_relative",
    "mother-in-law": "other_relative", "grandfather": "other_relative",
    "grandmother": "other_relative",
    "lodger": "household_member", "flatmate": "household_member", "housemate": "household_member",
    "flat-mate": "household_member", "house-mate": "household_member",
}  # fmt: skip
# The perpetrator named as the relation of the victim the other way round ("killed his mother").
INVERSE = {"son_or_daughter": "parent", "parent": "son_or_daughter", "grandchild": "other_relative",
           "current_partner": "current_partner", "former_partner": "former_partner",
           "sibling": "sibling", "other_relative": "other_relative",
           "household_member": "household_member"}  # fmt: skip
INVERSE_WORDS = {"grandmother": "grandchild", "grandfather": "grandchild"}
FORMER = r"(?:estranged|former|separated|ex)"
_REL = "|".join(sorted((re.escape(w) for w in RELATIONSHIP_WORDS), key=len, reverse=True))
REL = rf"(?:(?P<mod>{FORMER})[ \t-]+)?(?P<rel>{_REL})\b"
KILL = r"(?:killed|murdered|stabbed|strangled|attacked|assaulted|abused|beaten|shot|unlawfully[ \t]+killed)"
PERP_IS_REL = [
    (3.0, re.compile(rf"{KILL}[ \t]+by[ \t]+(?:her|his|their)[ \t]+(?:own[ \t]+)?(?:\w+[ \t]+)?{REL}", re.IGNORECASE)),
    (3.0, re.compile(rf"(?:homicide|killing|murder|death|manslaughter)[ \t]+of[ \t]+(?:a|an|the)[ \t]+(?:\w+[ \t]+){{0,3}}?by[ \t]+(?:her|his|their)[ \t]+(?:own[ \t]+)?{REL}", re.IGNORECASE)),
    (2.0, re.compile(rf"(?:woman|man|victim|lady)['’]s[ \t]+{REL},?[ \t]+(?:the[ \t]+)?perpetrator", re.IGNORECASE)),
    (2.0, re.compile(rf"(?:her|his|their)[ \t]+{REL},?[ \t]+(?:[\w'’]+,?[ \t]+){{0,3}}?(?:who[ \t]+)?(?:was|is)[ \t]+the[ \t]+(?:alleged[ \t]+)?perpetrator", re.IGNORECASE)),
    (1.5, re.compile(rf"(?:abuse|violence|abused)[ \t]+(?:\w+[ \t]+){{0,2}}?(?:by|from)[ \t]+(?:her|his|their)[ \t]+{REL}", re.IGNORECASE)),
    (2.0, re.compile(rf"perpetrator[ \t]+(?:was|is)[ \t]+(?:her|his|their|the[ \t]+victim['’]s)[ \t]+(?:\w+[ \t]+)?{REL}", re.IGNORECASE)),
    (2.0, re.compile(rf"perpetrator,[ \t]+(?:her|his|their)[ \t]+{REL}", re.IGNORECASE)),
    (1.5, re.compile(rf"(?:her|his|their)[ \t]+(?:own[ \t]+)?{REL},?[ \t]+(?:[\w'’]+[ \t]+){{0,3}}?(?:was|had[ \t]+been|has[ \t]+been)?[ \t]*(?:arrested|charged|convicted|pleaded|sentenced|found[ \t]+guilty)", re.IGNORECASE)),
]  # fmt: skip
VICTIM_IS_REL = re.compile(
    rf"{KILL}[ \t]+(?:his|her|their)[ \t]+(?:own[ \t]+)?(?:elderly[ \t]+|older[ \t]+|young[ \t]+)?{REL}", re.IGNORECASE
)  # fmt: skip
PERP_WAS_A = re.compile(
    rf"perpetrator[ \t]+was[ \t]+(?:a|an|the|her|his)[ \t]+{REL}(?P<rest>[^.\n]{{0,80}})",
    re.IGNORECASE,
)
INTIMATE = re.compile(r"intimate[ \t]+relationship|in[ \t]+a[ \t]+relationship", re.IGNORECASE)


def _category(match: re.Match[str]) -> str:
    rel = match.group("rel").lower()
    category = RELATIONSHIP_WORDS[rel]
    before = match.string[max(match.start(), match.start("rel") - 12) : match.start("rel")]
    former = match.group("mod") or re.search(rf"{FORMER}[ \t-]+$", before, re.IGNORECASE)
    if former and category == "current_partner":
        return "former_partner"
    return category


def extract_relationship(doc: Document) -> tuple[str | None, Evidence | None]:
    text = doc.text
    scores: Counter[str] = Counter()
    first: dict[str, tuple[int, int]] = {}

    def add(category: str, weight: float, span: tuple[int, int]) -> None:
        scores[category] += weight
        if category not in first or span[0] < first[category][0]:
            first[category] = span

    for weight, regex in PERP_IS_REL:
        for match in finditer(regex, text, doc.lower, index=doc.index):
            add(_category(match), weight, match.span())
    for match in finditer(VICTIM_IS_REL, text, doc.lower, index=doc.index):
        rel = match.group("rel").lower()
        category = INVERSE_WORDS.get(rel) or INVERSE[_category(match)]
        add(category, 3.0, match.span())
    for match in finditer(PERP_WAS_A, text, doc.lower, index=doc.index):
        category = _category(match)
        if category == "household_member" and INTIMATE.search(match.group("rest")):
            category = "current_partner"
        add(category, 2.0, match.span())
    if not scores:
        return None, None
    best = max(scores, key=lambda c: (scores[c], -first[c][0]))
    return best, doc.evidence(*first[best])
