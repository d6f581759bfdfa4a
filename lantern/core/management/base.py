"""A base for Lantern's commands: who the command acts as, --json output, clean errors.

Results go to stdout, messages and errors to stderr; exit status 0 on success, 1 on refused
input or access, 2 on bad usage.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from lantern.core.context import acting
from lantern.core.errors import ProblemsError


def resolve_actor(username: str | None = None) -> Any:
    from lantern.accounts.models import User

    username = username or os.environ.get("LANTERN_USER") or None
    if not username:
        return User.objects.system()
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user called '{username}' (from --as or LANTERN_USER).")
    if not user.is_active:
        raise CommandError(f"The account '{username}' is deactivated.")
    return user


def validation_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{field}: {m}" for field, msgs in error.message_dict.items() for m in msgs]
    return list(error.messages)


class LanternCommand(BaseCommand):
    """Subclasses implement `run(actor, **options)`."""

    json_option = True

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any):  # noqa: ANN201
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--as", dest="as_user", default=None, help="act as this user, with their access"
        )
        return parser

    def add_json_argument(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def emit_json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False))

    def fail(self, message: str, code: int = 1) -> None:
        err = CommandError(message)
        err.returncode = code
        raise err

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with acting("cli", "console"):
                actor = resolve_actor(options.pop("as_user", None))
                self.run(actor, *args, **options)
        except ProblemsError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Refused: {len(error.problems)} problem(s); nothing was stored.", returncode=1
            )
        except ValidationError as error:
            for message in validation_messages(error):
                self.stderr.write(message)
            raise CommandError("Refused; nothing was stored.", returncode=1)
        except PermissionDenied:
            raise CommandError("You do not have permission to do that.", returncode=1)
        except Http404:
            raise CommandError("No such review, or you are not a member of it.", returncode=1)

    def run(self, actor: Any, *args: Any, **options: Any) -> None:  # pragma: no cover
        raise CommandError("This command has nothing to run.")


def read_stdin_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\n")
