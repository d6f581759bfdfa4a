"""Tests for the review criteria assessment (pure Python: no database, no Django).

Run with: .venv/bin/pytest lantern/reviews/tests/test_criteria.py -p no:django -q

Decisions the tables encode, and why:

* household_member is in scope under 2004 s9 (s9(1)(b) names "a member of the same household")
  but not under the Domestic Abuse Act 2021 definition, where living together does not make
  people "personally connected" (s2).
* shared_parent is in scope under 2021 (s2(1)(f): each has or had a parental relationship to the
  same child). Under 2004 s9 it is *unknown*, not yes or no: having a child together is not itself
  an s9 connection, and although parents of the same child usually were intimate partners (which
  s9 covers), that should be established, not assumed. Answering "no" would push a chair towards
  not holding a review on an assumption; answering "yes" could record a wrong legal basis. So the
  check is "unknown", the outcome "unclear", and to_find_out asks whether they were partners.
* A police "no further action" finding or an accidental/open verdict never changes a check or
  the outcome (Charnwood, 2025); it only adds a prominent note.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.reviews.criteria import (
    ADVISORY_NOTE,
    CHECK_CODES,
    CHECK_OUTCOMES,
    DA_ACT_2021,
    DEATH_TYPES,
    DEFAULT_LEGAL_TEST,
    DVCVA_2004_S9,
    LEGAL_TESTS,
    OUTCOMES,
    RELATIONSHIPS,
    Check,
    CriteriaInput,
    CriteriaResult,
    assess,
    result_from_dict,
    result_to_dict,
)
from lantern.reviews.criteria.codes import PARTNER_CODES, RELATIVE_CODES
from lantern.reviews.criteria.rules import DEATH_TYPE_RULES, RELATIONSHIP_RULES

BOTH_TESTS = (DVCVA_2004_S9, DA_ACT_2021)


def make(**overrides: object) -> CriteriaInput:
    """A case that meets both tests; each test changes only what it is about."""
    base: dict[str, object] = {
        "legal_test": DVCVA_2004_S9,
        "victim_age": 40,
        "relationship": "current_partner",
        "death_type": "homicide",
        "abuse_indicated": True,
        "perpetrator_age": 42,
    }
    base.update(overrides)
    return CriteriaInput(**base)  # type: ignore[arg-type]


def check(result: CriteriaResult, code: str) -> Check:
    matches = [c for c in result.checks if c.code == code]
    assert len(matches) == 1, f"expected exactly one {code!r} check in {result.checks}"
    return matches[0]


def charnwood_notes(result: CriteriaResult) -> list[str]:
    return [n for n in result.notes if "Charnwood" in n and "does not by itself" in n]


# --- the module stays Django-free ---------------------------------------------------------------


def test_module_imports_no_django() -> None:
    """The package must stay usable without Django (CLI, batch analysis, fast tests).

    Checked in a fresh interpreter, because under pytest-django Django is already loaded.
    """
    code = (
        "import sys, lantern.reviews.criteria; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    completed = subprocess.run([sys.executable, "-c", code], check=False)
    assert completed.returncode == 0, "importing lantern.reviews.criteria pulled in Django"


# --- vocabularies -------------------------------------------------------------------------------


def test_vocabularies_hold_exactly_the_agreed_codes() -> None:
    assert set(LEGAL_TESTS) == {"dvcva_2004_s9", "da_act_2021"}
    assert set(RELATIONSHIPS) == {
        "current_partner",
        "former_partner",
        "son_or_daughter",
        "grandchild",
        "parent",
        "sibling",
        "other_relative",
        "household_member",
        "shared_parent",
        "none",
        "unknown",
    }
    assert set(DEATH_TYPES) == {
        "homicide",
        "suicide",
        "homicide_suicide",
        "unexplained",
        "other",
        "unknown",
    }
    assert set(OUTCOMES) == {"met", "not_met", "unclear"}
    assert DEFAULT_LEGAL_TEST in LEGAL_TESTS
    for labels in (LEGAL_TESTS, RELATIONSHIPS, DEATH_TYPES, OUTCOMES):
        assert all(isinstance(v, str) and v.strip() for v in labels.values())


@pytest.mark.parametrize("legal_test", BOTH_TESTS)
def test_every_code_has_a_rule_under_every_test(legal_test: str) -> None:
    """Adding a relationship or death type must force a decision for each legal test."""
    assert set(RELATIONSHIP_RULES[legal_test]) == set(RELATIONSHIPS)
    assert set(DEATH_TYPE_RULES[legal_test]) == set(DEATH_TYPES)
    for rule in [*RELATIONSHIP_RULES[legal_test].values(), *DEATH_TYPE_RULES[legal_test].values()]:
        assert rule.outcome in CHECK_OUTCOMES
        assert rule.reason
        assert bool(rule.question) == (rule.outcome == "unknown")


# --- relationship x legal test ------------------------------------------------------------------

RELATIONSHIP_TABLE: list[tuple[str, str, str, str]] = [
    # (legal_test, relationship, check outcome, overall outcome)
    *[(DVCVA_2004_S9, code, "yes", "met") for code in sorted(PARTNER_CODES | RELATIVE_CODES)],
    *[(DA_ACT_2021, code, "yes", "met") for code in sorted(PARTNER_CODES | RELATIVE_CODES)],
    (DVCVA_2004_S9, "household_member", "yes", "met"),
    (DA_ACT_2021, "household_member", "no", "not_met"),
    (DVCVA_2004_S9, "shared_parent", "unknown", "unclear"),
    (DA_ACT_2021, "shared_parent", "yes", "met"),
    (DVCVA_2004_S9, "none", "no", "not_met"),
    (DA_ACT_2021, "none", "no", "not_met"),
    (DVCVA_2004_S9, "unknown", "unknown", "unclear"),
    (DA_ACT_2021, "unknown", "unknown", "unclear"),
]


def test_relationship_table_covers_every_code_under_both_tests() -> None:
    assert {(t, r) for t, r, _, _ in RELATIONSHIP_TABLE} == {
        (t, r) for t in BOTH_TESTS for r in RELATIONSHIPS
    }


@pytest.mark.parametrize(
    ("legal_test", "relationship", "expected_check", "expected"), RELATIONSHIP_TABLE
)
def test_relationship_under_each_legal_test(
    legal_test: str, relationship: str, expected_check: str, expected: str
) -> None:
    result = assess(make(legal_test=legal_test, relationship=relationship))
    assert result.legal_test == legal_test
    assert check(result, "relationship").outcome == expected_check
    assert result.outcome == expected
    assert bool(result.to_find_out) == (expected_check == "unknown")


def test_shared_parent_under_2004_asks_whether_they_were_partners() -> None:
    result = assess(make(relationship="shared_parent"))
    assert result.outcome == "unclear"
    assert len(result.to_find_out) == 1
    assert "intimate personal relationship" in result.to_find_out[0]


def test_household_member_under_2021_explains_the_difference_from_2004() -> None:
    result = assess(make(legal_test=DA_ACT_2021, relationship="household_member"))
    assert "not personally connected" in check(result, "relationship").reason
    assert any("2004 section 9" in n and "household" in n for n in result.notes)
    # The same facts under 2004 are in scope, and carry no such note.
    result_2004 = assess(make(relationship="household_member"))
    assert result_2004.outcome == "met"
    assert not any("personally connected" in n for n in result_2004.notes)


# --- ages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("legal_test", BOTH_TESTS)
@pytest.mark.parametrize(
    ("victim_age", "expected_check", "expected"),
    [(15, "no", "not_met"), (16, "yes", "met"), (17, "yes", "met"), (None, "unknown", "unclear")],
)
def test_victim_age(
    legal_test: str, victim_age: int | None, expected_check: str, expected: str
) -> None:
    result = assess(make(legal_test=legal_test, victim_age=victim_age))
    assert check(result, "age").outcome == expected_check
    assert result.outcome == expected
    if victim_age is None:
        assert result.to_find_out == ("How old was the person who died?",)
    else:
        assert str(victim_age) in check(result, "age").reason


def test_victim_under_16_points_to_child_safeguarding() -> None:
    result = assess(make(victim_age=15))
    assert any("Child Safeguarding Practice Review" in n for n in result.notes)


@pytest.mark.parametrize(
    ("perpetrator_age", "expected_check", "expected"),
    [(15, "no", "not_met"), (16, "yes", "met"), (17, "yes", "met"), (None, "unknown", "unclear")],
)
def test_perpetrator_age_under_2021(
    perpetrator_age: int | None, expected_check: str, expected: str
) -> None:
    result = assess(make(legal_test=DA_ACT_2021, perpetrator_age=perpetrator_age))
    assert check(result, "perpetrator_age").outcome == expected_check
    assert result.outcome == expected


@pytest.mark.parametrize("perpetrator_age", [15, 16, 17, None])
def test_perpetrator_age_is_not_part_of_the_2004_test(perpetrator_age: int | None) -> None:
    """Section 9 sets no age for the perpetrator: a 15-year-old who kills a parent is in scope."""
    result = assess(make(perpetrator_age=perpetrator_age, relationship="son_or_daughter"))
    assert "perpetrator_age" not in {c.code for c in result.checks}
    assert result.outcome == "met"


@pytest.mark.parametrize("legal_test", BOTH_TESTS)
def test_checks_come_in_a_fixed_order(legal_test: str) -> None:
    codes = [c.code for c in assess(make(legal_test=legal_test)).checks]
    if legal_test == DA_ACT_2021:
        assert codes == ["age", "relationship", "perpetrator_age", "death_type", "abuse"]
    else:
        assert codes == ["age", "relationship", "death_type", "abuse"]
    assert set(codes) <= set(CHECK_CODES)


# --- death types --------------------------------------------------------------------------------


@pytest.mark.parametrize("legal_test", BOTH_TESTS)
@pytest.mark.parametrize(
    ("death_type", "expected_check", "expected"),
    [
        ("homicide", "yes", "met"),
        ("suicide", "yes", "met"),
        ("homicide_suicide", "yes", "met"),
        ("unexplained", "yes", "met"),
        ("other", "yes", "met"),
        ("unknown", "unknown", "unclear"),
    ],
)
def test_death_type(legal_test: str, death_type: str, expected_check: str, expected: str) -> None:
    result = assess(make(legal_test=legal_test, death_type=death_type))
    assert check(result, "death_type").outcome == expected_check
    assert result.outcome == expected
    has_suicide_note = any("took their own life" in n for n in result.notes)
    assert has_suicide_note == (death_type == "suicide")


# --- abuse --------------------------------------------------------------------------------------


@pytest.mark.parametrize("legal_test", BOTH_TESTS)
@pytest.mark.parametrize(
    ("abuse_indicated", "expected_check", "expected"),
    [(True, "yes", "met"), (False, "no", "not_met"), (None, "unknown", "unclear")],
)
def test_abuse_indicated(
    legal_test: str, abuse_indicated: bool | None, expected_check: str, expected: str
) -> None:
    result = assess(make(legal_test=legal_test, abuse_indicated=abuse_indicated))
    assert check(result, "abuse").outcome == expected_check
    assert result.outcome == expected


def test_the_2021_abuse_question_uses_the_2021_definition() -> None:
    label = check(assess(make(legal_test=DA_ACT_2021)), "abuse").label
    assert "controlling or coercive behaviour" in label
    assert "economic abuse" in label
    assert "violence, abuse or neglect" in check(assess(make()), "abuse").label


# --- suicide and coercive control ---------------------------------------------------------------


@pytest.mark.parametrize("legal_test", BOTH_TESTS)
def test_suicide_with_coercive_control_concerns_treats_abuse_as_indicated(legal_test: str) -> None:
    result = assess(
        make(
            legal_test=legal_test,
            death_type="suicide",
            abuse_indicated=None,
            concerns_of_coercive_control=True,
        )
    )
    abuse = check(result, "abuse")
    assert abuse.outcome == "yes"
    assert "coercive control" in abuse.reason
    assert "even if no one is charged" in abuse.reason
    assert result.outcome == "met"
    assert result.to_find_out == ()
    assert any("even if no one is charged or a suspect is acquitted" in n for n in result.notes)


@pytest.mark.parametrize("concerns", [False, None])
def test_suicide_without_coercive_control_concerns_stays_unknown(concerns: bool | None) -> None:
    result = assess(
        make(death_type="suicide", abuse_indicated=None, concerns_of_coercive_control=concerns)
    )
    assert check(result, "abuse").outcome == "unknown"
    assert result.outcome == "unclear"
    assert any("their own life" in q for q in result.to_find_out)


@pytest.mark.parametrize("death_type", sorted(set(DEATH_TYPES) - {"suicide"}))
def test_coercive_control_inference_is_only_for_suicide(death_type: str) -> None:
    """The guidance's suicide rule is specific; elsewhere the concern is shown, not inferred."""
    result = assess(
        make(death_type=death_type, abuse_indicated=None, concerns_of_coercive_control=True)
    )
    abuse = check(result, "abuse")
    assert abuse.outcome == "unknown"
    assert "coercive control" in abuse.reason


