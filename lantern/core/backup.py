"""Backups of a whole installation: the database and the uploaded files, in one encrypted file.

A backup is an AES-256 encrypted zip (pyzipper) whose password is the backup key from
configuration (`LANTERN_BACKUP_KEY`, or `LANTERN["BACKUP_KEY"]`); without a key nothing is
written. Inside:

- `database.json`: every table except sessions, content types and permissions, as Django's
  `dumpdata` writes it with natural foreign keys, so it loads into any fresh installation on
  SQLite or PostgreSQL whatever ids the content types got there;
- `media/...`: every uploaded file, byte for byte;
- `manifest.json`: for each member its size and SHA-256, plus the database vendor it came from,
  the migrations it was taken at and when.

`restore_backup` checks everything before it changes anything: the key, the manifest's
checksums, that the backup's migrations are ones this code has. Then, in one transaction, it
empties the database and loads the backup's rows; the uploaded files are written beside the
media folder and swapped in only after the database load has succeeded. A failure part way
leaves the installation as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyzipper
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "lantern-backup/1"
DATABASE = "database.json"
MANIFEST = "manifest.json"
MEDIA = "media/"
# Recreated by `migrate` on any installation, or not worth restoring (sign-ins start afresh).
EXCLUDED = ("contenttypes", "auth.permission", "sessions", "admin.logentry")


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why."""


@dataclass
class BackupSummary:
    path: str
    created_at: str
    vendor: str
    tables: int
    rows: int
    files: int
    bytes: int
    members: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "created_at": self.created_at,
            "database": self.vendor,
            "tables": self.tables,
            "rows": self.rows,
            "files": self.files,
            "bytes": self.bytes,
        }


