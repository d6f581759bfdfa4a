"""What the analysis flags: five kinds, each with a sentence that names the facts behind it.

The sentence is a template with named parameters, so that pages can show it translated (the
templates are marked with `gettext_noop`, which `makemessages` collects) while the JSON carries it
in English with ISO dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

NO_DASH_AFTER_DISCLOSURE = "no_dash_after_disclosure"
NO_MARAC_AFTER_REPEAT_INCIDENTS = "no_marac_after_repeat_incidents"
DISCLOSURE_NOT_SHARED = "disclosure_not_shared"
CONTACT_FELL_AWAY = "contact_fell_away"
MISSED_APPOINTMENTS = "missed_appointments"

KINDS: tuple[str, ...] = (
    NO_DASH_AFTER_DISCLOSURE,
    NO_MARAC_AFTER_REPEAT_INCIDENTS,
    DISCLOSURE_NOT_SHARED,
    CONTACT_FELL_AWAY,
    MISSED_APPOINTMENTS,
)


def gettext_noop(message: str) -> str:
    """Marks a message for translation without translating it (no Django here)."""
    return message


def render(message: str, params: dict[str, Any]) -> str:
    """The message with its parameters filled in: dates as ISO, lists joined with commas."""
    return message % {key: plain(value) for key, value in params.items()}


def plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(plain(v)) for v in value)
    return value


@dataclass(frozen=True)
class Flag:
    kind: str
    agency: str
    date: date
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    entry_ids: tuple[int, ...] = ()

    @property
    def detail(self) -> str:
        return render(self.message, self.params)

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "agency": self.agency,
            "date": self.date.isoformat(),
            "detail": self.detail,
        }

    @property
    def sort_key(self) -> tuple[date, int, str, str]:
        return (self.date, KINDS.index(self.kind), self.agency, self.detail)
