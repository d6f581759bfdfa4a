"""Similar recommendations, by the words they share: offline and explainable.

scikit-learn is not among Lantern's dependencies, so this is a weighted Jaccard index of word
stems: the words two recommendations share, over the words either uses, each word weighted by
how rare it is among the texts compared (so "training" counts for less than "strangulation" in a
corpus where every third recommendation asks for training). Scores run from 0 to 1.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

_STOP_TEXT = """
a about above after again all also an and any are as at be been before being below between
both but by can could did do does doing during each few for from further had has have having
he her here hers him his how i if in into is it its itself just may me might more most must
my no nor not now of off on once only or other our ours out over own same shall she should
so some such than that the their theirs them then there these they this those through to too
under until up upon very was we were what when where which while who whom why will with
within without would you your ensure ensures ensuring review recommendation recommendations
recommend recommends agency agencies partnership
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "s")
_WORD = re.compile(r"[a-z][a-z\-]+")


def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> set[str]:
    words = _WORD.findall(text.lower().replace("’", "'"))
    return {stem(w) for w in words if w not in STOP_WORDS and len(w) > 2}


@dataclass(frozen=True)
class Match:
    key: Hashable
    score: float
    shared: tuple[str, ...]  # the shared word stems, most telling first


def similar(
    query: str,
    candidates: Sequence[tuple[Hashable, str]],
    *,
    limit: int = 5,
    threshold: float = 0.12,
) -> list[Match]:
    """The candidates most like `query`, best first, each scoring at least `threshold`."""
    wanted = terms(query)
    if not wanted or not candidates:
        return []
    bags = [(key, terms(text)) for key, text in candidates]
    frequency: Counter[str] = Counter()
    for _key, bag in bags:
        frequency.update(bag)
    total = len(bags) + 1

    def weight(term: str) -> float:
        return math.log((total + 1) / (frequency[term] + 1)) + 1.0

    matches = []
    for key, bag in bags:
        shared = wanted & bag
        if not shared:
            continue
        union = wanted | bag
        score = sum(weight(t) for t in shared) / sum(weight(t) for t in union)
        if score >= threshold:
            telling = tuple(sorted(shared, key=lambda t: (-weight(t), t)))
            matches.append(Match(key=key, score=round(score, 3), shared=telling))
    matches.sort(key=lambda m: (-m.score, str(m.key)))
    return matches[:limit]