@pytest.mark.parametrize("death_type", sorted(DEATH_TYPES))
def test_abuse_no_conflicting_with_coercive_control_is_unclear_not_not_met(
    death_type: str,
) -> None:
    """Coercive control is abuse, so a "no" alongside it is not a *clear* no."""
    result = assess(
        make(death_type=death_type, abuse_indicated=False, concerns_of_coercive_control=True)
    )
    assert check(result, "abuse").outcome == "unknown"
    assert result.outcome == "unclear"
    assert any("which is right" in q for q in result.to_find_out)


# --- Charnwood: police NFA and accidental / open verdicts ---------------------------------------


@pytest.mark.parametrize("legal_test", BOTH_TESTS)
@pytest.mark.parametrize(("police_nfa", "verdict"), [(True, False), (False, True), (True, True)])
@pytest.mark.parametrize(
    ("abuse_indicated", "expected"), [(True, "met"), (None, "unclear"), (False, "not_met")]
)
def test_police_nfa_and_verdict_add_a_note_and_change_nothing_else(
    legal_test: str,
    police_nfa: bool,
    verdict: bool,
    abuse_indicated: bool | None,
    expected: str,
) -> None:
    plain = assess(make(legal_test=legal_test, abuse_indicated=abuse_indicated))
    flagged = assess(
        make(
            legal_test=legal_test,
            abuse_indicated=abuse_indicated,
            police_nfa=police_nfa,
            accidental_or_open_verdict=verdict,
        )
    )
    assert flagged.outcome == plain.outcome == expected
    assert flagged.checks == plain.checks
    assert flagged.to_find_out == plain.to_find_out
    notes = charnwood_notes(flagged)
    assert len(notes) == 1
    assert flagged.notes[0] == notes[0], "the Charnwood note must come first"
    assert ("police" in notes[0]) == police_nfa
    assert ("inquest verdict" in notes[0]) == verdict
    assert charnwood_notes(plain) == []


