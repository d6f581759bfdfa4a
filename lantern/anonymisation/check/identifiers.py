"""Identifiers with a fixed shape: email addresses, postcodes, phone numbers, NHS numbers,
National Insurance numbers, vehicle registrations and other reference numbers.

Each recogniser validates where a rule exists (the NHS number's modulus 11 check digit, the
National Insurance prefixes, the shapes of UK postcodes, phone numbers and number plates). A
number that fails its check is still reported when the text says what it is ("NHS number"):
a mistyped identifier is still an identifier.
"""

from __future__ import annotations

import re

from lantern.anonymisation.check.findings import (
    EMAIL,
    NHS_NUMBER,
    NI_NUMBER,
    OTHER_IDENTIFIER,
    PHONE,
    POSTCODE,
    VEHICLE_REGISTRATION,
    Finding,
)

SUGGESTIONS = {
    EMAIL: "[email address removed]",
    POSTCODE: "[postcode removed]",
    PHONE: "[phone number removed]",
    NHS_NUMBER: "[NHS number removed]",
    NI_NUMBER: "[National Insurance number removed]",
    VEHICLE_REGISTRATION: "[vehicle registration removed]",
    OTHER_IDENTIFIER: "[reference number removed]",
}
PRIORITY = {
    EMAIL: 90,
    NHS_NUMBER: 85,
    NI_NUMBER: 85,
    POSTCODE: 80,
    PHONE: 78,
    VEHICLE_REGISTRATION: 75,
    OTHER_IDENTIFIER: 55,
}


def _finding(text: str, start: int, end: int, category: str, rule: str) -> Finding:
    return Finding(
        start=start,
        end=end,
        text=text[start:end],
        category=category,
        suggestion=SUGGESTIONS[category],
        rule=rule,
        priority=PRIORITY[category],
    )


def _context_before(text: str, start: int, width: int = 40) -> str:
    return text[max(0, start - width) : start].lower()


# --- email --------------------------------------------------------------------------------------

EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)


def find_emails(text: str) -> list[Finding]:
    return [_finding(text, m.start(), m.end(), EMAIL, "email") for m in EMAIL_RE.finditer(text)]


# --- postcodes ----------------------------------------------------------------------------------

# Outward code (A9, A99, A9A, AA9, AA99, AA9A) then inward code (9AA), per the Royal Mail format;
# the inward letters never include C, I, K, M, O or V.
POSTCODE_RE = re.compile(
    r"\b(?:GIR\s?0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"\s?[0-9][ABD-HJLNP-UW-Z]{2})\b"
)


def find_postcodes(text: str) -> list[Finding]:
    out = []
    for m in POSTCODE_RE.finditer(text):
        if m.group(0).isdigit():
            continue
        out.append(_finding(text, m.start(), m.end(), POSTCODE, "postcode"))
    return out


# --- NHS numbers --------------------------------------------------------------------------------

NHS_RE = re.compile(r"(?<![\d/.-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d/]|\.\d)")
_NHS_CONTEXT = re.compile(r"\bnhs\b|\bnhs\s*(?:no|number)|health\s+number|chi\s+number")


