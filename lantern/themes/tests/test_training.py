"""The shipped model is exactly what the training data and settings produce."""

from __future__ import annotations

import json

from lantern.themes.evaluation.evaluate import SETS
from lantern.themes.labelled import read_labelled
from lantern.themes.tagger.model import WEIGHTS_PATH, ThemeModel
from lantern.themes.training.train import TRAINING_PATH, build, data_sha256, serialise
from lantern.themes.vocabulary import load_vocabulary


def test_the_shipped_weights_are_regenerated_exactly_from_the_training_data() -> None:
    model = build(load_vocabulary())
    assert serialise(model) == WEIGHTS_PATH.read_text(encoding="utf-8"), (
        "model_weights.json is stale: run python -m lantern.themes.training.train"
    )
    shipped = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert shipped["meta"]["data_sha256"] == data_sha256()
    assert ThemeModel.from_json(shipped).classes.keys() == set(load_vocabulary().top_level_codes)


def test_training_and_evaluation_texts_do_not_overlap() -> None:
    vocabulary = load_vocabulary()
    training = {item.text.strip().lower() for item in read_labelled(TRAINING_PATH, vocabulary)}
    for path in SETS.values():
        for item in read_labelled(path, vocabulary):
            assert item.text.strip().lower() not in training, item.id


def test_the_weights_file_is_small() -> None:
    assert WEIGHTS_PATH.stat().st_size < 400_000
