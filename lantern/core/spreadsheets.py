"""Spreadsheets Lantern writes must never run what people typed as a formula. No Django.

In XLSX, openpyxl stores any string starting with "=" as a formula; `keep_as_text` stores it as
text instead, unchanged (so an exported file imports back to the same values). In CSV, a
spreadsheet program runs a cell starting with = + - @ (or a tab or return) as a formula or DDE,
so `neutralise` puts a quote in front.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet program will show as text: a leading = + - @ (or tab, return)
    gets a quote."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def neutralise_value(value: Any) -> Any:
    return neutralise(value) if isinstance(value, str) else value


def keep_as_text(cell: Any) -> Any:
    """Make an openpyxl cell holding a string that starts with "=" a text cell, not a formula."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    return cell
