"""The offline tagger: rules with negation, the model, their combination, speed.

The sentences here are written for these tests; they are in neither the training data nor the
evaluation sets.
"""

from __future__ import annotations

import json

import pytest

from lantern.themes.tagger.model import features, load_model
from lantern.themes.tagger.rules import Rules, _negated, negation_scopes, required_text
from lantern.themes.tagger.tag import (
    TAGGER_VERSION,
    Suggestion,
    Tagger,
    suggest,
    suggest_many,
)
from lantern.themes.training.train import TRAINING_PATH
from lantern.themes.vocabulary import load_vocabulary


def codes(text: str) -> set[str]:
    return {s.code for s in suggest(text)}


def top_levels(text: str) -> set[str]:
    vocabulary = load_vocabulary()
    return {vocabulary.top_level_of(c) for c in codes(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Caller said her husband had his hands round her throat until she blacked out.",
            {"strangulation"},
        ),
        (
            "He reads all of her texts and will not let her see her friends; coercive control "
            "recorded.",
            {"coercive_control"},
        ),
        (
            "Ex-boyfriend has been stalking her and sending unwanted messages every night.",
            {"stalking_harassment"},
        ),
        ("DASH completed with a score of 17; referral to MARAC.", {"risk_assessment_marac"}),
        ("Drinking heavily every day since the redundancy.", {"alcohol"}),
        ("Attended A&E after an overdose of paracetamol.", {"suicide_attempt"}),
        ("Served a notice seeking possession for rent arrears.", {"tenancy_problems"}),
        ("Child protection conference held for the two children.", {"child_protection"}),
        ("She is 30 weeks pregnant and booked with the midwife.", {"pregnancy_new_baby"}),
        ("Her mother passed away in March; bereavement counselling offered.", {"bereavement"}),
    ],
)
def test_the_tagger_finds_the_theme_a_clear_sentence_names(text: str, expected: set[str]) -> None:
    assert expected <= codes(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("She denied any domestic abuse and said her partner is kind.", "domestic_abuse"),
        ("Asked about self-harm: denies; no thoughts of suicide.", "self_harm_suicide"),
        ("No injuries were seen.", "physical_health"),
        ("He does not drink alcohol and has never used drugs.", "substance_use"),
        ("Alcohol: nil.", "substance_use"),
        ("She has no children.", "children"),
    ],
)
def test_a_negated_mention_is_not_a_theme(text: str, absent: str) -> None:
    assert absent not in top_levels(text)


def test_a_negation_ends_with_its_clause() -> None:
    text = "No injuries seen, but she said he strangled her."
    assert "strangulation" in codes(text)
    assert "physical_health" not in top_levels(text)
    text = "She did not attend the appointment with the drug and alcohol service."
    assert "substance_treatment" in codes(text)  # "did not attend" denies nothing about drugs


def test_no_concerns_about_the_children_still_tells_of_children() -> None:
    assert "children" in top_levels("Home visit: no concerns about the children.")


def test_rules_suggest_the_finest_theme_and_the_model_only_top_levels() -> None:
    vocabulary = load_vocabulary()
    for text in ("He punched her and threatened to kill her.", "Domestic incident at the flat."):
        for s in suggest(text):
            assert s.code in vocabulary
            if s.source == "model":
                assert s.code in vocabulary.top_level_codes
    assert {"physical_abuse", "threats_to_kill"} <= codes(
        "He punched her and threatened to kill her."
    )
    assert "domestic_abuse" in codes("Domestic incident at the flat.")


def test_suggestions_are_deterministic_and_ordered() -> None:
    text = (
        "Police attended a domestic incident. She had a cut lip and said he hit her after "
        "drinking; the children were upstairs. He was arrested."
    )
    first = suggest(text)
    assert first == suggest(text) == Tagger(load_vocabulary(), load_model()).suggest(text)
    assert all(isinstance(s, Suggestion) and 0 < s.score <= 1 for s in first)
    assert [s.score for s in first] == sorted((s.score for s in first), reverse=True)
    assert suggest("") == [] and suggest("   ") == []


def test_the_model_reads_negated_words_as_other_features() -> None:
    assert "drink" in features("She was drinking.")
    assert "not_drink" in features("She denied drinking.")
    assert "drink" not in features("She denied drinking.")


def test_negation_scopes_stop_at_the_clause_end() -> None:
    text = "She denies drugs; she drinks daily."
    [(cue, begin, end)] = negation_scopes(text)
    assert text[cue:begin] == "denies"
    assert text[begin:end].strip() == "drugs"


def test_each_pattern_knows_text_it_needs_and_the_shortcut_never_changes_a_result() -> None:
    rules = Rules(load_vocabulary())
    assert required_text("strangl").texts == {"strangl"}  # type: ignore[union-attr]
    assert required_text("(?:her|his) (?:bank card|money)").texts == {  # type: ignore[union-attr]
        "bank card",
        "money",
    }
    # Every training sentence gets the same codes as from running every expression.
    for line in TRAINING_PATH.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        scopes = negation_scopes(text)
        every = {
            theme.code
            for theme in rules._themes
            for alternative in theme.alternatives
            for match in alternative.regex.finditer(text)
            if theme.negation == "none" or not _negated(text, match.start(), scopes, theme.negation)
        }
        assert rules.codes(text) == every, text


def test_the_tagger_version_names_rules_vocabulary_and_weights() -> None:
    vocabulary = load_vocabulary()
    assert TAGGER_VERSION.split(".")[0].isdigit()
    assert vocabulary.version in TAGGER_VERSION
    assert len(TAGGER_VERSION) <= 40  # TaggingState.tagger_version


def test_a_batch_gives_each_text_what_it_gets_alone() -> None:
    """`suggest_many` (used for chronologies) and `suggest` agree, whatever a text is tagged
    with: the model sums each text's weights on their own, in a fixed order."""
    texts = [json.loads(line)["text"] for line in TRAINING_PATH.read_text().splitlines()][:300]
    texts[5:5] = ["", "   ", "No DASH. Alcohol: nil", "SHE DENIES ANY DRUG USE."]
    alone = [suggest(text) for text in texts]
    assert suggest_many(texts) == alone
    assert suggest_many(texts[::-1]) == alone[::-1]
    assert suggest_many([]) == []


def test_the_model_scores_a_batch_as_it_scores_each_text() -> None:
    model = load_model()
    sets = [features(t) for t in ("She denied drinking.", "", "He hit her. She was drinking.")]
    rows = model.probabilities_many(sets)
    assert [dict(zip(model.classes, row, strict=True)) for row in rows] == [
        model.probabilities_of(f) for f in sets
    ]


def test_negation_scopes_do_not_depend_on_letter_case() -> None:
    """Scopes are found on the lower-cased text when that changes nothing, and with
    case-insensitive expressions when it could (the Kelvin sign folds to "k" in expressions
    but lower-cases to itself)."""
    plain = negation_scopes("Kerry denies drugs; she drinks daily.")
    assert negation_scopes("KERRY DENIES DRUGS; SHE DRINKS DAILY.") == plain
    assert negation_scopes("\u212aerry denies drugs; she drinks daily.") == plain
    assert negation_scopes("Alcohol: NIL. Drugs - denies") == negation_scopes(
        "alcohol: nil. drugs - denies"
    )
