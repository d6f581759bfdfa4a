"""The chronology import pipeline, without Django: read a file, find its header, map the
agency's headings to the standard columns, read every row's date and text, and return the rows
with every problem found, as data.

    parsed = parse_file("police.xlsx", content, people=[PersonRef("victim", ("Kerry",))])
    parsed.rows      # ParsedRow: typed values in the standard columns, provenance, fingerprint
    parsed.problems  # Problem(file, sheet, row, column, message, severity)

An error (a row whose date or description cannot be read, a file that is not a spreadsheet)
means the caller must store nothing; a warning (an unmapped column, notes below the data, a
blank row) is reported and does not block. The database side is `chronology.services`.
"""

from lantern.chronology.importer.pipeline import (
    ParsedFile,
    ParsedRow,
    parse_file,
    parse_files,
)
from lantern.chronology.importer.subjects import PersonRef

__all__ = ["ParsedFile", "ParsedRow", "PersonRef", "parse_file", "parse_files"]
