"""Extraction accuracy may not fall below the figures recorded in
lantern/library/evaluation/figures.json and written in docs/library-extraction.md."""

from __future__ import annotations

import json

import pytest

from lantern.library.evaluation.evaluate import (
    FIGURES_PATH,
    SPLIT,
    devset_dir,
    evaluate_devset,
    evaluate_generated,
)

MARGIN = 0.05
RECORDED = json.loads(FIGURES_PATH.read_text(encoding="utf-8"))
needs_devset = pytest.mark.skipif(
    not (devset_dir() / "facts.jsonl").exists(), reason="the development set is not on this machine"
)


def _check(name: str, result: dict) -> None:
    recorded = RECORDED[name]
    for key, figures in recorded["fields"].items():
        assert result["fields"][key]["accuracy"] >= figures["accuracy"] - MARGIN, (name, key)
    for measure in ("precision", "recall", "f1"):
        assert result["themes"][measure] >= recorded["themes"][measure] - MARGIN, (name, measure)
    for measure, value in recorded.get("recommendations", {}).items():
        assert result["recommendations"][measure] >= value - MARGIN, (name, measure)


def test_the_split_holds_every_item_once() -> None:
    tuning, held_out = set(SPLIT["tuning"]), set(SPLIT["held_out"])
    assert not tuning & held_out
    assert len(tuning) == len(held_out) == 7


@needs_devset
def test_development_set_figures_hold() -> None:
    results = {name: score.as_dict() for name, score in evaluate_devset().items()}
    assert results["devset_all"]["items"] == 14
    _check("devset_held_out", results["devset_held_out"])
    _check("devset_all", results["devset_all"])


def test_generated_report_figures_hold() -> None:
    score, _ = evaluate_generated(RECORDED["generated"]["items"])
    _check("generated", score.as_dict())
