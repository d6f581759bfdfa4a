"""`lantern restore FILE`: put a backup back, after checking every checksum in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lantern.core.backup import BackupError, restore_backup, verify_backup
from lantern.core.management.base import LanternCommand
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record


class Command(LanternCommand):
    help = (
        "Restore a backup written by `lantern backup`: the database and uploaded files. "
        "Refuses, changing nothing, if the key is wrong, a checksum fails or the installation "
        "already holds data (unless --replace)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the backup file")
        parser.add_argument("--check", action="store_true", help="only open and verify the backup")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="overwrite an installation that already holds data",
        )
        self.add_json_argument(parser)

    def run(self, actor: Any, **options: Any) -> None:
        if not getattr(actor, "is_system", False):
            self.fail("Only the system administrator at the server's console can restore.")
        path = Path(options["file"])
        try:
            if options["check"]:
                manifest = verify_backup(path)
                result = {
                    "file": str(path),
                    "created_at": manifest.get("created_at"),
                    "database_from": manifest.get("database"),
                    "members": len(manifest.get("members", [])),
                    "verified": True,
                }
            else:
                result = restore_backup(path, replace=options["replace"])
        except BackupError as error:
            self.fail(str(error))
        if not options["check"]:
            from lantern.accounts.models import User

            audit_record(
                action=AuditEvent.Action.IMPORT,
                by=User.objects.system(),
                object_type="backup",
                object_id=path.name,
                summary=f"Restored from a backup taken {result['created_at']}",
                data=result,
            )
        if options["json"]:
            self.emit_json(result)
        elif options["check"]:
            self.stdout.write(
                f"{path}: opens with the configured key and every checksum matches "
                f"({result['members']} members, taken {result['created_at']})."
            )
        else:
            self.stdout.write(
                f"Restored {result['rows']:,} rows and {result['files']:,} uploaded files from "
                f"{path} (taken {result['created_at']} on {result['database_from']})."
            )
