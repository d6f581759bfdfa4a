"""`lantern chronology export --review REF -o FILE.xlsx|FILE.docx`: the combined chronology,
as the acting user may see it, through the same export as the pages and the API (audited)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from lantern.chronology.exports import FORMATS, chronology_export
from lantern.chronology.selectors_entries import EntryFilters
from lantern.reviews.access import Cap, review_get_for_user


def _date(value: str) -> dt.date:
    import argparse

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD)")


def register(sub: Any, command: Any) -> dict:
    export = sub.add_parser(
        "export",
        help="write the combined chronology as XLSX or DOCX (pseudonyms, standard columns)",
    )
    export.add_argument("--review", required=True, help="the review's reference")
    export.add_argument(
        "-o", "--output", required=True, help="file to write: .xlsx (workbook) or .docx (table)"
    )
    export.add_argument("--from", dest="date_from", type=_date, help="entries on or after")
    export.add_argument("--to", dest="date_to", type=_date, help="entries on or before")
    command.add_json_argument(export)
    return {"export": export_handler}


def export_handler(command: Any, actor: Any, **options: Any) -> None:
    output = Path(options["output"])
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        command.fail("Name the output file .xlsx (workbook) or .docx (report table).", code=2)
    review = review_get_for_user(
        user=actor,
        reference=options["review"],
        need=Cap.VIEW_CHRONOLOGY,
        audit=False,
        what="combined chronology export",
    )
    filters = EntryFilters(date_from=options.get("date_from"), date_to=options.get("date_to"))
    export = chronology_export(review=review, by=actor, fmt=fmt, filters=filters)
    output.write_bytes(export.content)
    if options.get("json"):
        command.emit_json(
            {
                "file": str(output),
                "format": fmt,
                "entries": export.entries,
                "review": review.reference,
            }
        )
    else:
        command.stdout.write(f"Wrote {export.entries} entries to {output}")
