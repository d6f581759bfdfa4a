"""`lantern library ingest|extract|search|stats|reindex`: the library of published reviews.

    lantern library ingest PATH... [--source NOTE] [--no-semantic] [--json]
    lantern library extract FILE --json
    lantern library search "QUERY" [--semantic] [--filter key=value ...] [--limit N] --json
    lantern library stats [--filter key=value ...] --json
    lantern library reindex [--facts] [--semantic] [--refit] [--json]

Ingest prints a progress bar on stderr (a count line when stderr is not a terminal); a file that
cannot be read is reported by name with the reason and the rest go on. Extract reads one file
and prints its facts without storing anything.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from lantern.core.management.base import LanternCommand
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.library import access, selectors, services
from lantern.library import facts as factlib


class Progress:
    """A bar on a terminal; otherwise a line every tenth of the way (and at the end)."""

    def __init__(self, stream: Any, total: int) -> None:
        self.stream = stream
        self.total = total
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.step = max(1, total // 10)

    def __call__(self, done: int, total: int, result: services.FileResult) -> None:
        if self.tty:
            width = 30
            filled = int(width * done / total) if total else width
            name = Path(result.file).name[:40]
            self.stream.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name:<40}"
            )
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
        elif done == total or done % self.step == 0:
            self.stream.write(f"Read {done} of {total} files\n")
            self.stream.flush()
        if result.status == "failed" and not self.tty:
            self.stream.write(f"Failed: {result.reason}\n")


class Command(LanternCommand):
    help = "The library of published reviews: ingest, extract, search, stats, reindex."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        ingest = sub.add_parser("ingest", help="add published review files or folders")
        ingest.add_argument("paths", nargs="+", help="files, or folders read recursively")
        ingest.add_argument("--source", default="", help="where the documents come from")
        ingest.add_argument(
            "--no-semantic",
            action="store_true",
            help="queue the meaning index for the task worker instead of updating it now",
        )
        self.add_json_argument(ingest)

        extract = sub.add_parser("extract", help="print one file's facts; stores nothing")
        extract.add_argument("file")
        self.add_json_argument(extract)

        search = sub.add_parser("search", help="search the library")
        search.add_argument("query")
        search.add_argument("--semantic", action="store_true", help="search by meaning")
        search.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="theme, relationship, age_band, death_type, year (or 2015-2019), csp, sex, ...",
        )
        search.add_argument("--limit", type=int, default=20)
        self.add_json_argument(search)

        stats = sub.add_parser("stats", help="what recurs across the library, with counts")
        stats.add_argument("--filter", action="append", default=[], metavar="KEY=VALUE")
        self.add_json_argument(stats)

        reindex = sub.add_parser("reindex", help="rebuild indexes and re-read facts")
        reindex.add_argument(
            "--facts", action="store_true", help="read every document's facts again"
        )
        reindex.add_argument("--semantic", action="store_true", help="encode new passages")
        reindex.add_argument("--refit", action="store_true", help="refit the meaning model")
        reindex.add_argument("--fulltext", action="store_true", help="rebuild the full-text index")
        self.add_json_argument(reindex)

    def run(self, actor: Any, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"])(actor, **options)

    def do_ingest(self, actor: Any, **options: Any) -> None:
        access.ensure_can_edit(actor)
        paths = [Path(p) for p in options["paths"]]
        files, _skipped = services.collect_files(paths)
        progress = Progress(
            sys.stderr if self.stderr._out is sys.stderr else self.stderr, len(files)
        )
        report = services.ingest_paths(
            paths=paths,
            by=actor,
            source_note=options["source"],
            progress=progress,
            update_semantic=not options["no_semantic"],
        )
        if options["no_semantic"] and report.count("stored"):
            from lantern.library.tasks import refresh_semantic_index

            refresh_semantic_index.enqueue()
            report.semantic = {"action": "queued"}
        for result in report.results:
            if result.status in ("failed", "skipped") and progress.tty:
                self.stderr.write(f"{result.status.capitalize()}: {result.reason}")
        if options["json"]:
            self.emit_json(report.as_dict())
        else:
            self.stdout.write(
                f"Stored {report.count('stored')}, already there {report.count('duplicate')}, "
                f"failed {report.count('failed')}, skipped {report.count('skipped')}."
            )
        if report.results and report.count("failed") == len(report.results):
            raise CommandError("No file could be read.", returncode=1)

    def do_extract(self, actor: Any, **options: Any) -> None:
        from lantern.core.textextract import TextExtractionError, extract_text

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.", returncode=1)
        try:
            extracted = extract_text(path.read_bytes(), filename=path.name)
        except TextExtractionError as error:
            raise CommandError(str(error), returncode=1) from None
        from lantern.library.extract import extract_facts

        found = extract_facts(
            extracted.text,
            pages=services.page_offsets(extracted.pages, extracted.text),
            filename=path.name,
        ).as_dict()
        if options["json"]:
            self.emit_json(found)
        else:
            for key in factlib.FACT_KEYS:
                shown = (
                    factlib.display(key, found.get(key))
                    if key != "recommendations"
                    else str(len(found.get(key) or []))
                )
                self.stdout.write(f"{factlib.FACT_LABELS[key]}: {shown or '-'}")

    def do_search(self, actor: Any, **options: Any) -> None:
        if not access.can_read(actor):
            raise CommandError("You do not have permission to read the library.", returncode=1)
        filters = selectors.parse_filters(options["filter"])
        result = selectors.search(
            options["query"],
            semantic_mode=options["semantic"],
            filters=filters,
            limit=options["limit"],
        )
        audit_record(
            action=AuditEvent.Action.READ,
            by=actor,
            object_type="library search",
            summary="Searched the library" + (" by meaning" if options["semantic"] else ""),
            data={"query": options["query"][:200], "filters": filters, "found": result.total},
        )
        rows = [
            {
                k: v
                for k, v in h.as_dict().items()
                if k in ("document", "title", "score", "snippet", "page")
            }
            for h in result.hits
        ]
        if options["json"]:
            self.emit_json(rows)
            return
        if not rows:
            self.stdout.write("Nothing found.")
        for row in rows:
            self.stdout.write(f"{row['score']:.2f}  {row['document']}  {row['title']}")
            if row["snippet"]:
                self.stdout.write(f"      {row['snippet']}")

    def do_stats(self, actor: Any, **options: Any) -> None:
        if not access.can_read(actor):
            raise CommandError("You do not have permission to read the library.", returncode=1)
        stats = selectors.library_stats(filters=selectors.parse_filters(options["filter"]))
        if options["json"]:
            self.emit_json(stats)
            return
        self.stdout.write(
            f"{stats['documents']} published reviews, "
            f"{stats['recommendations']['total']} recommendations."
        )
        for row in stats["themes"]:
            if row["count"]:
                self.stdout.write(f"  {row['label']}: {row['count']} ({row['percent']}%)")

    def do_reindex(self, actor: Any, **options: Any) -> None:
        from lantern.library import fulltext
        from lantern.library.models import Document

        access.ensure_can_edit(actor)
        out: dict[str, Any] = {}
        everything = not (
            options["facts"] or options["semantic"] or options["refit"] or options["fulltext"]
        )
        if options["facts"]:
            count = 0
            for document in Document.objects.defer("original").iterator():
                services.document_reextract(document=document, by=actor)
                count += 1
            out["facts"] = count
        if options["fulltext"] or everything:
            fulltext.rebuild()
            out["fulltext"] = "rebuilt"
        if options["refit"]:
            out["semantic_index"] = services.semantic_refit()
        elif options["semantic"] or everything:
            out["semantic_index"] = services.semantic_update()
        if options["json"]:
            self.emit_json(out)
        else:
            for key, value in out.items():
                self.stdout.write(f"{key}: {value}")
