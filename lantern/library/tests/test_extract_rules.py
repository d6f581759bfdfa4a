# ruff: noqa: E501 (regular expressions and phrase tables read better unbroken)
"""The extraction rules, one table per fact, on sentences written for these tests."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.library.extract import FACT_KEYS, age_band, extract_facts, people
from lantern.library.extract import flags as flag_rules
from lantern.library.extract.recommendations import addressee_of, theme_of
from lantern.library.extract.scan import anchors, finditer
from lantern.library.extract.text import Document


def facts(text: str) -> dict:
    return extract_facts(text).values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "This review was commissioned by Northbrook Community Safety Partnership in May 2020.",
            "Northbrook Community Safety Partnership",
        ),
        (
            "EASTFIELD AND MARSH COMMUNITY SAFETY PARTNERSHIP\n\nDomestic Homicide Review",
            "Eastfield and Marsh Community Safety Partnership",
        ),
        (
            "The review was undertaken by the Safer Kelby Partnership on behalf of West Kelby Community Safety Partnership.",
            "West Kelby Community Safety Partnership",
        ),
        (
            "Copies go to Kelby Safer Communities Partnership.",
            "Kelby Safer Communities Partnership",
        ),
        (
            "The Safe in the Valley Partnership decided to hold a review.",
            "Safe in the Valley Partnership",
        ),
        ("The hospital trust and the police attended.", None),
    ],
)
def test_partnership(text: str, expected: str | None) -> None:
    assert facts(text)["csp"] == expected


@pytest.mark.parametrize(
    ("text", "year", "report_year"),
    [
        (
            "Review into the death of Mina in March 2019\nReport author: A Person\nJune 2021\n",
            2019,
            2021,
        ),
        (
            "Final report, October 2017.\n\nTom died at his home in January 2016. He was sentenced in July 2016.",
            2016,
            2017,
        ),
        ("On 07.05.2012 the body of Mina was found by neighbours.", 2012, None),
        ("The perpetrator was convicted of murder in November 2015.", None, None),
        (
            "Date of report: 3 May 2022\n\nThe review examines the death of Mina, who was killed in August 2020.",
            2020,
            2022,
        ),
    ],
)
def test_years(text: str, year: int | None, report_year: int | None) -> None:
    values = facts(text)
    assert (values["year"], values["report_year"]) == (year, report_year)


@pytest.mark.parametrize(
    ("text", "pseudonym", "sex"),
    [
        (
            "The pseudonym 'Mina' has been used for the victim. Mina was 40 years old when she died.",
            "Mina",
            "female",
        ),
        ("This review examines the death of Mr T, who was killed by his partner.", "Mr T", "male"),
        ("The victim is referred to as 'Rory'. Rory was killed by his brother.", "Rory", "male"),
        (
            "In this report the victim is known as Dee. The perpetrator is referred to as Sam.",
            "Dee",
            None,
        ),
        (
            "Kit (not her real name) was murdered in 2019 by Lou (not his real name).",
            "Kit",
            "female",
        ),
        ("The review concerns the death of a woman aged 80.", None, "female"),
        ("VICTIM FEMALE B\n\nThe death of Female B was reported.", "Female B", "female"),
    ],
)
def test_pseudonym_and_sex(text: str, pseudonym: str | None, sex: str | None) -> None:
    values = facts(text)
    assert (values["pseudonym"], values["victim_sex"]) == (pseudonym, sex)


@pytest.mark.parametrize(
    ("age", "band"),
    [(15, None), (16, "16-19"), (19, "16-19"), (20, "20-24"), (34, "25-34"), (35, "35-44"),
     (54, "45-54"), (64, "55-64"), (65, "65+"), (101, "65+")],
)  # fmt: skip
def test_home_office_age_bands(age: int, band: str | None) -> None:
    assert age_band(age) == band


def test_an_age_range_maps_only_inside_one_band() -> None:
    assert age_band(60, 64) == "55-64"
    assert age_band(60, 69) is None


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("The pseudonym 'Mina' is used. Mina, aged 73, lived alone.", "65+"),
        ("The pseudonym 'Mina' is used. Mina (22) had a young son, aged 3.", "20-24"),
        ("The death of Mr Q. Mr Q (60-64) lived in a flat.", "55-64"),
        ("This is about the death of a 45-year-old woman.", "45-54"),
        ("The pseudonym 'Mina' is used. Her son, aged 12, was at school.", None),
    ],
)
def test_victim_age_band(text: str, band: str | None) -> None:
    assert facts(text)["victim_age_band"] == band


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Mina was killed by her husband in 2019.", "current_partner"),
        ("Mina was killed by her estranged husband.", "former_partner"),
        ("Mina was murdered by her ex-partner, Sam.", "former_partner"),
        ("Sam killed his mother at the family home.", "son_or_daughter"),
        ("The homicide of a woman by her own son was not predictable.", "son_or_daughter"),
        ("Mina was killed by her grandson.", "grandchild"),
        ("Ron was stabbed by his daughter; she was arrested.", "son_or_daughter"),
        ("Ron killed his father after an argument.", "son_or_daughter"),
        ("Ron was killed by his father after an argument.", "parent"),
        (
            "The perpetrator was a lodger with whom she had been in an intimate relationship.",
            "current_partner",
        ),
        ("The perpetrator was a lodger at the house.", "household_member"),
        ("The woman's husband, the Perpetrator, was charged with murder.", "current_partner"),
        (
            "Mina died from neglect while living with her boyfriend, Sam, who was the perpetrator.",
            "current_partner",
        ),
        ("Mina lived alone and had many friends.", None),
    ],
)
def test_relationship(text: str, category: str | None) -> None:
    assert facts(text)["relationship_category"] == category


@pytest.mark.parametrize(
    ("text", "death_type"),
    [
        ("Mina was killed by her partner. He was convicted of murder.", "homicide"),
        ("This Domestic Homicide Review concerns Mina, who took her own life in 2020.", "suicide"),
        (
            "Domestic Homicide Reviews were established under section 9. Mina died by suicide.",
            "suicide",
        ),
        ("The coroner recorded that Mina died from neglect.", "other"),
        ("Mina died in 2020; how she died is not known.", "unknown"),
        ("The Domestic Homicide Review panel met in May.", None),
    ],
)
def test_death_type(text: str, death_type: str | None) -> None:
    assert facts(text)["death_type"] == death_type


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Information was received from 12 agencies that had contact with Mina.", 12),
        ("Seven agencies provided chronologies and IMRs.", 7),
        ("IMRs were requested from five agencies.", 5),
        (
            "The following agencies submitted chronologies:\n\n- Kelby Police\n\n- Kelby NHS Trust\n\n- Kelby Council\n\nEach report was signed off.",
            3,
        ),
        ("The panel included representatives of 9 agencies.", None),
    ],
)
def test_agencies_count(text: str, count: int | None) -> None:
    assert facts(text)["agencies_count"] == count


REPORT_END = """8. Lessons learned

