"""Names of the people in the register, in every form a draft may use them.

Each word of a person's real name and aliases (and the everyday short forms of their forenames)
is looked for as a capitalised or ALL-CAPS word, with either apostrophe; neighbouring words of
the same person are joined into one finding ("SMITH, Jane", "Jane\\nSmith", "Mrs J. Smith"),
with a title or initials in front. A possessive 's stays outside the span so that the
pseudonym can take its place. Words that are also a pseudonym, a month or a day count only
beside a word that is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lantern.anonymisation.check.findings import PERSON_NAME, Finding
from lantern.anonymisation.check.register import Register, RegisterPerson
from lantern.anonymisation.check.text import DAYS, MONTHS, WORD, diminutives, norm

TITLES = r"Mr|Mrs|Ms|Miss|Mx|Master|Dr|Doctor|Prof|Professor|Sir|Dame|Lady|Lord|Rev|Revd|Reverend"
_TITLE_BEFORE = re.compile(rf"(?:\b(?:{TITLES})\.?\s+)$", re.IGNORECASE)
_INITIALS_BEFORE = re.compile(r"(?:\b[A-Z]\.?\s*){1,3}$")
_SAINTLY = re.compile(r"\b(?:St\.?|Saint|Queen|King|Prince|Princess)\s+$")
_GAP_SPACE = re.compile(r"^\s+$")
_GAP_COMMA = re.compile(r"^,\s*$")
_GAP_INITIALS = re.compile(r"^\s+(?:[A-Z]\.\s*|[A-Z]\s+){1,3}$")

ROLE_WORDS = {
    "victim": "the victim",
    "perpetrator": "the perpetrator",
    "child": "the child",
    "family": "a family member",
    "other": "[name removed]",
}


@dataclass(frozen=True)
class _Entry:
    person: int  # index in register.people
    kind: str  # "forename" | "surname" | "alias"
    weak: bool
    exact_case: str = ""  # for short all-caps aliases ("JP"): match only this


def _suggestion(person: RegisterPerson) -> str:
    return person.pseudonym or ROLE_WORDS.get(person.role, "[name removed]")


def _index(register: Register) -> dict[str, list[_Entry]]:
    pseudonym_words = {
        norm(w) for p in register.people for w in WORD.findall(p.pseudonym or "") if len(w) > 1
    }
    weak_words = pseudonym_words | set(MONTHS) | DAYS
    index: dict[str, list[_Entry]] = {}

    def add(word: str, i: int, kind: str) -> None:
        if len(word) < 2:
            return
        key = norm(word)
        exact = word if (len(word) <= 3 and word.isupper()) else ""
        entry = _Entry(person=i, kind=kind, weak=key in weak_words, exact_case=exact)
        bucket = index.setdefault(key, [])
        if all(e.person != i for e in bucket):
            bucket.append(entry)

    for i, person in enumerate(register.people):
        names = [person.real_name, *person.aliases]
        for n, name in enumerate(names):
            words = WORD.findall(name or "")
            if not words:
                continue
            if len(words) == 1:
                add(words[0], i, "alias" if n else "forename")
                continue
            for w in words[:-1]:
                add(w, i, "forename")
                for short in diminutives().get(norm(w), ()):
                    add(short, i, "forename")
            last = words[-1]
            add(last, i, "surname")
            if "-" in last:
                for piece in last.split("-"):
                    if len(piece) >= 3:
                        add(piece, i, "surname")
    return index


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def find_register_names(text: str, register: Register) -> list[Finding]:
    index = _index(register)
    if not index:
        return []
    hits: list[tuple[int, int, list[_Entry]]] = []
    for m in WORD.finditer(text):
        word = m.group(0)
        if not _capitalised(word):
            continue
        entries = index.get(norm(word))
        if not entries:
            continue
        entries = [e for e in entries if not e.exact_case or e.exact_case == word]
        if entries:
            hits.append((m.start(), m.end(), entries))

    findings: list[Finding] = []
    i = 0
    while i < len(hits):
        run = [hits[i]]
        j = i + 1
        while j < len(hits):
            gap = text[run[-1][1] : hits[j][0]]
            people_before = {e.person for e in run[-1][2]}
            same = people_before & {e.person for e in hits[j][2]}
            if not same:
                break
            if (
                _GAP_SPACE.match(gap)
                or _GAP_INITIALS.match(gap)
                or _GAP_COMMA.match(gap)
                and _is_surname_first(run[-1], hits[j])
            ):
                run.append(hits[j])
            else:
                break
            j += 1
        i = j
        if all(e.weak for _s, _e, entries in run for e in entries):
            continue
        if len(run) == 1 and _SAINTLY.search(text[max(0, run[0][0] - 12) : run[0][0]]):
            continue  # St Mary's Hospital, Queen Elizabeth Hospital: not the person
        start, end = run[0][0], run[-1][1]
        before = text[max(0, start - 40) : start]
        initials = _INITIALS_BEFORE.search(before)
        if initials and run[0][2][0].kind == "surname":
            start -= len(initials.group(0))
            before = text[max(0, start - 40) : start]
        title = _TITLE_BEFORE.search(before)
        if title:
            start -= len(title.group(0))
        person = _choose_person(run, register)
        findings.append(
            Finding(
                start=start,
                end=end,
                text=text[start:end],
                category=PERSON_NAME,
                suggestion=_suggestion(register.people[person]),
                rule="register",
                priority=100,
            )
        )
    return findings


def _is_surname_first(
    first: tuple[int, int, list[_Entry]], second: tuple[int, int, list[_Entry]]
) -> bool:
    return any(e.kind == "surname" for e in first[2]) and any(
        e.kind in ("forename", "alias") for e in second[2]
    )


def _choose_person(run: list[tuple[int, int, list[_Entry]]], register: Register) -> int:
    """The person most of the run's words belong to (a shared surname alone: the first)."""
    counts: dict[int, int] = {}
    for _s, _e, entries in run:
        for e in entries:
            counts[e.person] = counts.get(e.person, 0) + (2 if e.kind != "surname" else 1)
    return max(counts, key=lambda p: (counts[p], -p))
