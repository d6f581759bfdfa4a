# ruff: noqa: E501 (regular expressions and phrase tables read better unbroken)
"""The flags a published review is coded with (vocabulary.yaml `library_flags`), by phrase rules.

Flags about a person (mental health, substance use) go to the victim or the perpetrator by the
nearest person named before the phrase in its sentence: the pseudonyms, "the victim", "the
perpetrator", the perpetrator's relationship word, or a pronoun when victim and perpetrator are
of different sexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lantern.library.extract.scan import finditer
from lantern.library.extract.text import Document, Evidence

FLAG_CODES = (
    "domestic_abuse_history", "coercive_control", "separation", "mental_health_victim",
    "mental_health_perpetrator", "substance_use_victim", "substance_use_perpetrator", "housing",
    "children", "sexual_violence", "stalking", "strangulation", "marac", "dash", "police_contact",
    "health_contact", "suicide_risk", "older_victim", "adult_family_violence", "economic_abuse",
    "honour_based_abuse", "disability", "immigration", "covid",
)  # fmt: skip

# Flags whose phrase is enough wherever it is (unless negated or about research).
PLAIN = {
    "domestic_abuse_history": r"(?:history|evidence|pattern|record|reports?|incidents?|episodes?)[ \t]+of[ \t]+(?:previous[ \t]+|prior[ \t]+|earlier[ \t]+|past[ \t]+|historic(?:al)?[ \t]+)?(?:domestic[ \t]+(?:abuse|violence)|abuse|violence|assaults?)\b(?![ \t]+(?:review|act))"
    r"|(?:previous|prior|earlier|past|historic(?:al)?)[ \t]+(?:domestic[ \t]+)?(?:abuse|violence|incidents?|assaults?|abusive)"
    r"|(?:abuse|violence|abusive)[ \t]+(?:in|towards|of|against|to)[ \t]+(?:(?:his|her|their|a)[ \t]+)?(?:previous|former|ex-|other)"
    r"|\bex-partners\b|domestic[ \t]+(?:abuse[ \t]+|violence[ \t]+)?incidents?|abusive[ \t]+relationship"
    r"|(?:reported|disclosed|reporting|disclosing)[ \t]+(?:\w+[ \t]+){0,3}(?:domestic[ \t]+)?(?:abuse|violence|assaults?|an[ \t]+assault)"
    r"|(?:had[ \t]+been|was|were|being)[ \t]+(?:\w+[ \t]+)?(?:hit|assaulted|abused|beaten|punched|slapped|kicked)[ \t]+by",
    "coercive_control": r"coerci(?:ve|on)|controlling|control(?:led|s)?[ \t]+(?:over[ \t]+)?(?:her|his|their|who|where|what|when)\b|isolat(?:ed|ing|es)[ \t]+(?:her|him)|jealous|possessive|monitor(?:ed|ing)[ \t]+(?:her|his)",
    "separation": r"separat(?:ed|ion|ing)\b|estranged|ended[ \t]+(?:the|their|her|his)[ \t]+relationship|relationship[ \t]+(?:had[ \t]+)?ended|split[ \t]+up|broke[ \t]+up|divorc|(?:asked|told)[ \t]+(?:him|her)[ \t]+to[ \t]+leave|(?:left|leaving|leave)[ \t]+(?:him|her)\b|moved[ \t]+out",
    "housing": r"homeless|housing[ \t]+(?:association|provider|needs|application|register|support|transfer)|temporary[ \t]+accommodation|evict|tenancy|rent[ \t]+arrears|\brefuge\b|sofa[ \t-]+surf|rough[ \t]+sleep|social[ \t]+housing|hostel",
    "sexual_violence": r"\brap(?:e|ed|ist)\b|sexual(?:ly)?[ \t]+(?:assault|abuse|abused|violence|offence|offences|assaulted)|indecent[ \t]+assault",
    "stalking": r"stalk|harass",
    "strangulation": r"strangl|strangu|\bchok(?:e|ed|ing)\b|suffocat|smother|throttl|(?:hands?|arm)[ \t]+(?:a)?round[ \t]+(?:her|his)[ \t]+(?:neck|throat)",
    "marac": r"\bMARAC\b|(?i:multi[- ]agency[ \t]+risk[ \t]+assessment[ \t]+conference)",
    "dash": r"\bDASH\b|DA[ \t]+risk[ \t]+(?:assessment|checklist)|(?i:domestic[ \t]+abuse,?[ \t]+stalking[ \t]+and[ \t]+(?:harassment|honour))",
    "suicide_risk": r"suicid|took[ \t]+(?:her|his|their)[ \t]+own[ \t]+life|self[- ]harm|overdose|ligature|end[ \t]+(?:her|his|their)[ \t]+(?:own[ \t]+)?life",
    "economic_abuse": r"(?:economic|financial)(?:ally)?[ \t]+(?:abus|control|exploit)|control(?:led|s|ling)?[ \t]+(?:the|her|his|their|all[ \t]+the)[ \t]+(?:money|finances|bank)|(?:took|takes|taking|kept|withheld|withholding)[ \t]+(?:her|his)[ \t]+(?:bank[ \t]+card|money|wages|benefits|salary|pension)|(?:loans?|debts?)[ \t]+in[ \t]+(?:her|his)[ \t]+name",
    "honour_based_abuse": r"honour[- ](?:based|killing|related)|so-called[ \t]+honour|forced[ \t]+marriage",
    "disability": r"disab|dementia|wheelchair|learning[ \t]+(?:difficult|disabilit)|autis|\bADHD\b|mobility|\bfrail|care[ \t]+(?:needs|package|and[ \t]+support[ \t]+needs)|(?:her|his)[ \t]+carer|\bblind\b|\bdeaf\b|had[ \t]+a[ \t]+stroke|parkinson|multiple[ \t]+sclerosis|bed-?bound|housebound",
    "immigration": r"immigra|deport|\bvisas?\b|asylum|leave[ \t]+to[ \t]+remain|no[ \t]+recourse|\bNRPF\b|refugee|settled[ \t]+status|spousal[ \t]+visa",
    "covid": r"covid|coronavirus|lockdown|pandemic",
    "older_victim": r"older[ \t]+(?:adult|person|people|woman|man|lady|victim|couple)|elderly|pensioner",
    "adult_family_violence": r"adult[ \t]+family[ \t]+(?:violence|abuse)|child(?:-|[ \t])to(?:-|[ \t])parent|parricide|matricide|patricide|familial[ \t]+homicide",
    "children": r"\bchild(?:ren)?\b(?![ \t]+(?:safeguarding[ \t]+practice|sexual[ \t]+exploitation))|\bpregnan|\bunborn\b|\bbab(?:y|ies)\b|\binfant\b|\btoddler|\bschool[- ]age|(?:young|teenage|infant)[ \t]+(?:son|daughter)|stepdaughter|stepson",
}
# Flags that need a contact (a verb) with the agency before the death.
CONTACT = {
    "police_contact": r"(?:reported|report|called|contacted|rang|phoned|informed|told|alerted)[ \t]+(?:\w+[ \t]+){0,3}?(?:to[ \t]+)?(?:the[ \t]+)?(?:\w+[ \t]+)?police"
    r"|police[ \t]+(?:were[ \t]+called|attended|were[ \t]+contacted|responded|recorded|visited|received|had[ \t]+(?:\w+[ \t]+)?contact|involvement|records[ \t]+show|were[ \t]+aware)"
    r"|known[ \t]+to[ \t]+(?:the[ \t]+)?police|contact[ \t]+with[ \t]+(?:the[ \t]+)?police|police[ \t]+contact|(?:arrested|cautioned)[ \t]+(?:for|after|following)",
    "health_contact": r"\bGPs?\b(?![ \t]*\(VTS\))|general[ \t]+practi(?:ce|tioner)|hospital\b(?![ \t]+order)|\bA&E\b|emergency[ \t]+department|ambulance|paramedic|mental[ \t]+health[ \t]+(?:services?|team|nurse|practitioner|trust)|crisis[ \t]+(?:team|resolution|line)|\bCRHTT\b|\bCMHT\b|health[ \t]+visitor|midwi|gynaecolog|practice[ \t]+nurse|psychiatr|health[ \t]+(?:IDVA|services)|(?:health|medical)[ \t]+(?:records|professionals?|practitioners?)",
}
AFTER_DEATH = re.compile(
    r"\b(?:remains|body|dead|died|death|murder\w*|killed|arrest\w*|charged|homicide|investigation|missing|not[ \t]+heard|999|post[ \t]+mortem|pathologist|inquest)\b",
    re.IGNORECASE,
)
# Flags that belong to one person: the phrase, then the person decides victim or perpetrator.
PERSONAL = {
    "mental_health": r"mental[ \t]+(?:ill[- ]?)?health[ \t]+(?:problems?|issues?|difficult\w*|conditions?|needs|crisis|services?|team|assessment|history|illness|decline)|mental[ \t]+illness|mentally[ \t]+ill|schizophreni|psychosis|psychotic|paranoi|bipolar|depress(?:ion|ive|ed)\b|anxiety|personality[ \t]+disorder|\bPTSD\b|post[- ]traumatic|hospital[ \t]+order|mental[ \t]+health[ \t]+act|sectioned|unfit[ \t]+to[ \t]+plead|diminished[ \t]+responsibility|psychiatr|hallucinat|hearing[ \t]+voices",
    "substance_use": r"alcohol|drink(?:ing)?[ \t]+(?:problem|heavily|habit)|heavy[ \t]+drink|drunk|intoxicat|cannabis|cocaine|heroin|amphetamine|\bspice\b|methadone|drug[ \t]+(?:use|misuse|addiction|dependency|dependence|treatment|service)|substance[ \t]+(?:misuse|use|dependency)|addict",
}
NEGATION = re.compile(
    r"\b(?:no|not|never|nor|without|denied|deny|denies|neither|none)\b", re.IGNORECASE
)
CLAUSE_BREAK = re.compile(r"[.;:\n]")
GENERIC = re.compile(
    r"\b(?:research|literature|studies|nationally|statistics|definition|defined[ \t]+as|glossary|such[ \t]+as)\b",
    re.IGNORECASE,
)
_PLAIN_RES = {code: re.compile(p, re.IGNORECASE) for code, p in PLAIN.items()}
_PLAIN_RES["marac"] = re.compile(PLAIN["marac"])
_PLAIN_RES["dash"] = re.compile(PLAIN["dash"])
_CONTACT_RES = {code: re.compile(p, re.IGNORECASE) for code, p in CONTACT.items()}
_PERSONAL_RES = {code: re.compile(p, re.IGNORECASE) for code, p in PERSONAL.items()}
FAMILY = {"son_or_daughter", "grandchild", "parent", "sibling", "other_relative"}


@dataclass(frozen=True)
class People:
    victim: str | None
    victim_sex: str | None
    perpetrators: tuple[str, ...]
    relationship: str | None
    age_band: str | None
    death_type: str | None


PERPETRATOR_WORDS = (
    r"perpetrator|offender|defendant|husband|wife|partner|boyfriend|girlfriend|son|daughter"
    r"|grandson|granddaughter|brother|sister|lodger|flatmate|the[ \t]+man\b"
)


def _person_regex(people: People) -> re.Pattern[str]:
    victim_terms = [r"the[ \t]+victim", r"the[ \t]+deceased"]
    if people.victim:
        victim_terms.append(re.escape(people.victim))
    perpetrator_terms = [PERPETRATOR_WORDS] + [re.escape(n) for n in people.perpetrators[:3]]
    pronoun_victim = pronoun_perp = None
    if people.victim_sex == "female":
        pronoun_victim, pronoun_perp = r"she|her|herself", r"he|him|his|himself"
    elif people.victim_sex == "male" and people.relationship in {
        "current_partner",
        "former_partner",
    }:
        pronoun_victim, pronoun_perp = r"he|him|his|himself", r"she|her|herself"
    parts = [
        rf"(?P<v>\b(?:{'|'.join(victim_terms)})\b)",
        rf"(?P<p>\b(?:{'|'.join(perpetrator_terms)})\b)",
    ]
    if pronoun_victim:
        parts += [rf"(?P<vp>\b(?:{pronoun_victim})\b)", rf"(?P<pp>\b(?:{pronoun_perp})\b)"]
    return re.compile("|".join(parts), re.IGNORECASE)


def _owner(sentence: str, offset: int, person: re.Pattern[str]) -> str | None:
    """Whose is the phrase at `offset` in the sentence: "victim", "perpetrator" or None."""
    before = list(person.finditer(sentence, 0, offset))
    candidates = before[::-1] or list(person.finditer(sentence, offset))
    for match in candidates:
        kind = match.lastgroup
        if kind in ("v", "vp"):
            return "victim"
        if kind in ("p", "pp"):
            return "perpetrator"
    return None


def extract_flags(doc: Document, people: People) -> tuple[list[str], dict[str, Evidence]]:
    text = doc.masked
    found: dict[str, tuple[int, int]] = {}

    def clause_ok(match: re.Match[str]) -> tuple[int, int] | None:
        start, end = doc.sentence_bounds(match.start())
        before = text[max(start, match.start() - 60) : match.start()]
        breaks = list(CLAUSE_BREAK.finditer(before))
        if NEGATION.search(before, breaks[-1].end() if breaks else 0):
            return None
        if GENERIC.search(text, max(start, match.start() - 100), min(end, match.end() + 40)):
            return None
        return start, end

    for code, regex in _PLAIN_RES.items():
        for match in finditer(regex, text, doc.masked_lower, index=doc.index):
            if clause_ok(match):
                found[code] = match.span()
                break
    for code, regex in _CONTACT_RES.items():
        for match in finditer(regex, text, doc.masked_lower, index=doc.index):
            bounds = clause_ok(match)
            if not bounds:
                continue
            near = text[max(bounds[0], match.start() - 70) : min(bounds[1], match.end() + 70)]
            if AFTER_DEATH.search(near) or re.search(
                r"clinical[ \t]+commissioning|public[ \t]+health", near, re.I
            ):
                continue
            found[code] = match.span()
            break
    person = _person_regex(people)
    for code, regex in _PERSONAL_RES.items():
        for match in finditer(regex, text, doc.masked_lower, index=doc.index):
            bounds = clause_ok(match)
            if not bounds:
                continue
            sentence = text[bounds[0] : bounds[1]]
            owner = _owner(sentence, match.start() - bounds[0], person)
            if owner:
                found.setdefault(f"{code}_{owner}", match.span())
            if f"{code}_victim" in found and f"{code}_perpetrator" in found:
                break
    if people.age_band == "65+" and "older_victim" not in found:
        found["older_victim"] = (-1, -1)
    if people.relationship in FAMILY and "adult_family_violence" not in found:
        found["adult_family_violence"] = (-1, -1)
    if people.relationship == "former_partner" and "separation" not in found:
        found["separation"] = (-1, -1)
    if people.death_type == "suicide" and "suicide_risk" not in found:
        found["suicide_risk"] = (-1, -1)
    if "older_victim" in found and people.age_band not in (None, "65+"):
        del found["older_victim"]
    codes = [code for code in FLAG_CODES if code in found]
    evidence = {code: doc.evidence(*found[code]) for code in codes if found[code][0] >= 0}
    return codes, evidence
