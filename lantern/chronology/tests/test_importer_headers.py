"""Agencies' headings are read as the standard columns, and nothing else is guessed."""

from __future__ import annotations

import pytest

from lantern.chronology.columns import STANDARD_COLUMNS
from lantern.chronology.importer.headers import DATETIME, map_headings, match_heading


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        # Lantern's own headings
        *[(c.heading, c.key) for c in STANDARD_COLUMNS],
        # dates and times
        ("Date of contact", "date"),
        ("Contact date", "date"),
        ("DATE", "date"),
        ("Date of event", "date"),
        ("date:", "date"),
        ("Date/Time", DATETIME),
        ("Date & time of contact", DATETIME),
        ("Date and time", DATETIME),
        ("Time of contact", "time"),
        ("Time (24h)", "time"),
        ("TIME", "time"),
        # source
        ("Record", "source_record"),
        ("Source", "source_record"),
        ("SOURCE DOCUMENT", "source_record"),
        ("Record type / reference", "source_record"),
        ("Where recorded", "source_record"),
        ("Record ref", "source_record"),
        # subject
        ("Person", "subject"),
        ("Client", "subject"),
        ("Subject of record", "subject"),
        ("Who", "subject"),
        ("Service user", "subject"),
        # what happened
        ("Summary of contact", "what_happened"),
        ("Narrative", "what_happened"),
        ("Details of contact", "what_happened"),
        ("EVENT", "what_happened"),
        ("Contact summary", "what_happened"),
        ("What happened / contact summary", "what_happened"),
        ("Description of incident", "what_happened"),
        ("Narative", "what_happened"),  # a typo, forgiven
        ("Sumary of contact", "what_happened"),
        # action
        ("Outcome / action", "action_taken"),
        ("Action taken", "action_taken"),
        ("ACTION / OUTCOME", "action_taken"),
        ("Outcome", "action_taken"),
        ("Actions and outcome", "action_taken"),
        ("What was done", "action_taken"),
        # risk
        ("Risk / referrals", "risk_assessment"),
        ("DASH / MARAC / MASH", "risk_assessment"),
        ("RISK ASSESSMENT", "risk_assessment"),
        ("Safeguarding / risk", "risk_assessment"),
        ("Risk assessment (DASH level / MARAC / MASH)", "risk_assessment"),
        ("Risk (DASH/MARAC/MASH)", "risk_assessment"),
        # comment
        ("Comments", "analyst_comment"),
        ("Analysis (missed opportunity / good practice)", "analyst_comment"),
        ("IMR AUTHOR COMMENT", "analyst_comment"),
        ("Reviewer's comment", "analyst_comment"),
        ("Reviewer’s comment", "analyst_comment"),
        ("Learning", "analyst_comment"),
        ("Agency", "agency"),
    ],
)
def test_heading_variants_map_to_the_standard_column(heading: str, key: str) -> None:
    match = match_heading(heading)
    assert match is not None, heading
    assert match.key == key


@pytest.mark.parametrize(
    "heading",
    [
        "Date of birth",
        "DOB",
        "Date entered",
        "Officer",
        "Staff member",
        "Practitioner name",
        "Address",
        "NHS number",
        "",
        None,
        "Type",
        # a long cell is text, not a heading
        "Date of contact with the victim when she said that she was frightened of her partner "
        "and wanted help",
    ],
)
def test_other_headings_are_not_guessed_into_a_column(heading: str | None) -> None:
    assert match_heading(heading) is None


def test_a_row_of_headings_maps_each_column_once() -> None:
    columns = map_headings(
        ["Date of contact", "Time", "Narrative", "Outcome / action", "Officer", None, "Notes"]
    )
    assert columns.columns == {
        "date": 0,
        "time": 1,
        "what_happened": 2,
        "action_taken": 3,
        "analyst_comment": 6,  # "Notes" is the comment when another column is the description
    }
    assert columns.unmapped == [4]
    assert not columns.date_has_time


def test_notes_is_the_description_when_no_other_column_is() -> None:
    columns = map_headings(["Date", "Notes"])
    assert columns.columns == {"date": 0, "what_happened": 1}


def test_the_stronger_of_two_similar_headings_wins_and_the_other_is_reported() -> None:
    columns = map_headings(
        ["Date recorded", "Date of contact", "Event summary", "Details of contact", "Date entered"]
    )
    assert columns.columns["date"] == 1  # an exact wording beats a keyword
    assert columns.columns["what_happened"] == 3
    assert columns.duplicates == [(0, "date"), (2, "what_happened")]
    assert columns.unmapped == [4]  # when it was typed in, never the date of the contact


def test_a_date_and_time_column_is_read_as_the_date_with_its_time() -> None:
    columns = map_headings(["Date/Time", "Narrative"])
    assert columns.columns == {"date": 0, "what_happened": 1}
    assert columns.date_has_time
