"""Precision, recall and F1 per theme and micro-averaged, for multi-label predictions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def support(self) -> int:
        return self.true_positives + self.false_negatives

    @property
    def precision(self) -> float | None:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.support if self.support else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "support": self.support,
            "predicted": self.true_positives + self.false_positives,
            "true_positives": self.true_positives,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass(frozen=True)
class Report:
    per_theme: dict[str, Score]
    micro: Score
    items: int

    @property
    def macro_f1(self) -> float | None:
        values = [s.f1 for s in self.per_theme.values() if s.support and s.f1 is not None]
        return sum(values) / len(values) if values else None

    def as_dict(self) -> dict:
        return {
            "items": self.items,
            "micro": self.micro.as_dict(),
            "macro_f1": _round(self.macro_f1),
            "per_theme": {code: score.as_dict() for code, score in self.per_theme.items()},
        }


def score(pairs: Sequence[tuple[Iterable[str], Iterable[str]]], themes: Sequence[str]) -> Report:
    """`pairs` are (gold codes, predicted codes) per item; only codes in `themes` are counted."""
    counts = {code: [0, 0, 0] for code in themes}
    for gold_codes, predicted_codes in pairs:
        gold = set(gold_codes) & counts.keys()
        predicted = set(predicted_codes) & counts.keys()
        for code in gold & predicted:
            counts[code][0] += 1
        for code in predicted - gold:
            counts[code][1] += 1
        for code in gold - predicted:
            counts[code][2] += 1
    per_theme = {code: Score(*values) for code, values in counts.items()}
    micro = Score(*(sum(v[i] for v in counts.values()) for i in range(3)))
    return Report(per_theme=per_theme, micro=micro, items=len(pairs))