def test_charnwood_flag_with_abuse_recorded_no_warns_to_check_that_answer() -> None:
    result = assess(make(abuse_indicated=False, police_nfa=True))
    assert result.outcome == "not_met"
    assert any("rests on more than the police finding" in n for n in result.notes)


# --- notes common to every result ---------------------------------------------------------------


def test_advisory_note_is_always_last() -> None:
    for rel in RELATIONSHIPS:
        assert assess(make(relationship=rel)).notes[-1] == ADVISORY_NOTE


def test_not_met_reminds_that_decisions_not_to_review_are_scrutinised() -> None:
    assert any(
        "Home Office Quality Assurance panel" in n for n in assess(make(victim_age=15)).notes
    )
    assert not any("Home Office Quality Assurance panel" in n for n in assess(make()).notes)


def test_not_met_beats_unclear() -> None:
    """A clear "no" decides even when other answers are missing; the gaps are still listed."""
    result = assess(make(victim_age=None, relationship="none", death_type="unknown"))
    assert result.outcome == "not_met"
    assert len(result.to_find_out) == 2


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("legal_test", "dvcva_2005"),
        ("legal_test", ""),
        ("relationship", "cousin"),
        ("relationship", None),
        ("death_type", "murder"),
        ("death_type", "Homicide"),
    ],
)
def test_unknown_codes_raise_naming_field_and_value(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field) as excinfo:
        make(**{field: value})
    assert repr(value) in str(excinfo.value)


