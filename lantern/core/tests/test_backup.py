"""Backups: a round trip that compares everything, and every refusal leaving things as they were."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import pyzipper
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.core.backup import (
    BackupError,
    dump_database,
    restore_backup,
    verify_backup,
    write_backup,
)
from lantern.reviews.models import Review

pytestmark = pytest.mark.django_db

KEY = "correct horse battery staple backup"


@pytest.fixture
def media(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "media"
    (root / "imrs" / "2024").mkdir(parents=True)
    (root / "imrs" / "2024" / "police-imr.pdf").write_bytes(b"%PDF-1.7 fictional IMR\n")
    (root / "evidence.docx").write_bytes(bytes(range(256)) * 40)
    settings.MEDIA_ROOT = str(root)
    monkeypatch.setenv("LANTERN_BACKUP_KEY", KEY)
    return root


def files_in(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_round_trip_restores_every_row_and_file(cast: Any, media: Path, tmp_path: Path) -> None:
    rows_before = json.loads(dump_database())
    files_before = files_in(media)
    backup = tmp_path / "lantern.backup"
    summary = write_backup(backup)
    assert summary.rows == len(rows_before) and summary.files == 2
    # Lose things: a review (and everything under it), a file; add a stray file.
    Review.objects.all().delete()
    (media / "evidence.docx").unlink()
    (media / "stray.txt").write_text("not in the backup")
    assert json.loads(dump_database()) != rows_before
    result = restore_backup(backup, replace=True)
    assert result["rows"] == len(rows_before)
    assert json.loads(dump_database()) == rows_before
    assert files_in(media) == files_before


def test_the_backup_is_encrypted_and_lists_checksums(
    cast: Any, media: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "b.zip"
    write_backup(backup)
    raw = backup.read_bytes()
    assert cast.review.reference.encode() not in raw  # nothing readable without the key
    with pyzipper.AESZipFile(backup) as archive:
        archive.setpassword(KEY.encode())
        manifest = json.loads(archive.read("manifest.json"))
    names = {m["name"] for m in manifest["members"]}
    assert names == {"database.json", "media/evidence.docx", "media/imrs/2024/police-imr.pdf"}
    assert all(len(m["sha256"]) == 64 for m in manifest["members"])
    assert verify_backup(backup)["format"] == "lantern-backup/1"


def test_a_wrong_key_changes_nothing(
    cast: Any, media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = tmp_path / "b.zip"
    write_backup(backup)
    Review.objects.all().delete()
    before = dump_database()
    monkeypatch.setenv("LANTERN_BACKUP_KEY", "another key of sufficient length")
    with pytest.raises(BackupError, match="does not open"):
        restore_backup(backup, replace=True)
    assert dump_database() == before


def test_a_damaged_member_is_refused_before_anything_changes(
    cast: Any, media: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "b.zip"
    write_backup(backup)
    # Rewrite the archive with one file's bytes changed but the manifest as it was.
    tampered = tmp_path / "tampered.zip"
    with (
        pyzipper.AESZipFile(backup) as source,
        pyzipper.AESZipFile(
            tampered, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
        ) as out,
    ):
        source.setpassword(KEY.encode())
        out.setpassword(KEY.encode())
        for name in source.namelist():
            data = source.read(name)
            if name == "media/evidence.docx":
                data = data[:-1] + b"X"
            out.writestr(name, data)
    Review.objects.all().delete()
    before, files = dump_database(), files_in(media)
    with pytest.raises(BackupError, match="media/evidence.docx does not match its checksum"):
        restore_backup(tampered, replace=True)
    assert dump_database() == before and files_in(media) == files


def test_an_installation_with_data_needs_replace(cast: Any, media: Path, tmp_path: Path) -> None:
    backup = tmp_path / "b.zip"
    write_backup(backup)
    with pytest.raises(BackupError, match="already holds data"):
        restore_backup(backup)


def test_no_key_no_backup(cast: Any, media: Path, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("LANTERN_BACKUP_KEY")
    with pytest.raises(BackupError, match="No backup key"):
        write_backup(tmp_path / "b.zip")
    assert not (tmp_path / "b.zip").exists()


def test_commands(cast: Any, media: Path, tmp_path: Path, capsys: Any) -> None:
    backup = tmp_path / "cli.backup"
    call_command("backup", "-o", str(backup), "--json")
    written = json.loads(capsys.readouterr().out)
    assert written["files"] == 2 and written["rows"] > 0
    call_command("restore", str(backup), "--check")
    assert "every checksum matches" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(backup))
    with pytest.raises(CommandError, match="system administrator"):
        call_command("backup", "-o", str(tmp_path / "x"), "--as", cast.coordinator.username)
    call_command("restore", str(backup), "--replace", "--json")
    restored = json.loads(capsys.readouterr().out)
    assert restored["files"] == 2


def test_a_restore_hashes_backup_codes_an_older_backup_held_in_plain_text(
    cast: Any, media: Path, tmp_path: Path
) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from lantern.accounts.models import BackupCodeDevice
    from lantern.accounts.services import two_factor_verify

    # As Lantern stored them before accounts migration 0008.
    old = StaticDevice.objects.create(user=cast.chair, name="Backup codes", confirmed=True)
    StaticToken.objects.create(device=old, token="abcdefgh")
    backup = tmp_path / "lantern.backup"
    write_backup(backup)
    restore_backup(backup, replace=True)
    assert not StaticToken.objects.exists() and not StaticDevice.objects.exists()
    assert b"abcdefgh" not in dump_database()
    device = BackupCodeDevice.objects.get(user=cast.chair)
    assert two_factor_verify(user=cast.chair, token="abcd-efgh") == device
