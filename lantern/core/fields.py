"""Uploaded files encrypted at rest.

Lantern keeps uploaded files (chronologies, IMRs, evidence, drafts, QA packs and letters,
published copies, checked documents, library documents) in the database, so that every read
passes the same access checks and an import is all or nothing. `EncryptedBinaryField` stores
them encrypted with AES-256-GCM under the installation's file key:

    stored = b"LNE1" + key id (8 bytes) + nonce (12 bytes) + ciphertext and tag

The key comes from `LANTERN_FILES_KEY` (32 random bytes, URL-safe base64; production refuses
to start without it); in development and tests it is derived from the secret key. Older keys
listed in `LANTERN_FILES_OLD_KEYS` (comma-separated) still decrypt, so a key can be rotated:
set the new key, move the old one to the list, and re-save (`lantern files rekey`). A value
written before encryption was switched on (no prefix) is read as it is.

A database dump or a stolen disk therefore holds no readable upload; the application, with the
key from its environment, reads them as before. Backups (`lantern backup`) carry the files
decrypted inside their own encrypted archive, so a backup restores under any key.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

MAGIC = b"LNE1"
KEY_ID_BYTES = 8
NONCE_BYTES = 12


class FileDecryptionError(Exception):
    """A stored file cannot be decrypted with any configured key."""


def _decode_key(text: str, *, name: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"{name} is not URL-safe base64") from error
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must be 32 bytes (URL-safe base64 of 32 random bytes)")
    return key


@functools.lru_cache(maxsize=8)
def _keys(current: str, old: str, secret: str) -> tuple[bytes, dict[bytes, bytes]]:
    if current:
        key = _decode_key(current, name="LANTERN_FILES_KEY")
    else:
        key = hashlib.sha256(b"lantern files key\0" + secret.encode()).digest()
    known = {_key_id(key): key}
    for i, text in enumerate(t for t in old.split(",") if t.strip()):
        old_key = _decode_key(text, name=f"LANTERN_FILES_OLD_KEYS[{i}]")
        known[_key_id(old_key)] = old_key
    return key, known


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"key id\0" + key).digest()[:KEY_ID_BYTES]


def file_keys() -> tuple[bytes, dict[bytes, bytes]]:
    return _keys(
        os.environ.get("LANTERN_FILES_KEY", "") or getattr(settings, "LANTERN_FILES_KEY", ""),
        os.environ.get("LANTERN_FILES_OLD_KEYS", ""),
        settings.SECRET_KEY or "",
    )


def encrypt_file(data: bytes) -> bytes:
    key, _known = file_keys()
    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + _key_id(key) + nonce + AESGCM(key).encrypt(nonce, data, MAGIC)


def decrypt_file(stored: bytes) -> bytes:
    if not stored.startswith(MAGIC):
        return stored  # written before encryption was switched on
    head = len(MAGIC)
    key_id = stored[head : head + KEY_ID_BYTES]
    nonce = stored[head + KEY_ID_BYTES : head + KEY_ID_BYTES + NONCE_BYTES]
    _key, known = file_keys()
    key = known.get(key_id)
    if key is None:
        raise FileDecryptionError(
            "A stored file was encrypted with a key that is not configured "
            "(LANTERN_FILES_KEY / LANTERN_FILES_OLD_KEYS)."
        )
    try:
        return AESGCM(key).decrypt(nonce, stored[head + KEY_ID_BYTES + NONCE_BYTES :], MAGIC)
    except Exception as error:  # cryptography's InvalidTag: altered or wrong key
        raise FileDecryptionError("A stored file failed its integrity check.") from error


def is_encrypted(stored: bytes | memoryview | None) -> bool:
    return stored is not None and bytes(stored[: len(MAGIC)]) == MAGIC


class EncryptedBinaryField(models.BinaryField):
    """A BinaryField whose bytes are encrypted in the database (see the module docstring)."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt_file(bytes(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> bytes | None:
        if value is None:
            return None
        return decrypt_file(bytes(value))

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if isinstance(value, memoryview | bytearray):
            value = bytes(value)
        return value
