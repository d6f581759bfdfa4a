"""What people typed is never run as a formula by a spreadsheet Lantern writes."""

from __future__ import annotations

import dataclasses
import io

import pytest
from openpyxl import Workbook, load_workbook

from lantern.core.spreadsheets import keep_as_text, neutralise, neutralise_value


@pytest.mark.parametrize("text", ["=1+1", "+44 7700", "-5", "@SUM(A1)", "\t=x", "\r=x"])
def test_csv_text_that_would_run_gets_a_quote(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Referred to MARAC", "", 3, None])
def test_other_values_are_unchanged(value: object) -> None:
    assert neutralise_value(value) == value


def test_an_xlsx_cell_starting_with_equals_is_stored_as_text() -> None:
    workbook = Workbook()
    cell = keep_as_text(workbook.active.cell(row=1, column=1, value='=HYPERLINK("x","y")'))
    assert cell.data_type == "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    assert read.data_type == "s" and read.value == '=HYPERLINK("x","y")'


def test_an_action_plan_export_keeps_formula_like_text_as_text() -> None:
    from lantern.recommendations.plan_import import read_plan, write_xlsx
    from lantern.recommendations.tests.test_plan_import import _plan

    plan = _plan()
    first = plan.recommendations[0]
    plan.recommendations[0] = dataclasses.replace(first, text="=1+1 was the finding")
    buffer = io.BytesIO()
    write_xlsx(plan, buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == "=1+1 was the finding"]
    assert cells and all(c.data_type == "s" for c in cells)
    result = read_plan(buffer.getvalue(), filename="export.xlsx")
    assert any(r.text == "=1+1 was the finding" for r in result.recommendations)
