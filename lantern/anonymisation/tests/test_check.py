"""The recognisers, table by table, and properties of every result (no database)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.anonymisation.check.engine import check_text
from lantern.anonymisation.check.identifiers import nhs_number_valid, ni_number_valid
from lantern.anonymisation.check.register import KnownPlace, Register, RegisterPerson

REGISTER = Register(
    people=(
        RegisterPerson(
            real_name="Joanne Marie Whitfield",
            pseudonym="Kerry",
            aliases=("Jo Whitfield",),
            role="victim",
            date_of_birth=date(1986, 3, 14),
        ),
        RegisterPerson(
            real_name="Darren Pike-Lowry", pseudonym="Lee", aliases=("Daz",), role="perpetrator"
        ),
        RegisterPerson(real_name="Siobhan O'Neill", pseudonym="", role="family"),
    ),
    places=(
        KnownPlace(kind="address", text="14 Mill Lane, Eastfield"),
        KnownPlace(kind="school", text="Eastfield Primary School"),
        KnownPlace(kind="identifier", text="MARAC 21/0917"),
    ),
    agencies=("Northbridge Police", "Northbridge Homes"),
)


def found(text: str, register: Register = REGISTER) -> list[tuple[str, str]]:
    return [(f.text, f.category) for f in check_text(text, register)]


def one(text: str, register: Register = REGISTER) -> tuple[str, str, str]:
    findings = check_text(text, register)
    assert len(findings) == 1, [(f.text, f.category, f.rule) for f in findings]
    f = findings[0]
    return f.text, f.category, f.suggestion


# --- register names in every variant ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "suggestion"),
    [
        ("We spoke to Joanne Whitfield today.", "Joanne Whitfield", "Kerry"),
        ("Joanne Marie Whitfield was 36.", "Joanne Marie Whitfield", "Kerry"),
        ("It was Whitfield's flat.", "Whitfield", "Kerry"),
        ("It was Whitfield’s flat.", "Whitfield", "Kerry"),
        ("WHITFIELD was not seen.", "WHITFIELD", "Kerry"),
        ("Records list WHITFIELD, Joanne as the tenant.", "WHITFIELD, Joanne", "Kerry"),
        ("Records list Whitfield, Joanne Marie as the tenant.", "Whitfield, Joanne Marie", "Kerry"),
        ("A letter to Mrs Whitfield was sent.", "Mrs Whitfield", "Kerry"),
        ("A letter to Mrs. J. Whitfield was sent.", "Mrs. J. Whitfield", "Kerry"),
        ("Signed J. Whitfield.", "J. Whitfield", "Kerry"),
        ("Joanne said no.", "Joanne", "Kerry"),
        ("Jo said no.", "Jo", "Kerry"),
        ("We met Joanne\nWhitfield at home.", "Joanne\nWhitfield", "Kerry"),
        ("Darren Pike-Lowry was arrested.", "Darren Pike-Lowry", "Lee"),
        ("Mr Pike-Lowry was arrested.", "Mr Pike-Lowry", "Lee"),
        ("Lowry was arrested.", "Lowry", "Lee"),
        ("PIKE-LOWRY, Darren was arrested.", "PIKE-LOWRY, Darren", "Lee"),
        ("Daz was arrested.", "Daz", "Lee"),
        ("Siobhan O’Neill phoned.", "Siobhan O’Neill", "a family member"),
        ("O'NEILL phoned.", "O'NEILL", "a family member"),
    ],
)
def test_register_names_in_every_variant(text: str, span: str, suggestion: str) -> None:
    assert one(text) == (span, "person_name", suggestion)


@pytest.mark.parametrize(
    "text",
    [
        "Kerry and Lee met in 2015.",  # pseudonyms
        "Northbridge Police attended in March 2021.",  # an agency, a month and year
        "The review was held under the Domestic Abuse Act 2021 and the Care Act 2014.",
        "Section 9 of the Domestic Violence, Crime and Victims Act 2004 applies.",
        "The panel asked for a Clare's Law disclosure.",
        "She was seen at St Mary's Hospital.",
        "The price of the flat was £90,000 in 2019/20.",
        "3.4.12 The panel met six times.",
        "See pages 124-153 of the IMR.",
        "Call the National Domestic Abuse Helpline on 0808 2000 247.",
        "In May 2022 and June 2022 she was seen.",
        "Mr C and Mrs K were interviewed.",
        "the joanne report",  # not capitalised: not a name
    ],
)
def test_what_is_not_a_finding(text: str) -> None:
    assert found(text) == []


# --- other people's names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "suggestion"),
    [
        ("PC Hollins completed a DASH.", "PC Hollins", "a police officer"),
        ("The GP, Dr Imran Qureshi, saw her.", "Dr Imran Qureshi", "a doctor"),
        ("Nurse Angela Brooks noticed bruising.", "Nurse Angela Brooks", "a nurse"),
        ("the social worker, Karen, was not told", "Karen", "a practitioner"),
        ("her neighbour, Tom, called 999", "Tom", "[name removed]"),
        ("The housing officer, Sandra Kelly, told the review", "Sandra Kelly", "a practitioner"),
        ("Ms Okafor visited the home.", "Ms Okafor", "[name removed]"),
        ("A friend of hers, Megan Fletcher, said so.", "Megan Fletcher", "[name removed]"),
        ("Mark Jenkins told the review.", "Mark Jenkins", "[name removed]"),
    ],
)
def test_other_peoples_names(text: str, span: str, suggestion: str) -> None:
    assert one(text) == (span, "person_name", suggestion)


def test_chair_and_author_named_as_such_are_not_findings() -> None:
    assert found("Independent Chair and Author: Rachel Hewitt") == []
    assert found("Report produced by Malcolm Ross, Independent Chair") == []


# --- structured identifiers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "category"),
    [
        ("Post to LS9 7QT please.", "LS9 7QT", "postcode"),
        ("Post to SW1A 1AA please.", "SW1A 1AA", "postcode"),
        ("Post to M1 1AE please.", "M1 1AE", "postcode"),
        ("Call 07700 900461 now.", "07700 900461", "phone"),
        ("Call 07700900461 now.", "07700900461", "phone"),
        ("Call +44 7700 900217 now.", "+44 7700 900217", "phone"),
        ("Call +44 (0)151 496 0622 now.", "+44 (0)151 496 0622", "phone"),
        ("Call 020 7946 0381 now.", "020 7946 0381", "phone"),
        ("Call 01632 960 118 now.", "01632 960 118", "phone"),
        ("Email jo.w@example.co.uk today.", "jo.w@example.co.uk", "email"),
        ("NHS number 186 091 3903 on file.", "186 091 3903", "nhs_number"),
        ("Her number 1860913903 on file.", "1860913903", "nhs_number"),
        ("NHS no. 186 091 3904 (mistyped).", "186 091 3904", "nhs_number"),
        ("NI number JT 48 22 91 B on file.", "JT 48 22 91 B", "ni_number"),
        ("It said JT482291B on file.", "JT482291B", "ni_number"),
        ("A van, YK19 WPD, was seen.", "YK19 WPD", "vehicle_registration"),
        ("A car, S412 KBW, was seen.", "S412 KBW", "vehicle_registration"),
        ("A car registration ABC 123D was seen.", "ABC 123D", "vehicle_registration"),
        ("The crime reference was NB/21/004512 then.", "NB/21/004512", "other_identifier"),
        ("Hospital number RXK 0042178 was used.", "RXK 0042178", "other_identifier"),
        ("Logged as ASC-2022-118734 then.", "ASC-2022-118734", "other_identifier"),
        ("Certificate NYP/FA/18822 renewed.", "NYP/FA/18822", "other_identifier"),
        ("Crime number 44210038712 was given.", "44210038712", "other_identifier"),
    ],
)
def test_structured_identifiers(text: str, span: str, category: str) -> None:
    got = one(text)
    assert got[:2] == (span, category)


@pytest.mark.parametrize(
    ("value", "valid"),
    [("1860913903", True), ("9960308243", True), ("1860913904", False), ("123", False)],
)
def test_nhs_number_check_digit(value: str, valid: bool) -> None:
    assert nhs_number_valid(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("JT 48 22 91 B", True),
        ("AB123456C", True),
        ("QQ123456C", False),  # Q is never a first letter
        ("GB123456A", False),  # a prefix never allocated
        ("AO123456A", False),  # O is never a second letter
        ("AB123456E", False),  # suffixes are A to D
    ],
)
def test_ni_number_prefixes(value: str, valid: bool) -> None:
    assert ni_number_valid(value) is valid


def test_a_number_like_an_nhs_number_fails_its_check_digit_unless_named() -> None:
    assert [c for _t, c in found("The figure 186 091 3904 was quoted.")] != ["nhs_number"]


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "category", "suggestion"),
    [
        ("Seen on 12 March 2021 at home.", "12 March 2021", "exact_date", "March 2021"),
        ("Seen on 12th of March 2021 at home.", "12th of March 2021", "exact_date", "March 2021"),
        ("Seen on 12/03/2021 at home.", "12/03/2021", "exact_date", "March 2021"),
        ("Seen on 12.3.21 at home.", "12.3.21", "exact_date", "March 2021"),
        ("Seen on 2021-03-12 at home.", "2021-03-12", "exact_date", "March 2021"),
        ("Seen on March 12, 2021 at home.", "March 12, 2021", "exact_date", "March 2021"),
        ("Seen on Friday 12 March 2021.", "Friday 12 March 2021", "exact_date", "March 2021"),
        ("She was born on 2 May 1990.", "2 May 1990", "date_of_birth", "[date of birth removed]"),
        ("DOB: 02/05/1990.", "02/05/1990", "date_of_birth", "[date of birth removed]"),
        ("Kerry's date of birth, 1 June 1980, was wrong.", "1 June 1980", "date_of_birth", None),
        ("On 14/03/1986 something happened.", "14/03/1986", "date_of_birth", None),
    ],
)
def test_dates(text: str, span: str, category: str, suggestion: str | None) -> None:
    got = one(text)
    assert got[:2] == (span, category)
    if suggestion:
        assert got[2] == suggestion


def test_invalid_dates_are_not_dates() -> None:
    assert found("Room 31/02/2021 was booked.") == [] or all(
        c != "exact_date" for _t, c in found("Room 31/02/2021 was booked.")
    )


# --- places, schools, workplaces ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "category"),
    [
        ("She lived at 14 Mill Lane, Eastfield.", "14 Mill Lane, Eastfield", "address"),
        ("Damage at Mill Lane was reported.", "Mill Lane", "address"),
        ("They moved to 62 Rowan Way in 2019.", "62 Rowan Way", "address"),
        ("They moved to Flat 3, Beacon Court in 2019.", "Flat 3, Beacon Court", "address"),
        ("Her child attended Eastfield Primary School.", "Eastfield Primary School", None),
        ("She worked at Greenacres Care Home.", "Greenacres Care Home", None),
        ("Her son went to Haddon Vale Academy.", "Haddon Vale Academy", None),
        ("The case was heard as MARAC 21/0917 that week.", "MARAC 21/0917", "other_identifier"),
    ],
)
def test_places(text: str, span: str, category: str | None) -> None:
    got = one(text)
    assert got[:2] == (span, category or "organisation_identifying")


def test_the_crown_court_is_not_an_address() -> None:
    assert found("He was sentenced at Preston Crown Court.") == []


# --- properties of every result -----------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "Joanne Whitfield",
        "WHITFIELD, Joanne",
        "Mrs Whitfield's",
        "Kerry",
        "Lee",
        "PC Hollins",
        "her neighbour, Tom,",
        "14 Mill Lane",
        "LS9 7QT",
        "07700 900461",
        "jo@example.org",
        "186 091 3903",
        "JT 48 22 91 B",
        "YK19 WPD",
        "NB/21/004512",
        "12 March 2021",
        "12/03/2021",
        "March 2021",
        "Northbridge Police",
        "the Care Act 2014",
        "was seen at",
        "and",
        ",",
        ".",
        "\n",
        "\n\n",
        "Eastfield Primary School",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=25), st.text(max_size=40))
def test_offsets_slice_to_the_text_and_findings_never_overlap(
    pieces: list[str], noise: str
) -> None:
    text = " ".join(pieces) + noise
    findings = check_text(text, REGISTER)
    previous_end = -1
    for f in findings:
        assert text[f.start : f.end] == f.text
        assert f.start >= previous_end
        assert f.end > f.start
        previous_end = f.end
