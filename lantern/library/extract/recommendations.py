# ruff: noqa: E501 (regular expressions and phrase tables read better unbroken)
"""The numbered recommendations under a report's "Recommendations" heading, with whom each is
addressed to and what it is about (the Home Office DHR Library's addressees and themes)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lantern.library.extract.text import Document, Evidence

ADDRESSEES = {
    "police": "Police", "social_services": "Social services", "health": "Health",
    "idva_da_service": "IDVA/DA service", "probation": "Probation", "housing": "Housing",
    "school": "School", "employer": "Employer", "education": "Education",
    "faith_body": "Faith body", "military": "Military", "csp": "CSP",
    "national_government": "National government",
}  # fmt: skip
RECOMMENDATION_THEMES = {
    "technology_systems": "Technology/systems", "identification_of_risk": "Identification of risk",
    "training": "Training", "policy": "Policy", "multi_agency_working": "Multi-agency working",
    "record_keeping": "Record keeping", "awareness_raising": "Awareness raising",
}  # fmt: skip

ADDRESSEE_RULES = [
    ("national_government", r"Home[ \t]+Office|Department[ \t]+(?:of|for)|Ministry[ \t]+of|(?:the[ \t]+)?Government\b|national[ \t]+(?:guidance|government|level)|Secretary[ \t]+of[ \t]+State|NHS[ \t]+England|Domestic[ \t]+Abuse[ \t]+Commissioner"),
    ("military", r"armed[ \t]+forces|military|\bArmy\b|Royal[ \t]+(?:Navy|Air[ \t]+Force)|\bRAF\b|Ministry[ \t]+of[ \t]+Defence|veterans?"),
    ("probation", r"probation|community[ \t]+rehabilitation[ \t]+company|\bCRC\b|\bNPS\b|offender[ \t]+manag"),
    ("police", r"police|constabulary|\bPSNI\b"),
    ("idva_da_service", r"\bIDVAs?\b|domestic[ \t]+abuse[ \t]+(?:service|services|support[ \t]+service|charity|provider|team|hub)|refuge|specialist[ \t]+(?:domestic[ \t]+abuse|DA)[ \t]+service|outreach[ \t]+service|women['’]s[ \t]+aid"),
    ("social_services", r"social[ \t]+(?:services|care|work)|children['’]s[ \t]+services|adult[ \t]+(?:social[ \t]+)?(?:care|services)|safeguarding[ \t]+adults|children['’]s[ \t]+social|\bMASH\b|local[ \t]+authority"),
    ("health", r"\bNHS\b|\bGPs?\b|general[ \t]+practi|hospital|health|clinical[ \t]+commissioning|\bICB\b|integrated[ \t]+care|ambulance|mental[ \t]+health|midwi|recovery[ \t]+service|substance[ \t]+misuse|drug[ \t]+and[ \t]+alcohol|(?:foundation|partnership)[ \t]+trust|primary[ \t]+care|pharmac"),
    ("housing", r"housing|landlord|homeless"),
    ("school", r"school"),
    ("education", r"education|college|universit"),
    ("employer", r"employer|workplace|human[ \t]+resources|\bHR\b"),
    ("faith_body", r"faith|church|mosque|temple|gurdwara|synagogue|diocese"),
    ("csp", r"fire[ \t]+and[ \t]+rescue|community[ \t]+safety[ \t]+partnership|\bCSP\b|partnership|safer[ \t]+\w+[ \t]+partnership|(?:the[ \t]+)?(?:DHR|review)[ \t]+panel|all[ \t]+agencies|partner[ \t]+agencies"),
]  # fmt: skip
_ADDRESSEE_RES = [(code, re.compile(pattern, re.IGNORECASE)) for code, pattern in ADDRESSEE_RULES]

THEME_RULES = [
    ("technology_systems", r"\bIT\b|(?i:system|database|electronic|software|digital|technolog|flag(?:s|ged|ging)?[ \t]+(?:on|to)|alert(?:s)?[ \t]+on|interface|automat)"),
    ("training", r"(?i:train|learning[ \t]+(?:event|session|module)|briefing[ \t]+session|workshop|e-learning|masterclass|skills|upskill)"),
    ("record_keeping", r"(?i:record[ \t]*keeping|(?:records?|notes?)[ \t]+(?:are|is|of|must|should)|recorded|documentation|document(?:s|ed|ing)?[ \t]+(?:the|all|any|why|when|their|decisions)|case[ \t]+notes|audit[ \t]+of[ \t]+(?:case[ \t]+)?(?:records|files))"),
    ("multi_agency_working", r"(?i:multi[- ]agency|information[ \t]+sharing|shar(?:e|es|ing)[ \t]+(?:information|relevant|concerns)|partnership[ \t]+working|joint[ \t]+(?:working|visits?|protocol)|\bMARAC\b|\bMASH\b|between[ \t]+agencies|across[ \t]+agencies|partner[ \t]+agencies|liais|refer(?:ral)?s?[ \t]+(?:to|between)[ \t]+(?:\w+[ \t]+)?(?:services|agencies))"),
    ("identification_of_risk", r"(?i:risk|\bDASH\b|identif|screen|routine[ \t]+enquiry|ask(?:ing)?[ \t]+(?:about|direct|routinely)|recogni[sz]|indicators|warning[ \t]+signs|assess)"),
    ("awareness_raising", r"(?i:awareness|campaign|publicit|the[ \t]+public|communit(?:y|ies)|leaflets?|posters?|information[ \t]+(?:to|for)[ \t]+(?:families|friends|the|residents|victims)|family[ \t]+and[ \t]+friends|bystander)"),
    ("policy", r"(?i:polic(?:y|ies)|procedure|protocol|guidance|pathway|framework|standard)"),
]  # fmt: skip
_THEME_RES = [(code, re.compile(pattern)) for code, pattern in THEME_RULES]


def addressee_of(text: str) -> str | None:
    """The addressee named first in the text (the agency a recommendation begins with)."""
    best: tuple[int, int, str] | None = None
    for rank, (code, regex) in enumerate(_ADDRESSEE_RES):
        match = regex.search(text)
        if match and (best is None or (match.start(), rank) < best[:2]):
            best = (match.start(), rank, code)
    return best[2] if best else None


def theme_of(text: str) -> str:
    scores: dict[str, int] = {}
    for code, regex in _THEME_RES:
        count = len(regex.findall(text))
        if count:
            scores[code] = count
    if not scores:
        return "policy"
    order = [code for code, _ in THEME_RULES]
    return max(scores, key=lambda c: (scores[c], -order.index(c)))


HEADING = re.compile(
    r"^[ \t]*(?:(?:section|chapter|part)[ \t]+)?(?:\d{1,2}(?:\.\d{1,2})?\.?[ \t]+)?"
    r"(?P<title>(?:(?:the|overview|report|panel|review|overarching|multi-agency|single[- ]agency|local|"
    r"national|dhr|summary[ \t]+of|list[ \t]+of|of[ \t]+the|key|agency|individual|imr)[ \t]+)*"
    r"recommendations?(?:[ \t]+(?:of|from|made[ \t]+by|for)[ \t]+(?:the[ \t]+)?[\w -]{0,40})?)[ \t]*:?[ \t]*$",
    re.IGNORECASE,
)
ITEM = re.compile(
    r"^[ \t]*(?:recommendation[ \t]+)?(?:R[ \t]?)?(?P<num>\d{1,2}(?:\.\d{1,2}){0,2}|[a-z])[.):][ \t]+(?P<body>\S.*)$"
    r"|^[ \t]*recommendation[ \t]+(?P<num2>\d{1,2})[ \t]*[-–:.][ \t]*(?P<body2>\S.*)$",
    re.IGNORECASE,
)
BULLET = re.compile(r"^[ \t]*[•*–·▪-][ \t]+(?P<body>\S.*)$")
END_HEADING = re.compile(
    r"^[ \t]*(?:(?:section|chapter|part)[ \t]+)?(?:\d{1,2}(?:\.\d{1,2})?\.?[ \t]+)?(?:appendi|annex|action[ \t]+plan|glossary|"
    r"references|bibliography|conclusions?\b|lessons|terms[ \t]+of[ \t]+reference|acknowledg|dissemination|"
    r"next[ \t]+steps|useful|sources[ \t]+of|contacts|signed|signature|endnotes|footnotes|"
    r"panel[ \t]+membership|help[ \t]+and[ \t]+support|support[ \t]+services|about[ \t]+this|"
    r"\[?excerpt|\[?chunk)",
    re.IGNORECASE,
)
SINGLE_WORDS = re.compile(r"single[- ]agency|individual[ \t]+agency|\bIMRs?\b", re.I)
RECOMMENDS = re.compile(
    r"\b(?:should|must|will|to[ \t]+ensure|recommend|is[ \t]+asked|are[ \t]+asked)\b", re.I
)
MAX_SECTION = 40000
PAGE_LINE = re.compile(r"^(?:page[ \t]+)?\d{1,3}(?:[ \t]+of[ \t]+\d{1,3})?$", re.IGNORECASE)


@dataclass
class Item:
    text: str
    group: str  # "overarching" or "single"
    start: int
    end: int
    addressee_hint: str | None = None


@dataclass
class Section:
    heading_start: int
    items: list[Item] = field(default_factory=list)
    has_single_group: bool = False


def _words(line: str) -> int:
    return len(line.split())


def _is_heading_like(line: str) -> bool:
    stripped = line.strip()
    return (
        0 < _words(stripped) <= 10
        and not stripped.endswith((".", ";", ",", ":"))
        and not RECOMMENDS.search(stripped)
        and stripped[0].isupper()
    )


# Text from PDFs often runs headings and numbered items into one paragraph: split it again
# before an item number that follows a sentence, around "... recommendations" headings, and
# after the last sentence of an item when a heading (an agency's name) trails it.
INLINE_BREAK = re.compile(
    r"(?<=[.!?:])[ \t]+(?=(?:recommendation[ \t]+)?\d{1,2}(?:\.\d{1,2})?[.)][ \t]+[A-Z])"
    r"|(?<=[.!?:])[ \t]+(?=(?:[A-Z][\w-]*[ \t]+){0,2}recommendations\b)"
    r"|(?<=\brecommendations)[ \t]+(?=(?:[A-Z][\w-]*[ \t]+){0,2}recommendations\b|\d{1,2}\.[ \t]+[A-Z])"
    r"|[ \t]+(?=\d{1,2}\.[ \t]+[A-Z][^.!?\n]{0,200}?\b(?:should|must|will|is[ \t]+asked|are[ \t]+asked)\b)",
    re.IGNORECASE,
)
TRAILING_HEADING = re.compile(r"(?<=[.!?])[ \t]+(?=[A-Z][^.!?]{2,120}$)")


HEADING_THEN_TEXT = re.compile(
    r"^[ \t]*(?:\d{1,2}(?:\.\d{1,2})?\.?[ \t]+)?(?:[A-Z][\w-]*[ \t]+){0,2}[Rr]ecommendations"
    r"(?:[ \t]+(?:of|from|made[ \t]+by)[ \t]+the[ \t]+(?:review|panel|DHR))?(?=[ \t]+[A-Z0-9])"
)


def _split_heading(doc: Document) -> Iterator[tuple[int, str]]:
    for start, line in doc.lines:
        match = HEADING_THEN_TEXT.match(line) if len(line) > 60 else None
        if match:
            yield start, line[: match.end()]
            rest = match.end() + len(line[match.end() :]) - len(line[match.end() :].lstrip())
            yield start + rest, line[rest:]
        else:
            yield start, line


def _virtual_lines(doc: Document) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for start, line in _split_heading(doc):
        if (
            len(line) < 120
            or ("ecommendation" not in line and " should " not in line)
            or not INLINE_BREAK.search(line)
        ):
            lines.append((start, line))
            continue
        position = 0
        for match in INLINE_BREAK.finditer(line):
            lines.append((start + position, line[position : match.start()]))
            position = match.end()
        lines.append((start + position, line[position:]))
    result: list[tuple[int, str]] = []
    for start, line in lines:
        trailing = TRAILING_HEADING.search(line) if ITEM.match(line) else None
        tail = line[trailing.end() :] if trailing else ""
        if trailing and _words(tail) <= 16 and not RECOMMENDS.search(tail):
            result.append((start, line[: trailing.start()]))
            result.append((start + trailing.end(), line[trailing.end() :]))
        else:
            result.append((start, line))
    return result


def _parse_section(
    doc: Document, line_index: int, group: str, lines: list[tuple[int, str]]
) -> Section:
    section = Section(heading_start=lines[line_index][0])
    plain: list[Item] = []
    hint: str | None = None
    current: Item | None = None
    limit = lines[line_index][0] + MAX_SECTION
    for start, line in lines[line_index + 1 :]:
        if start > limit:
            break
        stripped = line.strip()
        if not stripped or PAGE_LINE.match(stripped):
            continue
        end = start + len(line)
        if HEADING.match(line):
            group = "single" if SINGLE_WORDS.search(line) else "overarching"
            section.has_single_group = section.has_single_group or group == "single"
            hint, current = None, None
            continue
        item = ITEM.match(line)
        body = (item.group("body") or item.group("body2")) if item else None
        if END_HEADING.match(line) or (body and END_HEADING.match(body) and _words(body) <= 8):
            break
        if item and body and _is_heading_like(body) and _words(body) <= 8:
            item = None  # a numbered heading, handled below
        if item and body and _words(body) >= 4:
            current = Item(body.strip(), group, start, end, hint)
            section.items.append(current)
            continue
        bullet = BULLET.match(line)
        if (
            bullet
            and _words(bullet.group("body")) >= 4
            and (section.items or RECOMMENDS.search(line))
        ):
            current = Item(bullet.group("body").strip(), group, start, end, hint)
            section.items.append(current)
            continue
        if _is_heading_like(line):
            agency = addressee_of(stripped)
            if agency or group == "single":
                # An agency's own recommendations ("Devon and Cornwall Police").
                hint = agency
                if not re.search(
                    r"overarching|panel|multi|overview|national|local|partnership", stripped, re.I
                ):
                    group = "single"
                    section.has_single_group = True
                current = None
                continue
            if re.search(
                r"overarching|panel|multi|overview|national|local|general", stripped, re.I
            ):
                group, hint, current = "overarching", None, None
                continue
            if section.items or plain:
                break
            continue
        if current is not None and (
            not current.text.endswith((".", ";", ":")) or stripped[:1].islower()
        ):
            current.text = f"{current.text} {stripped}"
            current.end = end
            continue
        current = None
        if RECOMMENDS.search(stripped) and _words(stripped) >= 6:
            plain.append(Item(stripped, group, start, end, hint))
    if not section.items and plain:
        section.items = plain
    return section


@dataclass
class Recommendations:
    items: list[dict[str, str | None]]
    overarching: int | None
    single: int | None
    evidence: Evidence | None
    overarching_evidence: Evidence | None
    single_evidence: Evidence | None


def extract_recommendations(doc: Document) -> Recommendations:
    best: Section | None = None
    lines = _virtual_lines(doc) if "ecommendation" in doc.text else doc.lines
    for index, (_start, line) in enumerate(lines):
        if not line.strip() or len(line) > 120:
            continue
        match = HEADING.match(line)
        if not match:
            continue
        group = "single" if SINGLE_WORDS.search(line) else "overarching"
        section = _parse_section(doc, index, group, lines)
        if section.items and (best is None or len(section.items) >= len(best.items)):
            best = section
    if best is None:
        return Recommendations([], None, None, None, None, None)
    items = []
    for item in best.items:
        text = " ".join(item.text.split())
        items.append(
            {
                "text": text,
                "addressee": addressee_of(text) or item.addressee_hint,
                "theme": theme_of(text),
            }
        )
    overarching = [i for i in best.items if i.group == "overarching"]
    single = [i for i in best.items if i.group == "single"]
    first, last = best.items[0], best.items[-1]
    evidence = doc.evidence(first.start, min(last.end, first.start + 400), whole_sentence=False)

    def span(group: list[Item]) -> Evidence | None:
        if not group:
            return None
        return doc.evidence(group[0].start, group[-1].end, whole_sentence=False)

    return Recommendations(
        items=items,
        overarching=len(overarching),
        single=len(single) if best.has_single_group or single else None,
        evidence=evidence,
        overarching_evidence=span(overarching),
        single_evidence=span(single),
    )
