"""Writes to the library: ingest (one file, a folder, an upload job), fact corrections,
re-extraction, and keeping the meaning index current. Each write is audited.

Ingest reads each file on its own: a file that cannot be read is reported by name with the
reason and the rest go on; the same document (the same bytes, or the same text in another
format) is stored once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.library import facts as factlib
from lantern.library import fulltext, semantic
from lantern.library.access import ensure_can_edit
from lantern.library.models import (
    Chunk,
    Document,
    DocumentRecommendation,
    DocumentTheme,
    FactCorrection,
    IngestJob,
    IngestUpload,
    SemanticIndex,
)

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {".txt", ".text", ".pdf", ".docx", ".html", ".htm"}
# Refit the meaning model when the library has grown by this share since it was fitted;
# until then new passages are encoded with the model as it is.
REFIT_GROWTH = 0.25
# Documents stored per transaction by `ingest_paths` (each is still all-or-nothing).
COMMIT_EVERY = 20


@dataclass
class FileResult:
    file: str
    status: str  # stored | duplicate | failed | skipped
    reason: str = ""
    document_id: int | None = None
    title: str = ""
    pages: int = 0
    words: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "reason": self.reason,
            "document": self.document_id,
            "title": self.title,
            "pages": self.pages,
            "words": self.words,
        }


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    semantic: dict[str, Any] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    def as_dict(self) -> dict[str, Any]:
        return {
            "stored": self.count("stored"),
            "duplicate": self.count("duplicate"),
            "failed": self.count("failed"),
            "skipped": self.count("skipped"),
            "files": [r.as_dict() for r in self.results],
            "semantic_index": self.semantic,
        }


# --- reading files ---------------------------------------------------------------------------


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """The files to read under `paths` (folders recursively, in name order), and results for
    paths that are missing or of a type the library does not read."""
    found: list[Path] = []
    results: list[FileResult] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    found.append(child)
                else:
                    results.append(
                        FileResult(
                            str(child),
                            "skipped",
                            f"{child.name}: not a document the library reads "
                            "(PDF, DOCX, HTML or plain text)",
                        )
                    )
        elif path.is_file():
            found.append(path)
        else:
            results.append(FileResult(str(path), "failed", f"{path}: no such file or folder"))
    return found, results


def page_offsets(pages: list[Any], text: str) -> list[tuple[int, int]]:
    """(page number, offset of the page's first character in `text`) for each page, where
    `text` is every page's paragraphs joined by blank lines."""
    offsets: list[tuple[int, int]] = []
    pos = 0
    emitted = False
    for page in pages:
        if not page.paragraphs:
            offsets.append((page.number, pos))
            continue
        start = pos + (2 if emitted else 0)
        first = page.paragraphs[0]
        if text[start : start + len(first)] != first:
            found = text.find(first, pos)
            start = found if found >= 0 else start
        offsets.append((page.number, start))
        pos = start + len("\n\n".join(page.paragraphs))
        emitted = True
    return offsets


def _title(extracted: Any, filename: str) -> str:
    if extracted.title and extracted.title.strip():
        return " ".join(extracted.title.split())[:500]
    for line in extracted.text.splitlines():
        if line.strip():
            return " ".join(line.split())[:200]
    return filename


def _evidence_dict(evidence: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, ev in (evidence or {}).items():
        if dataclasses.is_dataclass(ev):
            out[key] = dataclasses.asdict(ev)
        elif isinstance(ev, dict):
            out[key] = ev
    return out


def read_facts(text: str, offsets: list[tuple[int, int]], filename: str) -> dict[str, Any]:
    """The extractor's facts as stored: {"values": ..., "evidence": ...}."""
    from lantern.library.extract import extract_facts

    found = extract_facts(text, pages=offsets, filename=filename)
    return {
        "values": factlib.normalise_extracted(found.values),
        "evidence": _evidence_dict(found.evidence),
    }


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Reading:
    """What was read from one file, before anything is stored (picklable: the ingest reads
    files in worker processes)."""

    filename: str
    sha: str
    text_sha: str
    format: str
    title: str
    pages: list[tuple[int, str]]
    words: int
    facts: dict[str, Any]
    chunks: list[tuple[int, str]] = field(default_factory=list)  # (page, passage)


def read_document(data: bytes, filename: str) -> Reading | FileResult:
    """Text with pages and facts of one file, or a failed result naming it and saying why.
    Touches no database; never raises for a bad file."""
    from lantern.core.textextract import TextExtractionError, extract_text
    from lantern.core.uploads import UploadRefused, scan_upload

    name = Path(filename).name
    sha = _sha(data)
    try:
        scan_upload(data, name)
    except UploadRefused as refused:
        return FileResult(filename, "failed", str(refused))
    try:
        extracted = extract_text(data, filename=name)
    except TextExtractionError as error:
        return FileResult(filename, "failed", str(error))
    except Exception as error:  # a reader library choking on a damaged file
        log.warning("library ingest: %s could not be read", name, exc_info=True)
        return FileResult(filename, "failed", f"{name}: could not be read ({error})")
    text = fulltext.strip_marks(extracted.text)
    if not text.strip():
        return FileResult(
            filename, "failed", f"{name}: no text found (a scanned image needs OCR first)"
        )
    try:
        facts = read_facts(text, page_offsets(extracted.pages, extracted.text), name)
    except Exception as error:
        log.warning("library ingest: facts of %s could not be read", name, exc_info=True)
        return FileResult(filename, "failed", f"{name}: facts could not be read ({error})")
    pages = [
        (page.number, fulltext.strip_marks("\n\n".join(page.paragraphs)))
        for page in extracted.pages
    ]
    return Reading(
        filename=filename,
        sha=sha,
        text_sha=_sha(" ".join(text.split()).encode()),
        format=extracted.format,
        title=_title(extracted, name),
        pages=pages,
        words=len(text.split()),
        facts=facts,
        chunks=[(n, piece) for n, page_text in pages for piece in semantic.chunk_text(page_text)],
    )


def _read_path(path: str) -> Reading | FileResult:
    """One file from disk (run in a worker process by `ingest_paths`)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return FileResult(path, "failed", f"{Path(path).name}: {error.strerror or error}")
    return read_document(data, path)


class Known:
    """The hashes already in the library (and those stored during this ingest), so that a
    duplicate costs no query."""

    def __init__(self) -> None:
        self.by_sha: dict[str, tuple[int, str, str]] = {}
        self.by_text: dict[str, tuple[int, str, str]] = {}
        for pk, sha, text_sha, filename, title in Document.objects.values_list(
            "id", "sha256", "text_sha256", "filename", "title"
        ):
            self.add(pk, sha, text_sha, filename, title)

    def add(self, pk: int, sha: str, text_sha: str, filename: str, title: str) -> None:
        self.by_sha[sha] = self.by_text[text_sha] = (pk, filename, title or filename)

    def duplicate(self, filename: str, sha: str, text_sha: str | None = None) -> FileResult | None:
        found = self.by_sha.get(sha) or (self.by_text.get(text_sha) if text_sha else None)
        if found is None:
            return None
        pk, original, title = found
        return FileResult(
            filename,
            "duplicate",
            f"{Path(filename).name}: already in the library as “{original}”",
            document_id=pk,
            title=title,
        )


def store_reading(
    reading: Reading,
    *,
    by: Any,
    source_note: str = "",
    data: bytes | None = None,
    known: Known | None = None,
) -> FileResult:
    """Store what was read, unless the same document is already in the library."""
    known = known or Known()
    duplicate = known.duplicate(reading.filename, reading.sha, reading.text_sha)
    if duplicate is not None:
        return duplicate
    name = Path(reading.filename).name
    try:
        with transaction.atomic():
            document = Document(
                sha256=reading.sha,
                text_sha256=reading.text_sha,
                filename=name[:300],
                title=reading.title,
                format=reading.format,
                words=reading.words,
                pages_count=len(reading.pages),
                source_note=source_note[:500],
                original=data,
                ingested_by=by if getattr(by, "pk", None) else None,
                extracted=reading.facts,
                extracted_at=timezone.now(),
            )
            factlib.apply_to_columns(document, factlib.effective(reading.facts["values"], {}))
            document.save()
            # Prepared INSERTs run through executemany: pages and passages are many, and model
            # instances would cost more than the rows (as for chronology entries, decision 0005).
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO library_page (document_id, number, text) VALUES (%s, %s, %s)",
                    [(document.pk, n, t) for n, t in reading.pages],
                )
                cursor.executemany(
                    "INSERT INTO library_chunk (document_id, page, position, text, index_version) "
                    "VALUES (%s, %s, %s, %s, 0)",
                    [(document.pk, n, i, t) for i, (n, t) in enumerate(reading.chunks)],
                )
            _write_rows(document, new=True)
            audit_record(
                action=AuditEvent.Action.IMPORT,
                by=by,
                obj=document,
                object_type="library document",
                summary=f"Added {name} to the library",
                data={"sha256": reading.sha, "pages": len(reading.pages), "words": reading.words},
            )
    except IntegrityError:  # stored meanwhile by another ingest
        duplicate = Known().duplicate(reading.filename, reading.sha, reading.text_sha)
        if duplicate is None:
            raise
        return duplicate
    known.add(document.pk, reading.sha, reading.text_sha, document.filename, document.title)
    return FileResult(
        reading.filename,
        "stored",
        document_id=document.pk,
        title=document.display_title,
        pages=len(reading.pages),
        words=reading.words,
    )


def document_ingest(
    *,
    data: bytes,
    filename: str,
    by: Any,
    source_note: str = "",
    keep_original: bool = True,
    known: Known | None = None,
) -> FileResult:
    """Read one file into the library; never raises for a bad file (the result says why)."""
    known = known or Known()
    duplicate = known.duplicate(filename, _sha(data))
    if duplicate is not None:
        return duplicate
    reading = read_document(data, filename)
    if isinstance(reading, FileResult):
        return reading
    return store_reading(
        reading,
        by=by,
        source_note=source_note,
        data=data if keep_original else None,
        known=known,
    )


def _write_rows(document: Document, *, new: bool = False) -> None:
    """The effective themes and recommendations as rows to filter and count."""
    if not new:
        DocumentTheme.objects.filter(document=document).delete()
        DocumentRecommendation.objects.filter(document=document).delete()
    values = document.facts
    DocumentTheme.objects.bulk_create(
        [DocumentTheme(document=document, theme=t) for t in values.get("themes") or []]
    )
    DocumentRecommendation.objects.bulk_create(
        [
            DocumentRecommendation(
                document=document,
                position=i,
                text=r.get("text", ""),
                addressee=r.get("addressee", ""),
                theme=r.get("theme", ""),
                kind=r.get("kind", ""),
            )
            for i, r in enumerate(values.get("recommendations") or [])
        ]
    )


def ingest_workers(files: int) -> int:
    """Processes that read files in parallel: LANTERN_LIBRARY_INGEST_WORKERS, by default one
    per core (at most 4), and none for a handful of files."""
    from django.conf import settings

    configured = getattr(settings, "LANTERN_LIBRARY_INGEST_WORKERS", None)
    wanted = int(configured) if configured is not None else min(4, os.cpu_count() or 1)
    return wanted if wanted > 1 and files >= 8 else 1


def _readings(paths: list[Path], workers: int) -> Iterator[Reading | FileResult]:
    """Each file's reading, in order; read by worker processes when `workers` > 1 (forked:
    they read files and text only, never the database)."""
    if workers <= 1:
        for path in paths:
            yield _read_path(str(path))
        return
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        yield from pool.imap(_read_path, [str(p) for p in paths], chunksize=2)


def ingest_paths(
    *,
    paths: list[Path],
    by: Any,
    source_note: str = "",
    progress: Callable[[int, int, FileResult], None] | None = None,
    update_semantic: bool = True,
    keep_original: bool = True,
    workers: int | None = None,
) -> IngestReport:
    """Ingest files and folders; every file is tried, whatever happened to the others."""
    ensure_can_edit(by)
    files, report_results = collect_files(paths)
    report = IngestReport(results=list(report_results))
    total = len(files)
    known = Known()
    workers = ingest_workers(total) if workers is None else workers
    batch = transaction.atomic()  # commit every few documents, not after each one
    batch.__enter__()
    try:
        for index, (path, reading) in enumerate(
            zip(files, _readings(files, workers), strict=True), 1
        ):
            if isinstance(reading, FileResult):
                result = reading
            else:
                data = path.read_bytes() if keep_original else None
                result = store_reading(
                    reading, by=by, source_note=source_note, data=data, known=known
                )
            result.file = str(path)
            report.results.append(result)
            if index % COMMIT_EVERY == 0:
                batch.__exit__(None, None, None)
                batch = transaction.atomic()
                batch.__enter__()
            if progress is not None:
                progress(index, total, result)
    except BaseException:
        batch.__exit__(*sys.exc_info())
        raise
    batch.__exit__(None, None, None)
    if update_semantic and report.count("stored"):
        report.semantic = semantic_update()
    return report


# --- the upload job (the ingest page) --------------------------------------------------------


@transaction.atomic
def ingest_job_create(
    *, files: list[tuple[str, bytes]], by: Any, source_note: str = ""
) -> IngestJob:
    """Keep uploaded files and queue a task to read them."""
    ensure_can_edit(by)
    job = IngestJob.objects.create(created_by=by, source_note=source_note[:500], total=len(files))
    IngestUpload.objects.bulk_create(
        [
            IngestUpload(job=job, filename=Path(name).name[:300], data=data, position=i)
            for i, (name, data) in enumerate(files)
        ]
    )
    audit_record(
        action=AuditEvent.Action.IMPORT,
        by=by,
        obj=job,
        object_type="library ingest",
        summary=f"Uploaded {len(files)} file(s) to the library",
        data={"files": [Path(n).name for n, _d in files]},
    )
    job_id = job.pk

    def _queue() -> None:
        from lantern.library.tasks import run_ingest_job

        run_ingest_job.enqueue(job_id=job_id)

    transaction.on_commit(_queue)
    return job


def ingest_job_run(*, job: IngestJob) -> IngestJob:
    """Read a job's files one at a time, recording progress after each."""
    by = job.created_by
    job.status = IngestJob.Status.RUNNING
    job.save(update_fields=["status"])
    stored = 0
    known = Known()
    for upload in job.uploads.order_by("position"):
        result = document_ingest(
            data=bytes(upload.data),
            filename=upload.filename,
            by=by,
            source_note=job.source_note,
            known=known,
        )
        stored += result.status == "stored"
        job.results = [*job.results, result.as_dict()]
        job.done += 1
        job.save(update_fields=["results", "done"])
        upload.delete()
    if stored:
        job.results = [*job.results]
        semantic_update()
    job.status = IngestJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at", "results"])
    return job


# --- facts: corrections and re-extraction ----------------------------------------------------


def _corrections(document: Document) -> dict[str, Any]:
    latest: dict[str, Any] = {}
    for c in FactCorrection.objects.filter(document=document).order_by("at", "id"):
        latest[c.field] = c.value
    return latest


def _refresh_effective(document: Document) -> None:
    values = factlib.effective(document.extracted.get("values", {}), _corrections(document))
    factlib.apply_to_columns(document, values)
    document.save()
    _write_rows(document)


@transaction.atomic
def fact_correct(
    *,
    document: Document,
    field: str,
    value: Any,
    by: Any,
    note: str = "",
    confirm: bool = False,
) -> FactCorrection:
    """Confirm a fact as it stands (`confirm`) or set it to `value`. Either way the value is
    kept and wins over the extraction, now and after any re-extraction."""
    ensure_can_edit(by)
    if confirm:
        cleaned = factlib.clean_fact(field, document.facts.get(field))
    else:
        cleaned = factlib.clean_fact(field, value)
    previous = document.facts.get(field)
    correction = FactCorrection.objects.create(
        document=document,
        field=field,
        kind=FactCorrection.Kind.CONFIRM if confirm else FactCorrection.Kind.CORRECT,
        value=cleaned,
        note=note[:2000],
        by=by if getattr(by, "pk", None) else None,
    )
    _refresh_effective(document)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        by=by,
        obj=document,
        object_type="library document",
        summary=f"{'Confirmed' if confirm else 'Corrected'} {field} of {document.filename}",
        data={"field": field, "was": previous, "now": cleaned},
    )
    return correction


