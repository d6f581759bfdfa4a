"""Read an action plan from a workbook in the shape published plans use.

parse (find the sheet and its header row, walk the rows) -> validate (every cell that cannot be
read becomes a Problem naming the file, sheet, row and column) -> the caller persists only when
there is no error. Title rows above the header, section rows ("Single agency recommendations")
between the rows, continuation rows (a recommendation's second and third action, with the
recommendation cells left blank or merged) and dates as Excel dates or as text are all read.

A hostile workbook is refused with a problem, never read without bound: the zip is checked
before openpyxl sees it (`lantern.core.uploads.zip_check`: bombs, parts named outside it,
encrypted parts, document type declarations), anything openpyxl cannot open is one problem, a
sheet reaching beyond `MAX_ROWS` rows or `MAX_COLUMNS` columns is refused (one cell at XFD1048576
would otherwise mean walking seventeen billion empty cells), and a cell longer than its field
holds is an error.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lantern.core.errors import Problem
from lantern.core.uploads import ZipLimits, ZipRefused, zip_check
from lantern.recommendations.plan_import.dates import read_completion, read_date
from lantern.recommendations.plan_import.shape import (
    ADDRESSEE_LOOKUP,
    ADDRESSEES,
    COLUMN_BY_KEY,
    COLUMNS,
    HEADING_LOOKUP,
    REQUIRED_COLUMNS,
    SCOPE_LOOKUP,
    SCOPES,
    STATUSES,
    THEME_LOOKUP,
    THEMES,
    PlanAction,
    PlanRecommendation,
    normalise,
    status_code,
)

HEADER_SEARCH_ROWS = 30
MAX_ROWS = 5000  # a published plan has tens of rows
MAX_COLUMNS = 200
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
ZIP_LIMITS = ZipLimits(total=50 * 1024 * 1024)
# Cells stored in a field of fixed size (the models' max_length).
FIELD_LIMITS = {"number": 20, "addressed_to": 200, "lead_agency": 200, "lead_officer": 200}
_ACTION_KEYS = tuple(c.key for c in COLUMNS if c.level == "action")
_NUMBER_IN_TEXT = re.compile(r"^\s*((?:[A-Za-z]{1,3}\s?)?\d+(?:\.\d+)*)\s*[.):]\s+(.+)$", re.S)
_SINGLE_AGENCY_NUMBER = re.compile(r"^\s*SA", re.I)
_OVERARCHING_SECTION_WORDS = (
    "overarching",
    "multi agency",
    "partnership",
    "panel",
    "national",
    "regional",
    "local",
    "wider",
)


@dataclass
class ReadResult:
    recommendations: list[PlanRecommendation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheet: str = ""
    header_row: int | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def action_count(self) -> int:
        return sum(len(r.actions) for r in self.recommendations)


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _section_kind(text: str) -> str | None:
    value = normalise(text)
    if "single" in value:
        return "single_agency"
    if any(word in value for word in _OVERARCHING_SECTION_WORDS):
        return "overarching"
    return None


def _looks_like_section(text: str) -> bool:
    """ "Single agency recommendations", "Overarching recommendations": short, and about
    recommendations as a group (a one-cell recommendation has no number and is longer)."""
    words = normalise(text).split()
    if not words or len(words) > 8:
        return False
    plural = "recommendations" in words
    return plural or ("recommendation" in words and _section_kind(text) is not None)


def _find_header(sheet: Worksheet) -> tuple[int, dict[str, int], dict[str, str]] | None:
    """(row, column index by key, heading as written by key) of the first row that reads as a
    header: it names the recommendation and the action, and at least one more known column."""
    last = min(sheet.max_row, HEADER_SEARCH_ROWS)
    for row in sheet.iter_rows(min_row=1, max_row=last):
        columns: dict[str, int] = {}
        headings: dict[str, str] = {}
        for cell in row:
            text = cell_text(cell.value)
            key = HEADING_LOOKUP.get(normalise(text)) if text else None
            if key and key not in columns:
                columns[key] = cell.column
                headings[key] = text
        if all(k in columns for k in REQUIRED_COLUMNS) and len(columns) >= 3:
            return row[0].row, columns, headings
    return None


class _Reader:
    def __init__(self, sheet: Worksheet, filename: str) -> None:
        self.sheet = sheet
        self.filename = filename
        self.result = ReadResult(sheet=sheet.title)
        self.columns: dict[str, int] = {}
        self.headings: dict[str, str] = {}
        self.row = 0
        self.current: PlanRecommendation | None = None
        self.current_kind: str | None = None
        self.numbers: dict[str, int] = {}
        self.auto_counts = {"overarching": 0, "single_agency": 0}

    # -- problems --

    def problem(self, message: str, *, key: str = "", value: Any = None, warning: bool = False):
        column = get_column_letter(self.columns[key]) if key in self.columns else ""
        self.result.problems.append(
            Problem(
                file=self.filename,
                sheet=self.sheet.title,
                row=self.row or None,
                column=column,
                field=self.headings.get(key, COLUMN_BY_KEY[key].heading if key else ""),
                value=cell_text(value) if value is not None else "",
                message=message,
                severity="warning" if warning else "error",
            )
        )

    # -- the walk --

    def read(self, header_row: int, columns: dict[str, int], headings: dict[str, str]) -> None:
        self.columns, self.headings = columns, headings
        self.result.header_row = header_row
        for cell in self.sheet[header_row]:
            text = cell_text(cell.value)
            if text and HEADING_LOOKUP.get(normalise(text)) is None:
                self.row = header_row
                self.result.problems.append(
                    Problem(
                        file=self.filename,
                        sheet=self.sheet.title,
                        row=header_row,
                        column=cell.column_letter,
                        field=text,
                        message="Lantern does not read this column; it was left out.",
                        severity="warning",
                    )
                )
        for row_number in range(header_row + 1, self.sheet.max_row + 1):
            self.row = row_number
            self.read_row()

    def raw(self, key: str) -> Any:
        index = self.columns.get(key)
        return self.sheet.cell(row=self.row, column=index).value if index else None

    def text(self, key: str) -> str:
        return cell_text(self.raw(key))

    def read_row(self) -> None:
        filled = [cell for cell in self.sheet[self.row] if cell_text(cell.value) not in ("", None)]
        if not filled:
            return
        if self.too_long(filled):
            return
        number, text = self.text("number"), self.text("recommendation")
        has_action = any(self.text(k) for k in _ACTION_KEYS)
        if len(filled) == 1 and not has_action:
            only = cell_text(filled[0].value)
            if _looks_like_section(only):
                self.section(only)
                return
        if number or text:
            self.recommendation(number, text)
            if has_action:
                self.action()
            return
        if has_action:
            if self.current is None:
                self.problem(
                    "This action has no recommendation above it.",
                    key="action",
                    value=self.raw("action"),
                )
                return
            self.action()
            return
        self.problem(
            "This row is not a recommendation, an action or a section heading; it was left out.",
            value=cell_text(filled[0].value),
            warning=True,
        )

    def too_long(self, filled: list[Any]) -> bool:
        """Report every cell of the row longer than a cell may be; True if there was one."""
        keys = {index: key for key, index in self.columns.items()}
        found = False
        for cell in filled:
            key = keys.get(cell.column, "")
            limit = MAX_CELL_CHARS
            length = len(cell_text(cell.value))
            if length > limit:
                found = True
                self.result.problems.append(
                    Problem(
                        file=self.filename,
                        sheet=self.sheet.title,
                        row=self.row,
                        column=cell.column_letter,
                        field=self.headings.get(key, ""),
                        value=cell_text(cell.value)[:100],
                        message=f"This cell holds {length:,} characters; at most {limit:,} fit.",
                    )
                )
        return found

    def check_fits(self, key: str) -> None:
        """A problem if the cell is longer than the field it is kept in."""
        text = self.text(key)
        if key in FIELD_LIMITS and len(text) > FIELD_LIMITS[key]:
            self.problem(
                f"This cell holds {len(text):,} characters; at most {FIELD_LIMITS[key]} fit.",
                key=key,
                value=text[:100],
            )

    def section(self, text: str) -> None:
        kind = _section_kind(text)
        if kind is None:
            self.problem(
                "Lantern does not know which kind of recommendations this section holds; the "
                "rows below are sorted by their number and scope instead.",
                value=text,
                warning=True,
            )
        self.current_kind = kind
        self.current = None

    def recommendation(self, number: str, text: str) -> None:
        if not number and text:
            match = _NUMBER_IN_TEXT.match(text)
            if match:
                number, text = match.group(1).replace(" ", ""), match.group(2).strip()
        scope = self.scope()
        kind = self.current_kind
        if kind is None:
            single = bool(_SINGLE_AGENCY_NUMBER.match(number)) or scope == "single_agency"
            kind = "single_agency" if single else "overarching"
        if scope is None:
            scope = "single_agency" if kind == "single_agency" else "local"
        if not number:
            if "number" in self.columns:
                self.problem("This recommendation has no number.", key="number")
            else:
                while not number or number.lower() in self.numbers:
                    self.auto_counts[kind] += 1
                    count = self.auto_counts[kind]
                    number = f"SA{count}" if kind == "single_agency" else str(count)
        if not text:
            self.problem("This recommendation has no text.", key="recommendation")
        if number:
            if number.lower() in self.numbers:
                self.problem(
                    f"Recommendation {number} is already on row {self.numbers[number.lower()]}.",
                    key="number",
                    value=number,
                )
            else:
                self.numbers[number.lower()] = self.row
        if len(number) > FIELD_LIMITS["number"]:
            self.problem(
                f"This number has {len(number)} characters; at most {FIELD_LIMITS['number']} fit.",
                key="number",
                value=number[:100],
            )
        self.check_fits("addressed_to")
        source, source_agency = self.source()
        self.current = PlanRecommendation(
            number=number,
            kind=kind,
            text=text,
            scope=scope,
            themes=self.themes(),
            addressee=self.addressee(),
            addressed_to=self.text("addressed_to"),
            finding=self.text("finding"),
            source=source,
            source_agency=source_agency,
        )
        self.result.recommendations.append(self.current)

    def scope(self) -> str | None:
        value = self.text("scope")
        if not value:
            return None
        code = SCOPE_LOOKUP.get(normalise(value))
        if code is None:
            self.problem(
                "Not a scope. Use one of: " + ", ".join(SCOPES.values()) + ".",
                key="scope",
                value=value,
            )
        return code

    def themes(self) -> list[str]:
        codes: list[str] = []
        for part in re.split(r"[;,\n]+", self.text("themes")):
            if not part.strip():
                continue
            code = THEME_LOOKUP.get(normalise(part))
            if code is None:
                self.problem(
                    "Not a recommendation theme. Use: " + "; ".join(THEMES.values()) + ".",
                    key="themes",
                    value=part.strip(),
                )
            elif code not in codes:
                codes.append(code)
        return codes

    def addressee(self) -> str:
        value = self.text("addressee")
        if not value:
            return ""
        code = ADDRESSEE_LOOKUP.get(normalise(value))
        if code is None:
            self.problem(
                "Not an addressee. Use one of: " + ", ".join(ADDRESSEES.values()) + ".",
                key="addressee",
                value=value,
            )
            return ""
        return code

    def source(self) -> tuple[str, str]:
        value = self.text("source")
        norm = normalise(value)
        if not norm or norm in ("panel", "review panel", "the panel", "overview report"):
            return "panel", ""
        if norm.startswith("imr"):
            agency = re.sub(r"^\s*IMR\s*[(:\-–]?\s*", "", value, flags=re.I).rstrip(") ").strip()
            return "imr", agency
        self.problem(
            "Not a source. Write “Review panel”, or “IMR (agency name)”.", key="source", value=value
        )
        return "panel", ""

    def action(self) -> None:
        assert self.current is not None
        description = self.text("action")
        self.check_fits("lead_agency")
        self.check_fits("lead_officer")
        if not description:
            self.problem("This row has no action to take.", key="action")
        target, note, error = read_date(self.raw("target_date"))
        if error:
            self.problem(error, key="target_date", value=self.raw("target_date"))
        elif len(note) > 100:
            self.problem(
                "Not a date, and too long to keep as a note (at most 100 characters).",
                key="target_date",
                value=note[:100],
            )
        status_text = self.text("status")
        status = status_code(status_text)
        if status is None:
            self.problem(
                "Not a status. Use one of: " + ", ".join(STATUSES.values()) + ".",
                key="status",
                value=status_text,
            )
            status = "not_started"
        completed_on, outcome, error = read_completion(self.raw("completion"))
        if error:
            self.problem(error, key="completion", value=self.raw("completion"))
        self.current.actions.append(
            PlanAction(
                description=description,
                lead_agency=self.text("lead_agency"),
                lead_officer=self.text("lead_officer"),
                milestones=self.text("milestones"),
                outcome_measure=self.text("outcome_measure"),
                target_date=target,
                target_date_note=note,
                status=status,
                completed_on=completed_on,
                outcome=outcome,
            )
        )


def _open(source: bytes | Path | BinaryIO) -> Any:
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    return openpyxl.load_workbook(source, data_only=True)


def _refused(filename: str, message: str, sheet: str = "") -> ReadResult:
    return ReadResult(problems=[Problem(file=filename, sheet=sheet, message=message)])


def read_plan(source: bytes | Path | BinaryIO, *, filename: str) -> ReadResult:
    """Read the plan in `source`; every problem is in the result, nothing is raised."""
    if not isinstance(source, bytes):
        source = source.read_bytes() if isinstance(source, Path) else source.read()
    cannot_open = "Lantern cannot open this file: save it as an Excel workbook (.xlsx)."
    if source.startswith(b"PK\x03\x04"):
        try:
            zip_check(source, what="The workbook", limits=ZIP_LIMITS)
        except ZipRefused as refused:
            return _refused(filename, f"{refused}.")
    try:
        workbook = _open(source)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        return _refused(filename, cannot_open)
    except Exception:  # noqa: BLE001 - openpyxl and its XML parsers raise many kinds
        return _refused(filename, cannot_open)
    for sheet in workbook.worksheets:
        if sheet.max_row > MAX_ROWS or sheet.max_column > MAX_COLUMNS:
            return _refused(
                filename,
                f"The sheet reaches row {sheet.max_row:,}, column {sheet.max_column:,}: an "
                f"action plan may use at most {MAX_ROWS:,} rows and {MAX_COLUMNS} columns. "
                "Delete the empty rows and columns after the plan and save it again.",
                sheet=sheet.title,
            )
        found = _find_header(sheet)
        if found is None:
            continue
        reader = _Reader(sheet, filename)
        reader.read(*found)
        if not reader.result.recommendations and not reader.result.errors:
            reader.row = 0
            reader.problem("There are no recommendations below the header row.")
        return reader.result
    return ReadResult(
        problems=[
            Problem(
                file=filename,
                sheet=workbook.worksheets[0].title if workbook.worksheets else "",
                message="No sheet has a header row naming the columns “Recommendation” and "
                "“Action to take” (and others such as “No.”, “Lead Agency”, “Target date”, "
                "“Status”).",
            )
        ]
    )
