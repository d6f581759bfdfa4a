from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lantern.themes.vocabulary import (
    VOCABULARY_PATH,
    UnknownTheme,
    VocabularyError,
    load_vocabulary,
    parse_vocabulary,
    read_vocabulary,
)

REQUIRED_TOP_LEVELS = {
    "domestic_abuse",
    "sexual_violence",
    "mental_health",
    "substance_use",
    "housing",
    "children",
    "trauma_loss",
    "physical_health",
    "self_harm_suicide",
    "finance_employment",
}


def test_the_vocabulary_has_the_required_top_levels_and_a_version() -> None:
    vocabulary = load_vocabulary()
    assert set(vocabulary.top_level_codes) >= REQUIRED_TOP_LEVELS
    assert vocabulary.version
    for top in vocabulary.top_levels:
        assert top.label and top.description and top.mapping, top.code
        assert top.children, f"{top.code} has no finer themes"


def test_finer_themes_sit_under_their_top_level() -> None:
    vocabulary = load_vocabulary()
    children = {c.code for c in vocabulary.get("domestic_abuse").children}
    assert {"coercive_control", "stalking_harassment", "strangulation"} <= children
    assert vocabulary.top_level_of("coercive_control") == "domestic_abuse"
    assert vocabulary.top_level_of("strangulation") == "domestic_abuse"
    assert vocabulary.top_level_of("alcohol") == "substance_use"
    assert vocabulary.top_level_of("domestic_abuse") == "domestic_abuse"
    assert vocabulary.label("coercive_control") == "Coercive or controlling behaviour"


def test_codes_are_unique_and_every_theme_has_patterns() -> None:
    vocabulary = load_vocabulary()
    codes = vocabulary.all_codes
    assert len(codes) == len(set(codes))
    assert codes[0] == "domestic_abuse"
    for theme in vocabulary.walk():
        assert theme.patterns, f"{theme.code} has no phrase patterns"


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(UnknownTheme):
        load_vocabulary().top_level_of("not_a_theme")
    assert "not_a_theme" not in load_vocabulary()


def _raw() -> dict:
    return yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("version"), "version"),
        (lambda d: d["themes"][0].update(code="Bad Code"), "lower_snake_case"),
        (lambda d: d["themes"][1].update(code="domestic_abuse"), "used twice"),
        (lambda d: d["themes"][0]["patterns"].append("(unclosed"), "does not compile"),
        (lambda d: d["themes"][0]["children"][0].update(children=[{"code": "x_y"}]), "children"),
        (lambda d: d["themes"][0].update(negation="sometimes"), "negation"),
    ],
)
def test_a_malformed_vocabulary_is_refused_with_a_reason(change, message) -> None:  # noqa: ANN001
    data = _raw()
    change(data)
    with pytest.raises(VocabularyError, match=message):
        parse_vocabulary(data)


def test_a_vocabulary_file_can_be_read_from_elsewhere(tmp_path: Path) -> None:
    data = {
        "version": "test",
        "themes": [
            {
                "code": "housing",
                "label": "Housing",
                "patterns": ["homeless"],
                "children": [{"code": "refuge_x", "label": "Refuge", "patterns": ["refuge"]}],
            }
        ],
    }
    path = tmp_path / "v.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    vocabulary = read_vocabulary(path)
    assert vocabulary.all_codes == ["housing", "refuge_x"]
    assert vocabulary.as_dict()["themes"][0]["children"][0]["code"] == "refuge_x"


DEVELOPMENT_SET_FLAGS = [
    "domestic_abuse_history",
    "coercive_control",
    "separation",
    "mental_health_victim",
    "mental_health_perpetrator",
    "substance_use_victim",
    "substance_use_perpetrator",
    "housing",
    "children",
    "sexual_violence",
    "stalking",
    "strangulation",
    "marac",
    "dash",
    "police_contact",
    "health_contact",
    "suicide_risk",
    "older_victim",
    "adult_family_violence",
    "economic_abuse",
    "honour_based_abuse",
    "disability",
    "immigration",
    "covid",
]


def test_the_vocabulary_holds_the_library_flags_and_the_home_office_filters() -> None:
    from lantern.themes.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    assert sorted(vocabulary.library_flag_codes) == sorted(DEVELOPMENT_SET_FLAGS)
    for flag in vocabulary.library_flags:
        assert all(code in vocabulary for code in flag.get("themes") or []), flag["code"]
    mapped = [f["code"] for f in vocabulary.library_flags if f.get("themes")]
    assert len(mapped) >= 23  # every flag but the pandemic one names finer themes
    groups = vocabulary.home_office_library
    assert {"victim", "aggravating_factors", "categories", "recommendation_addressees"} <= set(
        groups
    )
    labels = {item["label"] for item in groups["age_bands"]}
    assert {"16-19", "65+"} <= labels
    data = vocabulary.as_dict()
    assert len(data["library_flags"]) == 24 and data["home_office_library"]["victim"]
