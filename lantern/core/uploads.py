"""Every file Lantern accepts passes `scan_upload` before anything is stored.

When `LANTERN_CLAMAV` is set (`tcp://host:3310` or `unix:///run/clamav/clamd.ctl`), the bytes
are streamed to ClamAV's daemon with its INSTREAM command and a file it reports as infected is
refused, naming the file and what was found. If the daemon cannot be reached the upload is
refused too (fail closed): a partnership that has configured scanning never stores an unscanned
file. Without `LANTERN_CLAMAV` nothing is scanned; `lantern check --deploy` does not require it,
but docs/security.md recommends it.

Before that, what a file *is* is checked without trusting its name or its own claims
(`content_check`, and the pure `sniff`, `zip_check` and `pdf_problem` that the importers share):
the content must be the kind its extension says; a zip-based document (DOCX, XLSX, PPTX, ODT)
is refused from the sizes its directory declares, before anything is inflated, when it would
expand far beyond its size (a zip bomb), holds an impossible number of parts, names a part
outside itself (`../../x`), has encrypted parts, or carries a document type declaration (the
way in for XML external entities and "billion laughs"; Office never writes one); a file that
starts like a PDF must open with PDFium, have a page and not be locked with a password. This
module imports Django only inside the functions that need it, so the importers without Django
can use the pure checks.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import socket
import struct
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import urlparse

CHUNK = 64 * 1024
TIMEOUT_SECONDS = 30


class UploadRefused(Exception):
    """The file may not be stored; `str()` names the file and the reason."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"{filename}: {reason}")
        self.filename = filename
        self.reason = reason


def scanner_address() -> str:
    from django.conf import settings

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
    from django.utils.translation import gettext as _

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


# --- what a file is, from its bytes (no Django) --------------------------------------------------

KINDS = {
    "pdf": "a PDF",
    "docx": "a Word document",
    "docm": "a Word document with macros",
    "xlsx": "an Excel workbook",
    "xlsm": "an Excel workbook with macros",
    "pptx": "a PowerPoint presentation",
    "odt": "an OpenDocument text document",
    "ods": "an OpenDocument spreadsheet",
    "zip": "a zip archive",
    "broken zip": "a damaged zip archive",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "gif": "a GIF image",
    "ole": "an old-style Office file (.doc, .xls) or a password-protected document",
    "program": "a program",
    "rtf": "an RTF document",
    "gzip": "a gzip archive",
    "text": "a text file",
    "binary": "a binary file",
}
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"MZ", "program"),
    (b"\x7fELF", "program"),
    (b"\xca\xfe\xba\xbe", "program"),
    (b"\xcf\xfa\xed\xfe", "program"),
    (b"#!", "program"),
    (b"{\\rtf", "rtf"),
    (b"\x1f\x8b", "gzip"),
)


def _zip_content_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, NotImplementedError):
        return "broken zip"
    if "word/document.xml" in names:
        return "docm" if "word/vbaProject.bin" in names else "docx"
    if "xl/workbook.xml" in names:
        return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if mimetype == b"application/vnd.oasis.opendocument.text":
        return "odt"
    if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
        return "ods"
    return "zip"


def sniff(data: bytes) -> str:
    """What `data` is, by its content alone: one of the keys of KINDS."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_content_kind(data)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head:
        return "text"
    return "binary"


@dataclass(frozen=True)
class ZipLimits:
    """What a zip-based document may declare. `ratio` applies to a part over `ratio_from`
    bytes: real documents compress XML a few times, a bomb a thousand."""

    total: int = 200 * 1024 * 1024
    ratio: int = 200
    ratio_from: int = 1024 * 1024
    members: int = 5000


class ZipRefused(ValueError):
    """The archive is refused; `str()` is the reason, worded to follow the file's name."""


_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)


