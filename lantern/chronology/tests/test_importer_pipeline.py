"""The pure pipeline: files as agencies really send them, read into rows and problems."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from lantern.chronology.importer import PersonRef, parse_file
from lantern.chronology.importer.pipeline import ParsedFile
from lantern.chronology.tests.import_files import (
    HEADER,
    csv_bytes,
    police_rows,
    with_cached_values,
    xlsx,
)

TODAY = date(2025, 6, 1)


def parse(name: str, content: bytes, **kwargs: object) -> ParsedFile:
    return parse_file(name, content, today=TODAY, **kwargs)  # type: ignore[arg-type]


def problems(parsed: ParsedFile) -> list[tuple]:
    return [(p.severity, p.sheet, p.row, p.column, p.message) for p in parsed.problems]


# --- what a clean file gives ---------------------------------------------------------------------


def test_a_clean_file_gives_its_rows_in_the_standard_columns_with_provenance() -> None:
    parsed = parse("police.xlsx", xlsx(police_rows()))

    assert parsed.problems == []
    assert [(r.sheet, r.row, r.date, r.time, r.source_record) for r in parsed.rows] == [
        ("Chronology", 2, date(2023, 11, 2), time(22, 15), "CAD 1123"),
        ("Chronology", 3, date(2024, 3, 18), time(9, 40), "Crime 44/0318"),
        ("Chronology", 4, date(2024, 6, 5), None, "Intel 77"),
    ]
    first = parsed.rows[0]
    assert (first.subject, first.subject_text) == ("victim", "Victim")
    assert first.what_happened == "Neighbour reported shouting"
    assert first.action_taken == "Attended"
    assert parsed.rows[1].subject == "perpetrator"


def test_title_rows_above_the_header_and_notes_below_the_data() -> None:
    rows = [
        ["OFFICIAL-SENSITIVE"],
        ["DHR NB-DHR-2024-07: Northbridge Homes"],
        [],
        ["Date of contact", "Summary of contact", "Outcome / action"],
        [datetime(2024, 1, 9), "Asked for a move; said she felt unsafe", "Priority banding"],
        [datetime(2023, 5, 2), "Rent arrears letter", "None"],  # rows need not be in order
        [],
        ["Notes: prepared by the tenancy team. Not for onward disclosure."],
        ["End of chronology"],
    ]
    parsed = parse("homes.xlsx", xlsx(rows))

    assert [(r.row, r.date) for r in parsed.rows] == [(5, date(2024, 1, 9)), (6, date(2023, 5, 2))]
    assert problems(parsed) == [
        (
            "warning",
            "Chronology",
            8,
            "Date of contact",
            "notes below the data are not entries and were not imported",
        ),
        (
            "warning",
            "Chronology",
            9,
            "Date of contact",
            "notes below the data are not entries and were not imported",
        ),
    ]
    assert parsed.problems[0].value.startswith("Notes: prepared by")


def test_month_precision_is_kept() -> None:
    rows = [["Date", "What happened"], ["March 2021", "Letter sent (exact date not recorded)"]]
    [row] = parse("gp.csv", csv_bytes(rows)).rows
    assert (row.date, row.date_precision, row.time) == (date(2021, 3, 1), "month", None)


def test_date_and_time_in_one_cell_and_a_time_column_that_says_otherwise() -> None:
    rows = [
        ["Date/Time", "Narrative"],
        ["03/03/2021 14:30", "Call to the address"],
        [datetime(2021, 3, 4, 9, 15), "Follow-up visit"],
        ["05/03/2021", "Letter"],
    ]
    parsed = parse("police.xlsx", xlsx(rows))
    assert [(r.date, r.time) for r in parsed.rows] == [
        (date(2021, 3, 3), time(14, 30)),
        (date(2021, 3, 4), time(9, 15)),
        (date(2021, 3, 5), None),
    ]


def test_a_separate_time_column_is_read_and_an_unreadable_time_only_warns() -> None:
    rows = [
        ["Date", "Time", "Narrative"],
        ["03/03/2021", "1430", "A"],
        ["04/03/2021", "noonish", "B"],
    ]
    parsed = parse("a.csv", csv_bytes(rows))

    assert [(r.date, r.time) for r in parsed.rows] == [
        (date(2021, 3, 3), time(14, 30)),
        (date(2021, 3, 4), None),
    ]
    assert parsed.ok
    assert [(p.severity, p.row, p.column) for p in parsed.problems] == [("warning", 3, "Time")]


# --- problems as data ----------------------------------------------------------------------------


def test_rows_whose_date_or_description_cannot_be_read_are_errors_naming_row_and_column() -> None:
    rows = [
        ["Police chronology"],
        ["Date of contact", "Time", "Narrative", "Outcome / action", "Officer"],
        ["31/02/2021", "10:00", "Called", "Advice", "PC 123"],
        ["soon", "", "Visited", "", "PC 9"],
        ["04/03/2021", "", "", "Leaflet", ""],
        ["05/03/2021", "", "Fine", "", ""],
    ]
    parsed = parse("police.csv", csv_bytes(rows))

    assert not parsed.ok
    assert [(p.severity, p.sheet, p.row, p.column) for p in parsed.problems] == [
        ("warning", "", 2, "Officer"),
        ("error", "", 3, "Date of contact"),
        ("error", "", 4, "Date of contact"),
        ("error", "", 5, "Narrative"),
    ]
    messages = [p.message for p in parsed.errors]
    assert "there is no 31 February 2021" in messages[0]
    assert "“soon” is not a date" in messages[1]
    assert messages[2] == "there is no description of what happened"
    assert str(parsed.errors[0]).startswith("police.csv, row 3, column Date of contact: ")


def test_a_blank_row_between_entries_warns_and_does_not_block() -> None:
    rows = [["Date", "What happened"], ["03/03/2021", "A"], [None, None], ["04/03/2021", "B"]]
    parsed = parse("a.xlsx", xlsx(rows))
    assert len(parsed.rows) == 2
    assert problems(parsed) == [
        ("warning", "Chronology", 3, "", "this row is blank and was skipped")
    ]


def test_a_file_with_no_header_is_an_error_but_an_empty_one_only_warns() -> None:
    no_header = parse("a.csv", csv_bytes([["x", "y"], ["1", "2"], ["3", "4"]]))
    assert [p.message for p in no_header.errors] == [
        "no header row was found: the first rows must include headings such as “Date” and "
        "“What happened”"
    ]
    empty = parse("b.csv", csv_bytes([["Date", "What happened"]]))
    assert empty.ok and empty.rows == []
    assert [p.message for p in empty.warnings] == ["the file holds no chronology entries"]


def test_a_header_without_a_description_column_is_an_error() -> None:
    parsed = parse("a.csv", csv_bytes([["Date", "Time", "Officer"], ["03/03/2021", "10:00", "X"]]))
    assert [(p.row, p.message) for p in parsed.errors] == [
        (1, "no column holds the what happened of each entry: name one “What happened”")
    ]


def test_a_notes_sheet_is_left_alone_and_every_chronology_sheet_is_read() -> None:
    content = xlsx(
        [["Date", "What happened"], ["03/03/2021", "A"]],
        extra_sheets={
            "Notes": [["Prepared for the panel."], ["Times as recorded."]],
            "2022": [["Date", "What happened"], ["04/03/2022", "B"]],
        },
    )
    parsed = parse("a.xlsx", content)
    assert parsed.problems == []
    assert [(r.sheet, r.row, r.what_happened) for r in parsed.rows] == [
        ("Chronology", 2, "A"),
        ("2022", 2, "B"),
    ]


def test_a_second_sheet_that_cannot_be_read_is_reported() -> None:
    content = xlsx(
        [["Date", "What happened"], ["03/03/2021", "A"]],
        extra_sheets={"Other": [["a", "b"], ["c", "d"], ["e", "f"]]},
    )
    parsed = parse("a.xlsx", content)
    assert parsed.ok
    assert [(p.sheet, p.severity) for p in parsed.problems] == [("Other", "warning")]


# --- encodings and file types --------------------------------------------------------------------


def test_a_windows_1252_csv_keeps_pound_signs_and_curly_quotes() -> None:
    rows = [
        ["Date", "Narrative", "Outcome"],
        ["03/03/2021", "She said “he took £200” from her purse – again", "Advice"],
    ]
    content = csv_bytes(rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    parsed = parse("a.csv", content)
    assert parsed.encoding == "windows-1252"
    assert parsed.rows[0].what_happened == "She said “he took £200” from her purse – again"


@pytest.mark.parametrize(
    ("encoding", "delimiter", "expected"),
    [
        ("utf-8-sig", ",", "utf-8-sig"),
        ("utf-8", ";", "utf-8"),
        ("utf-16", "\t", "utf-16"),
    ],
)
def test_csv_encodings_and_delimiters_excel_writes(
    encoding: str, delimiter: str, expected: str
) -> None:
    rows = [["Date", "Narrative"], ["03/03/2021", "Zoë’s £5; paid"]]
    parsed = parse("a.csv", csv_bytes(rows, encoding=encoding, delimiter=delimiter))
    assert parsed.encoding == expected
    assert [r.what_happened for r in parsed.rows] == ["Zoë’s £5; paid"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("chronology.xlsx", b"%PDF-1.7 ...", "this is a PDF document, not a spreadsheet"),
        ("chronology.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "older Excel file (.xls)"),
        ("chronology.xlsx", b"Date,What happened\n", "this is a text file but its name ends"),
        ("chronology.csv", xlsx(police_rows()), "this is an Excel workbook but its name ends"),
        ("chronology.txt", b"Date,What happened\n", "upload chronologies as .xlsx or .csv"),
        ("chronology.csv", b"", "the file is empty"),
        ("chronology.csv", b"Date\x00\x01\x02", "not a spreadsheet or a text"),
        ("chronology.xlsx", b"PK\x03\x04broken", "damaged"),
    ],
)
def test_the_wrong_type_behind_the_extension_is_refused(
    name: str, content: bytes, message: str
) -> None:
    parsed = parse(name, content)
    assert parsed.rows == []
    assert len(parsed.errors) == 1
    assert message in parsed.errors[0].message


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    parsed = parse("a.xlsx", out.getvalue())
    assert [p.message for p in parsed.errors] == ["this is a Word document, not a spreadsheet"]


# --- hostile content -----------------------------------------------------------------------------


def test_formulas_are_read_as_their_stored_values_and_never_evaluated() -> None:
    content = xlsx(
        [
            HEADER[:1] + ["What happened", "Action taken"],
            ["=DATE(2021,3,3)", '=HYPERLINK("http://evil.example/x","click here")', "=1+1"],
            ["04/03/2021", "=1+1", "none"],  # a formula saved without a value reads as empty
        ]
    )
    content = with_cached_values(
        content, {"A2": ("n", "44258"), "B2": ("str", "click here"), "C2": ("n", "2")}
    )
    parsed = parse("a.xlsx", content)

    [row] = parsed.rows
    assert (row.date, row.what_happened, row.action_taken) == (date(2021, 3, 3), "click here", "2")
    assert [(p.row, p.message) for p in parsed.errors] == [
        (3, "there is no description of what happened")
    ]


def test_formula_text_in_a_csv_stays_text() -> None:
    rows = [["Date", "What happened"], ["03/03/2021", '=HYPERLINK("http://evil.example")']]
    [row] = parse("a.csv", csv_bytes(rows)).rows
    assert row.what_happened == '=HYPERLINK("http://evil.example")'


def test_a_workbook_declaring_a_huge_expansion_is_refused_before_it_is_read() -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<a>" + " " * 20_000_000 + "</a>")
    parsed = parse("a.xlsx", out.getvalue())
    assert [p.message for p in parsed.errors] == [
        "this workbook expands to far more than its size: it was refused"
    ]


# --- what the rows carry -------------------------------------------------------------------------


def test_subjects_are_placed_from_roles_and_the_people_register() -> None:
    people = [
        PersonRef("victim", ("Joanne Whitfield", "Kerry")),
        PersonRef("perpetrator", ("Darren Pike", "Lee")),
        PersonRef("child", ("Mia Pike",)),
        PersonRef("family", ("Glenys Whitfield",)),
    ]
    subjects = [
        "Victim",
        "Joanne Whitfield",
        "joanne",
        "Kerry",
        "Alleged perpetrator",
        "Darren",
        "Child 1",
        "Mia",
        "Children",
        "Maternal grandmother",
        "Glenys Whitfield",
        "Victim and perpetrator",
        "Someone else entirely",
        "",
    ]
    rows = [["Date", "Subject", "What happened"]] + [
        ["03/03/2021", s, f"Entry {i}"] for i, s in enumerate(subjects)
    ]
    parsed = parse("a.csv", csv_bytes(rows), people=people)
    assert [(r.subject_text, r.subject) for r in parsed.rows] == [
        ("Victim", "victim"),
        ("Joanne Whitfield", "victim"),
        ("joanne", "victim"),
        ("Kerry", "victim"),
        ("Alleged perpetrator", "perpetrator"),
        ("Darren", "perpetrator"),
        ("Child 1", "child"),
        ("Mia", "child"),
        ("Children", "child"),
        ("Maternal grandmother", "other"),
        ("Glenys Whitfield", "other"),
        ("Victim and perpetrator", ""),
        ("Someone else entirely", ""),
        ("", ""),
    ]


def test_risk_text_gives_dash_level_and_score_and_referrals() -> None:
    rows = [
        ["Date", "What happened", "Risk assessment", "Analyst comment"],
        ["03/03/2021", "A", "DASH: high (15). MARAC referral made", "Missed opportunity: X"],
        ["04/03/2021", "B", "DASH: high (15/24). No MARAC referral made.", "Good practice: Y"],
        ["05/03/2021", "C", "DASH completed, 11 ticks. Notification to MASH.", ""],
        ["06/03/2021", "D", "", ""],
    ]
    parsed = parse("a.csv", csv_bytes(rows))
    assert [
        (r.dash_level, r.dash_score, r.marac_referral, r.mash_referral, r.flag) for r in parsed.rows
    ] == [
        ("high", 15, True, False, "missed_opportunity"),
        ("high", 15, False, False, "good_practice"),
        ("medium", 11, False, True, ""),
        ("", None, False, False, ""),
    ]


def test_fingerprints_follow_the_content_not_the_position() -> None:
    rows = police_rows()
    first = parse("a.csv", csv_bytes(rows)).rows
    # The same rows under a title row, in reverse order, in another file.
    reordered = parse("b.xlsx", xlsx([["Title"], rows[0], *reversed(rows[1:])])).rows
    assert [r.row for r in reordered] == [3, 4, 5]
    assert sorted(r.fingerprint for r in first) == sorted(r.fingerprint for r in reordered)
    assert len({r.fingerprint for r in first}) == 3
    changed = [list(r) for r in rows]
    changed[2][4] = "Bank card and phone taken"
    third = parse("c.csv", csv_bytes(changed)).rows
    assert [a.fingerprint == b.fingerprint for a, b in zip(first, third, strict=True)] == [
        True,
        False,
        True,
    ]


def test_an_agency_column_naming_another_agency_is_reported() -> None:
    rows = [["Date", "Agency", "What happened"], ["03/03/2021", "Northbridge Homes", "A"]]
    parsed = parse("a.csv", csv_bytes(rows), agency="Northbridge Police")
    assert parsed.ok and len(parsed.rows) == 1
    assert [p.message for p in parsed.warnings] == [
        "the Agency column names “Northbridge Homes”, but the file is imported for "
        "Northbridge Police"
    ]
