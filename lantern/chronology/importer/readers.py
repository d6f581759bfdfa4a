"""Read an agency's file into sheets of rows of cell values, whatever it really is.

- The type comes from the content, checked against the name: an XLSX workbook is a zip holding
  `xl/workbook.xml`; a CSV is text. Anything else (an old .xls, a password-protected workbook,
  a PDF or a picture renamed .xlsx, a macro workbook) is refused with a message saying what to
  do instead.
- XLSX is read with openpyxl in read-only mode with `data_only=True`: a formula is never
  evaluated, only the value Excel stored with it is read (a formula saved without a value reads
  as empty). The zip's declared sizes are checked first, so a small file cannot expand into
  gigabytes.
- CSV is decoded as UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark
  (Excel's "Unicode text"), or Windows-1252 (Excel's "CSV" on a UK PC: £, curly quotes); the
  delimiter is sniffed among comma, semicolon, tab and pipe. A file mixing UTF-8 and
  Windows-1252 (two exports pasted together) or in UTF-32 is refused rather than misread.
- Hostile files are refused with a reason, never read into memory or time without bound: a
  workbook naming a part outside itself, with encrypted parts or a document type declaration
  (XML entity attacks) is refused before it is parsed (`lantern.core.uploads.zip_check`); the
  cells read from one file are counted (a few hundred kilobytes of XML can describe rows padded
  to column XFD, billions of empty cells), and a cell longer than Excel allows is an error.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from lantern.core.uploads import ZipLimits, ZipRefused, zip_check

XLSX, CSV = "xlsx", "csv"
EXTENSIONS = {".xlsx": XLSX, ".csv": CSV}
MAX_UNCOMPRESSED = 512 * 1024 * 1024  # what an XLSX may expand to
MAX_RATIO = 200  # how much more than its compressed size one part of the zip may declare
MAX_ROWS = 300_000  # rows read from one sheet
MAX_MEMBERS = 5000  # parts of a workbook (a real one has dozens)
MAX_CELLS = 20_000_000  # cells read from one file, counting those padded to a row's last cell
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"MZ", "a program"),
    (b"\x7fELF", "a program"),
)
_NON_DATA_SHEETS = {
    "instructions",
    "notes",
    "guidance",
    "read me",
    "readme",
    "help",
    "lists",
    "lookup",
    "lookups",
    "key",
    "cover",
    "contents",
}


class FileError(ValueError):
    """The file as a whole cannot be read; `str()` is the message to show."""


@dataclass
class Sheet:
    name: str  # "" for a CSV file
    rows: list[list[object]] = field(default_factory=list)  # rows[i] is spreadsheet row i + 1
    truncated: bool = False

    @property
    def looks_like_notes(self) -> bool:
        return self.name.strip().lower() in _NON_DATA_SHEETS


@dataclass
class Workbook:
    kind: str  # "xlsx" or "csv"
    sheets: list[Sheet]
    encoding: str = ""  # CSV only


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def detect_kind(name: str, content: bytes) -> str:
    """'xlsx' or 'csv', from the content; raises FileError if it is neither or not as named."""
    extension = _extension(name)
    if not content:
        raise FileError("the file is empty")
    if content.startswith(_OLE):
        raise FileError(
            "this is an older Excel file (.xls) or a password-protected workbook: open it in "
            "Excel, remove any password and save it as an Excel Workbook (.xlsx)"
        )
    for signature, what in _SIGNATURES:
        if content.startswith(signature):
            raise FileError(f"this is {what}, not a spreadsheet: send the chronology as .xlsx")
    if content.startswith(b"PK\x03\x04"):
        kind = _zip_kind(content)
        if extension != ".xlsx":
            raise FileError(
                f"this is an Excel workbook but its name ends “{extension or '(nothing)'}”: "
                "name it .xlsx"
            )
        return kind
    if not _is_text(content):
        raise FileError("this is not a spreadsheet or a text (CSV) file")
    if extension != ".csv":
        raise FileError(
            f"this is a text file but its name ends “{extension or '(nothing)'}”: upload "
            "chronologies as .xlsx or .csv"
        )
    return CSV


def _zip_kind(content: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        infos = archive.infolist()
    except zipfile.BadZipFile:
        raise FileError("this file is damaged: it could not be opened as a workbook") from None
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise FileError("this is a Word document, not a spreadsheet")
        raise FileError("this is a zip archive, not an Excel workbook")
    if "xl/vbaProject.bin" in names:
        raise FileError(
            "this workbook contains macros: save it as an Excel Workbook (.xlsx) without them"
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FileError("this workbook expands to far more than its size: it was refused")
    if total > MAX_UNCOMPRESSED:
        raise FileError("this workbook is too large to read")
    try:
        zip_check(
            content,
            what="this workbook",
            limits=ZipLimits(total=MAX_UNCOMPRESSED, ratio=MAX_RATIO, members=MAX_MEMBERS),
        )
    except ZipRefused as refused:
        raise FileError(str(refused)) from None
    return XLSX


def _is_text(content: bytes) -> bool:
    head = content[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        if _UTF16_NO_BOM.match(head):
            raise FileError(
                "this text file is in UTF-16 without a byte-order mark, which Lantern cannot "
                "tell from binary: save it as CSV UTF-8"
            )
        return False
    return True


# Text in UTF-16 without a byte-order mark: every other byte of plain ASCII is zero.
_UTF16_NO_BOM = re.compile(
    rb"^(?:[\x09\x0a\x0d\x20-\x7e]\x00){8}|^(?:\x00[\x09\x0a\x0d\x20-\x7e]){8}"
)
# A character in UTF-8 needing more than one byte (a Windows-1252 file almost never has one).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def decode(content: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in."""
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise FileError(
                "this text file is marked as UTF-8 but is not: byte "
                f"{error.start + 3:,} cannot be read. Save it again as CSV UTF-8"
            ) from None
    if content.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise FileError(
            "this text file is in UTF-32, which Lantern does not read: save it as CSV UTF-8"
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise FileError("this text file's encoding could not be read") from None
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_SEQUENCE.search(content):
        raise FileError(
            "this text file mixes two encodings (some of it UTF-8, some Windows-1252), so some "
            "characters would be misread: open it, save it as CSV UTF-8 and import it again"
        )
    try:
        return content.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        raise FileError(
            "this text file is in an encoding Lantern cannot read: save it as CSV UTF-8"
        ) from None


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t|"}
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_csv(content: bytes) -> Workbook:
    text, encoding = decode(content)
    delimiter = _delimiter(text)
    sheet = Sheet(name="")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    cells = 0
    try:
        for row in reader:
            if len(sheet.rows) >= MAX_ROWS:
                sheet.truncated = True
                break
            cells += len(row)
            if cells > MAX_CELLS:
                raise FileError(_too_many_cells())
            sheet.rows.append([cell if cell.strip() else None for cell in row])
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise FileError(
                f"record {reader.line_num} has a cell of more than {csv.field_size_limit():,} "
                f"characters; a cell may hold at most {MAX_CELL_CHARS:,}"
            ) from None
        raise FileError(f"this CSV file is malformed near record {reader.line_num}: {error}")
    return Workbook(kind=CSV, sheets=[sheet], encoding=encoding)


def _xlsx_rows(worksheet: object) -> Iterator[tuple]:
    worksheet.reset_dimensions()  # type: ignore[attr-defined]  # distrust the file's own size
    return worksheet.iter_rows(values_only=True)  # type: ignore[attr-defined]


def read_xlsx(content: bytes) -> Workbook:
    import openpyxl  # imported here: reading CSV files should not pay for it

    try:
        book = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FileError(f"this workbook could not be read ({type(error).__name__})") from None
    sheets: list[Sheet] = []
    cells = 0
    try:
        for worksheet in book.worksheets:
            sheet = Sheet(name=str(worksheet.title))
            try:
                for row in _xlsx_rows(worksheet):
                    if len(sheet.rows) >= MAX_ROWS:
                        sheet.truncated = True
                        break
                    cells += len(row)
                    if cells > MAX_CELLS:
                        raise FileError(_too_many_cells())
                    sheet.rows.append(list(row))
            except FileError:
                raise
            except Exception as error:
                raise FileError(
                    f"sheet “{worksheet.title}” could not be read ({type(error).__name__})"
                ) from None
            sheets.append(sheet)
    finally:
        book.close()
    return Workbook(kind=XLSX, sheets=sheets)


def _too_many_cells() -> str:
    return (
        f"this file has more than {MAX_CELLS:,} cells (counting the empty ones up to each "
        "row's last cell): delete the empty rows and columns after the data, or split it into "
        "several files"
    )


def read_file(name: str, content: bytes) -> Workbook:
    kind = detect_kind(name, content)
    return read_xlsx(content) if kind == XLSX else read_csv(content)
