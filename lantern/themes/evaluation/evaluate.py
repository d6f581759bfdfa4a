"""Measure the tagger on the hand-labelled evaluation sets, each set reported separately.

    python -m lantern.themes.evaluation.evaluate            # both sets, top levels and children
    python -m lantern.themes.evaluation.evaluate --json
    python -m lantern.themes.evaluation.evaluate --set published --errors

Top-level figures count a suggestion of any child code as its top level. Child figures compare
child codes only, for the child codes the set labels at least `MIN_CHILD_SUPPORT` times. The
rules-only line shows what the phrase rules find without the model.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lantern.themes.evaluation.metrics import Report, score
from lantern.themes.labelled import Labelled, read_labelled
from lantern.themes.tagger.model import load_model
from lantern.themes.tagger.tag import TAGGER_VERSION, Tagger, default_tagger
from lantern.themes.vocabulary import Vocabulary, load_vocabulary

HERE = Path(__file__).resolve().parent
SETS = {
    "generated": HERE / "eval_generated.jsonl",
    "published": HERE / "eval_published.jsonl",
}
DESCRIPTIONS = {
    "generated": "chronology-style entries written for this set (invented)",
    "published": "passages quoted from published, anonymised reviews",
}
MIN_CHILD_SUPPORT = 3


@dataclass(frozen=True)
class SetResult:
    name: str
    items: list[Labelled]
    predictions: list[set[str]]  # codes suggested, per item
    top_level: Report
    top_level_rules_only: Report
    children: Report

    def as_dict(self) -> dict[str, Any]:
        return {
            "set": self.name,
            "description": DESCRIPTIONS.get(self.name, ""),
            "items": len(self.items),
            "top_level": self.top_level.as_dict(),
            "top_level_rules_only": {
                "micro": self.top_level_rules_only.micro.as_dict(),
                "macro_f1": _round(self.top_level_rules_only.macro_f1),
            },
            "children": self.children.as_dict(),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def load_set(name: str, vocabulary: Vocabulary | None = None) -> list[Labelled]:
    return read_labelled(SETS[name], vocabulary or load_vocabulary())


def evaluate_set(name: str, tagger: Tagger | None = None) -> SetResult:
    tagger = tagger or default_tagger()
    vocabulary = tagger.vocabulary
    items = load_set(name, vocabulary)
    rules_only = Tagger(vocabulary, None)
    predictions = [{s.code for s in tagger.suggest(item.text)} for item in items]
    rule_predictions = [{s.code for s in rules_only.suggest(item.text)} for item in items]
    tops = vocabulary.top_level_codes

    def top(codes: set[str] | tuple[str, ...]) -> set[str]:
        return {vocabulary.top_level_of(code) for code in codes}

    gold_children = [{c for c in item.themes if c not in tops} for item in items]
    counts: dict[str, int] = {}
    for codes in gold_children:
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
    children = [c for c in vocabulary.all_codes if counts.get(c, 0) >= MIN_CHILD_SUPPORT]
    return SetResult(
        name=name,
        items=items,
        predictions=predictions,
        top_level=score(
            [(top(i.themes), top(p)) for i, p in zip(items, predictions, strict=True)], tops
        ),
        top_level_rules_only=score(
            [(top(i.themes), top(p)) for i, p in zip(items, rule_predictions, strict=True)], tops
        ),
        children=score(list(zip(gold_children, predictions, strict=True)), children),
    )


def _fmt(value: float | None) -> str:
    return "   - " if value is None else f"{value:5.2f}"


def format_report(result: SetResult, vocabulary: Vocabulary) -> str:
    lines = [
        f"== {result.name}: {len(result.items)} items ({DESCRIPTIONS.get(result.name, '')})",
        "",
        f"{'top-level theme':<22} {'gold':>5} {'sugg':>5} {'prec':>5} {'rec':>5} {'F1':>5}",
    ]
    for code, s in result.top_level.per_theme.items():
        predicted = s.true_positives + s.false_positives
        lines.append(
            f"{code:<22} {s.support:>5} {predicted:>5} {_fmt(s.precision)} {_fmt(s.recall)} "
            f"{_fmt(s.f1)}"
        )
    m = result.top_level.micro
    r = result.top_level_rules_only.micro
    lines += [
        f"{'micro average':<22} {m.support:>5} {m.true_positives + m.false_positives:>5} "
        f"{_fmt(m.precision)} {_fmt(m.recall)} {_fmt(m.f1)}",
        f"{'  rules only':<22} {r.support:>5} {r.true_positives + r.false_positives:>5} "
        f"{_fmt(r.precision)} {_fmt(r.recall)} {_fmt(r.f1)}",
        f"{'macro F1':<22} {'':>5} {'':>5} {'':>5} {'':>5} {_fmt(result.top_level.macro_f1)}",
        "",
        f"{'child theme (gold >= ' + str(MIN_CHILD_SUPPORT) + ')':<30} {'gold':>5} {'sugg':>5} "
        f"{'prec':>5} {'rec':>5} {'F1':>5}",
    ]
    for code, s in result.children.per_theme.items():
        predicted = s.true_positives + s.false_positives
        lines.append(
            f"{code:<30} {s.support:>5} {predicted:>5} {_fmt(s.precision)} {_fmt(s.recall)} "
            f"{_fmt(s.f1)}"
        )
    c = result.children.micro
    lines.append(
        f"{'micro average':<30} {c.support:>5} {c.true_positives + c.false_positives:>5} "
        f"{_fmt(c.precision)} {_fmt(c.recall)} {_fmt(c.f1)}"
    )
    return "\n".join(lines)


def format_errors(result: SetResult, vocabulary: Vocabulary) -> str:
    lines = []
    for item, predicted in zip(result.items, result.predictions, strict=True):
        gold = {vocabulary.top_level_of(c) for c in item.themes}
        got = {vocabulary.top_level_of(c) for c in predicted}
        if gold != got:
            lines.append(
                f"{item.id}: missed {sorted(gold - got)} extra {sorted(got - gold)} | {item.text}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=[*SETS, "both"], default="both")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list items the tagger got wrong")
    args = parser.parse_args(argv)
    names = list(SETS) if args.set == "both" else [args.set]
    tagger = default_tagger()
    results = [evaluate_set(name, tagger) for name in names]
    if args.json:
        payload = {
            "tagger_version": TAGGER_VERSION,
            "model": load_model().meta,
            "sets": [r.as_dict() for r in results],
        }
        print(json.dumps(payload, indent=2))
        return 0
    print(f"Tagger {TAGGER_VERSION}")
    for result in results:
        print()
        print(format_report(result, tagger.vocabulary))
        if args.errors:
            print()
            print(format_errors(result, tagger.vocabulary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
