"""Uploaded files are encrypted at rest: what the database holds is not the file, the
application reads the file back, keys can be rotated, and tampering is detected."""

from __future__ import annotations

import base64
import os
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from lantern.chronology.models import ChronologyFile
from lantern.chronology.services import chronology_import
from lantern.core.fields import (
    MAGIC,
    FileDecryptionError,
    _keys,
    decrypt_file,
    encrypt_file,
    is_encrypted,
)

pytestmark = pytest.mark.django_db

CSV = b"Date,What happened\n01/02/2021,Joanne Whitfield seen at the surgery\n"


def _raw(model: Any, field: str, pk: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {field} FROM {model._meta.db_table} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return bytes(cursor.fetchone()[0])


def _new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.fixture(autouse=True)
def fresh_keys() -> Any:
    _keys.cache_clear()
    yield
    _keys.cache_clear()


def test_the_database_never_holds_the_file(cast: Any) -> None:
    result = chronology_import(
        review=cast.review, agency=cast.police, files=[("police.csv", CSV)], by=cast.coordinator
    )
    assert result.stored
    stored = ChronologyFile.objects.get(review=cast.review)
    raw = _raw(ChronologyFile, "content", stored.pk)
    assert raw.startswith(MAGIC) and b"Whitfield" not in raw
    assert bytes(stored.content) == CSV  # the application reads the file


def test_rotation_and_rekey(cast: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = _new_key(), _new_key()
    monkeypatch.setenv("LANTERN_FILES_KEY", first)
    chronology_import(
        review=cast.review, agency=cast.police, files=[("police.csv", CSV)], by=cast.coordinator
    )
    pk = ChronologyFile.objects.get().pk
    before = _raw(ChronologyFile, "content", pk)
    # A new key alone cannot read files written under the old one...
    monkeypatch.setenv("LANTERN_FILES_KEY", second)
    _keys.cache_clear()
    with pytest.raises(FileDecryptionError):
        ChronologyFile.objects.get(pk=pk).content  # noqa: B018
    # ...with the old key listed, it can; `files rekey` moves everything to the new key.
    monkeypatch.setenv("LANTERN_FILES_OLD_KEYS", first)
    _keys.cache_clear()
    assert bytes(ChronologyFile.objects.get(pk=pk).content) == CSV
    call_command("files", "rekey")
    after = _raw(ChronologyFile, "content", pk)
    assert after != before and after[4:12] != before[4:12]  # another key id
    monkeypatch.delenv("LANTERN_FILES_OLD_KEYS")
    _keys.cache_clear()
    assert bytes(ChronologyFile.objects.get(pk=pk).content) == CSV


def test_tampering_is_detected() -> None:
    stored = bytearray(encrypt_file(b"an IMR"))
    stored[-1] ^= 1
    with pytest.raises(FileDecryptionError, match="integrity"):
        decrypt_file(bytes(stored))


def test_files_written_before_encryption_are_still_read() -> None:
    assert decrypt_file(b"%PDF-1.7 written earlier") == b"%PDF-1.7 written earlier"
    assert not is_encrypted(b"%PDF-1.7")
    assert is_encrypted(encrypt_file(b""))


INDEX_DATA = {
    "library.Chunk.vector",
    "library.SemanticIndex.idf",
    "library.SemanticIndex.components",
}


def test_every_file_field_is_encrypted() -> None:
    """No app keeps an uploaded file in a plain BinaryField (numbers the library's search
    index computes are not files: they stay plain)."""
    from django.apps import apps
    from django.db import models

    from lantern.core.fields import EncryptedBinaryField

    plain = [
        f"{m._meta.label}.{f.name}"
        for m in apps.get_models()
        if m.__module__.startswith("lantern.")
        for f in m._meta.concrete_fields
        if isinstance(f, models.BinaryField)
        and not isinstance(f, EncryptedBinaryField)
        and f"{m._meta.label}.{f.name}" not in INDEX_DATA
    ]
    assert not plain, plain
