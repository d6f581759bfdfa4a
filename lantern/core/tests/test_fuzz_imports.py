"""Fuzzing the import pipelines with hypothesis (issue 7).

Properties, for random bytes, for spreadsheets built from random headings, dates and cells, and
for valid files with random bytes changed:
- no exception escapes but the one each reader documents (the chronology and plan readers
  return problems and never raise; text extraction raises only TextExtractionError);
- every problem names the file it is about;
- storage is all or nothing: a refused import leaves the row counts as they were, an accepted
  one stores exactly the entries it read.

Bounded (tens of examples each, no deadline) so that the suite stays fast; for a longer
campaign set LANTERN_FUZZ_EXAMPLES (say 2000) and run this file alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.testing import hostile as h

SCALE = int(os.environ.get("LANTERN_FUZZ_EXAMPLES", "80"))
FAST = settings(max_examples=SCALE, deadline=None)
DB = settings(
    max_examples=max(25, SCALE // 4),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- strategies -----------------------------------------------------------------------------------

HEADINGS = [
    "Date", "Date of contact", "Contact date", "Time", "Source", "Source record", "Subject",
    "Who", "What happened", "Details", "Summary of contact", "Action taken", "Outcome",
    "Risk", "DASH", "Agency", "Analyst comment", "Comments", "No.", "",
]  # fmt: skip
FORMULA_TEXT = st.sampled_from([*h.FORMULA_LIKE, *h.FORMULAS, "=", "@", "-", "+"])
TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    FORMULA_TEXT,
    st.sampled_from(["Kerry seen at home", "DASH high (16)", "MARAC referral", "  ", "\x00"]),
)
DATE_TEXT = st.one_of(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)).map(
        lambda d: d.strftime("%d/%m/%Y")
    ),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["March 2021", "31/02/2021", "2021", "12/13/2021", "yesterday", "", "0"]),
    st.text(max_size=12),
)
CELL = st.one_of(
    st.none(),
    TEXT,
    DATE_TEXT,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
)
HEADING = st.one_of(st.sampled_from(HEADINGS), st.text(max_size=20))


@st.composite
def table(draw: Any, cell: Any = CELL, width: int = 8) -> list[list[Any]]:
    """Some title rows, a header of headings (mostly known ones), data rows of random cells."""
    columns = draw(st.integers(min_value=1, max_value=width))
    titles = draw(st.lists(st.lists(TEXT, max_size=2), max_size=3))
    header = draw(st.lists(HEADING, min_size=columns, max_size=columns))
    rows = draw(
        st.lists(
            st.lists(st.one_of(cell, DATE_TEXT), min_size=0, max_size=columns + 1), max_size=12
        )
    )
    return [*titles, header, *rows]


def _csv_bytes(rows: list[list[Any]], encoding: str, delimiter: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(
        ["" if v is None else str(v) for v in row] for row in rows
    )
    return out.getvalue().encode(encoding, errors="replace")


def _xlsx_bytes(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        # Cells openpyxl itself refuses (control characters) are not what a workbook can hold.
        sheet.append([_storable(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _storable(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


CSV_FILES = st.builds(
    _csv_bytes,
    table(),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    st.sampled_from([",", ";", "\t", "|"]),
)
XLSX_FILES = st.builds(_xlsx_bytes, table())
NAMES = st.sampled_from(["police.csv", "police.xlsx", "police.txt", "police", "police.CSV"])
MAGIC = st.sampled_from(
    [b"", b"PK\x03\x04", b"%PDF-1.7\n", b"\xef\xbb\xbf", b"\xff\xfe", b"<html>"]
)


def _mutated(data: bytes, changes: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, value in changes:
        out[position % len(out)] = value
    return bytes(out)


CHANGES = st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=8)


# --- the chronology importer ----------------------------------------------------------------------


def assert_chronology_parse_is_sound(name: str, content: bytes) -> Any:
    from lantern.chronology.importer import parse_file

    parsed = parse_file(name, content, today=dt.date(2024, 9, 1))  # never raises
    assert all(p.file == name for p in parsed.problems), parsed.problems
    assert all(row.what_happened for row in parsed.rows)
    if not parsed.ok:
        assert parsed.errors
    return parsed


@FAST
@given(name=NAMES, magic=MAGIC, body=st.binary(max_size=3000))
def test_chronology_parse_of_random_bytes(name: str, magic: bytes, body: bytes) -> None:
    assert_chronology_parse_is_sound(name, magic + body)


@FAST
@given(content=CSV_FILES)
def test_chronology_parse_of_random_csv(content: bytes) -> None:
    assert_chronology_parse_is_sound("police.csv", content)


@FAST
@given(content=XLSX_FILES)
def test_chronology_parse_of_random_xlsx(content: bytes) -> None:
    parsed = assert_chronology_parse_is_sound("police.xlsx", content)
    assert parsed.kind == "xlsx" or not parsed.ok


@settings(max_examples=max(40, SCALE // 2), deadline=None)
@given(changes=CHANGES)
def test_chronology_parse_of_damaged_xlsx(changes: list[tuple[int, int]]) -> None:
    assert_chronology_parse_is_sound("police.xlsx", _mutated(h.chronology_xlsx(), changes))


@pytest.mark.django_db
@DB
@given(files=st.lists(st.one_of(CSV_FILES, XLSX_FILES), min_size=1, max_size=3))
def test_chronology_import_is_all_or_nothing(cast: Any, files: list[bytes]) -> None:
    from lantern.chronology.models import ChronologyEntry, ChronologyFile
    from lantern.chronology.services import chronology_import

    named = [
        (f"police-{i}.{'xlsx' if content.startswith(b'PK') else 'csv'}", content)
        for i, content in enumerate(files)
    ]
    before = (ChronologyFile.objects.count(), ChronologyEntry.objects.count())
    result = chronology_import(
        review=cast.review, agency=cast.police, files=named, by=cast.agency_author
    )
    assert all(p.file in {n for n, _c in named} for p in result.problems), result.problems
    if result.errors:
        assert not result.stored
        assert (ChronologyFile.objects.count(), ChronologyEntry.objects.count()) == before
    else:
        assert result.stored
        stored = ChronologyEntry.objects.filter(review=cast.review, agency=cast.police).count()
        assert stored == result.added + result.unchanged


# --- the action plan importer ---------------------------------------------------------------------

PLAN_HEADINGS = [*h.PLAN_HEADING, "Theme", "Addressee", "Source", "Date of completion", ""]
PLAN_CELL = st.one_of(
    CELL,
    st.sampled_from(["Local", "Regional", "Single agency", "Not started", "Complete", "Ongoing"]),
    st.sampled_from(["Single agency recommendations", "Overarching recommendations", "SA1"]),
)


@st.composite
def plan_table(draw: Any) -> list[list[Any]]:
    header = draw(st.permutations(PLAN_HEADINGS).map(lambda hs: hs[: len(hs) - 2]))
    rows = draw(
        st.lists(st.lists(PLAN_CELL, max_size=len(header)), max_size=10),
    )
    titles = draw(st.lists(st.lists(TEXT, max_size=2), max_size=2))
    return [*titles, list(header), *rows]


PLAN_FILES = st.builds(_xlsx_bytes, plan_table())


def assert_plan_read_is_sound(content: bytes, filename: str = "plan.xlsx") -> Any:
    from lantern.recommendations.plan_import import read_plan

    result = read_plan(content, filename=filename)  # never raises
    assert all(p.file == filename for p in result.problems), result.problems
    return result


@FAST
@given(magic=MAGIC, body=st.binary(max_size=3000))
def test_plan_read_of_random_bytes(magic: bytes, body: bytes) -> None:
    assert_plan_read_is_sound(magic + body)


@FAST
@given(content=PLAN_FILES)
def test_plan_read_of_random_workbooks(content: bytes) -> None:
    assert_plan_read_is_sound(content)


@settings(max_examples=max(40, SCALE // 2), deadline=None)
@given(changes=CHANGES)
def test_plan_read_of_damaged_workbooks(changes: list[tuple[int, int]]) -> None:
    assert_plan_read_is_sound(_mutated(h.plan_xlsx(), changes))


@pytest.mark.django_db
@DB
@given(content=PLAN_FILES)
def test_plan_import_is_all_or_nothing(cast: Any, content: bytes) -> None:
    from lantern.core.errors import ProblemsError
    from lantern.recommendations import services
    from lantern.recommendations.models import Action, Recommendation

    before = (Recommendation.objects.count(), Action.objects.count())
    try:
        result = services.plan_import(
            review=cast.review, by=cast.coordinator, content=content, filename="plan.xlsx",
            replace=True,
        )  # fmt: skip
    except ProblemsError as refused:
        assert refused.problems and all(p.file == "plan.xlsx" for p in refused.problems)
        assert (Recommendation.objects.count(), Action.objects.count()) == before
    else:
        assert Recommendation.objects.filter(review=cast.review).count() == result.recommendations
        assert Action.objects.filter(recommendation__review=cast.review).count() == result.actions


# --- text extraction ------------------------------------------------------------------------------

DOCUMENT_NAMES = st.sampled_from(["r.docx", "r.pdf", "r.txt", "r.html", "r", "r.doc", "r.xlsx"])


def assert_text_extraction_is_sound(data: bytes, filename: str) -> None:
    from lantern.core.textextract import TextExtractionError, extract_text

    try:
        result = extract_text(data, filename=filename)
    except TextExtractionError as error:
        assert str(error).startswith(f"{filename}: ") and error.reason
    else:
        assert result.filename == filename and isinstance(result.text, str)


@FAST
@given(name=DOCUMENT_NAMES, magic=MAGIC, body=st.binary(max_size=3000))
def test_text_extraction_of_random_bytes(name: str, magic: bytes, body: bytes) -> None:
    assert_text_extraction_is_sound(magic + body, name)


@settings(max_examples=max(60, SCALE), deadline=None)
@given(
    kind=st.sampled_from(["docx", "pdf", "html"]),
    changes=CHANGES,
)
def test_text_extraction_of_damaged_documents(kind: str, changes: list[tuple[int, int]]) -> None:
    original = {
        "docx": _docx,
        "pdf": h.pdf,
        "html": lambda: b"<html><body><h1>Kerry</h1><p>Seen at home.</p></body></html>",
    }[kind]()
    assert_text_extraction_is_sound(_mutated(original, changes), f"report.{kind}")


@FAST
@given(paragraphs=st.lists(TEXT, max_size=6))
def test_text_extraction_of_random_word_documents(paragraphs: list[str]) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    clean = [ILLEGAL_CHARACTERS_RE.sub("", p) for p in paragraphs]
    assert_text_extraction_is_sound(h.docx(clean), "report.docx")


_DOCX: list[bytes] = []


def _docx() -> bytes:
    if not _DOCX:
        _DOCX.append(h.docx(["Overview report", "Kerry was seen at home."]))
    return _DOCX[0]
