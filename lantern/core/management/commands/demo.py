"""`lantern demo load|logins|bundle`: the fictional demo review and its demo accounts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from lantern.core.management.base import LanternCommand


class Command(LanternCommand):
    help = "The fictional demo: load it, show its logins, or write its bundle."

    def add_arguments(self, parser: Any) -> None:
        from lantern.demo.generator import DEFAULT_SEED

        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "load",
            help="import the demo review and create the demo accounts (does nothing if the demo "
            "is already loaded)",
        )
        load.add_argument("--seed", type=int, default=DEFAULT_SEED, help="which fictional case")
        load.add_argument(
            "--reset", action="store_true", help="replace the demo reviews if they exist"
        )
        load.add_argument(
            "--force",
            action="store_true",
            help="create the demo accounts (published password) even outside demo mode",
        )
        self.add_json_argument(load)
        logins = sub.add_parser("logins", help="print the demo accounts and their password")
        self.add_json_argument(logins)
        bundle = sub.add_parser("bundle", help="write the demo bundle folder without importing it")
        bundle.add_argument("-o", "--output", required=True, help="folder to write (new or empty)")
        bundle.add_argument("--seed", type=int, default=DEFAULT_SEED)
        self.add_json_argument(bundle)

    def run(self, actor: Any, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"])(actor, **options)

    def do_load(self, actor: Any, **options: Any) -> None:
        from lantern.demo.loader import demo_load

        if not actor.is_system:
            raise CommandError("Load the demo at the server's console, without --as.")
        result = demo_load(
            by=actor, seed=options["seed"], reset=options["reset"], force=options["force"]
        )
        if options["json"]:
            self.emit_json(result.as_dict())
            return
        if not result.created:
            self.stdout.write(
                f"The demo review {result.reference} is already loaded; nothing to do "
                "(use --reset to replace it)."
            )
            return
        self.stdout.write(
            f"Loaded the demo review {result.reference} (seed {result.seed}): stage "
            f"{result.stage}, next deadline {result.next_deadline or '-'} ({result.next_status})."
        )
        self.stdout.write(f"Other demo reviews: {', '.join(result.reviews[1:])}.")
        if result.users_created:
            self.stdout.write(f"Created demo accounts: {', '.join(result.users_created)}.")
        self.stdout.write(f"Took {result.seconds:.1f} s. `lantern demo logins` shows the logins.")

    def do_logins(self, actor: Any, **options: Any) -> None:
        from lantern.demo.loader import DEMO_URL, demo_logins

        # `make run` says where it serves (its HOST and PORT); the default is where it usually is.
        url = os.environ.get("LANTERN_DEMO_URL") or DEMO_URL
        rows = demo_logins()
        if options["json"]:
            self.emit_json({"url": url, "logins": rows})
            return
        headings = {"username": "USERNAME", "role": "ROLE", "password": "PASSWORD"}
        widths = {k: max(len(h), *(len(r[k]) for r in rows)) for k, h in headings.items()}
        self.stdout.write("  ".join(h.ljust(widths[k]) for k, h in headings.items()).rstrip())
        for row in rows:
            line = "  ".join(row[k].ljust(widths[k]) for k in headings)
            note = "" if row["status"] == "ready" else f"  ({row['status']})"
            self.stdout.write(line.rstrip() + note)
        self.stdout.write(f"\nOpen {url} and sign in with one of these.")

    def do_bundle(self, actor: Any, **options: Any) -> None:
        from lantern.demo.generator import build_case, write_bundle

        out = Path(options["output"])
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise CommandError(f"{out} exists and is not an empty folder.")
        case = build_case(options["seed"])
        write_bundle(case, out)
        if options["json"]:
            self.emit_json(
                {
                    "folder": str(out),
                    "reference": case.reference,
                    "seed": case.seed,
                    "agencies": len(case.agencies),
                    "entries": len(case.entries),
                }
            )
            return
        self.stdout.write(
            f"Wrote {out}/review.yaml and {len(case.agencies)} chronologies "
            f"({len(case.entries)} entries). Import it with `lantern review import {out}`."
        )
