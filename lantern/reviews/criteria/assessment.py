"""Does a death meet the criteria for a Domestic Homicide Review (or, under the 2021 test, a
Domestic Abuse Related Death Review)?

This is advice for the Community Safety Partnership chair, who decides in consultation with
partners; it never decides. It answers each statutory question separately ("yes", "no" or
"unknown") so that the chair sees *why*, and lists what still needs finding out, because in the
first weeks after a death many facts are not yet known and the decision is due within a month.

Three principles shape the rules:

* **"Appears to have" is a low bar** (High Court, Charnwood, 2025). A police finding of no
  third-party involvement / no further action, or an accidental-death or open inquest verdict,
  never by itself rules a review out. Those flags therefore only ever add notes: they cannot
  change a check or the outcome (a property test holds us to this).
* **Only a clear "no" gives "not_met".** Anything not known gives "unclear" with a question, so
  the software never nudges a chair towards not holding a review on missing information.
* **The legal test is data.** Which test applies changes with commencement of the Victims and
  Prisoners Act 2024 s19, so it is an input, recorded in the result, and its rules sit in tables.

Pure Python with no Django imports, so it is fast to test and can be reused by the CLI, the API
and any batch analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .codes import (
    DA_ACT_2021,
    DEATH_TYPES,
    DVCVA_2004_S9,
    LEGAL_TESTS,
    RELATIONSHIPS,
)
from .rules import (
    ABUSE_2004,
    ADVISORY_NOTE,
    CHARNWOOD_ABUSE_NO_NOTE,
    CHARNWOOD_NOTE,
    DEATH_TYPE_RULES,
    HOUSEHOLD_2021_NOTE,
    LABELS,
    NOT_MET_NOTE,
    RELATIONSHIP_RULES,
    SUICIDE_GUIDANCE_NOTE,
    UNDER_16_NOTE,
)

MIN_AGE = 16

RESULT_FORMAT_VERSION = 1


@dataclass(frozen=True)
class CriteriaInput:
    """The answers the assessment needs, as known at the time it is run.

    ``None`` always means "not known yet", never "no": the two lead to different outcomes.
    Codes and ages are validated on construction so that a bad value fails where it is made
    (a form, an import, a stored record) rather than deep inside the assessment.
    """

    legal_test: str  # "dvcva_2004_s9" | "da_act_2021"
    victim_age: int | None  # at death; None = unknown
    relationship: str  # a RELATIONSHIPS code: the (suspected) perpetrator, to the person who died
    death_type: str  # a DEATH_TYPES code
    abuse_indicated: bool | None  # death has or appears to have resulted from violence, abuse...
    perpetrator_age: int | None = None  # needed for da_act_2021 (at the time of the abuse)
    police_nfa: bool = False  # police found no third-party involvement / took no further action
    accidental_or_open_verdict: bool = False
    concerns_of_coercive_control: bool | None = None  # relevant especially for suicide

    def __post_init__(self) -> None:
        _check_code("legal_test", self.legal_test, LEGAL_TESTS)
        _check_code("relationship", self.relationship, RELATIONSHIPS)
        _check_code("death_type", self.death_type, DEATH_TYPES)
        _check_age("victim_age", self.victim_age)
        _check_age("perpetrator_age", self.perpetrator_age)
        _check_bool("police_nfa", self.police_nfa, optional=False)
        _check_bool("accidental_or_open_verdict", self.accidental_or_open_verdict, optional=False)
        _check_bool("abuse_indicated", self.abuse_indicated, optional=True)
        _check_bool(
            "concerns_of_coercive_control", self.concerns_of_coercive_control, optional=True
        )


@dataclass(frozen=True)
class Check:
    """One statutory question and its answer, with the reason in plain English."""

    code: str  # "age", "relationship", "abuse", "perpetrator_age", "death_type"
    label: str  # plain-English question, e.g. "Was the person who died aged 16 or over?"
    outcome: str  # "yes" | "no" | "unknown"
    reason: str  # plain-English explanation citing the rule


@dataclass(frozen=True)
class CriteriaResult:
    """The advice: an overall outcome, the checks behind it, notes, and the open questions."""

    legal_test: str
    outcome: str  # "met" | "not_met" | "unclear"
    checks: tuple[Check, ...]
    notes: tuple[str, ...]  # e.g. the Charnwood note, the suicide guidance note
    to_find_out: tuple[str, ...]  # the unknowns, as questions


# --- validation --------------------------------------------------------------------------------


def _check_code(field: str, value: object, allowed: dict[str, str]) -> None:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(
            f"{field}: unknown code {value!r}; expected one of {', '.join(sorted(allowed))}"
        )


def _check_age(field: str, value: object) -> None:
    if value is None:
        return
    # bool is a subclass of int; True is not an age.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{field}: {value!r} is not a whole number of years (or None)")
    if value < 0:
        raise ValueError(f"{field}: {value!r} is negative; an age cannot be below 0")


def _check_bool(field: str, value: object, *, optional: bool) -> None:
    if value is None and optional:
        return
    if not isinstance(value, bool):
        expected = "True, False or None" if optional else "True or False"
        raise ValueError(f"{field}: {value!r} is not {expected}")


# --- the checks --------------------------------------------------------------------------------


def _age_check(data: CriteriaInput) -> tuple[Check, str]:
    label = LABELS[data.legal_test]["age"]
    rule = (
        "Section 9 covers the death of a person aged 16 or over"
        if data.legal_test == DVCVA_2004_S9
        else "The 2021 definition needs both people to be aged 16 or over (Domestic Abuse Act "
        "2021 s1(2)(a))"
    )
    age = data.victim_age
    if age is None:
        return (
            Check("age", label, "unknown", f"{rule}; the age of the person who died is not known."),
            "How old was the person who died?",
        )
    outcome = "yes" if age >= MIN_AGE else "no"
    return Check("age", label, outcome, f"{rule}; the person who died was {age}."), ""


def _relationship_check(data: CriteriaInput) -> tuple[Check, str]:
    rule = RELATIONSHIP_RULES[data.legal_test][data.relationship]
    label = LABELS[data.legal_test]["relationship"]
    return Check("relationship", label, rule.outcome, rule.reason), rule.question


def _perpetrator_age_check(data: CriteriaInput) -> tuple[Check, str]:
    """Only the 2021 definition limits the perpetrator's age (s1(2)(a)); s9 does not."""
    label = LABELS[data.legal_test]["perpetrator_age"]
    rule = (
        "The 2021 definition needs both people to be aged 16 or over at the time of the "
        "behaviour (Domestic Abuse Act 2021 s1(2)(a))"
    )
    age = data.perpetrator_age
    if age is None:
        return (
            Check(
                "perpetrator_age",
                label,
                "unknown",
                f"{rule}; the (suspected) perpetrator's age is not known.",
            ),
            "How old was the (suspected) perpetrator at the time of the abuse?",
        )
    outcome = "yes" if age >= MIN_AGE else "no"
    reason = f"{rule}; the (suspected) perpetrator was {age}."
    return Check("perpetrator_age", label, outcome, reason), ""