def document_reextract(*, document: Document, by: Any) -> Document:
    """Read the facts again from the stored text; corrections still win."""
    ensure_can_edit(by)
    pages = list(document.pages.order_by("number").values_list("number", "text"))
    text_parts, offsets, pos = [], [], 0
    for number, text in pages:
        if text_parts and text:
            pos += 2
        offsets.append((number, pos))
        if text:
            text_parts.append(text)
            pos += len(text)
    text = "\n\n".join(text_parts)
    with transaction.atomic():
        document.extracted = read_facts(text, offsets, document.filename)
        document.extracted_at = timezone.now()
        _refresh_effective(document)
        audit_record(
            action=AuditEvent.Action.UPDATE,
            by=by,
            obj=document,
            object_type="library document",
            summary=f"Read the facts of {document.filename} again",
        )
    return document


# --- the meaning index -----------------------------------------------------------------------


def _encoder(index: SemanticIndex) -> Any:
    if index.kind == "minilm":
        return semantic.MiniLmModel()
    return semantic.LsaModel(
        vocabulary=index.vocabulary,
        idf=semantic.from_bytes(index.idf),
        components=semantic.from_bytes(index.components),
    )


def current_index() -> SemanticIndex | None:
    return SemanticIndex.objects.order_by("-version").first()


