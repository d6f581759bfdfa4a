"""Train the theme model on `train.jsonl` and write `themes/data/model_weights.json`.

    python -m lantern.themes.training.train            # retrain and write the weights
    python -m lantern.themes.training.train --cv       # cross-validation figures, nothing written
    python -m lantern.themes.training.train --search   # the grid the settings were chosen from
    python -m lantern.themes.training.train --check    # exit 1 if the shipped weights are stale

Every choice (model settings, the threshold, whether the model may veto a rule) is made by
cross-validation on the training data only. The evaluation sets are never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

from lantern.themes.evaluation.metrics import Report, score
from lantern.themes.labelled import Labelled, read_labelled
from lantern.themes.tagger.model import WEIGHTS_PATH, ThemeModel, TrainingSettings, train
from lantern.themes.tagger.rules import Rules
from lantern.themes.vocabulary import Vocabulary, load_vocabulary

TRAINING_PATH = Path(__file__).resolve().parent / "train.jsonl"
FOLDS = 5

# How these were chosen (docs/themes.md has the figures):
# - the learning settings, and that the model adds to the rules without a veto, on a development
#   batch of 138 entries written after the rules had been tuned on the first 496 training items,
#   scored once before the batch joined the training data;
# - `min_count`, `prune_below` and the threshold by model-only 5-fold cross-validation on all 634
#   items (`--search`): the best F1 whose precision is at least 0.75, as every suggestion the
#   model adds on its own is one a person has to check.
SETTINGS = TrainingSettings(
    epochs=100, learning_rate=1.0, l2=0.005, positive_weight=3.0, min_count=2, prune_below=0.05
)
COMBINE: dict[str, float | None] = {"threshold": 0.6, "veto_below": None}


def training_items(vocabulary: Vocabulary) -> list[Labelled]:
    return read_labelled(TRAINING_PATH, vocabulary)


def fit(
    items: Sequence[Labelled], vocabulary: Vocabulary, settings: TrainingSettings = SETTINGS
) -> ThemeModel:
    return train(
        [(item.text, item.top_levels(vocabulary)) for item in items],
        vocabulary.top_level_codes,
        settings,
    )


def folds(items: Sequence[Labelled], k: int = FOLDS) -> list[list[int]]:
    order = list(range(len(items)))
    random.Random(7).shuffle(order)
    return [order[i::k] for i in range(k)]


def held_out_predictions(
    items: Sequence[Labelled], vocabulary: Vocabulary, settings: TrainingSettings
) -> list[tuple[set[str], set[str], dict[str, float]]]:
    """For every item, from the fold it was held out of: (gold top levels, rule top levels,
    model probabilities)."""
    rules = Rules(vocabulary)
    results: list[tuple[set[str], set[str], dict[str, float]] | None] = [None] * len(items)
    for held in folds(items):
        held_set = set(held)
        model = fit([it for i, it in enumerate(items) if i not in held_set], vocabulary, settings)
        for i in held:
            item = items[i]
            rule_tops = {vocabulary.top_level_of(c) for c in rules.codes(item.text)}
            results[i] = (item.top_levels(vocabulary), rule_tops, model.probabilities(item.text))
    return [r for r in results if r is not None]


def combine(
    rule_tops: set[str], probabilities: dict[str, float], threshold: float, veto: float | None
) -> set[str]:
    chosen = set()
    for top, p in probabilities.items():
        ruled = top in rule_tops
        if (ruled and (veto is None or p >= veto)) or (not ruled and p >= threshold):
            chosen.add(top)
    return chosen


def reports(
    predictions: list[tuple[set[str], set[str], dict[str, float]]],
    vocabulary: Vocabulary,
    threshold: float,
    veto: float | None,
) -> dict[str, Report]:
    tops = vocabulary.top_level_codes
    return {
        "rules": score([(g, r) for g, r, _p in predictions], tops),
        "model": score(
            [(g, {t for t, v in p.items() if v >= threshold}) for g, _r, p in predictions], tops
        ),
        "combined": score([(g, combine(r, p, threshold, veto)) for g, r, p in predictions], tops),
    }


def _line(name: str, report: Report) -> str:
    m = report.micro
    return (
        f"{name:<10} micro P {m.precision or 0:.3f}  R {m.recall or 0:.3f}  "
        f"F1 {m.f1 or 0:.3f}  (macro F1 {report.macro_f1 or 0:.3f})"
    )


def search(items: Sequence[Labelled], vocabulary: Vocabulary) -> None:
    """Model-only cross-validation over a grid of settings and thresholds.

    The combination with the rules is not searched here: the rules were tuned on these same
    items, so held-out folds would flatter them (see COMBINE)."""
    grid = {
        "epochs": (40, 100),
        "learning_rate": (0.3, 1.0),
        "l2": (0.001, 0.005),
        "positive_weight": (2.0, 3.0),
        "min_count": (1, 2),
    }
    thresholds = (0.4, 0.5, 0.6, 0.7)
    tops = vocabulary.top_level_codes
    for values in itertools.product(*grid.values()):
        settings = replace(SETTINGS, **dict(zip(grid, values, strict=True)))
        predictions = held_out_predictions(items, vocabulary, settings)
        cells = []
        for threshold in thresholds:
            report = score(
                [(g, {t for t, v in p.items() if v >= threshold}) for g, _r, p in predictions],
                tops,
            )
            m = report.micro
            cells.append(
                f"@{threshold}: P {m.precision or 0:.2f} R {m.recall or 0:.2f} F1 {m.f1 or 0:.2f}"
            )
        print(f"{dict(zip(grid, values, strict=True))}  " + "  ".join(cells), flush=True)


def cross_validation(items: Sequence[Labelled], vocabulary: Vocabulary) -> dict[str, Report]:
    predictions = held_out_predictions(items, vocabulary, SETTINGS)
    threshold = float(COMBINE["threshold"] or 0.5)
    return reports(predictions, vocabulary, threshold, COMBINE["veto_below"])


def data_sha256() -> str:
    return hashlib.sha256(TRAINING_PATH.read_bytes()).hexdigest()


def build(vocabulary: Vocabulary) -> ThemeModel:
    items = training_items(vocabulary)
    model = fit(items, vocabulary)
    model.threshold = float(COMBINE["threshold"] or 0.5)
    model.meta = {
        "trained_on": "lantern/themes/training/train.jsonl",
        "examples": len(items),
        "data_sha256": data_sha256(),
        "vocabulary_version": vocabulary.version,
        "settings": asdict(SETTINGS),
        "combine": dict(COMBINE),
    }
    return model


def serialise(model: ThemeModel) -> str:
    data = model.as_json()
    # One line per theme keeps the file small and its diffs readable.
    lines = [json.dumps({k: v for k, v in data.items() if k != "classes"}, sort_keys=True)[:-1]]
    lines[0] += ', "classes": {'
    classes = list(data["classes"].items())
    for i, (code, weights) in enumerate(classes):
        comma = "," if i < len(classes) - 1 else ""
        lines.append(f" {json.dumps(code)}: {json.dumps(weights, sort_keys=True)}{comma}")
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="print cross-validation figures")
    parser.add_argument("--search", action="store_true", help="model settings grid (CV)")
    parser.add_argument("--check", action="store_true", help="fail if the weights are stale")
    parser.add_argument("--output", type=Path, default=WEIGHTS_PATH)
    args = parser.parse_args(argv)
    vocabulary = load_vocabulary()
    items = training_items(vocabulary)
    if args.search:
        search(items, vocabulary)
        return 0
    if args.cv:
        print(f"{FOLDS}-fold cross-validation on {len(items)} training items (top-level themes)")
        for name, report in cross_validation(items, vocabulary).items():
            print(_line(name, report))
        return 0
    text = serialise(build(vocabulary))
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale: run python -m lantern.themes.training.train")
            return 1
        print(f"{args.output} matches the training data.")
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"Wrote {args.output} ({len(items)} examples).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
