"""A small statistical model: one logistic regression per top-level theme, over words and word
pairs, trained on `themes/training/train.jsonl` by `python -m lantern.themes.training.train`.

Pure Python (neither numpy nor scikit-learn is a dependency of Lantern). The trained weights are
a JSON file in `themes/data/`; nothing is downloaded. Words inside a negation ("denied any
*drinking*") become different features (`not_drink`), so the model can learn that a denial is
not a mention.
"""

from __future__ import annotations

import functools
import json
import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lantern.themes.tagger.rules import negation_scopes

WEIGHTS_PATH = Path(__file__).resolve().parent.parent / "data" / "model_weights.json"
FORMAT = 1

TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+")
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "as",
        "from",
        "into",
        "onto",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "is",
        "was",
        "were",
        "be",
        "been",
        "being",
        "are",
        "am",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "there",
        "their",
        "they",
        "them",
        "she",
        "he",
        "her",
        "his",
        "him",
        "hers",
        "himself",
        "herself",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "who",
        "whom",
        "which",
        "what",
        "when",
        "where",
        "while",
        "then",
        "than",
        "so",
        "such",
        "also",
        "very",
        "just",
        "about",
        "over",
        "after",
        "before",
        "up",
        "down",
        "out",
        "off",
        "again",
        "further",
        "once",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "own",
        "same",
        "only",
        "too",
        "s",
        "t",
        "mr",
        "mrs",
        "ms",
    }
)
SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ies", "ied", "ed", "es", "ly", "s")


def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            return base + "y" if suffix in ("ies", "ied") else base
    return word


@functools.lru_cache(maxsize=65536)
def _token(word: str) -> str | None:
    """A word as a feature (None: a stop word); cached, as `features` meets the same words."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if word in STOP_WORDS:
        return None
    if word.isdigit():
        word = "<num>"
    return stem(word)


def _words(text: str, scopes: Sequence[tuple[int, int, int]]) -> list[str]:
    """The text's words as features, in order: stemmed, stop words left out, and those inside a
    negation's scope marked `not_`."""
    lowered = text.lower()
    if not scopes:
        return [t for t in map(_token, TOKEN.findall(lowered)) if t is not None]
    spans = [(begin, end) for _cue, begin, end in scopes]
    words = []
    for match in TOKEN.finditer(lowered):
        token = _token(match.group(0))
        if token is None:
            continue
        at = match.start()
        if any(begin <= at < end for begin, end in spans):
            token = "not_" + token
        words.append(token)
    return words


def features(text: str, scopes: Sequence[tuple[int, int, int]] | None = None) -> set[str]:
    """Binary features of `text`: stemmed words and adjacent pairs, negated ones marked.
    `scopes` are `negation_scopes(text)` when the caller already has them."""
    words = _words(text, negation_scopes(text) if scopes is None else scopes)
    found = set(words)
    found.update(map("|".join, zip(words, words[1:], strict=False)))
    return found


