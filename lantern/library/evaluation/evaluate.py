"""Measure fact extraction on (1) the held-out half of the development set of real published
reviews, (2) the whole development set, (3) generated full-length reports (evaluation seeds, all
four formats through the project's text extraction).

    python -m lantern.library.evaluation            # a table
    python -m lantern.library.evaluation --json     # the figures
    python -m lantern.library.evaluation --errors   # every miss, for reading

No Django. The development set lives outside the project (LANTERN_DEVSET_DIR, default
../shared/data/published-reviews beside the checkout); it is read, never copied.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lantern.library.evaluation.scoring import SCALAR_KEYS, FieldScore, SetScore, field_correct
from lantern.library.extract import extract_facts

HERE = Path(__file__).resolve().parent
SPLIT = json.loads((HERE / "split.json").read_text(encoding="utf-8"))
FIGURES_PATH = HERE / "figures.json"
GENERATED_COUNT = 80


def devset_dir() -> Path:
    configured = os.environ.get("LANTERN_DEVSET_DIR")
    if configured:
        return Path(configured)
    return HERE.parents[3] / "shared" / "data" / "published-reviews"


@dataclass(frozen=True)
class DevItem:
    id: str
    text: str
    labels: dict[str, Any]


def document_text(raw: str) -> str:
    """The excerpt without the SOURCE and COMPLETENESS lines the collectors put on top."""
    lines = raw.split("\n")
    while lines and (lines[0].startswith(("SOURCE:", "COMPLETENESS:")) or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines)


def load_devset(directory: Path | None = None) -> list[DevItem]:
    directory = directory or devset_dir()
    items = []
    with (directory / "facts.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            labels = json.loads(line)
            text = (directory / f"{labels['id']}.txt").read_text(encoding="utf-8")
            items.append(DevItem(labels["id"], document_text(text), labels))
    return items


def score_items(pairs: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> SetScore:
    """pairs: (item id, extracted values, labels)."""
    result = SetScore(fields={key: FieldScore() for key in SCALAR_KEYS})
    for item, values, labels in pairs:
        result.items += 1
        for key in SCALAR_KEYS:
            predicted, label = values.get(key), labels.get(key)
            result.fields[key].add(item, predicted, label, field_correct(key, predicted, label))
        result.add_themes(values.get("themes") or [], labels.get("themes") or [])
        if "recommendations" in labels and labels["recommendations"] is not None:
            result.add_recommendations(
                values.get("recommendations") or [], labels["recommendations"]
            )
    return result


def evaluate_devset(directory: Path | None = None) -> dict[str, SetScore]:
    items = load_devset(directory)
    pairs = {item.id: (item.id, extract_facts(item.text).values, item.labels) for item in items}
    held_out = [pairs[i] for i in SPLIT["held_out"] if i in pairs]
    tuning = [pairs[i] for i in SPLIT["tuning"] if i in pairs]
    return {
        "devset_held_out": score_items(held_out),
        "devset_tuning": score_items(tuning),
        "devset_all": score_items(list(pairs.values())),
    }


def evaluate_generated(
    count: int = GENERATED_COUNT, *, seed: int | None = None
) -> tuple[SetScore, dict[str, float]]:
    """Generated reports from the evaluation seeds, through the real file-to-text step."""
    from lantern.core.textextract import extract_text
    from lantern.library.corpus import EVALUATION_SEED_BASE, FORMATS, generate_report

    start = EVALUATION_SEED_BASE if seed is None else seed
    pairs = []
    timing = {"extract_text_s": 0.0, "extract_facts_s": 0.0}
    for index in range(count):
        report = generate_report(start + index, fmt=FORMATS[index % len(FORMATS)])
        began = time.perf_counter()
        extracted = extract_text(report.data, filename=report.filename)
        timing["extract_text_s"] += time.perf_counter() - began
        began = time.perf_counter()
        values = extract_facts(extracted.text).values
        timing["extract_facts_s"] += time.perf_counter() - began
        pairs.append((report.filename, values, report.facts))
    timing = {k: round(v / max(count, 1) * 1000, 2) for k, v in timing.items()}
    return score_items(pairs), {
        "extract_text_ms_per_report": timing["extract_text_s"],
        "extract_facts_ms_per_report": timing["extract_facts_s"],
    }


def run(*, generated: int = GENERATED_COUNT) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, score in evaluate_devset().items():
        results[name] = score.as_dict()
    if generated:
        score, timing = evaluate_generated(generated)
        results["generated"] = score.as_dict()
        results["generated"]["timing"] = timing
    return results


def errors(score: SetScore) -> list[dict[str, Any]]:
    return [dict(field=key, **error) for key, f in score.fields.items() for error in f.errors]