def _store_vectors(index: SemanticIndex, encoder: Any, chunk_ids: list[int]) -> int:
    done = 0
    for start in range(0, len(chunk_ids), 2000):
        ids = chunk_ids[start : start + 2000]
        texts = dict(Chunk.objects.filter(pk__in=ids).values_list("id", "text"))
        order = [i for i in ids if i in texts]
        vectors = encoder.encode([texts[i] for i in order])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE library_chunk SET vector = %s, index_version = %s WHERE id = %s",
                [
                    (semantic.vector_bytes(v), index.version, i)
                    for i, v in zip(order, vectors, strict=True)
                ],
            )
            SemanticIndex.objects.filter(pk=index.pk).update(encoded=F("encoded") + len(order))
        done += len(order)
    return done


def semantic_refit(*, use_minilm: bool | None = None) -> dict[str, Any]:
    """Fit the meaning model over every passage in the library and encode them all."""
    from django.conf import settings

    started = timezone.now()
    total = Chunk.objects.count()
    if use_minilm is None:
        wanted = getattr(settings, "LANTERN_LIBRARY_EMBEDDINGS", "auto")
        use_minilm = wanted == "minilm" or (wanted == "auto" and semantic.minilm_available())
    previous = current_index()
    version = (previous.version + 1) if previous else 1
    if use_minilm:
        index = SemanticIndex(kind="minilm", version=version, chunks_fitted=total)
        encoder: Any = semantic.MiniLmModel()
    else:
        # Fit on at most 30,000 passages spread over the library; encode every one.
        step = max(1, total // 30000)
        ids = list(Chunk.objects.order_by("id").values_list("id", flat=True))[::step]
        texts = []
        for start in range(0, len(ids), 5000):
            batch = dict(
                Chunk.objects.filter(pk__in=ids[start : start + 5000]).values_list("id", "text")
            )
            texts.extend(batch[i] for i in ids[start : start + 5000] if i in batch)
        model = semantic.fit(texts)
        index = SemanticIndex(
            kind="lsa",
            version=version,
            chunks_fitted=total,
            vocabulary=model.vocabulary,
            idf=semantic.to_bytes(model.idf),
            components=semantic.to_bytes(model.components),
            config={"dimensions": model.dimensions},
        )
        encoder = model
    index.save()
    encoded = _store_vectors(index, encoder, list(Chunk.objects.values_list("id", flat=True)))
    SemanticIndex.objects.filter(version__lt=index.version).delete()
    return {
        "action": "refit",
        "kind": index.kind,
        "version": index.version,
        "passages": encoded,
        "seconds": round((timezone.now() - started).total_seconds(), 2),
    }


def semantic_update() -> dict[str, Any]:
    """Encode passages added since the model was fitted, or refit when the library has grown
    by a quarter or more (or has no model yet)."""
    index = current_index()
    total = Chunk.objects.count()
    if total == 0:
        return {"action": "none", "passages": 0}
    if index is None or total >= index.chunks_fitted * (1 + REFIT_GROWTH):
        return semantic_refit()
    pending = list(Chunk.objects.exclude(index_version=index.version).values_list("id", flat=True))
    started = timezone.now()
    encoded = _store_vectors(index, _encoder(index), pending) if pending else 0
    return {
        "action": "encode",
        "kind": index.kind,
        "version": index.version,
        "passages": encoded,
        "seconds": round((timezone.now() - started).total_seconds(), 2),
    }
