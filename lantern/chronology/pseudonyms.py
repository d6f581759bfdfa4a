"""Put pseudonyms in place of the real names of a review's people (no Django imports).

Agencies write their chronologies with real names. Exports for the overview report, and pages
for readers who may not see real names, show the agreed pseudonym instead. Full names and
aliases are matched in any case; a single part of a name ("Whitfield", "Joanne") is matched when
written as a name (capitalised or in capitals), so that a surname such as "Young" does not
replace the word "young". Replacing too much is the safe side of this: it is a courtesy to
readers, not the publication anonymisation check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_MIN_PART = 3  # "Jo", "Li" are too short to replace on their own safely


@dataclass(frozen=True)
class NamedPerson:
    real_name: str
    pseudonym: str
    role: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def replacement(self) -> str:
        return self.pseudonym or (f"[{self.role}]" if self.role else "[name removed]")


class Pseudonymiser:
    """`apply(text)` returns the text with each person's real names replaced."""

    def __init__(self, people: Iterable[NamedPerson]) -> None:
        whole: dict[str, str] = {}
        parts: dict[str, str] = {}
        for person in people:
            names = [n.strip() for n in (person.real_name, *person.aliases) if n and n.strip()]
            for name in names:
                whole.setdefault(name.casefold(), person.replacement)
                for part in re.split(r"[\s\-']+", name):
                    if len(part) >= _MIN_PART and part.casefold() != name.casefold():
                        parts.setdefault(part, person.replacement)
        self._whole = whole
        self._whole_re = self._compile(whole, re.IGNORECASE)
        part_forms: dict[str, str] = {}
        for part, replacement in parts.items():
            part_forms.setdefault(part[:1].upper() + part[1:], replacement)
            part_forms.setdefault(part.upper(), replacement)
        self._part_forms = part_forms
        self._part_re = self._compile(part_forms, 0)

    @staticmethod
    def _compile(names: dict[str, str], flags: int) -> re.Pattern[str] | None:
        if not names:
            return None
        ordered = sorted(names, key=len, reverse=True)  # longest first: whole names win
        alternation = "|".join(re.escape(n) for n in ordered)
        return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", flags)

    def __bool__(self) -> bool:
        return bool(self._whole)

    def apply(self, text: str) -> str:
        if not text:
            return text
        if self._whole_re is not None:
            text = self._whole_re.sub(lambda m: self._whole[m.group(0).casefold()], text)
        if self._part_re is not None:
            text = self._part_re.sub(lambda m: self._part_forms[m.group(0)], text)
        return text
