"""Hand-labelled text (training data and evaluation sets): JSON lines of id, text, themes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from lantern.themes.vocabulary import Vocabulary, VocabularyError


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    themes: tuple[str, ...]
    source: str = ""

    def top_levels(self, vocabulary: Vocabulary) -> set[str]:
        return {vocabulary.top_level_of(code) for code in self.themes}


def read_labelled(path: Path, vocabulary: Vocabulary) -> list[Labelled]:
    """Read a JSON-lines file, refusing unknown theme codes and repeated ids."""
    items: list[Labelled] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            raw = json.loads(line)
            item = Labelled(
                id=str(raw["id"]),
                text=str(raw["text"]),
                themes=tuple(raw.get("themes") or ()),
                source=str(raw.get("source") or ""),
            )
            unknown = [code for code in item.themes if code not in vocabulary]
            if unknown:
                raise VocabularyError(f"{path.name} line {number}: unknown themes {unknown}")
            if item.id in seen:
                raise VocabularyError(f"{path.name} line {number}: id {item.id} is used twice")
            seen.add(item.id)
            items.append(item)
    return items
