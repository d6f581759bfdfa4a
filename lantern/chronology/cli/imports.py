"""`lantern chronology import` and `lantern chronology template`.

    lantern chronology import --review NB-DHR-2024-07 --agency "Northbridge Police" police.xlsx
    lantern chronology import --review REF --agency NAME a.xlsx b.csv --json
    lantern chronology template -o chronology.xlsx      # or .csv

Problems go to stderr one per line (`file, sheet S, row N, column C: problem`), warnings too;
`--json` prints the result on stdout instead. Exit status 1 when the import was refused (then
nothing was stored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from lantern.chronology import services
from lantern.chronology.templates_xlsx import template_csv, template_xlsx
from lantern.core.errors import Problem
from lantern.reviews.access import Cap, review_get_for_user


def register(sub: Any, command: Any) -> dict:
    imp = sub.add_parser(
        "import",
        help="import an agency's chronology files (XLSX or CSV) into a review, all or nothing",
    )
    imp.add_argument("--review", required=True, help="the review's reference")
    imp.add_argument(
        "--agency",
        required=True,
        help="the agency's exact name: one of the review's agencies or an existing organisation",
    )
    imp.add_argument("files", nargs="+", metavar="FILE", help="XLSX or CSV files")
    command.add_json_argument(imp)
    tpl = sub.add_parser("template", help="write the chronology template (.xlsx or .csv)")
    tpl.add_argument("-o", "--output", required=True, help="file to write: ends .xlsx or .csv")
    return {"import": do_import, "template": do_template}


def _line(problem: dict[str, Any] | Problem) -> str:
    p = problem if isinstance(problem, dict) else problem.as_dict()
    where = [p["file"] or "input"]
    if p.get("sheet"):
        where.append(f"sheet {p['sheet']}")
    if p.get("row") is not None:
        where.append(f"row {p['row']}")
    if p.get("column"):
        where.append(f"column {p['column']}")
    prefix = "warning: " if p.get("severity") == "warning" else ""
    return f"{', '.join(where)}: {prefix}{p['message']}"


def do_import(command: Any, actor: Any, **options: Any) -> None:
    review = review_get_for_user(
        user=actor,
        reference=options["review"],
        need=Cap.VIEW_CHRONOLOGY,
        audit=False,
        what="chronology imports",
    )
    agency = services.agency_for_import(review=review, name=options["agency"])
    if agency is None:
        raise CommandError(
            f"No agency called '{options['agency']}'. Name one of the review's agencies or an "
            "existing organisation exactly.",
            returncode=1,
        )
    services.ensure_can_import(by=actor, review=review, agency=agency)
    files = []
    for name in options["files"]:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"No such file: {name}", returncode=1)
        if path.stat().st_size > services.MAX_FILE_SIZE:
            raise CommandError(
                f"{name}: larger than {services.MAX_FILE_SIZE // (1024 * 1024)} MB", returncode=1
            )
        files.append((path.name, path.read_bytes()))
    result = services.chronology_import(review=review, agency=agency, files=files, by=actor)
    data = result.as_dict()
    if options.get("json"):
        command.emit_json(data)
    else:
        for problem in data["problems"]:
            command.stderr.write(_line(problem))
        if result.stored:
            command.stdout.write(
                f"Imported for {agency.name} into {review.reference}: {result.added} added, "
                f"{result.replaced} replaced, {result.unchanged} unchanged"
                + (f" ({len(result.warnings)} warnings)" if result.warnings else "")
            )
    if not result.stored:
        raise CommandError(
            f"Refused: {len(result.errors)} problem(s); nothing was stored.", returncode=1
        )


def do_template(command: Any, actor: Any, **options: Any) -> None:
    path = Path(options["output"])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        content = template_xlsx()
    elif suffix == ".csv":
        content = template_csv()
    else:
        raise CommandError("The template's file name must end .xlsx or .csv", returncode=2)
    path.write_bytes(content)
    command.stdout.write(f"Wrote the chronology template to {path}")