@dataclass
class ThemeModel:
    """Per top-level theme: a bias and a weight for each feature."""

    classes: dict[str, tuple[float, dict[str, float]]]
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, text: str) -> dict[str, float]:
        return self.probabilities_of(features(text))

    def probabilities_many(self, feature_sets: Sequence[Iterable[str]]) -> list[list[float]]:
        """`probabilities_of` for many texts at once, a row per text with a value per class in
        the order of `classes`."""
        rows = self._matrix()[2]
        return self.score_rows(
            [sorted({i for f in feats if (i := rows.get(f)) is not None}) for feats in feature_sets]
        )

    def rows_of(self, text: str, scopes: Sequence[tuple[int, int, int]]) -> list[int]:
        """The weight-matrix rows of `features(text)` that the model has, sorted: worked out
        without building the word-pair features' strings, which is most of their cost."""
        rows, pairs = self._matrix()[2], self._pairs()
        words = _words(text, scopes)
        found = {i for w in words if (i := rows.get(w)) is not None}
        for a, b in zip(words, words[1:], strict=False):
            following = pairs.get(a)
            if following is not None and (i := following.get(b)) is not None:
                found.add(i)
        return sorted(found)

    def score_rows(self, row_lists: Sequence[Sequence[int]]) -> list[list[float]]:
        """The classes' probabilities for texts given as their sorted weight-matrix rows: all
        texts' rows are summed with one `reduceat` rather than a numpy call per text. A text's
        rows are summed in order, so its probabilities never depend on the texts it is scored
        with."""
        _codes, bias, _rows, matrix = self._matrix()
        if not row_lists:
            return []
        starts: list[int] = []
        found: list[int] = []
        for text_rows in row_lists:
            starts.append(len(found))
            found.extend(text_rows)
        sums = np.zeros((len(starts), len(bias)))
        ends = [*starts[1:], len(found)]
        present = np.array([a < b for a, b in zip(starts, ends, strict=True)], dtype=bool)
        if found:
            sums[present] = np.add.reduceat(matrix[found], np.array(starts)[present], axis=0)
        z = bias + sums
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).tolist()

    def _pairs(self) -> dict[str, dict[str, int]]:
        """Word-pair features as first word -> second word -> matrix row."""
        cached = self.__dict__.get("_pairs_cache")
        if cached is None:
            cached = {}
            for name, i in self._matrix()[2].items():
                if "|" in name:
                    first, second = name.split("|", 1)
                    cached.setdefault(first, {})[second] = i
            self.__dict__["_pairs_cache"] = cached
        return cached

    def probabilities_of(self, feats: Iterable[str]) -> dict[str, float]:
        """The classes' probabilities for a text's `features`."""
        return dict(zip(self._matrix()[0], self.probabilities_many([feats])[0], strict=True))

    def _matrix(self) -> tuple[tuple[str, ...], Any, dict[str, int], Any]:
        cached = self.__dict__.get("_matrix_cache")
        if cached is None:
            codes = tuple(self.classes)
            names = sorted({f for _bias, weights in self.classes.values() for f in weights})
            rows = {f: i for i, f in enumerate(names)}
            matrix = np.zeros((len(names), len(codes)))
            for j, code in enumerate(codes):
                for f, w in self.classes[code][1].items():
                    matrix[rows[f], j] = w
            bias = np.array([self.classes[c][0] for c in codes])
            cached = self.__dict__["_matrix_cache"] = (codes, bias, rows, matrix)
        return cached

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "meta": self.meta,
            "threshold": self.threshold,
            "classes": {
                code: {"bias": round(bias, 6), "weights": dict(sorted(weights.items()))}
                for code, (bias, weights) in sorted(self.classes.items())
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ThemeModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"model weights format {data.get('format')!r}, expected {FORMAT}")
        classes = {
            code: (float(c["bias"]), {k: float(v) for k, v in c["weights"].items()})
            for code, c in data["classes"].items()
        }
        return cls(classes=classes, threshold=float(data["threshold"]), meta=data.get("meta", {}))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass(frozen=True)
class TrainingSettings:
    epochs: int = 40
    learning_rate: float = 0.3
    l2: float = 0.002
    min_count: int = 1
    positive_weight: float = 2.0
    prune_below: float = 0.02
    seed: int = 20251125


def train(
    examples: Sequence[tuple[str, Iterable[str]]],
    classes: Sequence[str],
    settings: TrainingSettings = TrainingSettings(),  # noqa: B008 (frozen, so safe as a default)
) -> ThemeModel:
    """Fit one logistic regression per class by stochastic gradient descent, deterministically
    (a seeded order, no parallelism). `examples` are (text, top-level codes)."""
    docs = [(features(text), set(labels)) for text, labels in examples]
    counts: dict[str, int] = {}
    for feats, _labels in docs:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    kept = {f for f, n in counts.items() if n >= settings.min_count}
    docs = [(sorted(feats & kept), labels) for feats, labels in docs]
    order = list(range(len(docs)))
    rng = random.Random(settings.seed)
    model: dict[str, tuple[float, dict[str, float]]] = {}
    for code in classes:
        bias = 0.0
        weights: dict[str, float] = {}
        for epoch in range(settings.epochs):
            rng.shuffle(order)
            rate = settings.learning_rate / (1.0 + 0.1 * epoch)
            for i in order:
                feats, labels = docs[i]
                target = 1.0 if code in labels else 0.0
                z = bias + sum(weights.get(f, 0.0) for f in feats)
                gradient = _sigmoid(z) - target
                if target:
                    gradient *= settings.positive_weight
                bias -= rate * gradient
                for f in feats:
                    w = weights.get(f, 0.0)
                    weights[f] = w - rate * (gradient + settings.l2 * w)
        pruned = {f: round(w, 3) for f, w in weights.items() if abs(w) >= settings.prune_below}
        model[code] = (bias, pruned)
    return ThemeModel(classes=model, threshold=0.5)


def read_model(path: Path = WEIGHTS_PATH) -> ThemeModel:
    with path.open(encoding="utf-8") as handle:
        return ThemeModel.from_json(json.load(handle))


@functools.lru_cache(maxsize=1)
def load_model() -> ThemeModel:
    """The shipped model (read once per process)."""
    return read_model()
