"""Reading and writing action plans in the published shape (no database)."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from lantern.recommendations import models
from lantern.recommendations.plan_import import (
    PlanAction,
    PlanDocument,
    PlanRecommendation,
    read_plan,
    shape,
    write_docx,
    write_xlsx,
)
from lantern.recommendations.plan_import.dates import read_completion, read_date
from lantern.recommendations.tests.workbooks import (
    HEADINGS,
    Row,
    published_rows,
    section,
    write_published_plan,
)


def test_a_published_workbook_is_read_with_its_sections_continuations_and_dates(
    tmp_path: Path,
) -> None:
    result = read_plan(write_published_plan(tmp_path / "plan.xlsx"), filename="plan.xlsx")

    assert result.errors == []
    assert result.sheet == "DHR Action Plan"  # the cover sheet has no header and is passed over
    assert result.header_row == 5  # below three title rows and a blank one
    numbers = [(r.number, r.kind, r.scope, len(r.actions)) for r in result.recommendations]
    assert numbers == [
        ("1", "overarching", "local", 3),
        ("2", "overarching", "local", 1),
        ("3", "overarching", "national", 1),
        ("SA1", "single_agency", "single_agency", 2),
        ("SA2", "single_agency", "single_agency", 1),
        ("SA3", "single_agency", "single_agency", 2),
    ]
    first, second, third = result.recommendations[0].actions
    assert first.target_date == date(2025, 3, 31)  # an Excel date
    assert (first.status, first.completed_on, first.outcome) == (
        "complete",
        date(2025, 3, 14),
        "Delivered to 342 staff across five agencies",
    )
    assert second.description == "Add older victims to the awareness campaign"
    assert (second.target_date, second.status) == (date(2025, 6, 30), "in_progress")  # text
    assert (third.target_date, third.target_date_note) == (None, "Ongoing")
    assert result.recommendations[1].actions[0].target_date == date(2024, 12, 31)
    home_office = result.recommendations[2].actions[0]
    assert home_office.target_date == date(2025, 4, 30)  # "April 2025": by the end of April
    assert (home_office.completed_on, home_office.outcome) == (
        date(2025, 4, 8),
        "letter acknowledged",
    )
    gp = result.recommendations[4].actions[0]
    assert (gp.completed_on, gp.outcome) == (date(2025, 9, 2), "")  # an Excel date alone
    housing = result.recommendations[5].actions
    assert housing[0].target_date == date(2025, 3, 1)  # "1st March 2025"
    assert [a.status for a in housing] == ["superseded", "not_achieved"]
    assert housing[1].outcome == "Training postponed after restructure"
    assert result.action_count == 10


def test_continuation_rows_left_blank_rather_than_merged_read_the_same(tmp_path: Path) -> None:
    merged = read_plan(write_published_plan(tmp_path / "a.xlsx"), filename="a.xlsx")
    blank = read_plan(
        write_published_plan(tmp_path / "b.xlsx", merge_continuations=False), filename="b.xlsx"
    )
    assert blank.errors == []
    assert blank.recommendations == merged.recommendations


def test_a_bad_date_is_a_problem_naming_sheet_row_and_column(tmp_path: Path) -> None:
    rows = published_rows()
    rows[4].cells[6] = "31/02/2025"  # recommendation 2's target date: no such day
    result = read_plan(write_published_plan(tmp_path / "bad.xlsx", rows), filename="bad.xlsx")

    assert len(result.errors) == 1
    problem = result.errors[0]
    assert (problem.file, problem.sheet, problem.row, problem.column, problem.field) == (
        "bad.xlsx",
        "DHR Action Plan",
        10,  # header on row 5; rows 6-9 are the section and recommendation 1's three actions
        "G",
        "Target date",
    )
    assert problem.value == "31/02/2025"
    assert "not a date" in problem.message.lower()
    assert "sheet DHR Action Plan, row 10, column G" in str(problem)


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    rows = published_rows()
    rows[1].cells[7] = "Sort of done"  # status
    rows[4].cells[2] = "Galactic"  # scope
    rows[9].cells[0] = "SA1"  # SA2 numbered SA1 again
    rows[11].cells[8] = "31/13/2025 - done"  # completion date of SA3's second action
    result = read_plan(write_published_plan(tmp_path / "bad.xlsx", rows), filename="bad.xlsx")
    where = sorted((p.row, p.column) for p in result.errors)
    assert where == [(7, "H"), (10, "C"), (15, "A"), (17, "I")]
    duplicate = next(p for p in result.errors if p.column == "A")
    assert "already on row 13" in duplicate.message


def test_an_action_with_no_recommendation_above_it_is_refused(tmp_path: Path) -> None:
    rows = [section("Overarching recommendations"), Row([None, None, None, "Do a thing", "CSP"])]
    result = read_plan(write_published_plan(tmp_path / "x.xlsx", rows), filename="x.xlsx")
    assert [(p.row, p.column) for p in result.errors] == [(7, "D")]


def test_a_workbook_without_a_header_row_says_which_columns_it_wants(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.append(["Name", "Date"])
    workbook.save(tmp_path / "x.xlsx")
    result = read_plan(tmp_path / "x.xlsx", filename="x.xlsx")
    assert len(result.errors) == 1
    assert "Recommendation" in result.errors[0].message
    assert "Action to take" in result.errors[0].message


def test_a_file_that_is_not_a_workbook_is_a_problem_not_an_exception() -> None:
    result = read_plan(b"%PDF-1.4 not a workbook", filename="plan.pdf")
    assert [p.file for p in result.errors] == ["plan.pdf"]
    assert ".xlsx" in result.errors[0].message


def test_numbers_in_the_text_and_kinds_from_numbers_when_there_is_no_section_or_number_column(
    tmp_path: Path,
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Recommendation", "Action", "Lead", "Deadline", "Progress"])
    sheet.append(["1. The CSP should audit MARAC referrals.", "Audit 20 cases", "CSP", "", ""])
    sheet.append(["SA4) Police to review DASH training.", "Refresh training", "Police", "", ""])
    sheet.append(["Probation to share risk information.", "New protocol", "Probation", "", ""])
    workbook.save(tmp_path / "x.xlsx")
    result = read_plan(tmp_path / "x.xlsx", filename="x.xlsx")
    assert result.errors == []
    assert [(r.number, r.kind, r.text[:10]) for r in result.recommendations] == [
        ("1", "overarching", "The CSP sh"),
        ("SA4", "single_agency", "Police to "),
        ("2", "overarching", "Probation "),  # numbered on, past the "1." in the first text
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2025, 3, 31, 0, 0), (date(2025, 3, 31), "", "")),
        (date(2025, 3, 31), (date(2025, 3, 31), "", "")),
        (45747, (date(2025, 3, 31), "", "")),  # an Excel serial number in a General cell
        ("31/03/2025", (date(2025, 3, 31), "", "")),
        ("31/3/25", (date(2025, 3, 31), "", "")),
        ("31.03.2025", (date(2025, 3, 31), "", "")),
        ("2025-03-31", (date(2025, 3, 31), "", "")),
        ("31 March 2025", (date(2025, 3, 31), "", "")),
        ("31st Mar 2025", (date(2025, 3, 31), "", "")),
        ("March 2025", (date(2025, 3, 31), "", "")),
        ("Feb 2024", (date(2024, 2, 29), "", "")),
        ("Ongoing", (None, "Ongoing", "")),
        ("TBC", (None, "TBC", "")),
        ("", (None, "", "")),
        (None, (None, "", "")),
    ],
)
def test_dates_as_plans_write_them(value: object, expected: tuple) -> None:
    assert read_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2025", "next spring", "Q3", "13/13/2024", 12])
def test_what_is_not_a_date(value: object) -> None:
    found, note, error = read_date(value)
    assert found is None and note == "" and error


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12/03/2024 - Delivered to all staff", (date(2024, 3, 12), "Delivered to all staff", "")),
        ("Completed 8 April 2025: letter sent", (date(2025, 4, 8), "letter sent", "")),
        ("March 2024. Policy published", (date(2024, 3, 31), "Policy published", "")),
        ("Policy published and circulated", (None, "Policy published and circulated", "")),
        ("Training 2024 cohort complete", (None, "Training 2024 cohort complete", "")),
        (datetime(2025, 9, 2), (date(2025, 9, 2), "", "")),
    ],
)
def test_the_date_of_completion_and_outcome_cell(value: object, expected: tuple) -> None:
    assert read_completion(value) == expected


def test_a_bad_completion_date_is_an_error() -> None:
    found, outcome, error = read_completion("31/02/2025 - done")
    assert found is None and error


def _plan() -> PlanDocument:
    return PlanDocument(
        title="Action plan: NB-DHR-2023-05",
        subtitle_lines=["Domestic Homicide Review, Northbridge CSP"],
        recommendations=[
            PlanRecommendation(
                number="SA1",
                kind="single_agency",
                text="Police to update the script.",
                scope="single_agency",
                themes=["identification_of_risk", "training"],
                addressee="police",
                addressed_to="Northbridge Police",
                finding="Call handlers did not ask about care.",
                source="imr",
                source_agency="Northbridge Police",
                actions=[
                    PlanAction(
                        description="Update the script",
                        lead_agency="Northbridge Police",
                        lead_officer="Head of contact management",
                        milestones="Draft; approval",
                        outcome_measure="Script live",
                        target_date=date(2025, 1, 31),
                        status="complete",
                        completed_on=date(2025, 1, 20),
                        outcome="Live since 20 January",
                    ),
                    PlanAction(description="Brief call handlers", target_date_note="Ongoing"),
                ],
            ),
            PlanRecommendation(
                number="1",
                kind="overarching",
                text="The CSP to run training.\nFor every agency.",
                scope="local",
                actions=[
                    PlanAction(
                        description="Train",
                        status="complete",
                        completed_on=date(2024, 5, 1),
                    ),
                    PlanAction(description="Evaluate", status="superseded", outcome="Replaced"),
                ],
            ),
            PlanRecommendation(number="2", kind="overarching", text="No actions", scope="national"),
        ],
    )


def test_what_the_writer_writes_the_reader_reads_back() -> None:
    plan = _plan()
    buffer = io.BytesIO()
    write_xlsx(plan, buffer)
    result = read_plan(buffer.getvalue(), filename="export.xlsx")
    assert result.errors == []
    by_kind = sorted(plan.recommendations, key=lambda r: r.kind != "overarching")
    assert result.recommendations == by_kind


def test_the_written_workbook_has_the_published_shape() -> None:
    buffer = io.BytesIO()
    write_xlsx(_plan(), buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Action plan: NB-DHR-2023-05"
    header = rows[3][: len(HEADINGS)]
    assert header == [c.heading for c in shape.COLUMNS][: len(HEADINGS)]
    assert [h.lower() for h in header] == [h.lower() for h in HEADINGS]
    assert rows[4][0] == "Overarching recommendations"
    first_action, second_action = rows[5], rows[6]
    assert first_action[0] == "1" and second_action[0] is None and second_action[1] is None
    assert second_action[3] == "Evaluate"
    single = [r for r in rows if r[0] == "SA1"][0]
    assert isinstance(single[6], datetime)  # the target date is an Excel date
    assert sheet.cell(row=rows.index(single) + 1, column=7).number_format == "DD/MM/YYYY"


def test_the_docx_table_has_the_published_columns_and_sections() -> None:
    buffer = io.BytesIO()
    write_docx(_plan(), buffer)
    document = Document(io.BytesIO(buffer.getvalue()))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [c.heading for c in shape.COLUMNS if c.main]
    texts = [[c.text for c in row.cells] for row in table.rows]
    assert texts[1][0] == "Overarching recommendations"
    assert any(row[0] == "SA1" and row[6] == "31/01/2025" for row in texts)


def test_the_plan_vocabularies_match_the_models() -> None:
    assert set(shape.STATUSES) == set(models.Status.values)
    assert set(shape.SCOPES) == set(models.Scope.values)
    assert set(shape.KINDS) == set(models.Kind.values)
    assert set(shape.THEMES) == set(models.Theme.values)
    assert set(shape.ADDRESSEES) == set(models.Addressee.values)
    assert set(shape.SOURCES) == set(models.Source.values)
    assert {shape.status_code(label) for label in shape.STATUSES.values()} == set(shape.STATUSES)


def test_the_reader_needs_no_django() -> None:
    import subprocess
    import sys

    check = (
        "import sys, lantern.recommendations.plan_import, lantern.recommendations.rules.smart, "
        "lantern.recommendations.rules.similarity, lantern.recommendations.rules.reminders, "
        "lantern.recommendations.charts; "
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)"
    )
    subprocess.run([sys.executable, "-c", check], check=True, capture_output=True)
