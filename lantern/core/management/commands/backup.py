"""`lantern backup -o FILE`: the database and every uploaded file in one encrypted file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lantern.core.backup import BackupError, write_backup
from lantern.core.management.base import LanternCommand
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record


class Command(LanternCommand):
    help = (
        "Write an encrypted backup of the database and uploaded files, with a checksum "
        "manifest. The key comes from LANTERN_BACKUP_KEY."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("-o", "--output", required=True, help="the backup file to write")
        self.add_json_argument(parser)

    def run(self, actor: Any, **options: Any) -> None:
        if not getattr(actor, "is_system", False):
            self.fail("Only the system administrator at the server's console can take a backup.")
        try:
            summary = write_backup(Path(options["output"]))
        except BackupError as error:
            self.fail(str(error))
        audit_record(
            action=AuditEvent.Action.EXPORT,
            by=actor,
            object_type="backup",
            object_id=Path(summary.path).name,
            summary=f"Backup written: {summary.rows} rows, {summary.files} files",
            data=summary.as_dict(),
        )
        if options["json"]:
            self.emit_json(summary.as_dict())
        else:
            self.stdout.write(
                f"Backup written to {summary.path}: {summary.rows:,} rows in {summary.tables} "
                f"tables and {summary.files:,} uploaded files ({summary.bytes:,} bytes before "
                "compression), encrypted with the configured key."
            )
