"""The learning across reviews as CSV and XLSX. What documents said (recommendation texts) is
never written as a live formula (lantern.core.spreadsheets)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lantern.core.spreadsheets import keep_as_text, neutralise_value


def _sections(stats: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(sheet title, headings, rows) for each table of the learning page."""

    def counted(rows: list[dict[str, Any]]) -> list[list[Any]]:
        return [[r["label"], r["code"], r["count"], r["percent"]] for r in rows]

    heading = [_("What"), _("Code"), _("Reviews"), _("Percent of reviews")]
    rec = stats["recommendations"]
    rec_heading = [_("What"), _("Code"), _("Recommendations"), _("Percent of recommendations")]
    return [
        (_("Themes"), heading, counted(stats["themes"])),
        (_("Relationships"), heading, counted(stats["relationship_category"])),
        (_("Death types"), heading, counted(stats["death_type"])),
        (_("Age bands"), heading, counted(stats["victim_age_band"])),
        (_("Sex"), heading, counted(stats["victim_sex"])),
        (
            _("Years"),
            [_("Year of death"), _("Reviews")],
            [[y["year"], y["count"]] for y in stats["years"]],
        ),
        (_("Addressees"), rec_heading, counted(rec["by_addressee"])),
        (_("Recommendation themes"), rec_heading, counted(rec["by_theme"])),
        (
            _("Addressee and theme"),
            [_("Addressee"), _("Theme"), _("Recommendations")],
            [
                [r["addressee_label"], r["theme_label"], r["count"]]
                for r in rec["by_addressee_and_theme"]
            ],
        ),
        (
            _("Recurring"),
            [_("Recommendation"), _("Reviews"), _("Recommendations"), _("Addressees"), _("Themes")],
            [
                [
                    g["text"],
                    g["documents"],
                    g["recommendations"],
                    "; ".join(f"{a['label']} ({a['count']})" for a in g["addressees"]),
                    "; ".join(f"{t['label']} ({t['count']})" for t in g["themes"]),
                ]
                for g in stats["recurring_recommendations"]
            ],
        ),
        (
            _("Home Office comparison"),
            [
                _("Measure"),
                _("Reviews"),
                _("Of reviews that say"),
                _("Percent"),
                _("Home Office percent"),
                _("Home Office source"),
            ],
            [
                [
                    c["label"],
                    c["count"],
                    c["of"],
                    c["percent"],
                    c["home_office_percent"],
                    c["home_office_source"],
                ]
                for c in stats["home_office_comparison"]
            ],
        ),
    ]


def learning_rows(stats: dict[str, Any]) -> list[list[Any]]:
    """Every table one after another, each under its title, for one CSV file."""
    rows: list[list[Any]] = [[_("Published reviews"), stats["documents"]], []]
    for title, headings, body in _sections(stats):
        rows.append([title])
        rows.append(list(headings))
        rows.extend(body)
        rows.append([])
    return rows


def csv_cells(row: list[Any]) -> list[Any]:
    return [
        "" if v is None else neutralise_value(str(v) if not isinstance(v, int | float) else v)
        for v in row
    ]


def learning_xlsx(stats: dict[str, Any]) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    summary.append([_("Learning across published reviews")])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_("Published reviews"), stats["documents"]])
    summary.append([_("Recommendations"), stats["recommendations"]["total"]])
    for title, headings, body in _sections(stats):
        sheet = workbook.create_sheet(str(title)[:31])
        sheet.append([str(h) for h in headings])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in body:
            sheet.append([str(v) if hasattr(v, "__html__") else v for v in row])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                keep_as_text(cell)
        sheet.column_dimensions["A"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
