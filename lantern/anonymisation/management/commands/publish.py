"""`lantern publish text|check|status|evaluate`: the anonymisation check from the console.

    lantern publish text FILE
    lantern publish check FILE --review REF [--json] [--no-store]
    lantern publish status FILE --review REF [--json]
    lantern publish evaluate [--set labelled|tuning|published] [--json] [--verbose]

`text` prints the plain text the check reads: a .txt file's text unchanged; for DOCX, PDF and
HTML the extracted paragraphs separated by blank lines. `check` prints the findings as
`{"start", "end", "text", "category", "suggestion"}` with offsets into that text; the check is
stored on the review (resolve its findings on the review's page) unless --no-store. Findings
are the result, not an error: the exit status is 0 unless the file cannot be read; with
--fail-on-findings it is 3 when there are findings (for a script that must stop there).
Every command acts as `--as USERNAME` (or LANTERN_USER) with that user's access, or as the
local system administrator at the console.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from lantern.anonymisation import services
from lantern.anonymisation.check.findings import CATEGORY_LABELS
from lantern.core.management.base import LanternCommand
from lantern.core.textextract import TextExtractionError, extract_text
from lantern.reviews.access import Cap, review_get_for_user

FINDINGS_EXIT = 3


class Command(LanternCommand):
    help = "The anonymisation check: plain text of a file, check it, its status, evaluation."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        text = sub.add_parser("text", help="print the plain text the check reads")
        text.add_argument("file")

        check = sub.add_parser("check", help="check a file for identifying details")
        check.add_argument("file")
        check.add_argument("--review", required=True, help="the review's reference")
        check.add_argument(
            "--no-store", action="store_true", help="print the findings; store no check"
        )
        check.add_argument(
            "--fail-on-findings",
            action="store_true",
            help="exit with status 3 when anything is found",
        )
        self.add_json_argument(check)

        status = sub.add_parser("status", help="whether this file has passed the check")
        status.add_argument("file")
        status.add_argument("--review", required=True)
        self.add_json_argument(status)

        evaluate = sub.add_parser("evaluate", help="recall and precision on the labelled drafts")
        evaluate.add_argument(
            "--set", default="labelled", choices=["labelled", "tuning", "published"]
        )
        evaluate.add_argument("--verbose", action="store_true", help="list misses and mistakes")
        self.add_json_argument(evaluate)

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("action") in ("text", "evaluate"):
            # Reads no review data: no user to resolve, no database needed.
            options.pop("as_user", None)
            getattr(self, "do_" + options["action"])(None, **options)
            return
        super().handle(*args, **options)

    def run(self, actor: Any, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"])(actor, **options)

    def _read(self, name: str) -> tuple[Path, bytes]:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        return path, path.read_bytes()

    def do_text(self, actor: Any, **options: Any) -> None:
        path, data = self._read(options["file"])
        try:
            extracted = extract_text(data, filename=path.name)
        except TextExtractionError as error:
            raise CommandError(str(error))
        # Exactly the text the offsets refer to: no newline added, none translated.
        self.stdout.write(extracted.text, ending="")

    def do_check(self, actor: Any, **options: Any) -> None:
        path, data = self._read(options["file"])
        review = review_get_for_user(
            user=actor,
            reference=options["review"],
            need=Cap.CHECK_ANONYMISATION,
            what="anonymisation check",
        )
        if options["no_store"]:
            try:
                text = extract_text(data, filename=path.name).text
            except TextExtractionError as error:
                raise CommandError(str(error))
            findings = services.check_review_text(review=review, text=text, by=actor)
            check = None
        else:
            check = services.run_check(
                review=review, by=actor, filename=path.name, data=data, channel="cli"
            )
            findings = [f.as_contract() for f in check.findings.all()]
        if options["json"]:
            self.emit_json(findings)
        else:
            self._table(findings)
        if check is not None:
            self.stderr.write(
                f"Check {check.pk} stored on {review.reference}: {len(findings)} finding(s)."
            )
        if findings and options["fail_on_findings"]:
            err = CommandError(f"{len(findings)} identifying detail(s) found.")
            err.returncode = FINDINGS_EXIT
            raise err

    def _table(self, findings: list[dict]) -> None:
        if not findings:
            self.stdout.write("No identifying details found.")
            return
        self.stdout.write(f"{'start':>7} {'end':>7}  {'category':24} {'text':30} suggestion")
        for f in findings:
            shown = f["text"].replace("\n", " ")
            if len(shown) > 30:
                shown = shown[:29] + "…"
            self.stdout.write(
                f"{f['start']:>7} {f['end']:>7}  {CATEGORY_LABELS[f['category']]:24} "
                f"{shown:30} {f['suggestion']}"
            )

    def do_status(self, actor: Any, **options: Any) -> None:
        path, data = self._read(options["file"])
        review = review_get_for_user(
            user=actor,
            reference=options["review"],
            need=Cap.CHECK_ANONYMISATION,
            what="anonymisation status",
        )
        digest = hashlib.sha256(data).hexdigest()
        status = services.check_status(review=review, sha256=digest)
        if options["json"]:
            self.emit_json({"file": path.name, "sha256": digest, "status": status})
        else:
            self.stdout.write(f"{path.name}: {status}")

    def do_evaluate(self, actor: Any, **options: Any) -> None:
        from lantern.anonymisation.evaluation.evaluate import evaluate, format_report

        report = evaluate(options["set"])
        if options["json"]:
            self.emit_json(report.as_dict())
        else:
            self.stdout.write(format_report(report, verbose=options["verbose"]))