Agencies should talk to each other.

9. Recommendations

The review makes three recommendations.

Overarching recommendations

1. Kelby Community Safety Partnership should run a campaign to raise awareness of coercive control.
2. The Home Office should update its guidance on reviews where the victim took their own life.
3. Kelby Police should make sure that officers complete a DASH risk assessment at every domestic incident.

Single agency recommendations

Kelby NHS Foundation Trust

4. The Trust should train its emergency department staff to ask about abuse.

Kelby Fire and Rescue Service

5. The service should share home safety visit findings with partner agencies.

Appendix A: Action plan

1 | Local | Kelby Community Safety Partnership | Open
"""


def test_numbered_recommendations_with_addressee_theme_and_counts() -> None:
    values = facts(REPORT_END)
    recs = values["recommendations"]
    assert [r["addressee"] for r in recs] == [
        "csp",
        "national_government",
        "police",
        "health",
        "csp",
    ]
    assert [r["theme"] for r in recs] == [
        "awareness_raising", "policy", "identification_of_risk", "training", "multi_agency_working",
    ]  # fmt: skip
    assert recs[0]["text"].startswith("Kelby Community Safety Partnership should run a campaign")
    assert values["overarching_recommendations"] == 3
    assert values["single_agency_recommendations"] == 2


def test_recommendations_run_together_by_pdf_extraction_are_split_again() -> None:
    text = (
        "9. Recommendations of the review The panel made two recommendations. 1. Kelby Police "
        "should review its policy on repeat callers. 2. Kelby Council should audit case notes "
        "so that decisions are recorded. Single agency recommendations Kelby Homes (housing "
        "association) 3. Kelby Homes should train staff to recognise the signs of abuse.\n\n"
        "Appendix A"
    )
    values = facts(text)
    assert [r["text"][:16] for r in values["recommendations"]] == [
        "Kelby Police sho", "Kelby Council sh", "Kelby Homes shou",
    ]  # fmt: skip
    assert values["overarching_recommendations"] == 2
    assert values["single_agency_recommendations"] == 1


def test_a_contents_line_is_not_a_recommendations_section() -> None:
    values = facts("CONTENTS\n9. Recommendations 43 - 44\n10. Appendix 45\n")
    assert values["recommendations"] == []
    assert values["overarching_recommendations"] is None


@pytest.mark.parametrize(
    ("text", "addressee"),
    [
        ("Kelby Constabulary should review its training.", "police"),
        ("The ICB should remind GPs to ask about abuse.", "health"),
        ("Adult social care should check its records.", "social_services"),
        ("The IDVA service should offer outreach.", "idva_da_service"),
        ("The Probation Service should share risk assessments.", "probation"),
        ("Kelby Homes housing team should flag tenancies.", "housing"),
        ("Schools should teach healthy relationships.", "school"),
        ("Employers should adopt a domestic abuse policy.", "employer"),
        ("Faith leaders and churches should be offered training.", "faith_body"),
        ("The Ministry of Defence should tell veterans' services.", "national_government"),
        ("The Partnership should publish a briefing.", "csp"),
        ("Someone should do something.", None),
    ],
)
def test_addressee(text: str, addressee: str | None) -> None:
    assert addressee_of(text) == addressee


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        (
            "The police should change the IT system so that an alert is raised.",
            "technology_systems",
        ),
        ("The Trust should deliver training to midwives.", "training"),
        ("Agencies should share information through the MARAC.", "multi_agency_working"),
        ("GPs should ask routinely about abuse to identify risk.", "identification_of_risk"),
        ("Staff should make sure that records are accurate and complete.", "record_keeping"),
        ("The CSP should run a public awareness campaign.", "awareness_raising"),
        ("The council should revise its procedure.", "policy"),
        ("Something else entirely.", "policy"),
    ],
)
def test_recommendation_theme(text: str, theme: str) -> None:
    assert theme_of(text) == theme


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("The pseudonym 'Mina' is used. Mina was killed by her husband. He had schizophrenia.",
         {"mental_health_perpetrator"}, {"mental_health_victim"}),
        ("The pseudonym 'Mina' is used. Mina was killed by her husband. She had depression for years.",
         {"mental_health_victim"}, {"mental_health_perpetrator"}),
        ("The pseudonym 'Mina' is used. Mina was killed by her husband. There was no evidence of alcohol misuse.",
         set(), {"substance_use_victim", "substance_use_perpetrator"}),
        ("MARAC Multi-Agency Risk Assessment Conference\nDASH Domestic Abuse, Stalking and Harassment\n",
         set(), {"marac", "dash", "stalking"}),
        ("Mina's case was heard at MARAC after a DASH assessment.", {"marac", "dash"}, set()),
        ("Mina rang the police after he smashed her phone.", {"police_contact"}, set()),
        ("Police attended and found the body of Mina.", set(), {"police_contact"}),
        ("There was good use of research on non-fatal strangulation.", set(), {"strangulation"}),
        ("During the lockdown she saw her GP by telephone.", {"covid", "health_contact"}, set()),
        ("He had stalked her for months and she was pregnant.", {"stalking", "children"}, set()),
    ],
)  # fmt: skip
def test_theme_flags(text: str, present: set[str], absent: set[str]) -> None:
    themes = set(facts(text)["themes"])
    assert present <= themes
    assert not (absent & themes)


def test_flags_implied_by_other_facts() -> None:
    themes = facts("The pseudonym 'Mina' is used. Mina, aged 81, was killed by her son.")["themes"]
    assert {"older_victim", "adult_family_violence"} <= set(themes)


def test_every_flag_is_in_the_vocabulary() -> None:
    import yaml

    from lantern.themes.vocabulary import VOCABULARY_PATH

    data = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    assert [f["code"] for f in data["library_flags"]] == list(flag_rules.FLAG_CODES)
    addressees = [a["code"] for a in data["home_office_library"]["recommendation_addressees"]]
    from lantern.library.extract import ADDRESSEES, RECOMMENDATION_THEMES

    assert addressees == list(ADDRESSEES)
    themes = [t["code"] for t in data["home_office_library"]["recommendation_themes"]]
    assert themes == list(RECOMMENDATION_THEMES)


def test_every_key_is_present_and_evidence_points_into_the_text() -> None:
    text = (
        "Page one.\n\nThe pseudonym 'Mina' is used.\n\nMina was killed by her husband in May 2019."
    )
    pages = [(1, 0), (2, text.index("The pseudonym")), (3, text.index("Mina was"))]
    result = extract_facts(text, pages=pages, filename="x.txt")
    data = result.as_dict()
    assert set(FACT_KEYS) <= set(data)
    assert data["agencies_count"] is None and data["themes"] == [] and data["recommendations"] == []
    pseudonym = result.evidence["pseudonym"]
    assert pseudonym.page == 2 and "Mina" in text[pseudonym.start : pseudonym.end]
    relationship = result.evidence["relationship_category"]
    assert relationship.page == 3 and "husband" in relationship.passage
    assert data["evidence"]["year"]["passage"] == "Mina was killed by her husband in May 2019."


def test_empty_text_gives_nothing() -> None:
    values = facts("")
    assert all(values[k] in (None, []) for k in FACT_KEYS)


def test_a_victim_name_is_not_taken_from_a_perpetrator() -> None:
    text = "Alina (not her real name) was murdered in August 2016 by David (not his real name)."
    victim = people.extract_pseudonym(Document(text))
    assert victim.pseudonym == "Alina"


WORDS = st.sampled_from(
    ["Mina", "was", "killed", "by", "her", "husband", "the", "police", "attended", "  ", "\t",
     "domestic", "abuse", "history", "of", "MARAC", "ex-partner", ".", ",", "\n", "estranged",
     "alcohol", "GP", "hospital", "order", "death", "in", "May", "2019", "took", "own", "life"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=60).map(" ".join))
def test_the_fast_scan_finds_what_finditer_finds(text: str) -> None:
    lower = text.lower()
    patterns = [re.compile(p, re.IGNORECASE) for p in flag_rules.PLAIN.values()]
    patterns += [p for _, p in people.PERP_IS_REL] + [people.VICTIM_IS_REL]
    for pattern in patterns:
        assert anchors(pattern) is not None, pattern.pattern
        expected = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in finditer(pattern, text, lower)] == expected
