"""Every file Lantern accepts passes `scan_upload` before anything is stored.

When `LANTERN_CLAMAV` is set (`tcp://host:3310` or `unix:///run/clamav/clamd.ctl`), the bytes
are streamed to ClamAV's daemon with its INSTREAM command and a file it reports as infected is
refused, naming the file and what was found. If the daemon cannot be reached the upload is
refused too (fail closed): a partnership that has configured scanning never stores an unscanned
file. Without `LANTERN_CLAMAV` nothing is scanned; `lantern check --deploy` does not require it,
but docs/security.md recommends it.
"""

from __future__ import annotations

import os
import socket
import struct
from urllib.parse import urlparse

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 64 * 1024
TIMEOUT_SECONDS = 30


class UploadRefused(Exception):
    """The file may not be stored; `str()` names the file and the reason."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"{filename}: {reason}")
        self.filename = filename
        self.reason = reason


def scanner_address() -> str:
    return os.environ.get("LANTERN_CLAMAV") or getattr(settings, "LANTERN_CLAMAV", "") or ""


def _connect(address: str) -> socket.socket:
    parsed = urlparse(address)
    if parsed.scheme == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(TIMEOUT_SECONDS)
        sock.connect(parsed.path)
        return sock
    if parsed.scheme == "tcp" and parsed.hostname:
        return socket.create_connection(
            (parsed.hostname, parsed.port or 3310), timeout=TIMEOUT_SECONDS
        )
    raise ValueError(f"LANTERN_CLAMAV must be tcp://host:port or unix:///path, not {address!r}")


def clamd_instream(address: str, data: bytes) -> str:
    """Send `data` to clamd with INSTREAM; its one-line answer ("stream: OK" or
    "stream: NAME FOUND" or "... ERROR")."""
    with _connect(address) as sock:
        sock.sendall(b"zINSTREAM\0")
        for start in range(0, len(data), CHUNK):
            chunk = data[start : start + CHUNK]
            sock.sendall(struct.pack(">I", len(chunk)) + chunk)
        sock.sendall(struct.pack(">I", 0))
        answer = b""
        while not answer.endswith(b"\0"):
            part = sock.recv(4096)
            if not part:
                break
            answer += part
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan_upload(data: bytes, filename: str) -> None:
    """Refuse (UploadRefused) a file the configured virus scanner finds infected, or any file
    when the scanner is configured but cannot answer. Does nothing without a scanner."""
    address = scanner_address()
    if not address:
        return
    try:
        answer = clamd_instream(address, data)
    except (OSError, ValueError) as error:
        raise UploadRefused(
            filename,
            _("the virus scanner could not be reached (%(error)s), so the file was not stored")
            % {"error": error},
        ) from error
    if answer.endswith("FOUND"):
        found = answer.split(":", 1)[-1].removesuffix("FOUND").strip()
        raise UploadRefused(
            filename,
            _("the virus scanner found %(name)s; the file was not stored") % {"name": found},
        )
    if not answer.endswith("OK"):
        raise UploadRefused(
            filename,
            _("the virus scanner could not check it (%(answer)s), so it was not stored")
            % {"answer": answer},
        )
