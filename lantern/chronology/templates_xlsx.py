"""The chronology template agencies fill in, generated from `STANDARD_COLUMNS`.

The XLSX has the header row (bold, frozen) and no example rows (they would be imported as
entries): each heading carries its help as a cell comment, and the "Instructions" sheet
explains every column. Subject has a dropdown (victim, perpetrator, child,
other), Date is formatted and validated as a date with an input message giving the accepted
forms, Time as a 24-hour time. The CSV variant is the header row alone, in UTF-8 with a
byte-order mark so that Excel opens £ and accented names correctly.

The same definitions drive the import's header matching, so the template's headings are always
read exactly.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from lantern.chronology.columns import STANDARD_COLUMNS

SUBJECT_CHOICES = ("Victim", "Perpetrator", "Child", "Other")
# Every standard column. Agency may be left empty: the import takes the agency the file is
# uploaded for, and warns if the column names another.
TEMPLATE_COLUMNS = STANDARD_COLUMNS
DATA_ROWS = 2000  # rows the validations and formats cover
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def template_filename(extension: str, reference: str = "") -> str:
    stem = f"chronology-template-{reference}" if reference else "chronology-template"
    return f"{stem}.{extension}"


def template_xlsx(*, reference: str = "", agency: str = "") -> bytes:
    """The template workbook; `reference` and `agency` only label the instructions."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.properties.creator = "Lantern"
    book.properties.title = _("Chronology template")
    sheet = book.active
    sheet.title = _("Chronology")
    sheet.append([c.heading for c in TEMPLATE_COLUMNS])
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    widths = {"date": 14, "time": 9, "subject": 16, "what_happened": 60, "action_taken": 45}
    for index, column in enumerate(TEMPLATE_COLUMNS, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column.help:
            cell.comment = Comment(column.help, "Lantern")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = widths.get(column.key, 32)
    sheet.freeze_panes = "A2"

    def cells(key: str) -> str:
        index = next(i for i, c in enumerate(TEMPLATE_COLUMNS, 1) if c.key == key)
        letter = get_column_letter(index)
        return f"{letter}2:{letter}{DATA_ROWS + 1}"

    subject = DataValidation(
        type="list",
        formula1='"' + ",".join(SUBJECT_CHOICES) + '"',
        allow_blank=True,
        showErrorMessage=False,  # an agency may still type "Child 2" or a pseudonym
        promptTitle=_("Subject"),
        prompt=_("Who the entry is about: victim, perpetrator, child or other."),
    )
    subject.add(cells("subject"))
    date_hint = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="1",
        allow_blank=True,
        showErrorMessage=False,  # "March 2021" (month only) is allowed, as text
        promptTitle=_("Date"),
        prompt=_("Day first: 14/03/2022, or 14 March 2022. March 2022 if only the month is known."),
    )
    date_hint.add(cells("date"))
    time_hint = DataValidation(
        type="time",
        operator="between",
        formula1="0",
        formula2="0.999988426",
        allow_blank=True,
        showErrorMessage=False,
        promptTitle=_("Time"),
        prompt=_("24-hour time, e.g. 14:30. Leave empty if not recorded."),
    )
    time_hint.add(cells("time"))
    for validation in (subject, date_hint, time_hint):
        sheet.add_data_validation(validation)
    for key, number_format in (("date", "dd/mm/yyyy"), ("time", "hh:mm")):
        start = cells(key).split(":")[0]
        letter = "".join(ch for ch in start if ch.isalpha())
        for row in range(2, DATA_ROWS + 2):
            sheet[f"{letter}{row}"].number_format = number_format
    wrap = Alignment(wrap_text=True, vertical="top")
    for key in ("what_happened", "action_taken", "risk_assessment", "analyst_comment"):
        start = cells(key).split(":")[0]
        letter = "".join(ch for ch in start if ch.isalpha())
        sheet.column_dimensions[letter].alignment = wrap  # type: ignore[attr-defined]

    guide = book.create_sheet(_("Instructions"))
    guide.column_dimensions["A"].width = 32
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 90
    title = _("Chronology for a Domestic Homicide Review")
    if reference:
        title += f" ({reference})"
    guide.append([title])
    guide["A1"].font = Font(bold=True, size=14)
    if agency:
        guide.append([_("Agency: %(agency)s") % {"agency": agency}])
    lines = (
        _("Write one row for each contact your agency had, in the Chronology sheet."),
        _(
            "Keep the headings in the first row. Rows may be in any order; Lantern sorts them "
            "by date."
        ),
        _(
            "Dates: day first (14/03/2022 or 14 March 2022). If only the month is known, write "
            "the month and year (March 2022)."
        ),
        _("Use pseudonyms or roles in Subject where you can (victim, perpetrator, child, other)."),
        _("Do not put notes below the entries: they are not imported."),
        "",
    )
    for line in lines:
        guide.append([line])
    guide.append([_("Column"), _("Required"), _("What to write")])
    header = guide.max_row
    for cell in guide[header]:
        cell.font = Font(bold=True)
    for column in TEMPLATE_COLUMNS:
        guide.append([column.heading, _("Yes") if column.required else _("No"), column.help])
    for row in guide.iter_rows(min_row=header + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    """The header row as CSV, UTF-8 with a byte-order mark (so Excel reads it as UTF-8)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([c.heading for c in TEMPLATE_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
