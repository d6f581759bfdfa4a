"""`lantern files rekey`: re-encrypt every stored file with the current LANTERN_FILES_KEY."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connections, transaction

from lantern.core.fields import EncryptedBinaryField, is_encrypted
from lantern.core.management.base import LanternCommand
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record


def encrypted_fields() -> list[tuple[type, str]]:
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedBinaryField)
    ]


class Command(LanternCommand):
    help = (
        "Stored files: `rekey` re-encrypts every file with the current LANTERN_FILES_KEY (after "
        "moving the previous key to LANTERN_FILES_OLD_KEYS); `status` counts them."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        self.add_json_argument(sub.add_parser("rekey", help="re-encrypt with the current key"))
        self.add_json_argument(sub.add_parser("status", help="count stored files per model"))

    def run(self, actor: Any, **options: Any) -> None:
        if not getattr(actor, "is_system", False):
            self.fail("Only the system administrator at the server's console can do this.")
        counts: dict[str, int] = {}
        for model, name in encrypted_fields():
            label = f"{model._meta.label}.{name}"
            qs = model._base_manager.exclude(**{f"{name}__isnull": True})
            if options["verb"] == "status":
                counts[label] = qs.count()
                continue
            done = 0
            field = model._meta.get_field(name)
            connection = connections[qs.db]
            table = connection.ops.quote_name(model._meta.db_table)
            column = connection.ops.quote_name(field.column)
            key = connection.ops.quote_name(model._meta.pk.column)
            # Table and column names come from the model; values are parameters.
            sql = f"UPDATE {table} SET {column} = %s WHERE {key} = %s"  # noqa: S608
            for pk in qs.values_list("pk", flat=True).iterator():
                with transaction.atomic(), connection.cursor() as cursor:
                    value = qs.filter(pk=pk).values_list(name, flat=True).first()
                    # Written below the ORM: frozen (published) records keep their bytes,
                    # only the encryption around them changes.
                    cursor.execute(sql, [field.get_db_prep_save(value, connection), pk])
                done += 1
            counts[label] = done
        if options["verb"] == "rekey":
            audit_record(
                action=AuditEvent.Action.UPDATE,
                by=actor,
                object_type="stored files",
                summary=f"Re-encrypted {sum(counts.values())} stored files with the current key",
                data=counts,
            )
        if options["json"]:
            self.emit_json(counts)
        else:
            for label, n in counts.items():
                self.stdout.write(f"{label}: {n}")


__all__ = ["encrypted_fields", "is_encrypted"]
