"""Chronology files for the import tests, written here rather than committed as binaries."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

import openpyxl


def xlsx(
    rows: Sequence[Sequence[Any]],
    *,
    sheet: str = "Chronology",
    extra_sheets: dict[str, Sequence[Sequence[Any]]] | None = None,
) -> bytes:
    """A workbook whose first sheet holds `rows` as given (title rows, header, data, notes)."""
    book = openpyxl.Workbook()
    first = book.active
    first.title = sheet
    for row in rows:
        first.append(list(row))
    for name, more in (extra_sheets or {}).items():
        other = book.create_sheet(name)
        for row in more:
            other.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return _stable(out.getvalue())


def _stable(content: bytes) -> bytes:
    """The same rows always give the same bytes: openpyxl stamps the time of saving into the
    workbook's properties and its zip entries, and a re-import test needs an identical file."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rb"\g<1>2024-01-01T00:00:00Z\2",
                    data,
                )
            stable = zipfile.ZipInfo(item.filename, date_time=(2024, 1, 1, 0, 0, 0))
            stable.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stable, data)
    return out.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8", delimiter: str = ","
) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def with_cached_values(content: bytes, cached: dict[str, tuple[str, str]]) -> bytes:
    """Give formula cells the value Excel would have stored with them.

    openpyxl writes formulas without a value; Excel saves `<f>` and `<v>` together. `cached`
    maps a cell ("B2") to (cell type, value): ("n", "2"), or ("str", "click here").
    """
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                for ref, (kind, value) in cached.items():
                    attribute = f' t="{kind}"' if kind != "n" else ""
                    text, count = re.subn(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
                        lambda m, a=attribute, v=value: (
                            f'<c r="{ref}"{m.group(1)}{a}><f>{m.group(2)}</f><v>{v}</v>'
                        ),
                        text,
                    )
                    assert count == 1, f"no formula in {ref}"
                data = text.encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


HEADER = ["Date", "Time", "Source record", "Subject", "What happened", "Action taken / outcome"]


def police_rows() -> list[list[Any]]:
    """A small, clean police chronology in the standard columns."""
    return [
        HEADER,
        ["02/11/2023", "22:15", "CAD 1123", "Victim", "Neighbour reported shouting", "Attended"],
        [
            "18/03/2024",
            "09:40",
            "Crime 44/0318",
            "Perpetrator",
            "Bank card taken",
            "Crime recorded",
        ],
        ["05/06/2024", "", "Intel 77", "Victim", "Disclosure to PCSO", "Referred to IDVA"],
    ]