def backup_key() -> str:
    key = os.environ.get("LANTERN_BACKUP_KEY") or getattr(settings, "LANTERN", {}).get("BACKUP_KEY")
    if not key:
        raise BackupError(
            "No backup key is configured: set LANTERN_BACKUP_KEY (at least 16 characters), "
            "and keep it apart from the backups."
        )
    if len(key) < 16:
        raise BackupError("The backup key is too short: use at least 16 characters.")
    return key


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files() -> list[Path]:
    root = _media_root()
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _migrations(using: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def dump_database(using: str = DEFAULT_DB_ALIAS) -> bytes:
    out = io.StringIO()
    call_command(
        "dumpdata",
        exclude=list(EXCLUDED),
        natural_foreign=True,
        format="json",
        database=using,
        stdout=out,
        verbosity=0,
    )
    return out.getvalue().encode()


def write_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write the encrypted backup to `path` (replacing it only once it is complete)."""
    key = backup_key()
    database = dump_database(using)
    rows = json.loads(database)
    members: list[dict[str, Any]] = [
        {"name": DATABASE, "size": len(database), "sha256": _sha256(database)}
    ]
    root = _media_root()
    files = _media_files()
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    total = len(database)
    with pyzipper.AESZipFile(
        partial, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(key.encode())
        archive.writestr(DATABASE, database)
        for file in files:
            data = file.read_bytes()
            name = MEDIA + file.relative_to(root).as_posix()
            archive.writestr(name, data)
            members.append({"name": name, "size": len(data), "sha256": _sha256(data)})
            total += len(data)
        manifest = {
            "format": FORMAT,
            "created_at": created_at,
            "database": connections[using].vendor,
            "migrations": _migrations(using),
            "members": members,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2).encode())
    os.replace(partial, path)
    return BackupSummary(
        path=str(path),
        created_at=created_at,
        vendor=connections[using].vendor,
        tables=len({row["model"] for row in rows}),
        rows=len(rows),
        files=len(files),
        bytes=total,
        members=members,
    )


@dataclass
class _Opened:
    manifest: dict[str, Any]
    database: bytes
    media: dict[str, bytes]


def _open(path: Path, key: str) -> _Opened:
    """Read and verify every member: nothing is changed until all of this has passed."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    try:
        with pyzipper.AESZipFile(path) as archive:
            archive.setpassword(key.encode())
            names = set(archive.namelist())
            if MANIFEST not in names:
                raise BackupError(f"{path}: not a Lantern backup (no {MANIFEST}).")
            manifest = json.loads(archive.read(MANIFEST))
            if manifest.get("format") != FORMAT:
                raise BackupError(
                    f"{path}: backup format {manifest.get('format')!r}, expected {FORMAT}."
                )
            contents: dict[str, bytes] = {}
            for member in manifest["members"]:
                name = member["name"]
                if name not in names:
                    raise BackupError(f"{path}: {name} is listed in the manifest but missing.")
                if name.startswith("/") or ".." in Path(name).parts:
                    raise BackupError(f"{path}: {name} is not a safe file name.")
                data = archive.read(name)
                if len(data) != member["size"] or _sha256(data) != member["sha256"]:
                    raise BackupError(
                        f"{path}: {name} does not match its checksum; the backup is damaged."
                    )
                contents[name] = data
            unlisted = names - set(contents) - {MANIFEST}
            if unlisted:
                raise BackupError(
                    f"{path}: holds files the manifest does not list: {sorted(unlisted)[:3]}."
                )
    except RuntimeError as error:  # pyzipper: bad password
        if "password" in str(error).lower():
            raise BackupError(f"{path}: the backup key does not open this backup.") from error
        raise BackupError(f"{path}: cannot be read ({error}).") from error
    except (pyzipper.BadZipFile, json.JSONDecodeError, KeyError) as error:
        raise BackupError(f"{path}: not a readable Lantern backup ({error}).") from error
    if DATABASE not in contents:
        raise BackupError(f"{path}: has no {DATABASE}.")
    media = {name[len(MEDIA) :]: data for name, data in contents.items() if name.startswith(MEDIA)}
    return _Opened(manifest=manifest, database=contents[DATABASE], media=media)


def verify_backup(path: Path) -> dict[str, Any]:
    """Open and check a backup without restoring it: the manifest, for `lantern restore --check`."""
    opened = _open(path, backup_key())
    return opened.manifest


def _database_is_empty(using: str) -> bool:
    """A fresh installation: no reviews, no library documents and no accounts but the
    console's system account (reference data that migrations create does not count)."""
    from lantern.accounts.models import User
    from lantern.reviews.models import Review

    return (
        not Review.objects.using(using).exists()
        and not User.objects.using(using).exclude(is_system=True).exists()
    )


def restore_backup(
    path: Path, *, using: str = DEFAULT_DB_ALIAS, replace: bool = False
) -> dict[str, Any]:
    """Restore the backup at `path` over this installation's database and uploaded files.

    Refuses, changing nothing, when the key is wrong, a checksum fails, the backup was taken
    at migrations this code does not have, or (without `replace`) the database already holds
    data."""
    opened = _open(path, backup_key())
    here = {tuple(m) for m in _migrations(using)}
    theirs = {tuple(m) for m in opened.manifest.get("migrations", [])}
    unknown = theirs - here
    if unknown:
        raise BackupError(
            f"{path}: taken at migrations this installation does not have "
            f"({', '.join('.'.join(m) for m in sorted(unknown)[:3])}); upgrade Lantern first."
        )
    if not replace and not _database_is_empty(using):
        raise BackupError(
            "This installation already holds data: restore into a fresh installation, or "
            "pass --replace to overwrite everything in it."
        )
    root = _media_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=root.parent))
    try:
        for name, data in opened.media.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        objects = list(serializers.deserialize("json", opened.database, using=using))
        with transaction.atomic(using=using):
            _empty_database(using)
            connection = connections[using]
            with connection.constraint_checks_disabled():
                for obj in objects:
                    obj.save(using=using)
            tables = [obj.object._meta.db_table for obj in objects]
            connection.check_constraints(table_names=sorted(set(tables)))
            _reset_sequences(using, {type(obj.object) for obj in objects})
            _hash_plaintext_backup_codes(using)
        # The database is in; swap the files in.
        aside = None
        if root.exists():
            aside = root.with_name(root.name + ".before-restore")
            if aside.exists():
                shutil.rmtree(aside)
            root.rename(aside)
        staging.rename(root)
        if aside is not None:
            shutil.rmtree(aside)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return {
        "file": str(path),
        "created_at": opened.manifest.get("created_at"),
        "database_from": opened.manifest.get("database"),
        "rows": len(objects),
        "files": len(opened.media),
    }


def _hash_plaintext_backup_codes(using: str) -> None:
    """A backup taken before backup codes were hashed (accounts migration 0008) holds them in
    plain text in django-otp's tables: turn them into hashed codes, as the migration did, so that
    a restore never brings plaintext codes back."""
    from importlib import import_module

    migration = import_module("lantern.accounts.migrations.0008_backup_codes_from_static_tokens")

    class _Editor:
        connection = connections[using]

    migration.static_tokens_to_backup_codes(apps, _Editor())


def _empty_database(using: str) -> None:
    """Delete every row the backup replaces (all but content types and permissions), children
    first, without signals."""
    connection = connections[using]
    models = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed
        and not m._meta.proxy
        and m._meta.label_lower not in ("contenttypes.contenttype", "auth.permission")
    ]
    with connection.constraint_checks_disabled():
        for model in models:
            model._base_manager.using(using).all()._raw_delete(using)


def _reset_sequences(using: str, models: set[type]) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(_NoStyle(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class _NoStyle:
    def __getattr__(self, name: str) -> Any:
        return lambda text: text