def _death_type_check(data: CriteriaInput) -> tuple[Check, str]:
    rule = DEATH_TYPE_RULES[data.legal_test][data.death_type]
    label = LABELS[data.legal_test]["death_type"]
    return Check("death_type", label, rule.outcome, rule.reason), rule.question


def _abuse_check(data: CriteriaInput) -> tuple[Check, str]:
    """Answer the abuse question.

    Two departures from simply echoing ``abuse_indicated``, both erring towards a review:

    * suicide, abuse not yet known, and concerns of coercive control: treated as "yes", as the
      statutory guidance says to hold a review in exactly those circumstances;
    * abuse recorded as not indicated *and* concerns of coercive control (which is itself
      abuse): the answers conflict, so "unknown" rather than a "no" that would give not_met.
    """
    label = LABELS[data.legal_test]["abuse"]
    words = ABUSE_2004 if data.legal_test == DVCVA_2004_S9 else "domestic abuse"
    cc = data.concerns_of_coercive_control
    question = (
        f"Has the death resulted, or does it appear to have resulted (a low bar), from {words} "
        "by the (suspected) perpetrator?"
    )
    if data.death_type == "suicide":
        question = (
            "Are there concerns, such as coercive control, that abuse by the (suspected) "
            "perpetrator contributed to the person taking their own life?"
        )

    if data.abuse_indicated is True:
        return Check(
            "abuse", label, "yes", f"The death has, or appears to have, resulted from {words}."
        ), ""
    if data.abuse_indicated is False and cc is True:
        return Check(
            "abuse",
            label,
            "unknown",
            "The answers conflict: abuse is recorded as not indicated, but there are concerns of "
            "coercive control, which is itself abuse. Resolve this before relying on a 'no'.",
        ), (
            "Abuse is recorded as not indicated, but there are concerns of coercive control: "
            "which is right?"
        )
    if data.abuse_indicated is False:
        return Check(
            "abuse",
            label,
            "no",
            f"Recorded that the death did not result, and does not appear to have resulted, "
            f"from {words}.",
        ), ""
    if data.death_type == "suicide" and cc is True:
        return Check(
            "abuse",
            label,
            "yes",
            "Treated as 'yes': the person took their own life and there are concerns of coercive "
            "control. Statutory guidance says to hold a review in these circumstances, even if no "
            "one is charged or a suspect is acquitted.",
        ), ""
    reason = f"Not known yet whether the death has, or appears to have, resulted from {words}."
    if cc is True:
        reason += " Concerns of coercive control are recorded; weigh them in answering."
    return Check("abuse", label, "unknown", reason), question


