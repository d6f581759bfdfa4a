"""Organisations: agencies (named in a published report, never findings) and the schools and
workplaces that would identify the family (findings).

An agency is one of the review's agencies, one of a shipped list of national organisations, or
a run of capitalised words ending in an agency word ("Northbridge Police", "Marsh Valley NHS
Foundation Trust"). A school is a run ending in School, Academy, College or Nursery, or after
"Ysgol"; a workplace is a run ending in a business word (Garage, Pharmacy, Care Home, Ltd...)
or named after "worked at", "employed by".
"""

from __future__ import annotations

import re

from lantern.anonymisation.check.findings import ORGANISATION_IDENTIFYING, Finding
from lantern.anonymisation.check.register import Register
from lantern.anonymisation.check.text import NAME_PART, flexible, phrase_list

# A capitalised run: "St Bede's RC", "Marsh Valley", "Bridgeford", with "and", "of", "&" inside.
_CAP = rf"(?:{NAME_PART}|St\.?|RC|CE|[A-Z]{{2,}})"
_RUN = rf"{_CAP}(?:\s+(?:(?:and|of|the|for|&|upon|on|in|de)\s+)?{_CAP}){{0,5}}"

AGENCY_WORDS = (
    r"Police|Constabulary|Council|Trust|Trusts|Hospital|Hospitals|Partnership|Service|Services|"
    r"Board|Commissioning\s+Group|Care\s+Board|Authority|Team|Unit|Medical\s+Centre|"
    r"Health\s+Centre|Walk-in\s+Centre|Surgery|Medical\s+Practice|Practice|Clinic|Court|Courts|"
    r"Tribunal|Prison|Refuge|Aid|Helpline|Switchboard|Department|Agency|Office|Commission|"
    r"Association|Society|Charity|Housing|Homes|Social\s+Care|Probation|Ambulance|"
    r"Fire\s+and\s+Rescue|Healthcare|Health|Federation|Network|Project|Programme|Forum|MARAC|"
    r"MASH|CCG|ICB|Group"
)
AGENCY_RE = re.compile(rf"\b{_RUN}\s+(?:{AGENCY_WORDS})\b(?:\s+\([A-Z]{{2,}}\))?")

SCHOOL_RE = re.compile(
    rf"\b(?:{_RUN}\s+(?:(?:Primary|Junior|Infant|Infants|Secondary|High|Grammar|Community|"
    rf"Church\s+of\s+England|C\s+of\s+E|Catholic|Free|Special|Sixth\s+Form|Nursery)\s+)*"
    rf"(?:School|Academy|College|Nursery|Sixth\s+Form)|Ysgol\s+{_RUN})\b"
)
_NOT_SCHOOLS = re.compile(r"College of |Royal College|University College|College\s+of\s+Policing")

WORKPLACE_WORDS = (
    r"Ltd|Limited|plc|PLC|LLP|Garage|Pharmacy|Chemist|Care\s+Home|Nursing\s+Home|"
    r"Residential\s+Home|Leisure\s+Centre|Garden\s+Centre|Sports\s+Centre|Call\s+Centre|"
    r"Shopping\s+Centre|Veterinary\s+Surgery|Veterinary\s+Practice|Vets|Salon|Café|Cafe|"
    r"Restaurant|Hotel|Inn|Bar|Pub|Factory|Warehouse|Logistics|Produce|Foods|Supermarket|"
    r"Stores|Motors|Builders|Construction|Transport|Haulage|Bakery|Takeaway|Barbers|Gym|"
    r"Solicitors|Accountants|Estate\s+Agents|Taxis|Engineering|Industries|Dental\s+Practice|"
    r"Nursery"
)
WORKPLACE_RE = re.compile(rf"\b{_RUN}\s+(?:{WORKPLACE_WORDS})\b")
WORKED_AT_RE = re.compile(
    rf"\b(?:work(?:ed|s|ing)?\s+(?:at|for)|employed\s+(?:at|by)|job\s+at|employer,?)\s+"
    rf"(?:the\s+)?(?P<org>{_RUN})"
)

SUGGESTION = "[school or workplace removed]"
SCHOOL_SUGGESTION = "[school removed]"
WORKPLACE_SUGGESTION = "[workplace removed]"


def named_agency_spans(text: str, register: Register) -> list[tuple[int, int]]:
    """Where the review's agencies and the shipped national organisations are named."""
    spans = []
    names = [*register.agencies, *phrase_list("organisations.txt"), *register.allowed]
    for name in names:
        if not name.strip():
            continue
        pattern = re.compile(r"(?<!\w)" + flexible(name) + r"(?!\w)", re.IGNORECASE)
        spans.extend((m.start(), m.end()) for m in pattern.finditer(text))
    return spans


def generic_agency_spans(text: str) -> list[tuple[int, int]]:
    """Runs of capitalised words that end in an agency word ("Westdale Police")."""
    return [(m.start(), m.end()) for m in AGENCY_RE.finditer(text)]


def _org(text: str, start: int, end: int, rule: str, suggestion: str) -> Finding:
    # A leading "The" is not part of the name.
    while text[start:end].startswith(("The ", "the ")):
        start += 4
    return Finding(
        start=start,
        end=end,
        text=text[start:end],
        category=ORGANISATION_IDENTIFYING,
        suggestion=suggestion,
        rule=rule,
        priority=45,
    )


def find_schools_and_workplaces(text: str) -> list[Finding]:
    out = []
    for m in SCHOOL_RE.finditer(text):
        if _NOT_SCHOOLS.search(m.group(0)):
            continue
        out.append(_org(text, m.start(), m.end(), "school", SCHOOL_SUGGESTION))
    for m in WORKPLACE_RE.finditer(text):
        out.append(_org(text, m.start(), m.end(), "workplace", WORKPLACE_SUGGESTION))
    for m in WORKED_AT_RE.finditer(text):
        out.append(_org(text, m.start("org"), m.end("org"), "worked at", WORKPLACE_SUGGESTION))
    return out
