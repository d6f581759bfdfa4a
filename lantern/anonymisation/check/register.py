"""What the check knows about a review: its people, places and agencies (no Django)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class RegisterPerson:
    """A person in the people register: every name they are known by, and their pseudonym."""

    real_name: str
    pseudonym: str = ""
    aliases: tuple[str, ...] = ()
    role: str = ""  # victim, perpetrator, child, family, other
    date_of_birth: date | None = None


@dataclass(frozen=True)
class KnownPlace:
    """An address, school, workplace or other identifier the review knows of."""

    kind: str  # address, place, school, workplace, identifier, other
    text: str
    suggestion: str = ""


@dataclass(frozen=True)
class Register:
    people: tuple[RegisterPerson, ...] = ()
    places: tuple[KnownPlace, ...] = ()
    agencies: tuple[str, ...] = ()
    # Extra phrases that are never findings (the review's own: the CSP's name, say).
    allowed: tuple[str, ...] = field(default_factory=tuple)

    @property
    def pseudonyms(self) -> set[str]:
        return {p.pseudonym for p in self.people if p.pseudonym}
