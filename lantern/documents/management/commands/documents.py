"""`lantern documents --review REF -o DIR`: every document of the review, in every format.

    lantern documents --review REF -o DIR [--kind KIND ...] [--issued-to TEXT]
                      [--marking TEXT | --no-marking] [--json]

Writes REF-overview-report.docx/.pdf, REF-executive-summary.docx/.pdf,
REF-action-plan.docx/.xlsx/.pdf and REF-7-minute-briefing.docx/.pdf/.html into DIR (made if
missing), prints each path, and records each copy in the issue log and the audit trail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from lantern.core.management.base import LanternCommand
from lantern.documents.management.commands.briefing import add_issue_arguments, marking_option
from lantern.documents.services import DOCUMENT_KINDS, FORMATS, document_issue
from lantern.reviews.access import Cap, review_get_for_user


class Command(LanternCommand):
    help = "Write every document of a review (overview report, executive summary, action plan, "
    help += "7-minute briefing) in every format into a folder."

    def add_arguments(self, parser: Any) -> None:
        add_issue_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="the folder to write into")
        parser.add_argument(
            "--kind",
            action="append",
            choices=DOCUMENT_KINDS,
            help="only this document (repeat for more); default: all of them",
        )
        self.add_json_argument(parser)

    def run(self, actor: Any, *args: Any, **options: Any) -> None:
        folder = Path(options["output"])
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} is a file, not a folder.")
        review = review_get_for_user(
            user=actor,
            reference=options["review"],
            need=Cap.VIEW_DOCUMENTS,
            what="documents",
            audit=False,
        )
        folder.mkdir(parents=True, exist_ok=True)
        kinds = options["kind"] or list(DOCUMENT_KINDS)
        written = []
        for kind in DOCUMENT_KINDS:
            if kind not in kinds:
                continue
            for fmt in FORMATS[kind]:
                issued = document_issue(
                    review=review,
                    kind=kind,
                    fmt=fmt,
                    by=actor,
                    issued_to=options["issued_to"],
                    marking=marking_option(options),
                )
                path = folder / issued.filename
                path.write_bytes(issued.content)
                written.append({**issued.as_dict(), "path": str(path)})
                if not options["json"]:
                    self.stdout.write(str(path))
        if options["json"]:
            self.emit_json({"review": review.reference, "folder": str(folder), "files": written})
