"""The virus-scanning hook: ClamAV's INSTREAM protocol over a real socket. ClamAV itself cannot
run here (its signatures are downloaded from the internet), so the tests start a small server
that speaks clamd's protocol and reports the EICAR test string as infected, as clamd does."""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from lantern.chronology.services import chronology_import
from lantern.core.uploads import UploadRefused, clamd_instream, scan_upload

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class _Clamd(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        command = b""
        while not command.endswith(b"\0"):
            command += self.request.recv(1)
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            (size,) = struct.unpack(">I", self._read(4))
            if size == 0:
                break
            data += self._read(size)
        self.server.scanned.append(data)  # type: ignore[attr-defined]
        verdict = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
        self.request.sendall(verdict)

    def _read(self, n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += self.request.recv(n - len(out))
        return out


@pytest.fixture
def clamd(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Clamd)
    server.scanned = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("LANTERN_CLAMAV", f"tcp://127.0.0.1:{server.server_address[1]}")
    yield server
    server.shutdown()
    server.server_close()


def test_clean_and_infected_files(clamd: Any) -> None:
    scan_upload(b"Date,What happened\n01/02/2021,Seen at home\n" * 5000, "police.csv")
    assert len(clamd.scanned[-1]) > 64 * 1024  # streamed in several chunks, all of it
    with pytest.raises(UploadRefused, match="police.xlsx: the virus scanner found Eicar"):
        scan_upload(b"PK\x03\x04" + EICAR, "police.xlsx")


def test_an_unreachable_scanner_refuses_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("LANTERN_CLAMAV", f"tcp://127.0.0.1:{port}")
    with pytest.raises(UploadRefused, match="could not be reached"):
        scan_upload(b"anything", "imr.pdf")


def test_without_a_scanner_nothing_is_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LANTERN_CLAMAV", raising=False)
    scan_upload(EICAR, "x.txt")  # not configured: accepted (docs/security.md says configure it)


def test_protocol_answer(clamd: Any) -> None:
    address = f"tcp://127.0.0.1:{clamd.server_address[1]}"
    assert clamd_instream(address, b"hello") == "stream: OK"


@pytest.mark.django_db
def test_an_infected_chronology_is_refused_and_nothing_stored(cast: Any, clamd: Any) -> None:
    from lantern.chronology.models import ChronologyEntry

    good = b"Date,What happened\n01/02/2021,Seen at home\n"
    result = chronology_import(
        review=cast.review,
        agency=cast.police,
        files=[("police.csv", good), ("extra.csv", good + EICAR)],
        by=cast.coordinator,
    )
    assert not result.stored
    assert [(p.file, p.message) for p in result.errors] == [
        ("extra.csv", "the virus scanner found Eicar-Test-Signature; the file was not stored")
    ]
    assert not ChronologyEntry.objects.filter(review=cast.review).exists()


@pytest.mark.django_db
def test_infected_evidence_and_imr_are_refused(cast: Any, clamd: Any) -> None:
    from django.core.exceptions import ValidationError

    from lantern.chronology.services_returns import imr_document_upload, imr_start
    from lantern.recommendations import services

    rec = services.recommendation_create(
        review=cast.review,
        by=cast.coordinator,
        number="1",
        kind="overarching",
        scope="local",
        text="Agencies to share risk information.",
    )
    action = services.action_create(
        recommendation=rec, by=cast.coordinator, description="Train staff", lead_agency=cast.police
    )
    with pytest.raises(ValidationError, match="virus scanner found"):
        services.evidence_add(
            action=action, by=cast.coordinator, filename="attendance.pdf", content=EICAR
        )
    assert not action.evidence.exists()
    imr = imr_start(review=cast.review, agency=cast.police, by=cast.agency_author)
    with pytest.raises(ValidationError, match="virus scanner found"):
        imr_document_upload(
            imr=imr, by=cast.agency_author, filename="imr.pdf", content=b"%PDF-1.7\n" + EICAR
        )
    assert not imr.documents.exists()


@pytest.mark.django_db
def test_an_infected_library_document_is_refused_and_the_rest_go_on(
    cast: Any, clamd: Any, tmp_path: Any
) -> None:
    from lantern.accounts.models import User
    from lantern.library.models import Document
    from lantern.library.services import ingest_paths

    (tmp_path / "clean.txt").write_text("Overview report. " * 200)
    (tmp_path / "bad.txt").write_bytes(b"Overview report. " * 20 + EICAR)
    report = ingest_paths(
        paths=[tmp_path], by=User.objects.system(), update_semantic=False, workers=1
    )
    outcomes = {r.file.rsplit("/", 1)[-1]: (r.status, r.reason) for r in report.results}
    assert outcomes["clean.txt"][0] == "stored"
    assert outcomes["bad.txt"][0] == "failed" and "virus scanner found" in outcomes["bad.txt"][1]
    assert Document.objects.count() == 1
