"""The evaluation sets and the tagger's measured accuracy on them.

The floors are the figures measured on 2026-11-25 (docs/themes.md) less a margin of 0.05, so a
change that makes the tagger clearly worse fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.themes.evaluation.evaluate import evaluate_set, load_set, main
from lantern.themes.vocabulary import load_vocabulary

PUBLISHED = Path("/work/shared/data/published-reviews")
MEASURED_MICRO_F1 = {"generated": 0.88, "published": 0.76}
MARGIN = 0.05


def test_the_sets_are_big_enough_and_labelled_with_known_themes() -> None:
    vocabulary = load_vocabulary()
    generated = load_set("generated", vocabulary)
    published = load_set("published", vocabulary)
    assert len(generated) >= 150
    assert len(published) >= 40
    assert all(item.source.endswith(".txt") for item in published)
    labelled = {vocabulary.top_level_of(c) for item in generated for c in item.themes}
    assert labelled == set(vocabulary.top_level_codes)


@pytest.mark.skipif(not PUBLISHED.is_dir(), reason="the shared published reviews are not here")
def test_published_passages_are_quoted_exactly() -> None:
    for item in load_set("published"):
        assert item.text in (PUBLISHED / item.source).read_text(encoding="utf-8"), item.id


@pytest.mark.parametrize("name", ["generated", "published"])
def test_micro_f1_stays_above_its_floor(name: str) -> None:
    result = evaluate_set(name)
    f1 = result.top_level.micro.f1
    assert f1 is not None
    assert f1 >= MEASURED_MICRO_F1[name] - MARGIN, f"{name}: micro F1 {f1:.3f}"


def test_the_evaluation_script_prints_both_sets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "== generated: 170 items" in out
    assert "== published: 66 items" in out
    assert "micro average" in out
    assert main(["--json", "--set", "published"]) == 0
    assert '"set": "published"' in capsys.readouterr().out
