"""`lantern briefing --review REF -o FILE`: the 7-minute briefing as .docx, .pdf or .html.

    lantern briefing --review REF -o FILE.docx|FILE.pdf|FILE.html [--issued-to TEXT]
                     [--marking TEXT | --no-marking] [--json]

The format follows the file's extension. The copy is recorded in the review's issue log (with
its SHA-256) and the audit trail, as the user of `--as` (or the console).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from lantern.core.management.base import LanternCommand
from lantern.documents.services import FORMATS, document_issue
from lantern.reviews.access import Cap, review_get_for_user


def add_issue_arguments(parser: Any) -> None:
    parser.add_argument("--review", required=True, help="the review's reference")
    parser.add_argument(
        "--issued-to", default="", help="who the copy is for (printed on every page)"
    )
    marking = parser.add_mutually_exclusive_group()
    marking.add_argument("--marking", default=None, help="another protective marking for this copy")
    marking.add_argument(
        "--no-marking", action="store_true", help="no protective marking (a published copy)"
    )


def marking_option(options: dict[str, Any]) -> str | None:
    return "" if options["no_marking"] else options["marking"]


class Command(LanternCommand):
    help = "Write the review's 7-minute briefing to a .docx, .pdf or .html file."

    def add_arguments(self, parser: Any) -> None:
        add_issue_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="FILE.docx, .pdf or .html")
        self.add_json_argument(parser)

    def run(self, actor: Any, *args: Any, **options: Any) -> None:
        out = Path(options["output"])
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in FORMATS["briefing"]:
            raise CommandError("Write the briefing to a .docx, .pdf or .html file.")
        if out.parent and not out.parent.is_dir():
            raise CommandError(f"No folder {out.parent}.")
        review = review_get_for_user(
            user=actor,
            reference=options["review"],
            need=Cap.VIEW_DOCUMENTS,
            what="7-minute briefing",
            audit=False,
        )
        issued = document_issue(
            review=review,
            kind="briefing",
            fmt=fmt,
            by=actor,
            issued_to=options["issued_to"],
            marking=marking_option(options),
        )
        out.write_bytes(issued.content)
        if options["json"]:
            self.emit_json({**issued.as_dict(), "path": str(out)})
        else:
            self.stdout.write(str(out))
