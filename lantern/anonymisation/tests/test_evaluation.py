"""The figures written in docs/anonymisation.md, held: the goal (no missed register name or
structured identifier on the labelled drafts) and no category falling below what is reported."""

from __future__ import annotations

import pytest

from lantern.anonymisation.check.findings import CATEGORIES
from lantern.anonymisation.evaluation.dataset import load_set
from lantern.anonymisation.evaluation.evaluate import evaluate

# What docs/anonymisation.md reports (recall, precision) per category on the labelled drafts.
LABELLED_FLOOR = dict.fromkeys(CATEGORIES, (1.0, 1.0))
PUBLISHED_OVERALL_PRECISION = 0.88
PUBLISHED_EXACT_DATE_RECALL = 1.0


@pytest.fixture(scope="module")
def labelled():  # noqa: ANN201
    return evaluate("labelled")


def test_the_labelled_set_is_big_enough_and_well_formed() -> None:
    drafts = load_set("labelled")
    assert len(drafts) >= 12
    for draft in drafts:
        assert 300 <= len(draft.text.split()) <= 650, draft.id
        for span in draft.spans:
            assert draft.text[span.start : span.end] == span.text


def test_no_register_name_is_missed(labelled) -> None:  # noqa: ANN001
    assert labelled.register_names.gold >= 80
    assert labelled.register_names.recall == 1.0, labelled.misses


def test_no_structured_identifier_is_missed(labelled) -> None:  # noqa: ANN001
    assert labelled.structured.gold >= 50
    assert labelled.structured.recall == 1.0, labelled.misses


@pytest.mark.parametrize("category", CATEGORIES)
def test_no_category_falls_below_what_is_reported(labelled, category: str) -> None:  # noqa: ANN001
    tally = labelled.by_category[category]
    recall, precision = LABELLED_FLOOR[category]
    assert tally.gold > 0
    assert tally.recall >= recall, [m for m in labelled.misses if m["category"] == category]
    assert tally.precision >= precision, [
        f for f in labelled.false_positives if f["category"] == category
    ]


def test_real_published_text_gives_few_false_alarms() -> None:
    report = evaluate("published")
    assert report.drafts >= 6
    assert report.overall.precision >= PUBLISHED_OVERALL_PRECISION, report.false_positives
    assert report.by_category["exact_date"].recall >= PUBLISHED_EXACT_DATE_RECALL


def test_the_tuning_set_is_separate_from_the_labelled_set() -> None:
    tuning = {d.text for d in load_set("tuning")}
    labelled = {d.text for d in load_set("labelled")}
    assert tuning and not (tuning & labelled)
    tuning_names = {s.text for d in load_set("tuning") for s in d.spans}
    labelled_names = {s.text for d in load_set("labelled") for s in d.spans}
    shared = tuning_names & labelled_names
    assert len(shared) <= 3, shared  # different people, places and numbers
