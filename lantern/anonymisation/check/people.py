"""Names of people who are not in the register: staff, neighbours, friends, colleagues.

Three signals, strongest first: a title ("PC Hollins", "Dr Imran Qureshi", "Mrs Greenhalgh"), a
role word before the name ("social worker Karen", "her neighbour, Tom"), and a forename from a
shipped list of common UK forenames, with the capitalised surname after it ("Sandra Kelly").
Forenames that are also ordinary words ("Grace", "May", "Will") count only with a surname, a
title or a role word. Pseudonyms are never findings; nor are the names of the review's chair
and author where the report names them as such.
"""

from __future__ import annotations

import re

from lantern.anonymisation.check.findings import PERSON_NAME, Finding
from lantern.anonymisation.check.register import Register
from lantern.anonymisation.check.text import (
    DAYS,
    MONTHS,
    NAME_PART,
    STOPWORDS,
    WORD,
    norm,
    word_list,
)

TITLE_ROLES = {
    "mr": "[name removed]",
    "mrs": "[name removed]",
    "ms": "[name removed]",
    "miss": "[name removed]",
    "mx": "[name removed]",
    "dr": "a doctor",
    "doctor": "a doctor",
    "prof": "a professor",
    "professor": "a professor",
    "pc": "a police officer",
    "dc": "a police officer",
    "ds": "a police officer",
    "di": "a police officer",
    "dci": "a police officer",
    "dcs": "a police officer",
    "sgt": "a police officer",
    "sergeant": "a police officer",
    "inspector": "a police officer",
    "constable": "a police officer",
    "pcso": "a police officer",
    "nurse": "a nurse",
    "sister": "a nurse",
    "matron": "a nurse",
    "midwife": "a midwife",
    "rev": "a minister",
    "revd": "a minister",
    "reverend": "a minister",
    "father": "a priest",
    "cllr": "a councillor",
    "councillor": "a councillor",
    "judge": "the judge",
    "sir": "[name removed]",
    "dame": "[name removed]",
    "lady": "[name removed]",
    "lord": "[name removed]",
}
_CASE_SENSITIVE_TITLES = {"pc", "dc", "ds", "di", "dci", "dcs", "pcso"}
_TITLES_RE = "|".join(sorted((re.escape(t) for t in TITLE_ROLES), key=len, reverse=True))
_NAME = rf"(?:{NAME_PART})"
_INITIALS = r"(?:[A-Z]\.\s*){1,3}"
TITLE_NAME = re.compile(
    rf"\b(?P<title>(?i:{_TITLES_RE}))\b\.?\s+"
    rf"(?P<name>(?:{_INITIALS})?{_NAME}(?:[ \t]+{_NAME}){{0,2}})"
)

ROLE_WORDS = (
    r"social\s+worker|neighbou?r|friend|colleague|manager|nurse|doctor|GP|officer|IDVA|ISVA|"
    r"adviser|advisor|key\s*worker|support\s+worker|housing\s+officer|health\s+visitor|midwife|"
    r"teacher|tutor|head\s*teacher|care\s+coordinator|coordinator|probation\s+officer|"
    r"supervisor|carer|volunteer|practitioner|paramedic|solicitor|accountant|referee|"
    r"business\s+partner|landlord|landlady|employer|boss|counsellor|therapist|psychiatrist|"
    r"psychologist|pharmacist|consultant|receptionist|case\s*worker|worker|housemate|"
    r"flatmate|lodger|cousin|uncle|aunt|niece|nephew|boyfriend|girlfriend|fiancée?|"
    r"assistant|lead|clinician|lawyer|barrister|detective|sergeant|inspector|mentor"
)
ROLE_NAME = re.compile(
    rf"\b(?i:{ROLE_WORDS})\b,?\s+(?:(?:named|called|known\s+as)\s+)?"
    rf"(?P<name>{_NAME}(?:[ \t]+{_NAME})?)"
)
_STAFF_ROLES = re.compile(
    r"worker|nurse|doctor|gp|officer|idva|isva|adviser|advisor|visitor|midwife|teacher|tutor|"
    r"coordinator|supervisor|carer|practitioner|paramedic|solicitor|consultant|therapist|"
    r"psychiatrist|psychologist|pharmacist|counsellor|receptionist|clinician|detective|"
    r"sergeant|inspector|manager|assistant|lead",
    re.IGNORECASE,
)

