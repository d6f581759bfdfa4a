"""The `lantern` console command: every management task runs through it.

`lantern --as USERNAME <command> ...` (or LANTERN_USER) acts as that user with that user's access;
with neither, it acts as the local system administrator at the server's console, recorded as such
in the audit record.
"""

from __future__ import annotations

import os
import sys


def _pull_as(argv: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--as" and i + 1 < len(argv):
            os.environ["LANTERN_USER"] = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--as="):
            os.environ["LANTERN_USER"] = arg.split("=", 1)[1]
            i += 1
            continue
        out.append(arg)
        i += 1
    return out


def main(argv: list[str] | None = None) -> None:
    args = _pull_as(list(sys.argv[1:] if argv is None else argv))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lantern", *args])


if __name__ == "__main__":
    main()