# --- the assessment ----------------------------------------------------------------------------


def _notes(data: CriteriaInput, checks: tuple[Check, ...], outcome: str) -> tuple[str, ...]:
    """Notes in order of prominence: the Charnwood warning comes first whenever it applies."""
    notes: list[str] = []
    police = (
        "A police finding of no third-party involvement, or a police decision to take no "
        "further action,"
    )
    verdict = "an accidental death or open inquest verdict"
    what = ""
    if data.police_nfa and data.accidental_or_open_verdict:
        what = f"{police} or {verdict},"
    elif data.police_nfa:
        what = police
    elif data.accidental_or_open_verdict:
        what = verdict[0].upper() + verdict[1:]
    if what:
        notes.append(CHARNWOOD_NOTE.format(what=what))
        abuse = next(c for c in checks if c.code == "abuse")
        if abuse.outcome == "no":
            notes.append(CHARNWOOD_ABUSE_NO_NOTE)
    if data.death_type == "suicide":
        notes.append(SUICIDE_GUIDANCE_NOTE)
    if data.legal_test == DA_ACT_2021 and data.relationship == "household_member":
        notes.append(HOUSEHOLD_2021_NOTE)
    if data.victim_age is not None and data.victim_age < MIN_AGE:
        notes.append(UNDER_16_NOTE)
    if outcome == "not_met":
        notes.append(NOT_MET_NOTE)
    notes.append(ADVISORY_NOTE)
    return tuple(notes)


def _overall(checks: tuple[Check, ...]) -> str:
    """A clear "no" anywhere is not_met; otherwise any unknown is unclear; otherwise met."""
    outcomes = {c.outcome for c in checks}
    if "no" in outcomes:
        return "not_met"
    if "unknown" in outcomes:
        return "unclear"
    return "met"


def assess(data: CriteriaInput) -> CriteriaResult:
    """Assess the answers against the legal test they name and return advice for the chair.

    Checks come in a fixed order: age, relationship, perpetrator_age (2021 test only, since
    s9 does not limit the perpetrator's age), death_type, abuse. ``to_find_out`` has one
    question per "unknown" check, in the same order, and is filled whatever the outcome, so a
    chair looking at a not_met case still sees what is missing.
    """
    # Re-validate in case the instance was built by bypassing __init__ (e.g. object.__new__).
    CriteriaInput.__post_init__(data)
    steps = [_age_check, _relationship_check]
    if data.legal_test == DA_ACT_2021:
        steps.append(_perpetrator_age_check)
    steps += [_death_type_check, _abuse_check]

    checks: list[Check] = []
    questions: list[str] = []
    for step in steps:
        check, question = step(data)
        checks.append(check)
        if check.outcome == "unknown":
            questions.append(question)

    checks_t = tuple(checks)
    outcome = _overall(checks_t)
    return CriteriaResult(
        legal_test=data.legal_test,
        outcome=outcome,
        checks=checks_t,
        notes=_notes(data, checks_t, outcome),
        to_find_out=tuple(questions),
    )


# --- storage -----------------------------------------------------------------------------------


def result_to_dict(result: CriteriaResult) -> dict[str, Any]:
    """A JSON-ready snapshot to store with the decision.

    The words are stored as shown, not regenerated later, because the record must show what
    the chair saw when deciding even if the wording or the rules change afterwards. ``version``
    lets a later reader recognise this layout.
    """
    return {
        "version": RESULT_FORMAT_VERSION,
        "legal_test": result.legal_test,
        "legal_test_label": LEGAL_TESTS.get(result.legal_test, result.legal_test),
        "outcome": result.outcome,
        "checks": [
            {"code": c.code, "label": c.label, "outcome": c.outcome, "reason": c.reason}
            for c in result.checks
        ],
        "notes": list(result.notes),
        "to_find_out": list(result.to_find_out),
    }


def result_from_dict(data: dict[str, Any]) -> CriteriaResult:
    """Rebuild a stored snapshot (the inverse of ``result_to_dict``) for display.

    Extra keys (such as ``legal_test_label``) are ignored; missing keys raise ``KeyError``.
    """
    return CriteriaResult(
        legal_test=data["legal_test"],
        outcome=data["outcome"],
        checks=tuple(
            Check(code=c["code"], label=c["label"], outcome=c["outcome"], reason=c["reason"])
            for c in data["checks"]
        ),
        notes=tuple(data["notes"]),
        to_find_out=tuple(data["to_find_out"]),
    )
