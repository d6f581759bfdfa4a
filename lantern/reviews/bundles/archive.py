"""Reading a bundle from a folder or a .zip (plain or AES-encrypted), and writing a .zip.

No Django here. Nothing is ever extracted to disk: members are read into memory by name, so a
member called `../../etc/passwd` cannot be written anywhere, and sizes are checked before reading
so that a small archive that inflates to gigabytes (a zip bomb) is refused unread.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyzipper

from lantern.core.errors import Problem, ProblemsError

from .schema import YAML_NAME, safe_member_path


@dataclass(frozen=True)
class Limits:
    per_file: int = 50 * 1024 * 1024
    total: int = 200 * 1024 * 1024
    members: int = 2000
    yaml: int = 2 * 1024 * 1024


LIMITS = Limits()


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class Bundle(ABC):
    """The files of one bundle, by their path inside it."""

    def __init__(self, label: str, limits: Limits) -> None:
        self.label = label
        self.limits = limits
        self._read_total = 0

    @abstractmethod
    def has_file(self, path: str) -> bool: ...

    @abstractmethod
    def _size(self, path: str) -> int: ...

    @abstractmethod
    def _read(self, path: str, limit: int) -> bytes:
        """At most `limit + 1` bytes, so that the caller can tell the file was too large."""

    def close(self) -> None:  # noqa: B027 - only an archive has something to release
        """Release the archive, if any."""

    def read(self, path: str) -> bytes:
        """The bytes of a member, refused if it is, or turns out to be, over the limits."""
        limit = self.limits.yaml if path == YAML_NAME else self.limits.per_file
        size = self._size(path)
        if size > limit:
            raise ProblemsError(
                [Problem(file=path, message=f"too large: {_mb(size)}, the limit is {_mb(limit)}")]
            )
        data = self._read(path, limit)
        if len(data) > limit:
            raise ProblemsError(
                [Problem(file=path, message=f"too large: over the limit of {_mb(limit)}")]
            )
        self._read_total += len(data)
        if self._read_total > self.limits.total:
            raise ProblemsError(
                [
                    Problem(
                        file=self.label,
                        message=f"the bundle's files add up to more than {_mb(self.limits.total)}",
                    )
                ]
            )
        return data

    def read_text(self, path: str) -> str:
        if not self.has_file(path):
            raise ProblemsError(
                [
                    Problem(
                        file=self.label,
                        message=f"no {path} in the bundle: a bundle is a folder or .zip holding "
                        f"{YAML_NAME} and the files it names",
                    )
                ]
            )
        try:
            return self.read(path).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ProblemsError(
                [Problem(file=path, message=f"not UTF-8 text (byte {error.start} cannot be read)")]
            )


class FolderBundle(Bundle):
    def __init__(self, root: Path, limits: Limits) -> None:
        super().__init__(str(root), limits)
        self.root = root.resolve()

    def _resolve(self, path: str) -> Path | None:
        safe = safe_member_path(path)
        if safe is None:
            return None
        full = (self.root / safe).resolve()
        # A symbolic link inside the folder must not lead out of it.
        if not full.is_relative_to(self.root) or not full.is_file():
            return None
        return full

    def has_file(self, path: str) -> bool:
        return self._resolve(path) is not None

    def _existing(self, path: str) -> Path:
        full = self._resolve(path)
        if full is None:
            raise ProblemsError([Problem(file=path, message="no such file in the bundle")])
        return full

    def _size(self, path: str) -> int:
        return self._existing(path).stat().st_size

    def _read(self, path: str, limit: int) -> bytes:
        with self._existing(path).open("rb") as handle:
            return handle.read(limit + 1)


class ZipBundle(Bundle):
    def __init__(
        self, path: Path, archive: pyzipper.AESZipFile, passphrase: str | None, limits: Limits
    ) -> None:
        super().__init__(str(path), limits)
        self.archive = archive
        self.passphrase = passphrase
        infos = [
            i
            for i in archive.infolist()
            if not i.is_dir() and not i.filename.startswith("__MACOSX/")
        ]
        self._check_declared_sizes(infos)
        root = self._root([i.filename for i in infos])
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if not info.filename.startswith(root):
                continue
            safe = safe_member_path(info.filename[len(root) :])
            if safe is not None:
                self.members.setdefault(safe, info)
        if passphrase is not None:
            archive.setpassword(passphrase.encode("utf-8"))

    def _check_declared_sizes(self, infos: list[zipfile.ZipInfo]) -> None:
        if len(infos) > self.limits.members:
            raise ProblemsError(
                [
                    Problem(
                        file=self.label,
                        message=f"holds {len(infos)} files; a bundle may hold at most "
                        f"{self.limits.members}",
                    )
                ]
            )
        problems = [
            Problem(
                file=self.label,
                field=i.filename,
                message=f"refused: inflates to {_mb(i.file_size)}, over the limit of "
                f"{_mb(self.limits.per_file)} a file",
            )
            for i in infos
            if i.file_size > self.limits.per_file
        ]
        total = sum(i.file_size for i in infos)
        if total > self.limits.total:
            problems.append(
                Problem(
                    file=self.label,
                    message=f"refused: inflates to {_mb(total)}, over the limit of "
                    f"{_mb(self.limits.total)} a bundle",
                )
            )
        if problems:
            raise ProblemsError(problems)

    @staticmethod
    def _root(names: list[str]) -> str:
        """'' if review.yaml is at the top; 'folder/' if the archive holds one folder with it."""
        if YAML_NAME in names:
            return ""
        nested = [n for n in names if n.endswith("/" + YAML_NAME) and n.count("/") == 1]
        return nested[0][: -len(YAML_NAME)] if len(nested) == 1 else ""

    def has_file(self, path: str) -> bool:
        return path in self.members

    def _size(self, path: str) -> int:
        return self.members[path].file_size

    def _read(self, path: str, limit: int) -> bytes:
        info = self.members[path]
        if info.flag_bits & 0x1 and self.passphrase is None:
            raise ProblemsError(
                [
                    Problem(
                        file=self.label,
                        message="the bundle is encrypted: give its passphrase on standard input "
                        "with --passphrase-stdin",
                    )
                ]
            )
        try:
            with self.archive.open(info) as handle:
                return handle.read(limit + 1)
        except RuntimeError as error:
            if "password" in str(error).lower():
                raise ProblemsError(
                    [Problem(file=self.label, message="the passphrase is wrong for this bundle")]
                )
            raise ProblemsError([Problem(file=self.label, message=f"cannot be read: {error}")])
        except (
            pyzipper.BadZipFile,
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            NotImplementedError,
        ) as error:
            # An AES archive checks the passphrase against two bytes first, so a wrong one can
            # (one time in 65,536) get as far as the authentication code and fail there.
            hint = " (is the passphrase right?)" if info.flag_bits & 0x1 else ""
            raise ProblemsError(
                [Problem(file=self.label, message=f"damaged: {path} cannot be read{hint}: {error}")]
            )

    def close(self) -> None:
        self.archive.close()


@contextlib.contextmanager
def open_bundle(
    path: Path, *, passphrase: str | None = None, limits: Limits = LIMITS
) -> Iterator[Bundle]:
    """Open a bundle folder (or its review.yaml) or a .zip; problems raise ProblemsError."""
    if path.is_dir():
        bundle: Bundle = FolderBundle(path, limits)
    elif path.is_file() and path.name == YAML_NAME:
        bundle = FolderBundle(path.parent, limits)
    elif path.is_file():
        try:
            archive = pyzipper.AESZipFile(path)
        except (pyzipper.BadZipFile, zipfile.BadZipFile, OSError) as error:
            raise ProblemsError(
                [
                    Problem(
                        file=str(path),
                        message=f"not a bundle: neither a folder nor a readable .zip ({error})",
                    )
                ]
            )
        try:
            bundle = ZipBundle(path, archive, passphrase, limits)
        except BaseException:
            archive.close()
            raise
    else:
        raise ProblemsError([Problem(file=str(path), message="no such file or folder")])
    try:
        yield bundle
    finally:
        bundle.close()


def write_zip(*, output: Path, files: dict[str, bytes], passphrase: str | None = None) -> None:
    """Write `files` to a .zip at `output`, readable only by its owner, replacing it whole.

    With a passphrase the members are encrypted with AES-256 (the WinZip AES format, which 7-Zip
    and most archive tools open); member names are not encrypted, so must not hold personal data.
    """
    if not output.parent.is_dir():
        raise ProblemsError([Problem(file=str(output), message="the folder does not exist")])
    handle, temp_name = tempfile.mkstemp(dir=output.parent, prefix=".lantern-export-")
    temp = Path(temp_name)
    try:
        os.close(handle)
        temp.chmod(0o600)
        if passphrase is None:
            archive: zipfile.ZipFile = zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED)
        else:
            archive = pyzipper.AESZipFile(
                temp, "w", compression=zipfile.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
            )
            archive.setpassword(passphrase.encode("utf-8"))
            archive.setencryption(pyzipper.WZ_AES, nbits=256)
        with archive:
            for name, data in files.items():
                archive.writestr(name, data)
        os.replace(temp, output)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
