"""Addresses, and the places the review has recorded (addresses, schools, workplaces, other
identifiers) wherever they appear."""

from __future__ import annotations

import re

from lantern.anonymisation.check.findings import (
    ADDRESS,
    ORGANISATION_IDENTIFYING,
    OTHER_IDENTIFIER,
    Finding,
)
from lantern.anonymisation.check.register import KnownPlace, Register
from lantern.anonymisation.check.text import NAME_PART, flexible

STREET_WORDS = (
    r"Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Drive|Dr|Close|Way|Grove|Terrace|Crescent|Gardens|"
    r"Place|Rise|Court|Square|Walk|Mews|Hill|Row|Parade|Green|Park|View|Vale|Fold|Chase|Brow|"
    r"Gate|Wharf|Quay|Hollow|Meadows?|Croft|Villas|Cottages|Bank|Heights|Estate|Boulevard"
)
# Without a house number, only the words that are nearly always a street.
STREET_WORDS_ALONE = (
    r"Road|Street|Lane|Avenue|Drive|Close|Grove|Terrace|Crescent|Gardens|Rise|Square|Mews|"
    r"Parade|Estate|Court|Way"
)
_CAP = rf"(?:{NAME_PART})"
_STREET_NAME = rf"{_CAP}(?:\s+{_CAP}){{0,2}}"
_UNIT = r"(?:(?:Flat|Apartment|Apt|Room|Unit|Suite)\s+\d+[A-Za-z]?,?\s+)"
_BUILDING = (
    rf"(?:{_CAP}(?:\s+{_CAP})?\s+(?:House|Court|Lodge|Mansions|Buildings|Tower|Point|Heights),?\s+)"
)

NUMBERED = re.compile(
    rf"\b{_UNIT}?{_BUILDING}?\d{{1,4}}[A-Za-z]?,?\s+{_STREET_NAME}\s+(?:{STREET_WORDS})\b\.?"
)
UNIT_BUILDING = re.compile(
    rf"\b{_UNIT}{_CAP}(?:\s+{_CAP})?\s+(?:House|Court|Lodge|Mansions|Buildings|Tower|Point|Heights)\b"
    rf"(?:,\s+{_STREET_NAME}\s+(?:{STREET_WORDS})\b)?"
)
UNNUMBERED = re.compile(rf"\b{_STREET_NAME}\s+(?:{STREET_WORDS_ALONE})\b")
_NOT_STREETS = re.compile(
    r"^(?:The\s+)?(?:Crown|County|Magistrates'?|Family|High|Youth|Coroner'?s|Supreme|Royal|Civil|"
    r"Combined|Appeal)\s+Court$|^High\s+Street$|^Downing\s+Street$|^Main\s+Street$|^The\s+\w+$",
)

SUGGESTION = "[address removed]"
KIND_CATEGORY = {
    "address": ADDRESS,
    "place": ADDRESS,
    "school": ORGANISATION_IDENTIFYING,
    "workplace": ORGANISATION_IDENTIFYING,
    "identifier": OTHER_IDENTIFIER,
    "other": OTHER_IDENTIFIER,
}
KIND_SUGGESTION = {
    "address": "[address removed]",
    "place": "[place removed]",
    "school": "[school removed]",
    "workplace": "[workplace removed]",
    "identifier": "[reference number removed]",
    "other": "[removed]",
}


def _address(text: str, start: int, end: int, rule: str) -> Finding:
    if text[start:end].endswith(".") and not re.search(
        r"\b(?:St|Rd|Ave|Dr|Ln)\.$", text[start:end]
    ):
        end -= 1
    return Finding(
        start=start,
        end=end,
        text=text[start:end],
        category=ADDRESS,
        suggestion=SUGGESTION,
        rule=rule,
        priority=50,
    )


def find_addresses(text: str) -> list[Finding]:
    out = [_address(text, m.start(), m.end(), "address") for m in NUMBERED.finditer(text)]
    out += [_address(text, m.start(), m.end(), "address") for m in UNIT_BUILDING.finditer(text)]
    for m in UNNUMBERED.finditer(text):
        value = m.group(0)
        if _NOT_STREETS.search(value):
            continue
        start = m.start()
        if value.startswith("The "):
            start += 4
        out.append(_address(text, start, m.end(), "street"))
    return out


def _variants(place: KnownPlace) -> list[str]:
    """The place as recorded, and for an address its street and building parts on their own
    ("14 Mill Lane, Eastfield" -> "Mill Lane"; "Flat 3, Beacon Court" -> "Beacon Court")."""
    text = " ".join(place.text.split())
    variants = [text]
    if place.kind in ("address", "place"):
        for part in (p.strip() for p in text.split(",")):
            bare = re.sub(r"^(?:(?:Flat|Apartment|Room|Unit)\s+)?\d+[A-Za-z]?\s*", "", part)
            if re.search(rf"\b(?:{STREET_WORDS}|House|Court|Lodge|Cottage|Farm|Barn)\b", bare):
                variants += [part, bare]
    return [v for v in dict.fromkeys(variants) if len(v) >= 3]


def find_known_places(text: str, register: Register) -> list[Finding]:
    out = []
    for place in register.places:
        if not place.text.strip():
            continue
        category = KIND_CATEGORY.get(place.kind, OTHER_IDENTIFIER)
        suggestion = place.suggestion or KIND_SUGGESTION.get(place.kind, "[removed]")
        for variant in _variants(place):
            pattern = re.compile(r"(?<!\w)" + flexible(variant) + r"(?!\w)", re.IGNORECASE)
            for m in pattern.finditer(text):
                out.append(
                    Finding(
                        start=m.start(),
                        end=m.end(),
                        text=m.group(0),
                        category=category,
                        suggestion=suggestion,
                        rule="known place",
                        priority=95,
                    )
                )
    return out
