"""Which Community Safety Partnership the review was for.

Each "Partnership" in the text is read backwards over the capitalised words before it ("South
Devon and Dartmoor Community Safety Partnership", "Safe in the City Partnership"); names with
"Community Safety" or "Safer Communities" count most, and a name after "on behalf of" or
"commissioned by" more.
"""

from __future__ import annotations

import re
from collections import Counter

from lantern.library.extract.text import Document, Evidence

CONNECTORS = {"and", "of", "the", "in", "upon", "on", "under", "&"}
STOP = re.compile(r"[,.;:()\[\]\n\"“”]")
SAFETY_WORDS = re.compile(r"\b(?:Safe|Safer|Safety|Community|Communities|Stronger)\b")
LEADING_NOISE = re.compile(
    r"^(?:(?:The|This|That|A|An|On|By|For|Of|In|To|And|With|From|Behalf|Under|Report|Review|"
    r"Domestic|Homicide|Executive|Summary|Overview|DHR|Chair|Members?|Panel|Local)\b[ \t]*)+"
)
NOT_A_CSP = re.compile(r"\b(?:Trust|Police|Council|Board|Group|Service|Services|Panel)\b")
ON_BEHALF = re.compile(r"on behalf of|commissioned by|for the|property of", re.IGNORECASE)
MAX_WORDS = 9


def _name_before(text: str, position: int) -> tuple[int, str] | None:
    """The capitalised words ending at `position` (where "Partnership" starts)."""
    window_start = max(0, position - 150)
    window = text[window_start:position]
    stops = list(STOP.finditer(window))
    stop = stops[-1] if stops else None
    if stop is not None:
        window_start += stop.end()
        window = window[stop.end() :]
    words = window.split()
    taken: list[str] = []
    for word in reversed(words):
        if len(taken) >= MAX_WORDS:
            break
        if word[:1].isupper() or word.lower() in CONNECTORS:
            taken.append(word)
        else:
            break
    while taken and taken[-1].lower() in CONNECTORS:
        taken.pop()
    if not taken:
        return None
    taken.reverse()
    first = window.rfind(" ".join(taken[:1]), 0, len(window))
    offset = window_start + (window.find(taken[0]) if first < 0 else first)
    return offset, " ".join(taken)


def _clean(name: str) -> str:
    name = " ".join(name.split())
    if name.isupper():
        name = " ".join(
            w.lower() if w in {"AND", "OF", "THE", "IN"} else w.capitalize() for w in name.split()
        )
    while True:
        stripped = LEADING_NOISE.sub("", name)
        if stripped == name:
            break
        name = stripped
    return name.strip(" -")


def extract_csp(doc: Document) -> tuple[str | None, Evidence | None]:
    text, lower = doc.text, doc.lower
    scores: Counter[str] = Counter()
    first: dict[str, tuple[int, int]] = {}
    position = lower.find("partnership")
    while position >= 0:
        end = position + len("partnership")
        found = _name_before(text, position)
        position = lower.find("partnership", end)
        if found is None:
            continue
        start, words = found
        name = _clean(f"{words} {text[end - 11 : end]}")
        parts = name.split()
        if len(parts) < 2 or not SAFETY_WORDS.search(name.title()) or NOT_A_CSP.search(name):
            continue
        weight = 1.0
        if name.lower().endswith("community safety partnership"):
            weight = 3.0
        elif name.lower().endswith("communities partnership"):
            weight = 2.5
        elif len(parts) > 6:
            continue
        if ON_BEHALF.search(text, max(0, start - 30), start):
            weight += 2.0
        if start < 3000:
            weight += 0.5
        scores[name] += weight
        first.setdefault(name, (start, end))
    if not scores:
        return None, None
    best = max(scores, key=lambda n: (scores[n], -first[n][0]))
    start, end = first[best]
    return best, doc.evidence(start, end)
