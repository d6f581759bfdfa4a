"""Hostile and broken files, built in code for the tests (nothing binary is committed).

Zip bombs are real: the part inflates to gigabytes. They are built from one compressed block of
zeros repeated (deflate after a full flush starts afresh, so the same block can be concatenated
any number of times) and the CRC of the zeros is worked out arithmetically, so building a
3 GB bomb takes milliseconds and a few megabytes. Nothing here writes to disk except
`bundle_zip`, which writes where it is told.
"""

from __future__ import annotations

import csv
import functools
import io
import struct
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lantern.testing.pdfs import classic_pdf
from lantern.testing.pdfs import tiny_pdf as pdf

GIB = 1024 * 1024 * 1024
MIB = 1024 * 1024
DDE = "=cmd|' /C calc'!A0"
FORMULAS = (DDE, '=HYPERLINK("http://example.invalid/x","Click")', "=SUM(1+1)*cmd|' /C calc'!A0")
FORMULA_LIKE = (DDE, "@SUM(1+1)", "+1+1", "-1+1", "=1+1")
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 57
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
TRAVERSAL = "../../../../tmp/lantern-evil.txt"
XXE_TARGET = "file:///etc/passwd"


# --- zips by hand --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawMember:
    """One member as stored: its compressed bytes and what the archive declares about it."""

    name: str
    data: bytes  # as stored (raw deflate for method 8)
    crc: int
    size: int  # declared uncompressed size
    method: int = zipfile.ZIP_DEFLATED


def deflated(name: str, content: bytes) -> RawMember:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    return RawMember(name, data, zlib.crc32(content), len(content))


def raw_zip(members: Sequence[RawMember]) -> bytes:
    """A zip archive holding `members` exactly as given (sizes and CRCs are not checked)."""
    out = bytearray()
    central = bytearray()
    for member in members:
        name = member.name.encode("utf-8")
        offset = len(out)
        fields = (member.method, 0, 0x21, member.crc, len(member.data), member.size, len(name))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, *fields, 0)
        out += name + member.data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, *fields, 0, 0, 0, 0, 0, offset
        )
        central += name
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0
    )
    return bytes(out + central + end)