@pytest.mark.parametrize("field", ["victim_age", "perpetrator_age"])
@pytest.mark.parametrize("value", [-1, -40])
def test_negative_ages_raise(field: str, value: int) -> None:
    with pytest.raises(ValueError, match=field):
        make(**{field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("victim_age", 16.5),
        ("victim_age", "40"),
        ("victim_age", True),
        ("abuse_indicated", "yes"),
        ("police_nfa", None),
        ("accidental_or_open_verdict", 1),
        ("concerns_of_coercive_control", "no"),
    ],
)
def test_wrong_types_raise_naming_field(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field):
        make(**{field: value})


def test_age_zero_is_valid_and_under_16() -> None:
    assert assess(make(victim_age=0)).outcome == "not_met"


def test_replace_revalidates() -> None:
    with pytest.raises(ValueError, match="relationship"):
        dataclasses.replace(make(), relationship="neighbour")


# --- storage ------------------------------------------------------------------------------------


def test_result_to_dict_is_json_ready_and_round_trips() -> None:
    result = assess(
        make(legal_test=DA_ACT_2021, perpetrator_age=None, police_nfa=True, death_type="suicide")
    )
    stored = json.loads(json.dumps(result_to_dict(result)))
    assert stored["version"] == 1
    assert stored["legal_test"] == DA_ACT_2021
    assert stored["legal_test_label"] == LEGAL_TESTS[DA_ACT_2021]
    assert stored["outcome"] == "unclear"
    assert stored["checks"][0] == {
        "code": "age",
        "label": "Was the person who died aged 16 or over?",
        "outcome": "yes",
        "reason": result.checks[0].reason,
    }
    assert result_from_dict(stored) == result


