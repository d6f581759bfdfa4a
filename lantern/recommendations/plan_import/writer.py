"""Write an action plan in the published shape: an XLSX workbook (read back by `reader`) and a
DOCX table for the overview report's appendix.

The columns, their headings and their order come from `shape.COLUMNS`, the same definitions the
reader matches, so a plan exported and imported again is the same plan.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, BinaryIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from lantern.core.spreadsheets import keep_as_text
from lantern.recommendations.plan_import.dates import completion_text
from lantern.recommendations.plan_import.shape import (
    ADDRESSEES,
    COLUMNS,
    KINDS,
    SCOPES,
    SOURCES,
    STATUSES,
    THEMES,
    PlanAction,
    PlanDocument,
    PlanRecommendation,
)

KIND_ORDER = ("overarching", "single_agency")
DATE_FORMAT = "DD/MM/YYYY"


def _grouped(doc: PlanDocument) -> list[tuple[str, list[PlanRecommendation]]]:
    return [
        (kind, [r for r in doc.recommendations if r.kind == kind])
        for kind in KIND_ORDER
        if any(r.kind == kind for r in doc.recommendations)
    ]


def _source_text(rec: PlanRecommendation) -> str:
    if rec.source == "imr":
        return f"IMR ({rec.source_agency})" if rec.source_agency else "IMR"
    return SOURCES["panel"]


def recommendation_cells(rec: PlanRecommendation) -> dict[str, Any]:
    return {
        "number": rec.number,
        "recommendation": rec.text,
        "scope": SCOPES.get(rec.scope, rec.scope),
        "themes": "; ".join(THEMES.get(t, t) for t in rec.themes),
        "addressee": ADDRESSEES.get(rec.addressee, rec.addressee),
        "addressed_to": rec.addressed_to,
        "finding": rec.finding,
        "source": _source_text(rec),
    }


def action_cells(action: PlanAction, *, dates_as_text: bool = False) -> dict[str, Any]:
    target: Any = action.target_date_note
    if action.target_date:
        target = (
            action.target_date.strftime("%d/%m/%Y")
            if dates_as_text
            else datetime.combine(action.target_date, time())
        )
    completion: Any = completion_text(action.completed_on, action.outcome)
    if action.completed_on and not action.outcome and not dates_as_text:
        completion = datetime.combine(action.completed_on, time())
    return {
        "action": action.description,
        "lead_agency": action.lead_agency,
        "lead_officer": action.lead_officer,
        "milestones": action.milestones,
        "outcome_measure": action.outcome_measure,
        "target_date": target,
        "status": STATUSES.get(action.status, action.status),
        "completion": completion,
    }


def plan_rows(
    doc: PlanDocument, *, dates_as_text: bool = False
) -> list[tuple[str, dict[str, Any] | str]]:
    """("section", text) and ("row", {column key: value}) in the order a plan shows them."""
    rows: list[tuple[str, dict[str, Any] | str]] = []
    for kind, recommendations in _grouped(doc):
        rows.append(("section", KINDS[kind]))
        for rec in recommendations:
            first = recommendation_cells(rec)
            if not rec.actions:
                rows.append(("row", first))
                continue
            for index, action in enumerate(rec.actions):
                cells = action_cells(action, dates_as_text=dates_as_text)
                if index == 0:
                    cells.update(first)
                rows.append(("row", cells))
    return rows


# --- XLSX --------------------------------------------------------------------------------------

_HEADER_FILL = PatternFill("solid", fgColor="1D70B8")
_SECTION_FILL = PatternFill("solid", fgColor="DDE9F5")
_THIN = Side(style="thin", color="B1B4B6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def write_xlsx(doc: PlanDocument, stream: BinaryIO) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Action plan"
    width = len(COLUMNS)
    sheet.cell(row=1, column=1, value=doc.title).font = Font(bold=True, size=14)
    row = 2
    for line in doc.subtitle_lines:
        sheet.cell(row=row, column=1, value=line)
        row += 1
    row += 1  # a blank row, as published plans leave one
    header_row = row
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=index, value=column.heading)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = _BORDER
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    row = header_row + 1
    for kind, content in plan_rows(doc):
        if kind == "section":
            cell = keep_as_text(sheet.cell(row=row, column=1, value=str(content)))
            cell.font = Font(bold=True)
            for index in range(1, width + 1):
                sheet.cell(row=row, column=index).fill = _SECTION_FILL
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        else:
            assert isinstance(content, dict)
            for index, column in enumerate(COLUMNS, start=1):
                value = content.get(column.key)
                cell = sheet.cell(row=row, column=index, value=value if value != "" else None)
                keep_as_text(cell)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                cell.border = _BORDER
                if isinstance(value, datetime | date):
                    cell.number_format = DATE_FORMAT
        row += 1
    workbook.save(stream)


# --- DOCX --------------------------------------------------------------------------------------


def _repeat_as_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _shade(cell: Any, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _write_cell(cell: Any, text: str, *, bold: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    lines = text.split("\n") if text else [""]
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.font.size = Pt(8)
        run.bold = bold
        if index < len(lines) - 1:
            run.add_break()


def write_docx(doc: PlanDocument, stream: BinaryIO) -> None:
    """The plan as a table (the published shape's main columns), landscape, header repeated."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.add_heading(doc.title, level=1)
    for line in doc.subtitle_lines:
        document.add_paragraph(line)
    columns = [c for c in COLUMNS if c.main]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, column in zip(header.cells, columns, strict=True):
        _write_cell(cell, column.heading, bold=True)
        _shade(cell, "DDE9F5")
    for kind, content in plan_rows(doc, dates_as_text=True):
        row = table.add_row()
        if kind == "section":
            merged = row.cells[0].merge(row.cells[-1])
            _write_cell(merged, str(content), bold=True)
            _shade(merged, "F3F2F1")
            continue
        assert isinstance(content, dict)
        for cell, column in zip(row.cells, columns, strict=True):
            _write_cell(cell, str(content.get(column.key) or ""))
    total = sum(c.width for c in columns)
    usable = 29.7 - 3.0
    for index, column in enumerate(columns):
        for row in table.rows:
            row.cells[index].width = Cm(usable * column.width / total)
    document.save(stream)
