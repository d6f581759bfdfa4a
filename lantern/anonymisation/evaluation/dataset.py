"""Read the hand-labelled drafts: a JSON header (the register), `---`, then the text with each
identifying span marked as `[[text|category]]`, or `[[text|person_name|r]]` for a name of
someone in the register. No Django."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lantern.anonymisation.check.findings import CATEGORIES
from lantern.anonymisation.check.register import KnownPlace, Register, RegisterPerson

HERE = Path(__file__).resolve().parent
SETS = {
    "labelled": HERE / "labelled",
    "tuning": HERE / "tuning",
    "published": HERE / "published",
}
_MARK = re.compile(r"\[\[(.+?)\|([a-z_]+)(\|r)?\]\]", re.S)


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    text: str
    category: str
    register: bool = False


@dataclass(frozen=True)
class Draft:
    id: str
    source: str
    text: str
    spans: tuple[GoldSpan, ...]
    register: Register


def register_from_json(header: dict) -> Register:
    people = []
    for p in header.get("people", []):
        dob = p.get("date_of_birth")
        people.append(
            RegisterPerson(
                real_name=p["real_name"],
                pseudonym=p.get("pseudonym", ""),
                aliases=tuple(p.get("aliases", [])),
                role=p.get("role", ""),
                date_of_birth=date.fromisoformat(dob) if dob else None,
            )
        )
    places = [
        KnownPlace(kind=p["kind"], text=p["text"], suggestion=p.get("suggestion", ""))
        for p in header.get("places", [])
    ]
    return Register(
        people=tuple(people), places=tuple(places), agencies=tuple(header.get("agencies", []))
    )


def parse_marked(marked: str) -> tuple[str, list[GoldSpan]]:
    text_parts: list[str] = []
    spans: list[GoldSpan] = []
    length = 0
    last = 0
    for match in _MARK.finditer(marked):
        before = marked[last : match.start()]
        text_parts.append(before)
        length += len(before)
        inner, category = match.group(1), match.group(2)
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r} at {inner!r}")
        spans.append(GoldSpan(length, length + len(inner), inner, category, bool(match.group(3))))
        text_parts.append(inner)
        length += len(inner)
        last = match.end()
    text_parts.append(marked[last:])
    text = "".join(text_parts)
    if "[[" in text or "]]" in text:
        raise ValueError("an unclosed or malformed [[...]] mark")
    return text, spans


def load_draft(path: Path) -> Draft:
    raw = path.read_text(encoding="utf-8")
    header, _, body = raw.partition("\n---\n")
    meta = json.loads(header)
    text, spans = parse_marked(body)
    return Draft(
        id=meta["id"],
        source=meta.get("source", "fictional"),
        text=text,
        spans=tuple(spans),
        register=register_from_json(meta),
    )


def load_set(name: str) -> list[Draft]:
    return [load_draft(p) for p in sorted(SETS[name].glob("*.txt"))]