def _unsafe_name(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        return True
    if re.match(r"^[A-Za-z]:", name):
        return True
    return ".." in posixpath.normpath(name).split("/") or ".." in name.split("/")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def zip_check(
    data: bytes, *, what: str = "the file", limits: ZipLimits = ZipLimits()
) -> list[zipfile.ZipInfo]:
    """The members of a zip-based document, or ZipRefused saying why it may not be read.

    Everything but the document type check is judged from the sizes and names the archive
    declares, before any part is inflated; Python's zipfile never inflates a part beyond the
    size it declares, so a part that lies about its size cannot expand further either. The
    document type check reads the first 4 KB of each XML part (within the limits just checked).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        raise ZipRefused(f"{what} is damaged: it cannot be opened") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.members:
            raise ZipRefused(
                f"{what} holds {len(infos):,} parts, more than a real one has "
                f"(at most {limits.members:,})"
            )
        for info in infos:
            if _unsafe_name(info.filename):
                raise ZipRefused(
                    f"{what} holds a part named “{info.filename[:100]}”, which points outside "
                    "it: it was refused"
                )
            if info.flag_bits & 0x1:
                raise ZipRefused(
                    f"{what} has encrypted parts: remove the password and save it again"
                )
            if info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size > (
                info.file_size + info.file_size // 100 + 1024
            ):
                # Deflate never grows data by more than a few bytes a block: a part whose
                # compressed data is far longer than the size it declares is hiding its size.
                raise ZipRefused(
                    f"{what} is damaged or hides its size: {info.filename[:100]} declares "
                    f"{info.file_size:,} bytes but holds {info.compress_size:,} compressed"
                )
            if info.file_size > limits.ratio_from and info.file_size > limits.ratio * max(
                info.compress_size, 1
            ):
                raise ZipRefused(
                    f"{what} would expand to {_mb(info.file_size)} from "
                    f"{_mb(info.compress_size)}, far more than a real one (a zip bomb): it was "
                    "refused"
                )
        total = sum(info.file_size for info in infos)
        if total > limits.total:
            raise ZipRefused(
                f"{what} would expand to {_mb(total)}, more than the {_mb(limits.total)} "
                "Lantern reads"
            )
        for info in infos:
            if _inflates_past_declared(data, info):
                raise ZipRefused(
                    f"{what} is damaged or hides its size: {info.filename[:100]} inflates to "
                    f"more than the {info.file_size:,} bytes it declares (a zip bomb?): it was "
                    "refused"
                )
        for info in infos:
            if not info.filename.lower().endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(info) as part:
                    head = part.read(4096)
            except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, EOFError) as error:
                raise ZipRefused(f"{what} is damaged: {info.filename} cannot be read ({error})")
            except Exception as error:  # noqa: BLE001 - zlib and friends: damaged all the same
                raise ZipRefused(
                    f"{what} is damaged: {info.filename} cannot be read ({type(error).__name__})"
                ) from None
            if _DTD.search(head):
                raise ZipRefused(
                    f"{what} holds a document type declaration (<!DOCTYPE>) in {info.filename}, "
                    "which Office never writes (it is how XML entity attacks begin): it was "
                    "refused"
                )
    return infos


def _inflates_past_declared(data: bytes, info: zipfile.ZipInfo) -> bool:
    """Whether a deflated part's stream holds more than the size it declares. zipfile stops
    a streamed read at the declared size, but its `read()` of a whole part inflates the entire
    stream first, so a part declaring 2 KB can still fill memory with gigabytes. Inflated here a
    megabyte at a time and thrown away, so checking costs time in proportion to the declared
    sizes (already limited), never memory."""
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size
    offset = info.header_offset
    if data[offset : offset + 4] != b"PK\x03\x04":
        return True
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_length + extra_length
    pending: bytes | memoryview = memoryview(data)[start : start + info.compress_size]
    inflater = zlib.decompressobj(-15)
    produced, step = 0, 1024 * 1024
    try:
        while True:
            out = inflater.decompress(pending, step)
            produced += len(out)
            if produced > info.file_size:
                return True
            pending = inflater.unconsumed_tail
            if not pending and len(out) < step:
                return False
    except zlib.error:
        return True


def zip_read(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part's bytes, never inflating more than the size it declares (zipfile's own `read`
    inflates a part's whole stream before cutting it to size)."""
    info = archive.getinfo(name)
    with archive.open(info) as part:
        return part.read(info.file_size)


PDF_ENCRYPTED = (
    "the PDF is encrypted (protected by a password), so Lantern cannot read or check it: "
    "save it without a password"
)
PDF_NO_PAGES = "the PDF has no pages"


def pdf_problem(data: bytes) -> str | None:
    """Why `data` is not a PDF people can open, or None for a readable PDF with at least one
    page: damaged or not a PDF at all (whatever its first bytes say), locked with a password,
    or without pages.

    The bytes are opened with PDFium in memory (no file is written, nothing is fetched). Only
    what is cheap is looked at: the document's structure, its page count and the first page's
    entry in the page tree. No page is drawn and no content stream is read, so however many
    pages a document claims, checking it costs no more than reading its page tree.

    PDFium's own calls are used rather than `PdfDocument`: PdfDocument refuses a document
    without pages with whatever error code an earlier failure left behind (PDFium sets none
    for it), so a PDF without pages checked after a locked one would be called locked.
    """
    import pypdfium2  # noqa: F401 - initialises PDFium
    import pypdfium2.raw as pdfium_c

    damaged = "the PDF is damaged and cannot be read ({})"
    document = pdfium_c.FPDF_LoadMemDocument64(data, len(data), None)
    if not document:
        code = pdfium_c.FPDF_GetLastError()  # set by every failure to load
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            return PDF_ENCRYPTED
        if code == pdfium_c.FPDF_ERR_FORMAT:
            return damaged.format("its contents are not valid PDF")
        return damaged.format(f"PDFium error {code}")
    try:
        if pdfium_c.FPDF_GetPageCount(document) < 1:
            return PDF_NO_PAGES
        size = pdfium_c.FS_SIZEF()
        # The first page's dictionary only; its content is not parsed.
        if not pdfium_c.FPDF_GetPageSizeByIndexF(document, 0, size):
            return damaged.format("its first page cannot be found")
    finally:
        pdfium_c.FPDF_CloseDocument(document)
    return None


# --- the check for services that keep a file as it is ------------------------------------------

EXPECTED_KINDS = {
    ".pdf": {"pdf"},
    ".docx": {"docx"},
    ".xlsx": {"xlsx"},
    ".pptx": {"pptx"},
    ".odt": {"odt"},
    ".txt": {"text"},
    ".csv": {"text"},
    ".png": {"png"},
    ".jpg": {"jpeg"},
    ".jpeg": {"jpeg"},
}
_ZIP_KINDS = {"docx", "docm", "xlsx", "xlsm", "pptx", "odt", "ods"}


def content_check(data: bytes, filename: str, *, kinds: set[str] | None = None) -> str:
    """The kind of a file that will be kept and offered for download, refused (UploadRefused
    naming the file) when its content is not what its extension (or `kinds`) says, when it is
    a zip bomb or hides parts outside itself, or when it starts like a PDF but is not one
    people can open (`pdf_problem`: damaged, locked with a password, or without pages)."""
    extension = os.path.splitext(filename.lower())[1]
    expected = kinds or EXPECTED_KINDS.get(extension, set())
    kind = sniff(data)
    if expected and kind not in expected:
        wanted = " or ".join(sorted({KINDS[k] for k in expected}))
        raise UploadRefused(filename, f"it is not {wanted}: it is {KINDS[kind]}")
    if kind in _ZIP_KINDS:
        try:
            zip_check(data, what=f"this {KINDS[kind].split(' ', 1)[1]}")
        except ZipRefused as refused:
            raise UploadRefused(filename, str(refused)) from None
    if kind == "pdf":
        problem = pdf_problem(data)
        if problem:
            raise UploadRefused(filename, problem)
    return kind
