"""parse -> validate: one agency file in, typed rows in the standard columns and problems out.

`parse` reads the workbook, finds each sheet's header row among any title rows above it, maps
the headings, and separates the data rows from blank rows and notes below the data. `validate`
reads each data row's date and text into a `ParsedRow` (with its provenance: file, sheet, row)
and records every problem as a `Problem`. Nothing here touches the database; the caller stores
the rows only if no problem is an error.

Errors: the file cannot be read as a spreadsheet; a sheet has no header row Lantern can place,
or no date or description column; a row whose date cannot be read (empty, impossible,
ambiguous, in the future) or that has no description. Warnings: a column Lantern does not read,
two columns read as the same thing, notes below the data, a blank row between entries, a time
that cannot be read (the entry is kept without one), text cut to fit, a sheet that is not read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from lantern.chronology.columns import COLUMN_BY_KEY, STANDARD_COLUMNS
from lantern.chronology.importer import readers
from lantern.chronology.importer.dates import DAY, DateError, parse_date, parse_time
from lantern.chronology.importer.headers import ColumnMap, map_headings
from lantern.chronology.importer.risk import DEFAULT_DASH_BANDS, read_risk
from lantern.chronology.importer.subjects import PersonRef, SubjectMatcher
from lantern.core.errors import Problem

ERROR, WARNING = "error", "warning"
HEADER_SCAN_ROWS = 30  # title rows above the header: agencies use a few, never this many
MAX_ERRORS = 500  # per file: enough to fix a file by, without drowning the page
MAX_WARNINGS = 200
# All the text one file's entries may hold: a workbook's shared strings let a small file repeat
# one long cell on every row, which would store gigabytes.
MAX_FILE_TEXT = 100_000_000
TEXT_LIMITS = {"source_record": 300, "subject_text": 200}
_SOURCE_LIMIT, _SUBJECT_LIMIT = TEXT_LIMITS["source_record"], TEXT_LIMITS["subject_text"]
_TEXT_KEYS = ("source_record", "subject", "what_happened", "action_taken", "risk_assessment")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


@dataclass
class ParsedRow:
    """One entry, ready to store: the standard columns, provenance and a content fingerprint."""

    sheet: str
    row: int
    date: date
    date_precision: str
    time: time | None
    source_record: str
    subject: str
    subject_text: str
    what_happened: str
    action_taken: str
    risk_assessment: str
    dash_level: str
    dash_score: int | None
    marac_referral: bool
    mash_referral: bool
    analyst_comment: str
    flag: str
    fingerprint: str = ""


@dataclass
class ParsedFile:
    name: str
    sha256: str
    size: int
    kind: str = ""
    encoding: str = ""
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors


def fingerprint(row: ParsedRow) -> str:
    """The identity of what the agency wrote: same text and date, same fingerprint, wherever
    the row sits in the file. Whitespace and case of spacing do not count."""
    parts = (
        row.date.isoformat(),
        row.date_precision,
        row.time.isoformat() if row.time else "",
        row.source_record,
        row.subject_text,
        row.what_happened,
        row.action_taken,
        row.risk_assessment,
        row.analyst_comment,
    )
    text = "\x1f".join(" ".join(p.split()) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text(value: object) -> str:
    if value is None:
        return ""
    if type(value) is str:
        text = value
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.isprintable() and _CONTROL.search(text):
            text = _CONTROL.sub("", text)
        return text.strip()
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "Yes" if value else "No"
    elif isinstance(value, datetime):
        text = f"{value:%d/%m/%Y %H:%M}" if value.time() != time(0) else f"{value:%d/%m/%Y}"
    elif isinstance(value, date):
        text = f"{value:%d/%m/%Y}"
    elif isinstance(value, time):
        text = f"{value:%H:%M}"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass
class _Collector:
    file: str
    problems: list[Problem] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0

    def add(
        self,
        message: str,
        *,
        sheet: str = "",
        row: int | None = None,
        column: str = "",
        value: object = None,
        severity: str = ERROR,
    ) -> None:
        if severity == ERROR:
            self.errors += 1
            if self.errors > MAX_ERRORS:
                return
        else:
            self.warnings += 1
            if self.warnings > MAX_WARNINGS:
                return
        shown = "" if value is None else _text(value)[:100]
        self.problems.append(
            Problem(
                file=self.file,
                message=message,
                value=shown,
                row=row,
                sheet=sheet,
                column=column,
                severity=severity,
            )
        )

    def close(self) -> list[Problem]:
        if self.errors > MAX_ERRORS:
            self.problems.append(
                Problem(
                    file=self.file,
                    message=f"and {self.errors - MAX_ERRORS} more errors not listed",
                )
            )
        if self.warnings > MAX_WARNINGS:
            self.problems.append(
                Problem(
                    file=self.file,
                    message=f"and {self.warnings - MAX_WARNINGS} more warnings not listed",
                    severity=WARNING,
                )
            )
        return self.problems


# --- parse: find the header, separate data rows from blanks and notes --------------------------


@dataclass
class _SheetLayout:
    sheet: readers.Sheet
    header_row: int  # 0-based index into sheet.rows
    columns: ColumnMap
    data: list[int] = field(default_factory=list)  # 0-based indexes of entry rows
    blank: list[int] = field(default_factory=list)  # blank rows between entries
    notes: list[int] = field(default_factory=list)  # rows of notes below the data


def find_header(rows: Sequence[Sequence[object]]) -> tuple[int, ColumnMap] | None:
    """The first row, among the first rows, whose headings name a date and another column."""
    fallback: tuple[int, ColumnMap] | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        texts = [c if isinstance(c, str) else None for c in row]
        if sum(1 for c in texts if c and c.strip()) < 2:
            continue
        columns = map_headings(texts)
        if "date" in columns.columns and columns.score >= 2:
            return index, columns
        if fallback is None and columns.score >= 3:
            fallback = (index, columns)
    return fallback


def _non_empty(row: Sequence[object]) -> list[int]:
    return [
        i
        for i, v in enumerate(row)
        if v is not None and (type(v) is not str or v.strip())  # noqa: E721 (fast path)
    ]


def _is_note(row: Sequence[object], index: int, columns: ColumnMap, after_blank: bool) -> bool:
    """A single cell (`index`) of text below the data, e.g. "Notes: times are approximate"."""
    if index == columns.columns.get("date"):
        try:
            parse_date(row[index])
            return False
        except DateError:
            return True
    if index == columns.columns.get("what_happened"):
        return after_blank
    return True


def _layout(sheet: readers.Sheet, header_row: int, columns: ColumnMap) -> _SheetLayout:
    layout = _SheetLayout(sheet=sheet, header_row=header_row, columns=columns)
    rows = sheet.rows
    kinds: list[str] = []  # "blank", "note?" or "row", for rows after the header
    previous_blank = False
    for index in range(header_row + 1, len(rows)):
        row = rows[index]
        filled = _non_empty(row)
        if not filled:
            kinds.append("blank")
            previous_blank = True
            continue
        note = len(filled) == 1 and _is_note(row, filled[0], columns, previous_blank)
        kinds.append("note?" if note else "row")
        previous_blank = False
    last_row = max((i for i, k in enumerate(kinds) if k == "row"), default=-1)
    for offset, kind in enumerate(kinds):
        index = header_row + 1 + offset
        if offset > last_row:
            if kind == "note?":
                layout.notes.append(index)
        elif kind == "blank":
            layout.blank.append(index)
        else:
            layout.data.append(index)
    return layout


# --- validate: read each row ---------------------------------------------------------------------


@dataclass
class _Context:
    file: str
    today: date
    subjects: SubjectMatcher
    bands: tuple[tuple[int, str], ...]
    problems: _Collector
    text_chars: int = 0


def _cell(row: Sequence[object], index: int | None) -> object:
    if index is None or index >= len(row):
        return None
    return row[index]


def _flag(comment: str) -> str:
    lowered = comment.lower()
    missed = "missed opportunit" in lowered
    good = "good practice" in lowered
    if missed and not good:
        return "missed_opportunity"
    if good and not missed:
        return "good_practice"
    return ""


@dataclass(frozen=True)
class _Reader:
    """Where each standard column is in one sheet, worked out once for all its rows."""

    sheet: str
    date: int | None
    time: int | None
    texts: tuple[tuple[str, int | None], ...]  # (key, column) for the text columns
    headings: dict[str, str]  # key -> heading as written (or Lantern's)

    @classmethod
    def of(cls, layout: _SheetLayout) -> _Reader:
        columns = layout.columns.columns
        return cls(
            sheet=layout.sheet.name,
            date=columns.get("date"),
            time=columns.get("time"),
            texts=tuple((key, columns.get(key)) for key in (*_TEXT_KEYS, "analyst_comment")),
            headings={c.key: layout.columns.heading(c.key) or c.heading for c in STANDARD_COLUMNS},
        )


def _read_row(
    ctx: _Context, reader: _Reader, row: Sequence[object], number: int
) -> ParsedRow | None:
    sheet = reader.sheet
    width = len(row)
    ok = True
    parsed = None
    date_value = row[reader.date] if reader.date is not None and reader.date < width else None
    try:
        parsed = parse_date(date_value, today=ctx.today)
    except DateError as error:
        ctx.problems.add(
            f"the date cannot be read: {error}",
            sheet=sheet,
            row=number,
            column=reader.headings["date"],
        )
        ok = False
    texts = {
        key: _text(row[index]) if index is not None and index < width else ""
        for key, index in reader.texts
    }
    size = sum(map(len, texts.values()))
    ctx.text_chars += size
    if size > readers.MAX_CELL_CHARS:
        for key in texts:
            if len(texts[key]) > readers.MAX_CELL_CHARS:
                ctx.problems.add(
                    f"the cell holds {len(texts[key]):,} characters, more than the "
                    f"{readers.MAX_CELL_CHARS:,} a spreadsheet cell may hold",
                    sheet=sheet,
                    row=number,
                    column=reader.headings[key],
                )
                ok = False
    if not texts["what_happened"]:
        ctx.problems.add(
            "there is no description of what happened",
            sheet=sheet,
            row=number,
            column=reader.headings["what_happened"],
        )
        ok = False
    if not ok or parsed is None:
        return None
    at = parsed.time
    if reader.time is not None and reader.time < width:
        try:
            written = parse_time(row[reader.time])
        except DateError as error:
            written = None
            ctx.problems.add(
                f"{error}; the entry is kept without a time",
                sheet=sheet,
                row=number,
                column=reader.headings["time"],
                severity=WARNING,
            )
        if written is not None:
            at = written
    if parsed.precision != DAY:
        at = None
    for key, limit in (("source_record", _SOURCE_LIMIT), ("subject", _SUBJECT_LIMIT)):
        if len(texts[key]) > limit:
            ctx.problems.add(
                f"shortened to its first {limit} characters",
                sheet=sheet,
                row=number,
                column=reader.headings[key],
                severity=WARNING,
            )
            texts[key] = texts[key][:limit]
    subject_text = texts["subject"]
    comment = texts["analyst_comment"]
    risk = read_risk(texts["risk_assessment"], bands=ctx.bands)
    entry = ParsedRow(
        sheet=sheet,
        row=number,
        date=parsed.date,
        date_precision=parsed.precision,
        time=at,
        source_record=texts["source_record"],
        subject=ctx.subjects.match(subject_text),
        subject_text=subject_text,
        what_happened=texts["what_happened"],
        action_taken=texts["action_taken"],
        risk_assessment=texts["risk_assessment"],
        dash_level=risk.dash_level,
        dash_score=risk.dash_score,
        marac_referral=risk.marac_referral,
        mash_referral=risk.mash_referral,
        analyst_comment=comment,
        flag=_flag(comment) if comment else "",
    )
    entry.fingerprint = fingerprint(entry)
    return entry


def _header_problems(ctx: _Context, layout: _SheetLayout) -> None:
    columns = layout.columns
    sheet, number = layout.sheet.name, layout.header_row + 1
    for index in columns.unmapped:
        heading = columns.headings[index]
        has_data = any(not _empty(_cell(layout.sheet.rows[i], index)) for i in layout.data[:5000])
        if not has_data:
            continue  # a heading over an empty column changes nothing
        ctx.problems.add(
            "this column is not read: its heading is not one of the chronology columns ("
            + ", ".join(c.heading for c in STANDARD_COLUMNS)
            + ")",
            sheet=sheet,
            row=number,
            column=heading or _column_letter(index),
            severity=WARNING,
        )
    for index, key in columns.duplicates:
        ctx.problems.add(
            f"this column is not read: “{columns.heading(key)}” is already read as "
            f"{COLUMN_BY_KEY[key].heading}",
            sheet=sheet,
            row=number,
            column=columns.headings.get(index) or _column_letter(index),
            severity=WARNING,
        )


def _check_agency(ctx: _Context, layout: _SheetLayout, agency: str) -> None:
    index = layout.columns.columns["agency"]
    expected = _SPACES.sub(" ", agency).strip().casefold()
    others: dict[str, int] = {}
    for row_index in layout.data:
        named = _text(_cell(layout.sheet.rows[row_index], index))
        if named and _SPACES.sub(" ", named).casefold() != expected:
            others.setdefault(named, row_index + 1)
    for named, first_row in list(others.items())[:5]:
        ctx.problems.add(
            f"the Agency column names “{named}”, but the file is imported for {agency}",
            sheet=layout.sheet.name,
            row=first_row,
            column=layout.columns.heading("agency"),
            severity=WARNING,
        )


def parse_file(
    name: str,
    content: bytes,
    *,
    people: Iterable[PersonRef] = (),
    today: date | None = None,
    dash_bands: tuple[tuple[int, str], ...] = DEFAULT_DASH_BANDS,
    subjects: SubjectMatcher | None = None,
    agency: str = "",
) -> ParsedFile:
    """Read one agency file. Check `.errors` before storing anything.

    `agency` is the agency the file is imported for: an Agency column naming another is
    reported (the entries are still the uploading agency's).
    """
    result = ParsedFile(name=name, sha256=hashlib.sha256(content).hexdigest(), size=len(content))
    collector = _Collector(file=name)
    ctx = _Context(
        file=name,
        today=today or date.today(),
        subjects=subjects or SubjectMatcher(people),
        bands=dash_bands,
        problems=collector,
    )
    try:
        book = readers.read_file(name, content)
    except readers.FileError as error:
        collector.add(str(error))
        result.problems = collector.close()
        return result
    result.kind, result.encoding = book.kind, book.encoding

    layouts: list[_SheetLayout] = []
    unread: list[readers.Sheet] = []
    for sheet in book.sheets:
        if sheet.truncated:
            collector.add(
                f"the sheet has more than {readers.MAX_ROWS} rows: split it into several files",
                sheet=sheet.name,
            )
            continue
        found = find_header(sheet.rows)
        if found is None:
            filled = sum(1 for row in sheet.rows if _non_empty(row))
            if filled > 1 and not sheet.looks_like_notes:
                unread.append(sheet)
            continue
        header_row, columns = found
        layout = _layout(sheet, header_row, columns)
        missing = [k for k in ("date", "what_happened") if k not in columns.columns]
        for key in missing:
            collector.add(
                f"no column holds the {COLUMN_BY_KEY[key].heading.lower()} of each entry: name "
                f"one “{COLUMN_BY_KEY[key].heading}”",
                sheet=sheet.name,
                row=header_row + 1,
            )
        if missing:
            continue
        layouts.append(layout)

    for sheet in unread:
        collector.add(
            "no header row was found: the first rows must include headings such as "
            "“Date” and “What happened”" + ("" if not layouts else "; this sheet was not read"),
            sheet=sheet.name,
            severity=WARNING if layouts else ERROR,
        )
    for layout in layouts:
        _header_problems(ctx, layout)
        if agency and "agency" in layout.columns.columns:
            _check_agency(ctx, layout, agency)
        reader = _Reader.of(layout)
        rows = layout.sheet.rows
        for index in layout.data:
            entry = _read_row(ctx, reader, rows[index], index + 1)
            if entry is not None:
                result.rows.append(entry)
            if ctx.text_chars > MAX_FILE_TEXT:
                collector.add(
                    f"the entries hold more than {MAX_FILE_TEXT:,} characters of text in all: "
                    "split the file into several",
                    sheet=layout.sheet.name,
                    row=index + 1,
                )
                break
        for index in layout.blank:
            collector.add(
                "this row is blank and was skipped",
                sheet=layout.sheet.name,
                row=index + 1,
                severity=WARNING,
            )
        for index in layout.notes:
            cells = _non_empty(layout.sheet.rows[index])
            collector.add(
                "notes below the data are not entries and were not imported",
                sheet=layout.sheet.name,
                row=index + 1,
                column=layout.columns.headings.get(cells[0]) or _column_letter(cells[0]),
                value=layout.sheet.rows[index][cells[0]],
                severity=WARNING,
            )
    if not result.rows and not collector.errors:
        collector.add("the file holds no chronology entries", severity=WARNING)
    result.problems = collector.close()
    return result


def parse_files(
    files: Sequence[tuple[str, bytes]],
    *,
    people: Iterable[PersonRef] = (),
    today: date | None = None,
    dash_bands: tuple[tuple[int, str], ...] = DEFAULT_DASH_BANDS,
    agency: str = "",
) -> list[ParsedFile]:
    """Parse every file of one command; the command stores nothing if any has an error."""
    matcher = SubjectMatcher(people)
    return [
        parse_file(
            name, content, today=today, dash_bands=dash_bands, subjects=matcher, agency=agency
        )
        for name, content in files
    ]