# The review's own chair and author are named in a published report.
CHAIR_AUTHOR = re.compile(
    rf"(?:(?:Independent\s+)?Chair(?:\s+and\s+(?:Report\s+)?Author)?|(?:Report\s+|Overview\s+)?Author|"
    rf"Written\s+by|Report\s+(?:produced|prepared|written)\s+by)\s*[:\-–]?\s*"
    rf"(?P<name>{_NAME}(?:[ \t]+(?:[A-Z]\.\s*)?{_NAME}){{1,2}})",
)
CHAIR_AUTHOR_AFTER = re.compile(
    rf"(?P<name>{_NAME}(?:[ \t]+{_NAME}){{1,2}}),?\s+(?:the\s+)?(?:Independent\s+)?"
    rf"(?:Chair|Author|chair of the review|author of (?:this|the) report)\b"
)


_SAINTLY = re.compile(r"\b(?:St\.?|Saint|Queen|King|Prince|Princess)\s+$")


def _bad_word(word: str, pseudonym_words: set[str]) -> bool:
    key = norm(word)
    return (
        key in STOPWORDS
        or key in MONTHS
        or key in DAYS
        or key in pseudonym_words
        or len(word) < 2
        or (word.isupper() and len(word) <= 4)  # initials and acronyms: AC, DHR, IDVA
    )


def _trim_name(text: str, start: int, end: int, pseudonym_words: set[str]) -> tuple[int, int]:
    """Cut the name at the first word that cannot be part of one."""
    words = list(WORD.finditer(text, start, end))
    kept_end = start
    for m in words:
        if _bad_word(m.group(0), pseudonym_words) and not re.fullmatch(r"[A-Z]", m.group(0)):
            break
        kept_end = m.end()
    return start, kept_end


def chair_author_spans(text: str) -> list[tuple[int, int]]:
    spans = [(m.start("name"), m.end("name")) for m in CHAIR_AUTHOR.finditer(text)]
    spans += [(m.start("name"), m.end("name")) for m in CHAIR_AUTHOR_AFTER.finditer(text)]
    return spans


def _finding(text: str, start: int, end: int, suggestion: str, rule: str, priority: int) -> Finding:
    return Finding(
        start=start,
        end=end,
        text=text[start:end],
        category=PERSON_NAME,
        suggestion=suggestion,
        rule=rule,
        priority=priority,
    )


def find_other_names(text: str, register: Register) -> list[Finding]:
    pseudonym_words = {
        norm(w) for p in register.people for w in WORD.findall(p.pseudonym or "") if len(w) > 1
    }
    out: list[Finding] = []

    for m in TITLE_NAME.finditer(text):
        title = m.group("title")
        if title.lower() in _CASE_SENSITIVE_TITLES and not title.isupper():
            continue
        if title.lower() in {"sister", "father", "lady", "lord", "judge"} and title.islower():
            continue
        start, end = _trim_name(text, m.start("name"), m.end("name"), pseudonym_words)
        if end <= start or not re.search(r"[a-z]", text[start:end]):
            continue
        if end - start < 2:
            continue
        out.append(_finding(text, m.start(), end, TITLE_ROLES[title.lower()], "title", 40))

    for m in ROLE_NAME.finditer(text):
        start, end = _trim_name(text, m.start("name"), m.end("name"), pseudonym_words)
        if end <= start:
            continue
        first = text[start:end].split()[0]
        if norm(first) in pseudonym_words:
            continue
        role = text[m.start() : m.start("name")]
        suggestion = "a practitioner" if _STAFF_ROLES.search(role) else "[name removed]"
        out.append(_finding(text, start, end, suggestion, "role", 35))

    forenames = word_list("forenames.txt")
    ambiguous = word_list("forenames_ambiguous.txt")
    words = list(WORD.finditer(text))
    for i, m in enumerate(words):
        word = m.group(0)
        key = norm(word)
        if not word[:1].isupper():
            continue
        if key in pseudonym_words or (key not in forenames and key not in ambiguous):
            continue
        if word.isupper() and len(word) <= 3:
            continue
        end = m.end()
        surname = False
        for nxt in words[i + 1 : i + 3]:
            gap = text[end : nxt.start()]
            token = nxt.group(0)
            if (
                gap not in (" ", "\t")
                or not token[:1].isupper()
                or _bad_word(token, pseudonym_words)
            ):
                break
            end = nxt.end()
            surname = True
        if key in ambiguous and not surname:
            continue
        if _SAINTLY.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        out.append(_finding(text, m.start(), end, "[name removed]", "forename", 30))
    return out
