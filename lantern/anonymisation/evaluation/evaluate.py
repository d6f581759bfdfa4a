"""Recall and precision of the anonymisation check, per category, on the hand-labelled drafts.

    python -m lantern.anonymisation.evaluation.evaluate [--set labelled|tuning|published] [--json]
    lantern publish evaluate [--set ...] [--json] [--verbose]

A labelled span counts as found when a finding of the same category overlaps it; a finding is
correct when it overlaps a labelled span of its category. "Detected" counts a labelled span as
found by a finding of any category (the text would still be shown to the person checking).
No Django.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field

from lantern.anonymisation.check.engine import check_text
from lantern.anonymisation.check.findings import CATEGORIES, PERSON_NAME, STRUCTURED, Finding
from lantern.anonymisation.evaluation.dataset import Draft, GoldSpan, load_set


@dataclass
class Tally:
    gold: int = 0
    found: int = 0  # gold spans found by a finding of the same category
    predicted: int = 0
    correct: int = 0  # findings that overlap a gold span of their category

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    def as_dict(self) -> dict:
        return {
            "gold": self.gold,
            "found": self.found,
            "predicted": self.predicted,
            "correct": self.correct,
            "recall": _round(self.recall),
            "precision": _round(self.precision),
        }


@dataclass
class Report:
    set_name: str
    drafts: int = 0
    words: int = 0
    by_category: dict[str, Tally] = field(default_factory=lambda: {c: Tally() for c in CATEGORIES})
    register_names: Tally = field(default_factory=Tally)
    structured: Tally = field(default_factory=Tally)
    overall: Tally = field(default_factory=Tally)
    detected: int = 0  # gold spans overlapped by a finding of any category
    misses: list[dict] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "set": self.set_name,
            "drafts": self.drafts,
            "words": self.words,
            "overall": self.overall.as_dict(),
            "detected_any_category": _round(
                self.detected / self.overall.gold if self.overall.gold else None
            ),
            "register_names": self.register_names.as_dict(),
            "structured_identifiers": self.structured.as_dict(),
            "categories": {c: t.as_dict() for c, t in self.by_category.items()},
            "misses": self.misses,
            "false_positives": self.false_positives,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _overlap(a: GoldSpan | Finding, b: GoldSpan | Finding) -> bool:
    return a.start < b.end and b.start < a.end


def score(drafts: list[Draft], set_name: str) -> Report:
    report = Report(set_name=set_name)
    for draft in drafts:
        report.drafts += 1
        report.words += len(draft.text.split())
        findings = check_text(draft.text, draft.register)
        for gold in draft.spans:
            same = any(_overlap(gold, f) and f.category == gold.category for f in findings)
            anything = any(_overlap(gold, f) for f in findings)
            tallies = [report.by_category[gold.category], report.overall]
            if gold.register:
                tallies.append(report.register_names)
            if gold.category in STRUCTURED:
                tallies.append(report.structured)
            for t in tallies:
                t.gold += 1
                t.found += same
            report.detected += anything
            if not same:
                got = [f"{f.category}:{f.text}" for f in findings if _overlap(gold, f)]
                report.misses.append(
                    {"draft": draft.id, "text": gold.text, "category": gold.category, "got": got}
                )
        for f in findings:
            ok = any(_overlap(g, f) and g.category == f.category for g in draft.spans)
            tallies = [report.by_category[f.category], report.overall]
            if f.category in STRUCTURED:
                tallies.append(report.structured)
            if f.category == PERSON_NAME and f.rule == "register":
                tallies.append(report.register_names)
            for t in tallies:
                t.predicted += 1
                t.correct += ok
            if not ok:
                report.false_positives.append(
                    {"draft": draft.id, "text": f.text, "category": f.category, "rule": f.rule}
                )
    return report


def evaluate(set_name: str = "labelled") -> Report:
    return score(load_set(set_name), set_name)


def format_report(report: Report, verbose: bool = False) -> str:
    lines = [
        f"Set: {report.set_name} ({report.drafts} drafts, {report.words} words)",
        f"{'category':26} {'gold':>5} {'recall':>7} {'pred':>5} {'precision':>9}",
    ]

    def row(name: str, t: Tally) -> str:
        r = "-" if t.recall is None else f"{t.recall:.3f}"
        p = "-" if t.precision is None else f"{t.precision:.3f}"
        return f"{name:26} {t.gold:>5} {r:>7} {t.predicted:>5} {p:>9}"

    for category, tally in report.by_category.items():
        lines.append(row(category, tally))
    lines.append(row("register names", report.register_names))
    lines.append(row("structured identifiers", report.structured))
    lines.append(row("overall", report.overall))
    if report.overall.gold:
        lines.append(f"detected (any category): {report.detected / report.overall.gold:.3f}")
    if verbose:
        lines.append("Misses:")
        lines += [
            f"  {m['draft']} {m['category']}: {m['text']!r} got {m['got']}" for m in report.misses
        ]
        lines.append("False positives:")
        lines += [
            f"  {f['draft']} {f['category']} ({f['rule']}): {f['text']!r}"
            for f in report.false_positives
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="labelled", choices=["labelled", "tuning", "published"])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    report = evaluate(args.set)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(format_report(report, verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
