"""Action plan workbooks shaped like published ones, written by the tests themselves.

A title block above the header, the published column headings, section rows between the
rows, a recommendation's second and third actions on continuation rows with the recommendation
cells merged or left blank, and dates as Excel dates in some rows and as text in others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

HEADINGS = [
    "No.",
    "Recommendation",
    "Scope of recommendation",
    "Action to take",
    "Lead Agency",
    "Key milestones",
    "Target date",
    "Status",
    "Date of completion and outcome",
]


@dataclass
class Row:
    cells: list[Any]


def section(text: str) -> Row:
    return Row([text])


def published_rows() -> list[Row]:
    """3 overarching recommendations (5 actions), 3 single-agency (5 actions)."""
    return [
        section("Overarching recommendations"),
        Row(
            [
                1,
                "Northbridge CSP to commission domestic abuse training for all partner agencies "
                "that covers older victims and carers.",
                "Local",
                "Commission a training module on domestic abuse of older people",
                "Northbridge Community Safety Partnership",
                "Module written; first cohort trained",
                datetime(2025, 3, 31),
                "Complete",
                "14/03/2025 - Delivered to 342 staff across five agencies",
            ]
        ),
        Row(
            [
                None,
                None,
                None,
                "Add older victims to the awareness campaign",
                "Northbridge Community Safety Partnership",
                "Materials drafted",
                "30 June 2025",
                "Ongoing",
                None,
            ]
        ),
        Row(
            [
                None,
                None,
                None,
                "Evaluate the campaign's reach",
                "Northbridge Community Safety Partnership",
                None,
                "Ongoing",
                "Not started",
                None,
            ]
        ),
        Row(
            [
                "2",
                "Carer's assessments to ask about domestic abuse and coercive control.",
                "Local",
                "Revise the carer's assessment template",
                "Northbridge Council Adult Social Care",
                "Draft; sign-off by the safeguarding board",
                "31/12/2024",
                "In progress",
                None,
            ]
        ),
        Row(
            [
                3,
                "The Home Office to revise the statutory guidance to cover older victims.",
                "National",
                "CSP chair to write to the Home Office",
                "Northbridge Community Safety Partnership",
                "Letter drafted",
                "April 2025",
                "Completed",
                "Completed 8 April 2025: letter acknowledged",
            ]
        ),
        section("Single agency recommendations"),
        Row(
            [
                "SA1",
                "Northbridge Police to update the call-handling script for older victims.",
                "Single agency",
                "Update the call-handling script",
                "Northbridge Police",
                "Script approved by the vulnerability lead",
                datetime(2024, 11, 30),
                "In progress",
                None,
            ]
        ),
        Row(
            [
                None,
                None,
                None,
                "Brief every call handler on the script",
                "Northbridge Police",
                "Briefings at each shift",
                "31/01/2025",
                "Not started",
                None,
            ]
        ),
        Row(
            [
                "SA2",
                "Kestrel Lane Surgery to flag carers who are also partners.",
                "Single agency",
                "Add a coded carer flag to the patient record",
                "Kestrel Lane Surgery",
                "Flag added; monthly search",
                "30/09/2025",
                "Complete",
                datetime(2025, 9, 2),
            ]
        ),
        Row(
            [
                "SA3",
                "Northbridge Homes to record tenancy support for older tenants.",
                "Single agency",
                "Add support needs to the tenancy record",
                "Northbridge Homes",
                None,
                "1st March 2025",
                "Superseded",
                "Replaced by the new tenancy system",
            ]
        ),
        Row(
            [
                None,
                None,
                None,
                "Train tenancy officers",
                "Northbridge Homes",
                "Two sessions",
                datetime(2025, 5, 31),
                "Not achieved",
                "Training postponed after restructure",
            ]
        ),
    ]


def write_published_plan(
    path: Path, rows: list[Row] | None = None, *, merge_continuations: bool = True
) -> Path:
    """Write a plan as a partnership would publish it; returns the path."""
    rows = published_rows() if rows is None else rows
    workbook = Workbook()
    workbook.active.title = "Cover"
    workbook.active["A1"] = "This workbook holds the action plan of a Domestic Homicide Review."
    sheet = workbook.create_sheet("DHR Action Plan")
    sheet["A1"] = "Domestic Homicide Review: Bethan"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = "Northbridge Community Safety Partnership"
    sheet["A3"] = "Action plan agreed by the CSP board, July 2024"
    sheet.append([])
    sheet.append(HEADINGS)
    header_row = sheet.max_row
    first = header_row + 1
    for row in rows:
        sheet.append(row.cells)
        current = sheet.max_row
        if len(row.cells) == 1:
            sheet.merge_cells(start_row=current, start_column=1, end_row=current, end_column=9)
        elif merge_continuations and row.cells[0] is None and row.cells[1] is None:
            # Merge the recommendation cell up into the row above, as published plans do.
            above = current - 1
            while above >= first and sheet.cell(row=above, column=2).value is None:
                above -= 1
            for column in (1, 2, 3):
                for merged in list(sheet.merged_cells.ranges):
                    if merged.min_col == column and merged.min_row == above:
                        sheet.merged_cells.remove(merged)
                sheet.merge_cells(
                    start_row=above, start_column=column, end_row=current, end_column=column
                )
    for cell in sheet[first : sheet.max_row]:
        for c in cell:
            if isinstance(c.value, datetime):
                c.number_format = "DD/MM/YYYY"
    workbook.save(path)
    return path
