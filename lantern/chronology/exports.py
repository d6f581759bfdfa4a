"""The combined chronology as an XLSX workbook and as a DOCX table for the overview report.

Both use the standard columns (`columns.STANDARD_COLUMNS`, in that order) plus the entries'
themes, show pseudonyms in place of the real names of the review's people, and hold only the
entries the exporting user may see. The workbook keeps dates as real dates (a month-precision
date formatted "March 2021") and neutralises any text a spreadsheet would run as a formula.
Every export is recorded in the audit trail as an export.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lantern.chronology.columns import STANDARD_COLUMNS
from lantern.chronology.models import ChronologyEntry, EntryFlag
from lantern.chronology.pseudonyms import Pseudonymiser
from lantern.chronology.selectors_entries import (
    EntryFilters,
    entries_filtered,
    pseudonymiser_for,
    theme_label,
    top_level_themes,
)
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.core.spreadsheets import neutralise as neutralise_text
from lantern.reviews.access import Cap, ensure_can
from lantern.reviews.models import Review

FORMATS = ("xlsx", "docx")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
THEMES_HEADING = "Themes"
# Characters XML 1.0 cannot hold (openpyxl and python-docx refuse them).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CHUNK = 2000

# Widths of the columns, in spreadsheet characters; the DOCX table shares them out the same way.
_WIDTHS = {
    "date": 14,
    "time": 7,
    "agency": 22,
    "source_record": 16,
    "subject": 12,
    "what_happened": 60,
    "action_taken": 40,
    "risk_assessment": 30,
    "analyst_comment": 40,
    "themes": 24,
}


@dataclass(frozen=True)
class ExportRow:
    """One entry, as its cells: text already pseudonymised."""

    date: dt.date
    date_text: str  # "14 March 2021", or "March 2021" for a month-precision date
    month_precision: bool
    time: dt.time | None
    values: dict[str, str]  # column key -> text, for every other column

    def value(self, key: str) -> Any:
        if key == "date":
            return self.date
        if key == "time":
            return self.time
        return self.values.get(key, "")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    entries: int


def headings() -> list[str]:
    return [c.heading for c in STANDARD_COLUMNS] + [THEMES_HEADING]


def column_keys() -> list[str]:
    return [c.key for c in STANDARD_COLUMNS] + ["themes"]


def neutralise(text: str) -> str:
    """Text a spreadsheet will show as text, with characters XML cannot hold removed."""
    return neutralise_text(_ILLEGAL_XML.sub("", text))


def _clean(text: str) -> str:
    return _ILLEGAL_XML.sub("", text or "")


# --- from entries to rows --------------------------------------------------------------------


def _risk_text(entry: ChronologyEntry) -> str:
    if entry.risk_assessment:
        return entry.risk_assessment
    parts = []
    if entry.dash_level or entry.dash_score is not None:
        level = entry.get_dash_level_display() if entry.dash_level else ""
        score = f" ({entry.dash_score})" if entry.dash_score is not None else ""
        parts.append(_("DASH: %(level)s%(score)s") % {"level": level, "score": score})
    if entry.marac_referral:
        parts.append(_("MARAC referral"))
    if entry.mash_referral:
        parts.append(_("MASH referral"))
    return "; ".join(p.strip() for p in parts)


def _comment_text(entry: ChronologyEntry) -> str:
    if entry.flag and entry.flag in EntryFlag.values:
        label = str(EntryFlag(entry.flag).label)
        return f"{label}: {entry.analyst_comment}" if entry.analyst_comment else label
    return entry.analyst_comment


def entry_date_text(entry: ChronologyEntry) -> str:
    if entry.date_precision == ChronologyEntry.Precision.MONTH:
        return date_format(entry.date, "F Y")
    return date_format(entry.date, "j F Y")


def export_row(entry: ChronologyEntry, *, themes: Sequence[str], names: Pseudonymiser) -> ExportRow:
    subject = str(entry.get_subject_display()) if entry.subject else entry.subject_text
    values = {
        "agency": entry.agency.name,
        "source_record": entry.source_record,
        "subject": subject,
        "what_happened": entry.what_happened,
        "action_taken": entry.action_taken,
        "risk_assessment": _risk_text(entry),
        "analyst_comment": _comment_text(entry),
        "themes": "; ".join(theme_label(code) for code in themes),
    }
    for column in STANDARD_COLUMNS:  # a column added to the standard set exports as text
        if column.key not in values and column.key not in ("date", "time"):
            values[column.key] = str(getattr(entry, column.key, "") or "")
    values = {key: _clean(names.apply(text or "")) for key, text in values.items()}
    return ExportRow(
        date=entry.date,
        date_text=entry_date_text(entry),
        month_precision=entry.date_precision == ChronologyEntry.Precision.MONTH,
        time=entry.time,
        values=values,
    )


def _chunks(items: Iterable[ChronologyEntry], size: int) -> Iterator[list[ChronologyEntry]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def export_rows(*, user: Any, review: Review, filters: EntryFilters | None) -> Iterator[ExportRow]:
    """The rows of an export: the entries `user` may see, in chronological order."""
    names = pseudonymiser_for(review)
    qs = entries_filtered(user=user, review=review, filters=filters)
    for chunk in _chunks(qs.iterator(chunk_size=_CHUNK), _CHUNK):
        themes = top_level_themes(review=review, entry_ids=[e.pk for e in chunk])
        for entry in chunk:
            yield export_row(entry, themes=themes.get(entry.pk, []), names=names)


# --- XLSX -------------------------------------------------------------------------------------


def build_xlsx(rows: Iterable[ExportRow], *, about: Sequence[tuple[str, str]] = ()) -> bytes:
    """A workbook: the chronology on the first sheet, header styled and frozen; then "About"."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    wb.properties.creator = "Lantern"
    ws = wb.create_sheet(_("Combined chronology")[:31])
    keys = column_keys()
    for index, key in enumerate(keys, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(key, 20)
    ws.freeze_panes = "A2"
    thin = Side(style="thin", color="B1B4B6")
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1D70B8")
    header_align = Alignment(vertical="center", wrap_text=True)
    body_align = Alignment(vertical="top", wrap_text=True)
    border = Border(bottom=thin)

    header = []
    for heading in headings():
        cell = WriteOnlyCell(ws, value=heading)
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = header_align
        cell.border = border
        header.append(cell)
    ws.append(header)

    count = 0
    for row in rows:
        cells = []
        for key in keys:
            value = row.value(key)
            if key == "date":
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "mmmm yyyy" if row.month_precision else "dd/mm/yyyy"
            elif key == "time":
                cell = WriteOnlyCell(ws, value=value)
                if value is not None:
                    cell.number_format = "hh:mm"
            else:
                cell = WriteOnlyCell(ws, value=neutralise(value) if value else None)
            cell.alignment = body_align
            cells.append(cell)
        ws.append(cells)
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{count + 1}"

    info = wb.create_sheet(_("About this export")[:31])
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 80
    for key, value in [*about, (_("Entries"), str(count))]:
        label = WriteOnlyCell(info, value=neutralise(key))
        label.font = Font(bold=True)
        info.append([label, neutralise(value)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- DOCX -------------------------------------------------------------------------------------


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _no_split(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def build_docx(
    rows: Iterable[ExportRow], *, title: str, about: Sequence[tuple[str, str]] = ()
) -> bytes:
    """A landscape document holding the chronology as one table, its header row repeated on
    every page: ready to paste into the overview report's appendix."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    doc.core_properties.author = "Lantern"
    doc.core_properties.title = title
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(9)

    doc.add_heading(title, level=1)
    for key, value in about:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{_clean(key)}: ").bold = True
        paragraph.add_run(_clean(value))

    keys = column_keys()
    table = doc.add_table(rows=1, cols=len(keys))
    table.style = "Table Grid"
    table.autofit = False
    usable = 29.7 - 3.0
    total = sum(_WIDTHS.get(k, 20) for k in keys)
    widths = [Cm(usable * _WIDTHS.get(k, 20) / total) for k in keys]
    header = table.rows[0]
    _repeat_header(header)
    for cell, heading, width in zip(header.cells, headings(), widths, strict=True):
        cell.width = width
        cell.text = ""
        run = cell.paragraphs[0].add_run(heading)
        run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, key, width in zip(cells, keys, widths, strict=True):
            cell.width = width
            if key == "date":
                cell.text = row.date_text
            elif key == "time":
                cell.text = row.time.strftime("%H:%M") if row.time else ""
            else:
                cell.text = row.value(key)
    for row_obj in table.rows:
        _no_split(row_obj)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- the export, audited -------------------------------------------------------------------------


def _about(review: Review, filters: EntryFilters | None) -> list[tuple[str, str]]:
    about = [
        (_("Review"), review.reference),
        (_("Exported"), date_format(timezone.localtime(), "j F Y, H:i")),
    ]
    if review.pseudonym:
        about.insert(1, (_("Pseudonym"), review.pseudonym))
    if filters is not None and filters.active:
        about.append(
            (_("Filters"), ", ".join(f"{k}: {v}" for k, v in filters.as_audit_data().items()))
        )
    return about


def chronology_export(
    *, review: Review, by: Any, fmt: str, filters: EntryFilters | None = None
) -> ExportFile:
    """The combined chronology, as `by` may see it, in `fmt` ("xlsx" or "docx"); audited."""
    ensure_can(user=by, review=review, need=Cap.VIEW_CHRONOLOGY)
    if fmt not in FORMATS:
        raise ValidationError(_("Export as xlsx or docx."))
    counter = _Counter(export_rows(user=by, review=review, filters=filters))
    about = _about(review, filters)
    if fmt == "xlsx":
        content = build_xlsx(counter, about=about)
    else:
        title = _("Appendix: combined chronology")
        content = build_docx(counter, title=title, about=about)
    audit_record(
        action=AuditEvent.Action.EXPORT,
        by=by,
        review=review,
        object_type="combined chronology",
        object_id=review.reference,
        summary=f"Exported the combined chronology as {fmt.upper()} ({counter.count} entries)",
        data={
            "format": fmt,
            "entries": counter.count,
            **({"filters": filters.as_audit_data()} if filters and filters.active else {}),
        },
    )
    return ExportFile(
        content=content,
        filename=f"{review.reference}-combined-chronology.{fmt}",
        content_type=CONTENT_TYPES[fmt],
        entries=counter.count,
    )


class _Counter:
    """Passes rows through, counting them."""

    def __init__(self, rows: Iterable[ExportRow]) -> None:
        self._rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[ExportRow]:
        for row in self._rows:
            self.count += 1
            yield row
