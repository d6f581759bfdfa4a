"""How an extracted fact is compared with a label. No Django."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

SCALAR_KEYS = (
    "csp", "year", "report_year", "pseudonym", "victim_sex", "victim_age_band",
    "relationship_category", "death_type", "agencies_count", "overarching_recommendations",
    "single_agency_recommendations",
)  # fmt: skip
TEXT_MATCH = 0.8  # token overlap (Jaccard) at which an extracted recommendation is the labelled one


def _norm_partnership(name: str) -> str:
    name = name.lower().replace("&", " and ").replace("’", "'")
    name = re.sub(r"community safety partnership|\bcsp\b", " csp ", name)
    name = re.sub(r"[^a-z0-9 ]", " ", name)
    words = [w for w in name.split() if w not in {"the", "s"}]
    return " ".join(words)


def partnership_alternatives(label: str) -> set[str]:
    """The names a label accepts: its main name and the names given in brackets or after a
    slash, except "review by ..." (who conducted the review is not the partnership)."""
    parts = re.split(r"\(|\)|/|\bjointly with\b|;", label)
    names = set()
    for part in parts:
        part = part.strip(" ,")
        part = re.sub(r"^(?:with|the)\s+", "", part, flags=re.IGNORECASE)
        if not part or re.match(r"(?:review by|not\b|csp name not)", part, re.IGNORECASE):
            continue
        names.add(_norm_partnership(part))
    return names


def pseudonym_alternatives(label: str) -> set[str]:
    return {p.strip().lower() for p in re.split(r"[()]", label) if p.strip()}


def field_correct(key: str, predicted: Any, label: Any) -> bool:
    """Exact match, with three stated allowances: a partnership or pseudonym matches any name
    its label gives; and "unknown" death type equals no death type (neither says how)."""
    if key == "death_type":
        predicted = None if predicted == "unknown" else predicted
        label = None if label == "unknown" else label
    if label is None or predicted is None:
        return label is None and predicted is None
    if key == "csp":
        return _norm_partnership(str(predicted)) in partnership_alternatives(str(label))
    if key == "pseudonym":
        return str(predicted).strip().lower() in pseudonym_alternatives(str(label))
    return predicted == label


@dataclass
class FieldScore:
    correct: int = 0
    total: int = 0
    labelled: int = 0  # items whose label is not null
    labelled_correct: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, item: str, predicted: Any, label: Any, ok: bool) -> None:
        self.total += 1
        self.correct += ok
        if label is not None:
            self.labelled += 1
            self.labelled_correct += ok
        if not ok:
            self.errors.append({"item": item, "extracted": predicted, "label": label})

    def as_dict(self) -> dict[str, Any]:
        return {
            "accuracy": _ratio(self.correct, self.total),
            "correct": self.correct,
            "items": self.total,
            "found_when_stated": _ratio(self.labelled_correct, self.labelled),
            "stated": self.labelled,
        }


@dataclass
class SetScore:
    fields: dict[str, FieldScore] = field(default_factory=dict)
    theme_tp: int = 0
    theme_fp: int = 0
    theme_fn: int = 0
    theme_exact: int = 0
    items: int = 0
    per_flag: dict[str, list[int]] = field(default_factory=dict)  # flag -> [tp, fp, fn]
    recommendation_items: int = 0
    recommendation_count_correct: int = 0
    recommendations_labelled: int = 0
    recommendations_extracted: int = 0
    recommendations_matched: int = 0
    addressee_correct: int = 0
    theme_correct: int = 0

    def add_themes(self, predicted: Iterable[str], label: Iterable[str]) -> None:
        p, g = set(predicted), set(label)
        self.theme_tp += len(p & g)
        self.theme_fp += len(p - g)
        self.theme_fn += len(g - p)
        self.theme_exact += p == g
        for flag in p | g:
            counts = self.per_flag.setdefault(flag, [0, 0, 0])
            counts[0] += flag in p and flag in g
            counts[1] += flag in p and flag not in g
            counts[2] += flag in g and flag not in p

    def add_recommendations(
        self, predicted: list[dict[str, Any]], label: list[dict[str, Any]]
    ) -> None:
        self.recommendation_items += 1
        self.recommendation_count_correct += len(predicted) == len(label)
        self.recommendations_labelled += len(label)
        self.recommendations_extracted += len(predicted)
        unused = list(range(len(predicted)))
        for gold in label:
            gold_tokens = _tokens(gold["text"])
            best, best_score = None, 0.0
            for i in unused:
                score = _jaccard(gold_tokens, _tokens(predicted[i]["text"]))
                if score > best_score:
                    best, best_score = i, score
            if best is not None and best_score >= TEXT_MATCH:
                unused.remove(best)
                self.recommendations_matched += 1
                self.addressee_correct += predicted[best].get("addressee") == gold.get("addressee")
                self.theme_correct += predicted[best].get("theme") == gold.get("theme")

    def as_dict(self) -> dict[str, Any]:
        precision = _ratio(self.theme_tp, self.theme_tp + self.theme_fp)
        recall = _ratio(self.theme_tp, self.theme_tp + self.theme_fn)
        f1 = (
            round(2 * precision * recall / (precision + recall), 3)
            if precision is not None and recall is not None and precision + recall
            else None
        )
        data: dict[str, Any] = {
            "items": self.items,
            "fields": {key: score.as_dict() for key, score in self.fields.items()},
            "themes": {
                "precision": precision,
                "recall": recall,
                "f1": f1,
                "exact_set": _ratio(self.theme_exact, self.items),
                "per_flag": {
                    flag: {"tp": c[0], "fp": c[1], "fn": c[2]}
                    for flag, c in sorted(self.per_flag.items())
                },
            },
        }
        if self.recommendation_items:
            data["recommendations"] = {
                "count_exact": _ratio(self.recommendation_count_correct, self.recommendation_items),
                "text_recall": _ratio(self.recommendations_matched, self.recommendations_labelled),
                "text_precision": _ratio(
                    self.recommendations_matched, self.recommendations_extracted
                ),
                "addressee_accuracy": _ratio(self.addressee_correct, self.recommendations_matched),
                "theme_accuracy": _ratio(self.theme_correct, self.recommendations_matched),
            }
        return data


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None
