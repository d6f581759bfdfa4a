"""DASH level and score and MARAC/MASH referrals, read from the prose agencies write."""

from __future__ import annotations

import pytest

from lantern.chronology.importer.risk import RiskReading, level_for_score, read_risk


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", RiskReading()),
        ("DASH: high (15)", RiskReading("high", 15)),
        ("DASH: standard (4/24). Notification to MASH: children in household.",
         RiskReading("standard", 4, mash_referral=True)),
        ("DASH: medium (11/24). Referral to MASH (children present).",
         RiskReading("medium", 11, mash_referral=True)),
        ("DASH: high (15/24): strangulation, threats to kill. No MARAC referral made.",
         RiskReading("high", 15)),
        ("DASH: high (17/24). MARAC referral submitted the same day.",
         RiskReading("high", 17, marac_referral=True)),
        ("High risk; MARAC", RiskReading("high", marac_referral=True)),
        ("MARAC: heard", RiskReading(marac_referral=True)),
        ("MARAC threshold not met", RiskReading()),
        ("MASH: standard; no further action", RiskReading(mash_referral=True)),
        ("Referred to MASH, no MARAC", RiskReading(mash_referral=True)),
        ("DASH: not completed (victim intoxicated)", RiskReading()),
        ("DASH score 16", RiskReading("high", 16)),
        ("DASH completed: 12 ticks", RiskReading("medium", 12)),
        ("DASH 9 out of 24", RiskReading("standard", 9)),
        ("DASH low", RiskReading("standard")),
        ("DASH: 31", RiskReading()),  # not a DASH score: 24 questions
        ("Bail breach recorded; DASH not repeated.", RiskReading()),
    ],
)  # fmt: skip
def test_risk_text_is_read(text: str, expected: RiskReading) -> None:
    assert read_risk(text) == expected


def test_score_bands_are_a_parameter() -> None:
    local = ((17, "high"), (12, "medium"), (0, "standard"))
    assert read_risk("DASH score 15", bands=local) == RiskReading("medium", 15)
    assert [level_for_score(s) for s in (0, 9, 10, 13, 14, 24)] == [
        "standard",
        "standard",
        "medium",
        "medium",
        "high",
        "high",
    ]


@pytest.mark.parametrize(
    "text",
    ["MARAC: information received", "MASH contact from police", "MARAC minutes circulated"],
)
def test_information_coming_in_is_not_a_referral(text: str) -> None:
    reading = read_risk(text)
    assert not reading.marac_referral and not reading.mash_referral