# --- properties ---------------------------------------------------------------------------------

ages = st.one_of(st.none(), st.integers(min_value=0, max_value=120))
maybe_bool = st.one_of(st.none(), st.booleans())

inputs = st.builds(
    CriteriaInput,
    legal_test=st.sampled_from(sorted(LEGAL_TESTS)),
    victim_age=ages,
    relationship=st.sampled_from(sorted(RELATIONSHIPS)),
    death_type=st.sampled_from(sorted(DEATH_TYPES)),
    abuse_indicated=maybe_bool,
    perpetrator_age=ages,
    police_nfa=st.booleans(),
    accidental_or_open_verdict=st.booleans(),
    concerns_of_coercive_control=maybe_bool,
)


@given(inputs, st.booleans(), st.booleans())
def test_property_police_nfa_and_verdict_never_change_the_outcome(
    data: CriteriaInput, police_nfa: bool, verdict: bool
) -> None:
    flipped = dataclasses.replace(data, police_nfa=police_nfa, accidental_or_open_verdict=verdict)
    before, after = assess(data), assess(flipped)
    assert after.outcome == before.outcome
    assert after.checks == before.checks
    assert after.to_find_out == before.to_find_out
    assert bool(charnwood_notes(after)) == (police_nfa or verdict)


@given(inputs)
def test_property_outcome_follows_from_the_checks(data: CriteriaInput) -> None:
    result = assess(data)
    outcomes = [c.outcome for c in result.checks]
    assert set(outcomes) <= set(CHECK_OUTCOMES)
    if "no" in outcomes:
        assert result.outcome == "not_met"
    elif "unknown" in outcomes:
        assert result.outcome == "unclear"
    else:
        assert result.outcome == "met"
    assert len(result.to_find_out) == outcomes.count("unknown")
    assert all(q.endswith("?") for q in result.to_find_out)
    assert all(c.label and c.reason for c in result.checks)
    assert result.notes[-1] == ADVISORY_NOTE
    assert result_from_dict(json.loads(json.dumps(result_to_dict(result)))) == result


@given(inputs)
def test_property_not_met_only_from_a_clear_no(data: CriteriaInput) -> None:
    """not_met needs one of the clear failures named in the rules, and nothing else."""
    clear_failure = (
        (data.victim_age is not None and data.victim_age < 16)
        or data.relationship == "none"
        or (data.legal_test == DA_ACT_2021 and data.relationship == "household_member")
        or (
            data.legal_test == DA_ACT_2021
            and data.perpetrator_age is not None
            and data.perpetrator_age < 16
        )
        or (data.abuse_indicated is False and data.concerns_of_coercive_control is not True)
    )
    assert (assess(data).outcome == "not_met") == clear_failure
