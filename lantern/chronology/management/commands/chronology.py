"""`lantern chronology import|template|analyse|...`: subcommands live in lantern/chronology/cli/."""

from __future__ import annotations

from typing import Any

from lantern.chronology.cli import analysis, combined, imports, returns
from lantern.core.management.base import LanternCommand


class Command(LanternCommand):
    help = "Agencies' chronologies: import, templates, the combined chronology and its analysis."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        self.handlers: dict = {}
        for module in (imports, combined, analysis, returns):
            self.handlers.update(module.register(sub, self))

    def run(self, actor: Any, *args: Any, **options: Any) -> None:
        self.handlers[options["action"]](self, actor, **options)