def members_of(container: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(container)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def with_parts(container: bytes, parts: Mapping[str, bytes | RawMember | None]) -> bytes:
    """`container` (a zip) with members replaced, added (bytes or a RawMember) or removed (None)."""
    members = members_of(container)
    built: list[RawMember] = []
    for name, content in members.items():
        if name in parts:
            continue
        built.append(deflated(name, content))
    for name, content in parts.items():
        if content is None:
            continue
        built.append(content if isinstance(content, RawMember) else deflated(name, content))
    return raw_zip(built)


# --- the arithmetic of a bomb --------------------------------------------------------------------


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, index = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[index]
        vector >>= 1
        index += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A + B from crc(A), crc(B) and len(B) (zlib's crc32_combine)."""
    if length2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _gf2_square(even)
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


@functools.lru_cache(maxsize=4)
def zeros_stream(size: int) -> tuple[bytes, int]:
    """(raw deflate stream, CRC-32) of `size` zero bytes; `size` a multiple of 1 MiB."""
    assert size % MIB == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    end = last.compress(b"") + last.flush()
    chunks = size // MIB
    crc_block = zlib.crc32(bytes(MIB))
    crc, have, power, length = 0, 0, crc_block, MIB
    remaining = chunks
    while remaining:  # binary doubling: crc of 2^k MiB of zeros
        if remaining & 1:
            crc = crc32_combine(crc, power, length) if have else power
            have += 1
        power = crc32_combine(power, power, length)
        length *= 2
        remaining >>= 1
    return block * chunks + end, crc


def bomb_member(name: str, *, inflates_to: int = 3 * GIB, declared: int | None = None) -> RawMember:
    """A member that inflates to `inflates_to` zero bytes; `declared` lies about its size."""
    data, crc = zeros_stream(inflates_to)
    return RawMember(name, data, crc, inflates_to if declared is None else declared)


# --- well-formed documents to start from ---------------------------------------------------------


def docx(paragraphs: Sequence[str] = ("Kerry was seen at home by the health visitor.",)) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx(rows: Sequence[Sequence[Any]], *, sheet: str = "Chronology") -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = sheet
    for row in rows:
        first.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CHRONOLOGY_HEADING = ("Date", "Source", "What happened", "Action taken")
CHRONOLOGY_ROWS = (
    ("01/02/2021", "Call log", "Officers attended after a call from a neighbour.", "Advice"),
    ("03/02/2021", "Case notes", "Kerry said she felt safe.", "DASH completed"),
)


def chronology_xlsx() -> bytes:
    return xlsx([CHRONOLOGY_HEADING, *CHRONOLOGY_ROWS])


def chronology_csv(rows: Sequence[Sequence[str]] = CHRONOLOGY_ROWS, **kwargs: Any) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([CHRONOLOGY_HEADING, *rows])
    return out.getvalue().encode(kwargs.get("encoding", "utf-8"))


PLAN_HEADING = (
    "No.",
    "Recommendation",
    "Scope",
    "Action to take",
    "Lead Agency",
    "Target date",
    "Status",
)


def plan_xlsx(rows: Sequence[Sequence[Any]] | None = None) -> bytes:
    body = rows or [
        ("1", "Agencies to share risk information.", "Local", "Train staff", "Police",
         "31/03/2025", "Not started"),
    ]  # fmt: skip
    return xlsx([PLAN_HEADING, *body], sheet="Action plan")


# --- hostile: the wrong thing behind the right name ----------------------------------------------


def program() -> bytes:
    """A Windows program's first bytes."""
    return PROGRAM + bytes(200)


def zip_not_office() -> bytes:
    return raw_zip([deflated("notes.txt", b"Not a document"), deflated("data.bin", bytes(64))])


# --- hostile: zip bombs and odd archives ---------------------------------------------------------


def docx_bomb(*, inflates_to: int = 3 * GIB) -> bytes:
    """A Word document whose main part inflates to gigabytes of zeros."""
    return with_parts(
        docx(), {"word/document.xml": bomb_member("word/document.xml", inflates_to=inflates_to)}
    )


def xlsx_bomb(*, inflates_to: int = 3 * GIB, base: bytes | None = None) -> bytes:
    """A workbook whose first sheet inflates to gigabytes of zeros."""
    part = "xl/worksheets/sheet1.xml"
    return with_parts(base or chronology_xlsx(), {part: bomb_member(part, inflates_to=inflates_to)})


def xlsx_lying_bomb(*, base: bytes | None = None) -> bytes:
    """A sheet that declares 2 KB but whose stream inflates to a gigabyte: a reader that trusts
    the declared size and stops there is safe; one that inflates the stream to its end is not."""
    part = "xl/worksheets/sheet1.xml"
    return with_parts(
        base or chronology_xlsx(), {part: bomb_member(part, inflates_to=GIB, declared=2048)}
    )


def docx_lying_bomb() -> bytes:
    part = "word/document.xml"
    return with_parts(docx(), {part: bomb_member(part, inflates_to=GIB, declared=2048)})


def with_traversal(container: bytes) -> bytes:
    """`container` with an extra member named to climb out of any folder it is extracted to."""
    return with_parts(container, {TRAVERSAL: b"written outside"})


def with_many_members(container: bytes, count: int = 12_000) -> bytes:
    extra = {f"customXml/item{i}.xml": b"<a/>" for i in range(count)}
    return with_parts(container, extra)  # type: ignore[arg-type]


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    return data[: max(1, int(len(data) * keep))]


# --- hostile: XML ---------------------------------------------------------------------------------

_XXE_DTD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<!DOCTYPE foo [<!ENTITY xxe SYSTEM "{XXE_TARGET}">]>\n'
)
_LAUGHS_DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _document_xml(text: str, prolog: str = "") -> bytes:
    body = f"<w:document {W}><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    return (prolog + body).encode("utf-8")


def docx_xxe() -> bytes:
    """A Word document whose text is an external entity naming /etc/passwd."""
    return with_parts(docx(), {"word/document.xml": _document_xml("&xxe;", _XXE_DTD)})


def docx_billion_laughs() -> bytes:
    return with_parts(docx(), {"word/document.xml": _document_xml("&lol9;", _LAUGHS_DTD)})


def docx_deep(depth: int = 50_000) -> bytes:
    """A Word document whose paragraph is nested `depth` elements deep."""
    inner = "<w:r>" * depth + "<w:t>deep</w:t>" + "</w:r>" * depth
    xml = f"<w:document {W}><w:body><w:p>{inner}</w:p></w:body></w:document>"
    return with_parts(docx(), {"word/document.xml": xml.encode()})


def sheet_xml(rows: Sequence[Sequence[str]], *, prolog: str = "", first_row: int = 1) -> bytes:
    """A worksheet part with inline-string cells."""
    lines = []
    for number, row in enumerate(rows, start=first_row):
        cells = "".join(
            f'<c r="{_column(i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
            for i, v in enumerate(row)
        )
        lines.append(f'<row r="{number}">{cells}</row>')
    xml = f"<worksheet {S}><sheetData>{''.join(lines)}</sheetData></worksheet>"
    return (prolog + xml).encode("utf-8")


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xlsx_with_sheet(xml: bytes, base: bytes | None = None) -> bytes:
    return with_parts(base or chronology_xlsx(), {"xl/worksheets/sheet1.xml": xml})


def xlsx_xxe(base: bytes | None = None) -> bytes:
    rows = [CHRONOLOGY_HEADING, ("01/02/2021", "Log", "&xxe;", "None")]
    return xlsx_with_sheet(sheet_xml(rows, prolog=_XXE_DTD), base)


def xlsx_billion_laughs(base: bytes | None = None) -> bytes:
    rows = [CHRONOLOGY_HEADING, ("01/02/2021", "Log", "&lol9;", "None")]
    return xlsx_with_sheet(sheet_xml(rows, prolog=_LAUGHS_DTD), base)


def xlsx_deep(depth: int = 50_000, base: bytes | None = None) -> bytes:
    inner = "<x>" * depth + "</x>" * depth
    xml = f'<worksheet {S}><sheetData><row r="1">{inner}</row></sheetData></worksheet>'
    return xlsx_with_sheet(xml.encode(), base)


def xlsx_far_cells(rows: int = 300_000) -> bytes:
    """A sheet whose rows each hold one cell in the last column (XFD): a few hundred kilobytes
    that a reader padding every row to its last cell turns into billions of empty cells."""
    body = "".join(f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>' for n in range(1, rows + 1))
    xml = f"<worksheet {S}><sheetData>{body}</sheetData></worksheet>"
    return xlsx_with_sheet(xml.encode())


def xlsx_last_row(base: bytes | None = None) -> bytes:
    """A heading, a row, and one cell in the last row and column Excel allows."""
    rows = [CHRONOLOGY_HEADING, CHRONOLOGY_ROWS[0]]
    xml = sheet_xml(rows).replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    return xlsx_with_sheet(xml, base)


def xlsx_many_rows(count: int = 300_001) -> bytes:
    """A chronology sheet with `count` data rows (each the same short entry)."""
    row = '<c r="A{n}" t="inlineStr"><is><t>01/02/2021</t></is></c>' \
          '<c r="C{n}" t="inlineStr"><is><t>Seen</t></is></c>'  # fmt: skip
    head = sheet_xml([CHRONOLOGY_HEADING]).split(b"</sheetData>")[0]
    body = "".join(f'<row r="{n}">{row.format(n=n)}</row>' for n in range(2, count + 2))
    return xlsx_with_sheet(head + body.encode() + b"</sheetData></worksheet>")


def xlsx_formulas(formulas: Sequence[str] = FORMULAS) -> bytes:
    """A chronology whose cells are formulas (no cached values) and formula-like text."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append(list(CHRONOLOGY_HEADING))
    for formula in formulas:
        sheet.append(["01/02/2021", "Log", formula, "None"])  # "=..." is written as a formula
    for text in FORMULA_LIKE:
        sheet.append(["02/02/2021", "Log", text, "None"])
        if text.startswith("="):
            sheet.cell(row=sheet.max_row, column=3).data_type = "s"  # as text, not a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def huge_text(size: int = MIB) -> str:
    """`size` characters of letters and spaces that do not compress much (a cell of one letter
    repeated would be refused as a zip bomb before its size was ever looked at)."""
    import random

    alphabet = (b"abcdefghijklmnopqrstuvwxyz     " * 9)[:256]
    noise = random.Random(size).randbytes(size)
    return "Kerry " + noise.translate(bytes.maketrans(bytes(range(256)), alphabet)).decode()[6:]


def xlsx_huge_cell(size: int = MIB) -> bytes:
    """A chronology whose description cell holds `size` characters (openpyxl would cut it to
    Excel's 32,767 on writing, so the sheet is written by hand)."""
    rows = [CHRONOLOGY_HEADING, ("01/02/2021", "Log", huge_text(size), "None")]
    return xlsx_with_sheet(sheet_xml(rows))


def csv_huge_cell(size: int = MIB) -> bytes:
    return chronology_csv([("01/02/2021", "Log", huge_text(size), "None")])


# --- hostile: text encodings ---------------------------------------------------------------------


def csv_utf16(*, bom: bool = True) -> bytes:
    text = chronology_csv().decode("utf-8")
    return text.encode("utf-16") if bom else text.encode("utf-16-le")


def csv_with_nuls() -> bytes:
    return chronology_csv().replace(b"Kerry", b"Ke\x00rry")


def csv_mixed_encodings() -> bytes:
    """UTF-8 lines and Windows-1252 lines in one file (pasted together from two exports)."""
    utf8 = chronology_csv([("01/02/2021", "Log", "Café visit – £20", "None")])
    cp1252 = "03/02/2021,Log,Smith’s café – £20,None\r\n".encode("cp1252")
    return utf8 + cp1252


def csv_utf32() -> bytes:
    return chronology_csv().decode("utf-8").encode("utf-32")


def csv_many_rows(count: int = 300_001) -> bytes:
    return ("Date,What happened\r\n" + "01/02/2021,Seen\r\n" * count).encode()


def html_deep(depth: int = 20_000) -> bytes:
    return (
        "<html><body>" + "<div>" * depth + "deep" + "</div>" * depth + "</body></html>"
    ).encode()


# --- PDFs -----------------------------------------------------------------------------------------


def pdf_corrupt() -> bytes:
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> garbage \x00\xff" * 20


def pdf_truncated() -> bytes:
    return truncated(pdf(), 0.4)


def pdf_encrypted() -> bytes:
    """A PDF locked with a user password (standard security handler, revision 2)."""
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32
    encrypt += b"> /P -4 >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        encrypt,
    ]
    return classic_pdf(objects, b"/Encrypt 4 0 R /ID [<00> <00>] ")


# --- bundles --------------------------------------------------------------------------------------


def bundle_zip(path: Path, members: Sequence[RawMember]) -> Path:
    path.write_bytes(raw_zip(members))
    return path


def crafted_lying_member(name: str, *, inflates_to: int = GIB) -> RawMember:
    """A part declaring as many bytes as its compressed stream holds, with the CRC of that many
    zeros, so its sizes look ordinary and a streamed read ends cleanly at the declared size;
    a whole-part read (zipfile's `read()`) inflates the stream's gigabyte first."""
    data, _crc = zeros_stream(inflates_to)
    return RawMember(name, data, zlib.crc32(bytes(len(data))), len(data))
