"""Who an entry is about: the agency's "Subject" text -> victim, perpetrator, child or other.

Agencies write a role ("Victim", "Alleged perpetrator", "Child 1", "Maternal grandmother"), a
name ("Lorna Brackwell"), a first name, or a pseudonym. Names are looked up in the review's
people register (`PersonRef`: the register role and every name the person is known by). A first
name counts only when one person in the register has it. Text that names people in different
roles ("Victim and perpetrator"), or that cannot be placed, gives "" (not recorded); the text as
written is always kept beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

VICTIM, PERPETRATOR, CHILD, OTHER, UNKNOWN = "victim", "perpetrator", "child", "other", ""

# The register's roles (reviews.Person.Role) as chronology subjects.
_REGISTER_ROLE = {
    "victim": VICTIM,
    "perpetrator": PERPETRATOR,
    "child": CHILD,
    "family": OTHER,
    "other": OTHER,
}

_ROLE_WORDS: tuple[tuple[str, str], ...] = (
    (
        r"\b(alleged |suspected )?(perpetrator|perp|suspect|abuser|offender|aggressor)s?\b",
        PERPETRATOR,
    ),
    (r"\b(victim|survivor|deceased|the person who died)s?\b", VICTIM),
    (
        r"\b(child|children|son|daughter|young person|baby|infant|unborn|sibling group)"
        r"( ?\d+| [a-z])?\b",
        CHILD,
    ),
    (
        r"\b(mother|father|grand(mother|father|parent)|sister|brother|aunt|uncle|cousin|friend|"
        r"neighbour|neighbor|relative|family|parent|carer|partner's|colleague|employer|"
        r"witness|caller|landlord|other)\b",
        OTHER,
    ),
)
_ROLE_PATTERNS = tuple((re.compile(p), role) for p, role in _ROLE_WORDS)
_SINGLE_LETTER = {"v": VICTIM, "p": PERPETRATOR, "c": CHILD}


@dataclass(frozen=True)
class PersonRef:
    """A person in the review's people register: register role and the names they go by."""

    role: str
    names: tuple[str, ...]


def _norm(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


class SubjectMatcher:
    """Built once per import from the people register; `match()` is then a dictionary lookup."""

    def __init__(self, people: Iterable[PersonRef] = ()) -> None:
        self._names: dict[str, str] = {}
        first_names: dict[str, set[str]] = {}
        for person in people:
            role = _REGISTER_ROLE.get(person.role, OTHER)
            for name in person.names:
                key = _norm(name)
                if not key:
                    continue
                self._names.setdefault(key, role)
                first = key.split()[0]
                if len(first) > 1:
                    first_names.setdefault(first, set()).add(role)
        for first, roles in first_names.items():
            if len(roles) == 1:
                self._names.setdefault(first, next(iter(roles)))
        self._cache: dict[str, str] = {}

    def match(self, text: str) -> str:
        if text in self._cache:
            return self._cache[text]
        result = self._match(text)
        if len(self._cache) < 10_000:
            self._cache[text] = result
        return result

    def _match(self, text: str) -> str:
        key = _norm(text)
        if not key:
            return UNKNOWN
        if key in self._names:
            return self._names[key]
        if key in _SINGLE_LETTER:
            return _SINGLE_LETTER[key]
        if "'s " in key:  # "victim's son", "Kerry's mother": the person after the possessive
            key = key.rsplit("'s ", 1)[1]
            if key in self._names:
                return self._names[key]
        found: set[str] = set()
        for part in re.split(r"\band\b|\s*[&+]\s*|\bwith\b", key):
            part = part.strip()
            if not part:
                continue
            if part in self._names:
                found.add(self._names[part])
                continue
            for pattern, role in _ROLE_PATTERNS:
                if pattern.search(part):
                    found.add(role)
                    break
            else:
                names = [n for n in self._names if " " in n and n in part]
                found.update(self._names[n] for n in names)
        return found.pop() if len(found) == 1 else UNKNOWN


def match_subjects(texts: Sequence[str], people: Iterable[PersonRef] = ()) -> list[str]:
    matcher = SubjectMatcher(people)
    return [matcher.match(t) for t in texts]
