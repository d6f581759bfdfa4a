"""Real PDFs for the tests, built in code (nothing binary is committed).

Lantern opens every PDF it keeps (`lantern.core.uploads.pdf_problem`), so a test that uploads
one needs a real one: `tiny_pdf()` is a one-page PDF with a line of text, small enough to
compare byte for byte. `classic_pdf` writes any list of objects as a PDF with a correct
cross-reference table, for the tests that need an odd one (no pages, say), and
`password_protected_pdf` a real locked one, which opens with its password.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def tiny_pdf(text: str = "Kerry was seen at home by the health visitor.") -> bytes:
    """A one-page PDF with `text` (Latin-1) on it, written by hand: the same bytes every time."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = b"BT /F1 12 Tf 20 100 Td (" + safe.encode("latin-1") + b") Tj ET"
    return classic_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ]
    )


def classic_pdf(objects: Sequence[bytes], trailer_extra: bytes = b"") -> bytes:
    """`objects` numbered from 1 (the first is the catalogue), with a classic cross-reference
    table whose offsets are right, and `trailer_extra` added to the trailer."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# The padding of the standard security handler (PDF 32000-1, 7.6.3.3).
_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def _md5(data: bytes) -> bytes:
    return hashlib.md5(data, usedforsecurity=False).digest()  # the format's own hash


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def password_protected_pdf(password: str = "kerry-2024") -> bytes:  # noqa: S107 - a test file
    """A one-page PDF that opens only with `password` (Latin-1): the standard security
    handler, revision 2 (40-bit RC4), worked out as the PDF specification says (7.6.3.3-4),
    because PDFium can read encrypted PDFs but not write them. The page has no content, so
    nothing but the lock is encrypted."""
    padded = (password.encode("latin-1") + _PAD)[:32]
    owner = _rc4(_md5(padded)[:5], padded)
    permissions = -4
    file_id = _md5(b"lantern test")
    key = _md5(padded + owner + permissions.to_bytes(4, "little", signed=True) + file_id)[:5]
    user = _rc4(key, _PAD)
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
        owner.hex().encode(),
        user.hex().encode(),
        permissions,
    )
    return classic_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] >>",
            encrypt,
        ],
        b"/Encrypt 4 0 R /ID [<%s> <%s>] " % (file_id.hex().encode(), file_id.hex().encode()),
    )
