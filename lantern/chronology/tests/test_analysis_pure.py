"""The analysis as pure functions: each definition of the contract, and each flag both ways."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

import pytest

from lantern.chronology.analysis import EntryFact, Rules, analyse, build_analysis
from lantern.chronology.analysis.dates import add_months, whole_months_between
from lantern.chronology.analysis.knowledge import coverage
from lantern.chronology.analysis.network import circle_layout
from lantern.chronology.analysis.text import (
    AgencyNames,
    dash_from_text,
    dash_recorded,
    marac_referral,
    referrals_in,
    short_label,
)

DEATH = date(2024, 9, 20)
POLICE = "Northbridge Police"
GP = "Kestrel Lane Surgery, Northbridge"
HOUSING = "Northbridge Homes"
CSC = "Northbridge Council Children's Social Care"
DA = frozenset({"domestic_abuse"})

_ids = count(1)


def fact(agency: str, day: date, **kwargs) -> EntryFact:
    kwargs.setdefault("subject", "victim")
    return EntryFact(id=next(_ids), agency=agency, date=day, **kwargs)


def run(entries: list[EntryFact], death: date | None = DEATH, **kwargs) -> dict:
    return analyse(review="NB-1", date_of_death=death, entries=entries, **kwargs)


def kinds(result: dict, kind: str) -> list[dict]:
    return [f for f in result["flags"] if f["kind"] == kind]


# --- the contract's keys -------------------------------------------------------------------------


def test_contract_keys_and_agency_keys() -> None:
    result = run([fact(POLICE, date(2024, 1, 5), themes=DA)])
    contract = {
        "review",
        "date_of_death",
        "entries",
        "agencies",
        "themes",
        "single_issue_agencies",
        "days_without_contact_before_death",
        "monthly_contacts",
        "flags",
    }
    assert contract <= set(result)
    assert list(result)[: len(contract)] == [
        "review",
        "date_of_death",
        "entries",
        "agencies",
        "themes",
        "single_issue_agencies",
        "days_without_contact_before_death",
        "monthly_contacts",
        "flags",
    ]
    assert result["agencies"] == [
        {
            "agency": POLICE,
            "entries": 1,
            "first_contact": "2024-01-05",
            "last_contact": "2024-01-05",
            "themes": ["domestic_abuse"],
            "theme_coverage": 1.0,
        }
    ]
    assert result["review"] == "NB-1"
    assert result["date_of_death"] == "2024-09-20"


def test_empty_chronology() -> None:
    result = run([])
    assert result["entries"] == 0
    assert result["agencies"] == []
    assert result["themes"] == []
    assert result["days_without_contact_before_death"] is None
    assert result["monthly_contacts"] == {}
    assert result["flags"] == []


# --- contacts and dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "precision", "counted", "as_date"),
    [
        (date(2024, 9, 19), "day", True, "2024-09-19"),
        (date(2024, 9, 20), "day", False, None),  # on the date of death
        (date(2024, 9, 21), "day", False, None),  # after it
        # "September 2024" counts as 1 September, before the death on the 20th
        (date(2024, 9, 1), "month", True, "2024-09-01"),
        (date(2024, 9, 25), "month", True, "2024-09-01"),
        (date(2024, 10, 1), "month", False, None),
    ],
)
def test_which_entries_count_as_contacts(day, precision, counted, as_date) -> None:
    result = run([fact(POLICE, date(2024, 1, 10)), fact(GP, day, precision=precision)])
    agencies = {a["agency"]: a for a in result["agencies"]}
    assert (GP in agencies) is counted
    assert result["entries"] == (2 if counted else 1)
    if counted:
        assert agencies[GP]["first_contact"] == as_date
        assert agencies[GP]["last_contact"] == as_date


def test_days_without_contact_is_death_minus_last_entry_of_any_agency() -> None:
    result = run(
        [
            fact(POLICE, date(2024, 5, 1)),
            fact(GP, date(2024, 6, 15)),
            fact(GP, date(2024, 6, 1)),
            fact(HOUSING, DEATH),  # on the day of death: not a contact
        ]
    )
    assert result["days_without_contact_before_death"] == (DEATH - date(2024, 6, 15)).days == 97
    assert result["last_contact"] == {"date": "2024-06-15", "agencies": [GP]}
    assert result["months_without_contact_before_death"] == 3
    assert result["entries_on_or_after_death"] == 1


def test_without_a_date_of_death_everything_counts_and_no_silence() -> None:
    result = run([fact(POLICE, date(2030, 1, 1))], death=None)
    assert result["entries"] == 1
    assert result["date_of_death"] is None
    assert result["days_without_contact_before_death"] is None


def test_first_and_last_contact_and_entry_counts_per_agency() -> None:
    result = run(
        [
            fact(GP, date(2023, 3, 9)),
            fact(GP, date(2022, 11, 2)),
            fact(GP, date(2023, 1, 17), precision="month"),
            fact(POLICE, date(2024, 2, 2)),
        ]
    )
    gp = next(a for a in result["agencies"] if a["agency"] == GP)
    assert (gp["entries"], gp["first_contact"], gp["last_contact"]) == (
        3,
        "2022-11-02",
        "2023-03-09",
    )
    assert result["entries"] == 4


def test_every_subject_counts_unless_filtered() -> None:
    entries = [
        fact(POLICE, date(2024, 1, 1), subject="victim"),
        fact(POLICE, date(2024, 1, 2), subject="perpetrator"),
        fact(CSC, date(2024, 1, 3), subject="child"),
        fact(GP, date(2024, 1, 4), subject=""),
    ]
    assert run(entries)["entries"] == 4
    only = run(entries, subject="perpetrator")
    assert only["entries"] == 1
    assert [a["agency"] for a in only["agencies"]] == [POLICE]
    assert only["subject"] == "perpetrator"


def test_monthly_contacts_run_from_first_to_last_month_with_zeros() -> None:
    result = run(
        [
            fact(POLICE, date(2023, 11, 30)),
            fact(GP, date(2023, 11, 1)),
            fact(GP, date(2024, 2, 14), precision="month"),
            fact(GP, DEATH + timedelta(days=1)),  # after the death: no month for it
        ]
    )
    assert result["monthly_contacts"] == {
        "2023-11": 2,
        "2023-12": 0,
        "2024-01": 0,
        "2024-02": 1,
    }
    assert result["agency_monthly_contacts"][GP] == {
        "2023-11": 1,
        "2023-12": 0,
        "2024-01": 0,
        "2024-02": 1,
    }


# --- themes --------------------------------------------------------------------------------------


def test_themes_totality_coverage_and_single_issue_agencies() -> None:
    result = run(
        [
            fact(POLICE, date(2024, 1, 1), themes=frozenset({"domestic_abuse", "substance_use"})),
            fact(POLICE, date(2024, 1, 2), themes=frozenset({"domestic_abuse"})),
            fact(GP, date(2024, 1, 3), themes=frozenset({"mental_health"})),
            fact(HOUSING, date(2024, 1, 4)),
        ]
    )
    assert result["themes"] == ["domestic_abuse", "mental_health", "substance_use"]
    by = {a["agency"]: a for a in result["agencies"]}
    assert by[POLICE]["themes"] == ["domestic_abuse", "substance_use"]
    assert by[POLICE]["theme_coverage"] == 0.67
    assert by[GP]["theme_coverage"] == 0.33
    assert by[HOUSING]["themes"] == []
    assert by[HOUSING]["theme_coverage"] == 0.0
    assert result["single_issue_agencies"] == [GP]


@pytest.mark.parametrize(
    ("known", "total", "expected"),
    [(1, 3, 0.33), (2, 3, 0.67), (3, 3, 1.0), (0, 5, 0.0), (0, 0, 0.0), (5, 7, 0.71), (1, 6, 0.17)],
)
def test_coverage_to_two_decimals(known, total, expected) -> None:
    assert coverage(known, total) == expected


def test_themes_of_entries_after_death_do_not_count() -> None:
    result = run(
        [
            fact(POLICE, date(2024, 1, 1), themes=DA),
            fact(POLICE, DEATH, themes=frozenset({"self_harm_suicide"})),
        ]
    )
    assert result["themes"] == ["domestic_abuse"]


def test_agencies_are_sorted_by_name() -> None:
    result = run(
        [
            fact("Zeta Service", date(2024, 1, 1)),
            fact("Alpha Service", date(2024, 1, 2)),
            fact("Mu Service", date(2024, 1, 3)),
        ]
    )
    assert [a["agency"] for a in result["agencies"]] == [
        "Alpha Service",
        "Mu Service",
        "Zeta Service",
    ]


def test_gaps_are_themes_another_agency_knew_while_this_one_was_in_contact() -> None:
    analysis = build_analysis(
        review="NB-1",
        date_of_death=DEATH,
        entries=[
            fact(POLICE, date(2024, 1, 1), themes=DA),
            fact(POLICE, date(2024, 3, 1), themes=DA),
            fact(GP, date(2024, 2, 1), themes=frozenset({"mental_health"})),
            # housing knew of money problems, but only after the police's last contact
            fact(HOUSING, date(2024, 4, 1), themes=frozenset({"finance_employment"})),
        ],
    )
    gaps = {(g.agency, g.theme): g.known_by for g in analysis.gaps}
    assert gaps[(POLICE, "mental_health")] == (GP,)
    assert (POLICE, "finance_employment") not in gaps
    # the police knew of domestic abuse from January, and were in contact while the GP was
    assert gaps[(GP, "domestic_abuse")] == (POLICE,)
    # housing's only contact came after the police's last
    assert (HOUSING, "domestic_abuse") not in gaps


# --- flags: ordering ------------------------------------------------------------------------------


def test_flags_are_sorted_by_date_and_have_exactly_four_keys() -> None:
    result = run(
        [
            fact(GP, date(2024, 3, 1), text="Did not attend."),
            fact(HOUSING, date(2024, 1, 1), text="Visit: no answer at the door."),
            fact(POLICE, date(2024, 2, 1), text="DNA appointment"),
        ]
    )
    flags = result["flags"]
    assert [f["date"] for f in flags] == ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert all(set(f) == {"kind", "agency", "date", "detail"} for f in flags)


# --- no_dash_after_disclosure --------------------------------------------------------------------

DISCLOSED = date(2024, 3, 1)


@pytest.mark.parametrize(
    ("entries", "flagged"),
    [
        ([fact(GP, DISCLOSED, themes=DA, text="Disclosed her partner hit her.")], True),
        ([fact(GP, DISCLOSED, themes=DA, dash_recorded=True)], False),
        (
            [
                fact(GP, DISCLOSED, themes=DA),
                fact(GP, DISCLOSED + timedelta(days=28), dash_recorded=True),
            ],
            False,
        ),
        (
            [
                fact(GP, DISCLOSED, themes=DA),
                fact(GP, DISCLOSED + timedelta(days=29), dash_recorded=True),
            ],
            True,
        ),
        (  # a DASH by another agency is not this agency's risk assessment
            [fact(GP, DISCLOSED, themes=DA), fact(POLICE, DISCLOSED, dash_recorded=True)],
            True,
        ),
        (  # what another agency passed on is not a disclosure to this one
            [
                fact(
                    GP,
                    DISCLOSED,
                    themes=DA,
                    text="Domestic abuse notification received from police",
                )
            ],
            False,
        ),
        ([fact(GP, DISCLOSED, themes=DA, subject="perpetrator")], False),
        ([fact(GP, DISCLOSED, themes=frozenset({"mental_health"}))], False),
    ],
)
def test_no_dash_after_disclosure(entries, flagged) -> None:
    found = kinds(run(entries), "no_dash_after_disclosure")
    assert bool(found) is flagged
    if flagged:
        assert found[0]["agency"] == GP
        assert found[0]["date"] == "2024-03-01"
        assert "28 days" in found[0]["detail"]


def test_dash_window_is_configurable_and_disclosures_close_together_are_one_flag() -> None:
    entries = [
        fact(GP, DISCLOSED, themes=DA),
        fact(GP, DISCLOSED + timedelta(days=10), themes=DA),
        fact(GP, DISCLOSED + timedelta(days=40), dash_recorded=True),
    ]
    flags = kinds(run(entries), "no_dash_after_disclosure")
    assert len(flags) == 1
    assert "2 entries" in flags[0]["detail"]
    assert kinds(run(entries, rules=Rules(dash_window_days=45)), "no_dash_after_disclosure") == []


# --- no_marac_after_repeat_incidents -------------------------------------------------------------


def incidents(*days: date, agency: str = POLICE, **kwargs) -> list[EntryFact]:
    return [fact(agency, d, themes=DA, **kwargs) for d in days]


THREE = (date(2023, 1, 10), date(2023, 6, 1), date(2023, 12, 20))


def test_three_incidents_in_twelve_months_without_marac_is_flagged_at_the_third() -> None:
    flags = kinds(run(incidents(*THREE)), "no_marac_after_repeat_incidents")
    assert len(flags) == 1
    assert flags[0]["date"] == "2023-12-20"
    assert flags[0]["agency"] == POLICE
    assert flags[0]["detail"].startswith("3 domestic abuse incidents within 12 months")


@pytest.mark.parametrize(
    "entries",
    [
        incidents(*THREE[:2]),  # two incidents
        incidents(date(2023, 1, 10), date(2023, 6, 1), date(2024, 1, 11)),  # over 12 months
        incidents(*THREE) + [fact(POLICE, date(2023, 6, 2), marac_referral=True)],
        incidents(*THREE) + [fact("Northbridge IDVA", date(2023, 12, 20), marac_referral=True)],
        # the same night in three agencies' records is one incident
        incidents(THREE[0]) + incidents(THREE[0], agency=GP) + incidents(THREE[0], agency=CSC),
        # and the school's note of the police notification is not another
        incidents(*THREE[:2])
        + incidents(THREE[1] + timedelta(days=2), agency=CSC, text="Notification from police"),
    ],
)
def test_no_flag_without_three_incidents_in_twelve_months_or_with_a_marac_referral(
    entries,
) -> None:
    assert kinds(run(entries), "no_marac_after_repeat_incidents") == []


def test_exactly_twelve_months_is_within_the_window() -> None:
    entries = incidents(date(2023, 1, 10), date(2023, 6, 1), date(2024, 1, 10))
    assert len(kinds(run(entries), "no_marac_after_repeat_incidents")) == 1


def test_marac_thresholds_are_configurable() -> None:
    entries = incidents(*THREE)
    assert (
        kinds(run(entries, rules=Rules(marac_incidents=4)), "no_marac_after_repeat_incidents") == []
    )
    late = entries + [fact(POLICE, date(2023, 12, 30), marac_referral=True)]
    assert kinds(run(late), "no_marac_after_repeat_incidents")
    assert not kinds(run(late, rules=Rules(marac_grace_days=14)), "no_marac_after_repeat_incidents")


def test_dash_high_without_marac_is_a_risk_note_and_named_in_the_repeat_flag() -> None:
    entries = incidents(*THREE) + [
        fact(POLICE, date(2023, 6, 1), dash_score=15, dash_level="high", dash_recorded=True)
    ]
    result = run(entries)
    assert result["risk_notes"][0]["dash_score"] == 15
    assert result["risk_notes"][0]["kind"] == "dash_high_without_marac"
    flag = kinds(result, "no_marac_after_repeat_incidents")[0]
    assert "DASH assessed high risk (15/24) on 2023-06-01" in flag["detail"]
    below = run([fact(POLICE, date(2023, 6, 1), dash_score=13, dash_recorded=True)])
    assert below["risk_notes"] == []
    referred = run(
        [fact(POLICE, date(2023, 6, 1), dash_score=17, dash_recorded=True, marac_referral=True)]
    )
    assert referred["risk_notes"] == []


def test_counting_starts_again_after_a_flag() -> None:
    days = [date(2022, 1, 1) + timedelta(days=30 * i) for i in range(5)]
    flags = kinds(run(incidents(*days)), "no_marac_after_repeat_incidents")
    assert len(flags) == 1
    assert flags[0]["detail"].startswith("5 domestic abuse incidents")
    later = days + [date(2023, 6, 1), date(2023, 7, 1), date(2023, 8, 1)]
    assert len(kinds(run(incidents(*later)), "no_marac_after_repeat_incidents")) == 2


# --- disclosure_not_shared -----------------------------------------------------------------------


def shared_case(text: str = "", b_day: date = DISCLOSED + timedelta(days=5), **kwargs):
    return [
        fact(GP, DISCLOSED, themes=DA, dash_recorded=True, text=text, **kwargs),
        fact(HOUSING, b_day),
    ]


@pytest.mark.parametrize(
    ("entries", "flagged"),
    [
        (shared_case(), True),
        (shared_case(b_day=DISCLOSED - timedelta(days=28)), True),
        (shared_case(b_day=DISCLOSED + timedelta(days=29)), False),  # not in contact then
        (shared_case("Disclosed abuse. Referred to Northbridge Homes for a move."), False),
        (shared_case("Information shared with housing."), False),  # a short form
        (shared_case("Referral to MASH."), False),
        (shared_case(mash_referral=True), False),
        (shared_case(marac_referral=True), False),
        (shared_case("No referral to housing was made."), True),  # negated
        (shared_case("Disclosed abuse. Called by Northbridge Homes."), True),  # the other way
        (
            [
                fact(GP, DISCLOSED, themes=frozenset({"sexual_violence"}), dash_recorded=True),
                fact(HOUSING, DISCLOSED),
            ],
            True,
        ),
        (
            [
                fact(GP, DISCLOSED, themes=DA, dash_recorded=True, subject="child"),
                fact(HOUSING, DISCLOSED),
            ],
            False,
        ),
    ],
)
def test_disclosure_not_shared(entries, flagged) -> None:
    found = kinds(run(entries), "disclosure_not_shared")
    assert bool(found) is flagged
    if flagged:
        assert found[0]["agency"] == GP
        assert HOUSING in found[0]["detail"]


def test_sharing_can_be_in_a_later_entry_of_the_same_agency() -> None:
    entries = shared_case() + [
        fact(GP, DISCLOSED + timedelta(days=3), text="Letter sent to housing.")
    ]
    assert kinds(run(entries), "disclosure_not_shared") == []


def test_disclosure_names_only_the_agencies_not_told() -> None:
    entries = [
        fact(GP, DISCLOSED, themes=DA, dash_recorded=True, text="Told the police with consent."),
        fact(POLICE, DISCLOSED + timedelta(days=1)),
        fact(HOUSING, DISCLOSED + timedelta(days=2)),
    ]
    flag = kinds(run(entries), "disclosure_not_shared")[0]
    assert HOUSING in flag["detail"]
    assert POLICE not in flag["detail"]


# --- contact_fell_away ---------------------------------------------------------------------------


def monthly(agency: str, first: date, months: int, per_month: int = 2) -> list[EntryFact]:
    return [
        fact(agency, add_months(first, m) + timedelta(days=3 * i))
        for m in range(months)
        for i in range(per_month)
    ]


def test_regular_contact_that_stopped_well_before_the_death_fell_away() -> None:
    result = run(monthly(GP, date(2023, 1, 5), 6) + [fact(POLICE, date(2024, 9, 1))])
    flags = kinds(result, "contact_fell_away")
    assert [(f["agency"], f["date"]) for f in flags] == [(GP, "2023-06-08")]
    assert "then none" in flags[0]["detail"]


@pytest.mark.parametrize(
    "entries",
    [
        monthly(GP, date(2024, 3, 5), 6),  # until August, less than 90 days before the death
        monthly(GP, date(2023, 1, 5), 2),  # two months is not a run
        # every other month: never three months running
        [fact(GP, add_months(date(2022, 1, 5), 2 * m)) for m in range(10)],
        # regular contact right up to the death
        monthly(GP, date(2023, 1, 5), 20, per_month=1),
    ],
)
def test_contact_that_did_not_fall_away(entries) -> None:
    assert kinds(run(entries), "contact_fell_away") == []


def test_a_sharp_drop_after_a_run_fell_away_but_a_gentle_one_did_not() -> None:
    run_ = monthly(GP, date(2023, 1, 5), 6, per_month=4)  # 4 a month
    trickle = [fact(GP, date(2023, 8, 10))]  # 1 in the next 3 months: 0.33 a month
    assert kinds(run(run_ + trickle), "contact_fell_away")
    steady = [fact(GP, date(2023, 8, 10)), fact(GP, date(2023, 8, 20)), fact(GP, date(2023, 9, 9))]
    steady += [fact(GP, date(2023, 9, 19))]  # 4 in 3 months: 1.33 a month > 0.25 * 4
    assert not kinds(run(run_ + steady), "contact_fell_away")


def test_fell_away_thresholds_are_configurable() -> None:
    entries = monthly(GP, date(2023, 1, 5), 6)
    assert not kinds(run(entries, rules=Rules(fell_away_run_months=7)), "contact_fell_away")
    late = monthly(GP, date(2024, 2, 5), 6)  # last contact 8 July, 74 days before the death
    assert not kinds(run(late), "contact_fell_away")
    rules = Rules(fell_away_min_days_before_death=60)
    assert kinds(run(late, rules=rules), "contact_fell_away")


# --- missed_appointments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "missed"),
    [
        ("Did not attend her appointment.", True),
        ("DNA", True),
        ("Patient DNA'd the clinic", True),
        ("Missed appointment with the work coach", True),
        ("She missed her second appointment", True),
        ("Home visit: no answer at the door.", True),
        ("Visit: no answer; post behind the door.", True),
        ("Failed to attend the group", True),
        ("Child was not brought to the clinic", True),
        ("Attended on time; well presented.", False),
        ("DNA sample taken at custody", True),  # the pattern is literal: the panel reads the list
        ("Called: no answer", False),
        ("Missed-appointments policy explained", False),
    ],
)
def test_missed_appointment_patterns(text, missed) -> None:
    result = run([fact(GP, date(2024, 2, 1), text=text)])
    assert bool(kinds(result, "missed_appointments")) is missed
    assert bool(result["missed_appointments"]) is missed


def test_missed_appointments_close_together_are_one_flag() -> None:
    entries = [
        fact(GP, date(2024, 1, 1), text="DNA"),
        fact(GP, date(2024, 2, 1), text="Did not attend"),
        fact(GP, date(2024, 8, 1), text="Did not attend"),
    ]
    flags = kinds(run(entries), "missed_appointments")
    assert [f["date"] for f in flags] == ["2024-01-01", "2024-08-01"]
    assert flags[0]["detail"] == "2 missed appointments recorded from 2024-01-01 to 2024-02-01."


# --- settings ------------------------------------------------------------------------------------


def test_rules_from_settings() -> None:
    rules = Rules.from_mapping({"DASH_WINDOW_DAYS": 14, "domestic_abuse_themes": ["da"]})
    assert rules.dash_window_days == 14
    assert rules.domestic_abuse_themes == frozenset({"da"})
    assert Rules.from_mapping(None) == Rules()
    with pytest.raises(ValueError, match="Unknown analysis setting"):
        Rules.from_mapping({"dash_windw_days": 14})


# --- reading text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level", "score", "recorded"),
    [
        ("DASH: high (15/24): strangulation.", "high", 15, True),
        ("DASH: standard (4/24). Notification to MASH.", "standard", 4, True),
        ("DASH completed with the victim.", "", None, True),
        ("DASH risk score of 12", "", 12, True),
        ("No DASH completed.", "", None, False),
        ("A DASH was not offered", "", None, False),
        ("Ran out of the house in a dash", "", None, False),
        ("", "", None, False),
    ],
)
def test_dash_from_text(text, level, score, recorded) -> None:
    assert dash_from_text(text) == (level, score)
    found_level, found_score = dash_from_text(text)
    assert dash_recorded(level=found_level, score=found_score, text=text) is recorded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DASH: high (17/24). MARAC referral submitted the same day.", True),
        ("Referred to MARAC.", True),
        ("DASH: high (15/24). No MARAC referral made.", False),
        ("MARAC meeting minutes received", False),
        ("", False),
    ],
)
def test_marac_referral_from_text(text, expected) -> None:
    assert marac_referral(flag=False, text=text) is expected
    assert marac_referral(flag=True, text=text) is True


AGENCIES = [
    POLICE,
    "Fenmarsh Constabulary",
    GP,
    HOUSING,
    "Larkspur Housing Association",
    CSC,
    "Northbridge Domestic Abuse Service (IDVA)",
    "Northbridge Sexual Assault Referral Centre",
]


@pytest.mark.parametrize(
    ("own", "text", "edges"),
    [
        (GP, "Referred to children's social care.", [(GP, CSC)]),
        (GP, "Referred to CSC and the IDVA.", [(GP, CSC), (GP, AGENCIES[6])]),
        (CSC, "MASH referral from police: assault.", [(POLICE, CSC)]),
        (POLICE, "Specially trained officer deployed; SARC referral.", [(POLICE, AGENCIES[7])]),
        (POLICE, "Referral to MASH (children present).", [(POLICE, "MASH")]),
        (GP, "No referral to the IDVA was made.", []),
        (GP, "Talking therapies self-referral advised.", []),
        (GP, "Spoke to the police.", []),  # not a referral
        # "police" names Northbridge Police: a word of its name beats a synonym
        (GP, "Referred to police.", [(GP, POLICE)]),
        (GP, "Referred to the Fenmarsh Constabulary.", [(GP, "Fenmarsh Constabulary")]),
        # "housing" is a word of Larkspur's name, and only a synonym for Northbridge Homes
        (GP, "Signposted to housing.", [(GP, "Larkspur Housing Association")]),
    ],
)
def test_referrals_in_text(own, text, edges) -> None:
    names = AgencyNames.build(AGENCIES)
    assert referrals_in(text, names, own_agency=own) == edges


def test_ambiguous_short_forms_name_no_agency() -> None:
    names = AgencyNames.build(["Northbridge Hospital North", "Northbridge Hospital South", GP])
    assert "hospital" not in names.resolved
    assert referrals_in("Referred to hospital.", names, own_agency=GP) == []


def test_referral_network_counts_entries_and_uses_marac_fields() -> None:
    result = run(
        [
            fact(GP, date(2024, 1, 1), text="Referred to the IDVA service."),
            fact(GP, date(2024, 2, 1), text="Referred to IDVA again. Referred to IDVA."),
            fact(POLICE, date(2024, 3, 1), marac_referral=True),
            fact("Northbridge Domestic Abuse Service (IDVA)", date(2024, 1, 5)),
        ]
    )
    assert result["referrals"] == [
        {
            "from": GP,
            "to": "Northbridge Domestic Abuse Service (IDVA)",
            "referrals": 2,
            "first": "2024-01-01",
            "last": "2024-02-01",
        },
        {
            "from": POLICE,
            "to": "MARAC",
            "referrals": 1,
            "first": "2024-03-01",
            "last": "2024-03-01",
        },
    ]


def test_circle_layout_puts_agencies_on_a_circle_and_hubs_inside() -> None:
    analysis = build_analysis(
        review="NB-1",
        date_of_death=DEATH,
        entries=[
            fact(GP, date(2024, 1, 1), text="Referred to police."),
            fact(POLICE, date(2024, 1, 2), text="Referred to GP. Referral to MASH."),
        ],
    )
    layout = circle_layout(analysis.referrals, width=400, height=400, radius=100)
    nodes = {n.name: n for n in layout.nodes}
    assert set(nodes) == {GP, POLICE, "MASH"}
    for name in (GP, POLICE):
        distance = ((nodes[name].x - 200) ** 2 + (nodes[name].y - 200) ** 2) ** 0.5
        assert distance == pytest.approx(100, abs=0.2)
    assert nodes["MASH"].multi_agency and (nodes["MASH"].x, nodes["MASH"].y) == (200, 200)
    assert len(layout.arrows) == 3
    both_ways = [a for a in layout.arrows if {a.source, a.target} == {GP, POLICE}]
    assert (both_ways[0].x1, both_ways[0].y1) != (both_ways[1].x2, both_ways[1].y2)


def test_short_labels() -> None:
    prefix = "Northbridge"
    assert short_label("Northbridge Mental Health NHS Foundation Trust", prefix) == "Mental Health"
    assert short_label("Northbridge Domestic Abuse Service (IDVA)", prefix) == "IDVA"
    assert short_label(GP, prefix) == "Kestrel Lane Surgery"


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        (date(2024, 1, 12), date(2024, 4, 11), 2),
        (date(2024, 1, 12), date(2024, 4, 12), 3),
        (date(2024, 6, 15), date(2024, 9, 20), 3),
        (date(2024, 9, 1), date(2024, 9, 20), 0),
    ],
)
def test_whole_months_between(earlier, later, months) -> None:
    assert whole_months_between(earlier, later) == months


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2024, 1, 10), -12) == date(2023, 1, 10)