def nhs_number_valid(digits: str) -> bool:
    """The modulus 11 check of an NHS number (10 digits)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def find_nhs_numbers(text: str) -> list[Finding]:
    out = []
    for m in NHS_RE.finditer(text):
        digits = "".join(m.groups())
        said = bool(_NHS_CONTEXT.search(_context_before(text, m.start(), 30)))
        if said or (nhs_number_valid(digits) and not digits.startswith("0")):
            out.append(_finding(text, m.start(), m.end(), NHS_NUMBER, "nhs"))
    return out


# --- National Insurance numbers -----------------------------------------------------------------

NI_RE = re.compile(
    r"\b([A-Z]{2})[ ]?(\d{2})[ ]?(\d{2})[ ]?(\d{2})[ ]?([A-D])?\b(?!\s?\d)", re.IGNORECASE
)
_NI_BAD_FIRST = set("DFIQUV")
_NI_BAD_SECOND = set("DFIQUVO")
_NI_BAD_PREFIXES = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
_NI_CONTEXT = re.compile(r"national\s+insurance|\bni\b|\bnino\b")


def ni_number_valid(value: str) -> bool:
    compact = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", compact):
        return False
    prefix = compact[:2]
    return (
        prefix[0] not in _NI_BAD_FIRST
        and prefix[1] not in _NI_BAD_SECOND
        and prefix not in _NI_BAD_PREFIXES
    )


def find_ni_numbers(text: str) -> list[Finding]:
    out = []
    for m in NI_RE.finditer(text):
        value = m.group(0)
        said = bool(_NI_CONTEXT.search(_context_before(text, m.start(), 40)))
        if (
            m.group(5)
            and (ni_number_valid(value) or said)
            and value[:2].isupper()
            or said
            and not m.group(5)
        ):
            out.append(_finding(text, m.start(), m.end(), NI_NUMBER, "ni"))
    return out


# --- phone numbers ------------------------------------------------------------------------------

PHONE_RE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d[\d\s()-]{7,14}\d(?!\d)")


def find_phones(text: str) -> list[Finding]:
    out = []
    for m in PHONE_RE.finditer(text):
        raw = m.group(0)
        # Trim a trailing run that belongs to the next words (" 2022" after a number).
        digits = re.sub(r"\D", "", raw)
        national = digits[2:] if raw.startswith("+44") else digits[1:]
        if raw.startswith("+44") and national.startswith("0"):
            national = national[1:]
        if len(national) not in (9, 10):
            continue
        if national[0] not in "127":
            continue  # 03, 05 and 08 numbers belong to organisations and helplines
        if re.search(r"\s{2,}|\n", raw):
            continue
        out.append(_finding(text, m.start(), m.end(), PHONE, "phone"))
    return out


# --- vehicle registrations ----------------------------------------------------------------------

# Current (since 2001): two letters, the age identifier, three letters: AB12 CDE.
CURRENT_PLATE = re.compile(r"\b([A-HJ-PR-Y][A-HJ-PR-Y])(\d{2})\s?([A-HJ-PR-Z]{3})\b")
# Prefix (1983-2001): P123 ABC; suffix (1963-1983): ABC 123D; dateless: ABC 123.
PREFIX_PLATE = re.compile(r"\b([A-HJ-NP-Y])(\d{1,3})\s?([A-HJ-PR-Y]{3})\b")
SUFFIX_PLATE = re.compile(r"\b([A-HJ-PR-Y]{3})\s?(\d{1,3})([A-HJ-NP-Y])\b")
_PLATE_CONTEXT = re.compile(
    r"registration|reg\b|reg\.|number\s*plate|vrm|vehicle|car\b|van\b|motorbike|index"
)


def _age_identifier_ok(number: str) -> bool:
    value = int(number)
    return 2 <= value <= 30 or 51 <= value <= 80


def find_vehicle_registrations(text: str) -> list[Finding]:
    out = []
    for m in CURRENT_PLATE.finditer(text):
        if _age_identifier_ok(m.group(2)):
            out.append(_finding(text, m.start(), m.end(), VEHICLE_REGISTRATION, "plate"))
    for pattern in (PREFIX_PLATE, SUFFIX_PLATE):
        for m in pattern.finditer(text):
            said = bool(_PLATE_CONTEXT.search(_context_before(text, m.start(), 60)))
            if said or " " in m.group(0):
                out.append(_finding(text, m.start(), m.end(), VEHICLE_REGISTRATION, "plate"))
    return out


# --- other reference numbers --------------------------------------------------------------------

_REF_KEYWORDS = (
    r"crime\s+(?:reference|ref\.?|number|no\.?)|reference(?:\s+number)?|ref\.?|case\s+(?:number|no\.?|reference)|"
    r"incident\s+(?:number|log\s+number|reference)|log\s+(?:number|reference)|occurrence\s+number|"
    r"hospital\s+(?:number|no\.?)|patient\s+number|urn|cad(?:\s+number)?|crn|pnc\s+(?:number|id)|"
    r"record\s+number|account\s+number|tenancy\s+(?:reference|number)|housing\s+reference|"
    r"referral(?:\s+number)?|claim\s+number|serial\s+(?:number|no\.?)|"
    r"certificate\s+(?:number|no\.?)|licen[cs]e\s+(?:number|no\.?)|passport\s+(?:number|no\.?)"
)
KEYWORD_REF = re.compile(
    rf"\b(?:{_REF_KEYWORDS})\b\s*(?:(?:was|is|of|number|no\.?|:|#)\s*){{0,3}}"
    r"(?P<id>(?=[A-Z0-9/-]*\d)[A-Z0-9][A-Z0-9/-]*(?:\s[A-Z0-9/-]*\d[A-Z0-9/-]*)?)",
    re.IGNORECASE,
)
# Shapes of reference numbers: letters and digits joined with / or -, or long digit runs.
SHAPED_REF = re.compile(
    r"(?<![\w/.-])(?:"
    r"[A-Z]{1,5}[/-]?\d{2,}(?:[/-][A-Z0-9]+)+"  # NB/21/004512, ASC-2022-118734, CC2110/38812
    r"|[A-Z]{1,5}(?:[/-][A-Z]{1,5})*[/-]\d{3,}(?:[/-][A-Z0-9]+)*"  # NYP/FA/18822
    r"|[A-Z]{1,4}-?\d{5,}"  # H0048213, MDH7730419, TEN-0093371
    r"|\d{2}[A-Z]{1,3}\d{5,}"  # 05YF1187321 (a CPS URN)
    r"|[A-Z]{2,4}\s\d{5,}"  # RXK 0042178
    r"|\d{2,}[/-]\d{3,}(?:[/-]\d+)*"  # 22/0917 (not a year pair: see below)
    r"|\d{7,}"  # 44210038712
    r")(?![\w/-])"
)
_YEARISH = re.compile(r"^(?:19|20)\d{2}[/-]\d{2,4}$")


def find_other_identifiers(text: str) -> list[Finding]:
    out = []
    for m in KEYWORD_REF.finditer(text):
        ident = m.group("id").rstrip("/-")
        if len(re.sub(r"\D", "", ident)) < 3 or _YEARISH.match(ident):
            continue
        start = m.start("id")
        # "MARAC ref 22/0917": the words before the number name it and go with it.
        out.append(_finding(text, start, start + len(ident), OTHER_IDENTIFIER, "reference"))
    for m in SHAPED_REF.finditer(text):
        value = m.group(0)
        if _YEARISH.match(value) or re.fullmatch(r"\d{2}/\d{4}", value):
            continue
        pair = re.fullmatch(r"(\d{1,4})-(\d{1,4})", value)
        if pair and int(pair.group(1)) < int(pair.group(2)):
            continue  # a range of pages or numbers
        out.append(_finding(text, m.start(), m.end(), OTHER_IDENTIFIER, "reference shape"))
    return out


def find_identifiers(text: str) -> list[Finding]:
    return [
        *find_emails(text),
        *find_postcodes(text),
        *find_nhs_numbers(text),
        *find_ni_numbers(text),
        *find_phones(text),
        *find_vehicle_registrations(text),
        *find_other_identifiers(text),
    ]
