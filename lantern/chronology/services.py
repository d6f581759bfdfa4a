"""Writes of agencies' chronologies: the database side of the import pipeline.

`chronology_import` parses every file of one command (the pure `importer` package), and if no
file has an error stores them all in one transaction: the files kept whole, the entries with
their provenance and fingerprints, one audit record and one timeline event. A file with an error
refuses the whole command and nothing is stored.

Importing for an agency that already has imported entries replaces them, entry by entry:
an entry whose fingerprint (what the agency wrote, wherever the row sits) is unchanged is kept as
it is, with its analyst comment, flag, theme tags and edit history, and only its provenance moves
to the new file; entries no longer in the files are removed; new ones are added. So importing the
same file again changes nothing.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts.models import Organisation
from lantern.chronology.importer import ParsedFile, ParsedRow, PersonRef, parse_files
from lantern.chronology.importer.risk import DEFAULT_DASH_BANDS
from lantern.chronology.models import ChronologyEntry, ChronologyFile
from lantern.chronology.selectors import can_edit_agency
from lantern.core.errors import Problem
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.core.uploads import UploadRefused, scan_upload
from lantern.reviews.access import capabilities
from lantern.reviews.models import Person, Review, ReviewAgency, ReviewEvent

MAX_FILE_SIZE = 20 * 1024 * 1024
MAX_FILES = 50
MAX_TOTAL_SIZE = 200 * 1024 * 1024
BATCH_SIZE = 2000
_DELETE_CHUNK = 900  # ids per DELETE: under SQLite's variable limit on any build


@dataclass
class ImportResult:
    """What one import did, or why it stored nothing. The same shape for pages, API and CLI."""

    review: Review
    agency: Organisation
    stored: bool
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    files: list[ChronologyFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    agency_added: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced)

    def as_dict(self) -> dict[str, Any]:
        return {
            "review": self.review.reference,
            "agency": self.agency.name,
            "stored": self.stored,
            "added": self.added,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "problems": [
                {
                    "file": p.file,
                    "sheet": p.sheet,
                    "row": p.row,
                    "column": p.column,
                    "message": p.message,
                    "severity": p.severity,
                }
                for p in self.problems
            ],
        }


def dash_bands() -> tuple[tuple[int, str], ...]:
    """DASH score bands (configurable: `LANTERN["DASH_BANDS"]`, highest first)."""
    configured = settings.LANTERN.get("DASH_BANDS")
    if not configured:
        return DEFAULT_DASH_BANDS
    return tuple((int(lowest), str(level)) for lowest, level in configured)


def people_refs(review: Review) -> list[PersonRef]:
    """The review's people register, as the pure subject matcher reads it."""
    return [
        PersonRef(role=p.role, names=tuple(n for n in (p.real_name, p.pseudonym, *p.aliases) if n))
        for p in Person.objects.filter(review=review)
    ]


def _file_problems(files: Sequence[tuple[str, bytes]]) -> list[Problem]:
    problems: list[Problem] = []
    if not files:
        problems.append(Problem(file="", message=_("Choose at least one file to import.")))
    if len(files) > MAX_FILES:
        problems.append(
            Problem(
                file="",
                message=_("Import at most %(max)d files at a time.") % {"max": MAX_FILES},
            )
        )
    if sum(len(content) for _name, content in files) > MAX_TOTAL_SIZE:
        problems.append(
            Problem(
                file="",
                message=_("The files come to more than %(size)d MB: import them in smaller groups")
                % {"size": MAX_TOTAL_SIZE // (1024 * 1024)},
            )
        )
    names = [name for name, _content in files]
    for name, content in files:
        if len(content) > MAX_FILE_SIZE:
            problems.append(
                Problem(
                    file=name,
                    message=_("the file is larger than %(size)d MB")
                    % {"size": MAX_FILE_SIZE // (1024 * 1024)},
                )
            )
        if len(name) > ChronologyFile._meta.get_field("path").max_length:
            problems.append(Problem(file=name[:80] + "…", message=_("the file name is too long")))
    seen: set[str] = set()
    for name in names:
        if name in seen:
            problems.append(Problem(file=name, message=_("the same file name is given twice")))
        seen.add(name)
    return problems


def ensure_can_import(*, by: Any, review: Review, agency: Organisation) -> None:
    """404 for a non-member, 403 (recorded) for a member who may not change this agency's
    material. Callers may check before reading uploads; `chronology_import` checks again."""
    if not capabilities(user=by, review=review):
        raise Http404
    if not can_edit_agency(user=by, review=review, agency_id=agency.pk):
        audit_record(
            action=AuditEvent.Action.ACCESS_DENIED,
            by=by,
            review=review,
            object_type="chronology",
            object_id=str(agency.pk),
            summary=f"Refused: import a chronology for {agency.name}",
        )
        raise PermissionDenied


# Per-row values of a new entry, by field name; every other column takes its model default.
_ROW_FIELDS = (
    "sheet",
    "row",
    "date",
    "date_precision",
    "time",
    "source_record",
    "subject",
    "subject_text",
    "what_happened",
    "action_taken",
    "risk_assessment",
    "dash_level",
    "dash_score",
    "marac_referral",
    "mash_referral",
    "analyst_comment",
    "flag",
    "fingerprint",
)


def _row_values(row: ParsedRow) -> dict[str, Any]:
    return {
        "sheet": row.sheet[:100],
        "row": row.row,
        "date": row.date,
        "date_precision": row.date_precision,
        "time": row.time,
        "source_record": row.source_record,
        "subject": row.subject,
        "subject_text": row.subject_text,
        "what_happened": row.what_happened,
        "action_taken": row.action_taken,
        "risk_assessment": row.risk_assessment,
        "dash_level": row.dash_level,
        "dash_score": row.dash_score,
        "marac_referral": row.marac_referral,
        "mash_referral": row.mash_referral,
        "analyst_comment": row.analyst_comment,
        "flag": row.flag,
        "fingerprint": row.fingerprint,
    }


def _insert_entries(
    *, review: Review, agency: Organisation, rows: Sequence[tuple[ChronologyFile, ParsedRow]]
) -> int:
    """Insert new entries with one prepared INSERT run over all rows (`executemany`).

    Why not `bulk_create`: on SQLite Django caps a statement at 999 parameters (about 40
    entries) and prepares every value through the ORM, which made storing 100,000 entries take
    three times as long as reading them. The statement is built from the model's own fields, so a
    field added later is inserted with its default; dates and times are adapted by the database
    backend exactly as the ORM would.
    """
    if not rows:
        return 0
    now = timezone.now()
    constant: dict[str, Any] = {
        "review": review.pk,
        "agency": agency.pk,
        "created_at": now,
        "updated_at": now,
    }
    fields = [f for f in ChronologyEntry._meta.concrete_fields if not f.primary_key]
    columns: list[str] = []
    fixed: dict[str, Any] = {}
    adapters: dict[str, Any] = {}
    for model_field in fields:
        columns.append(connection.ops.quote_name(model_field.column))
        if model_field.name in _ROW_FIELDS or model_field.name == "source_file":
            if isinstance(model_field, models.DateTimeField):
                adapters[model_field.name] = connection.ops.adapt_datetimefield_value
            elif isinstance(model_field, models.DateField):
                adapters[model_field.name] = connection.ops.adapt_datefield_value
            elif isinstance(model_field, models.TimeField):
                adapters[model_field.name] = connection.ops.adapt_timefield_value
            continue
        name = model_field.name
        value = constant[name] if name in constant else model_field.get_default()
        fixed[model_field.name] = model_field.get_db_prep_save(value, connection)
    names = [f.name for f in fields]

    def values(source: ChronologyFile, row: ParsedRow) -> list[Any]:
        data = _row_values(row)
        data["source_file"] = source.pk
        for name, adapt in adapters.items():
            data[name] = adapt(data[name])
        return [data[name] if name in data else fixed[name] for name in names]

    # Table and column names come from the model and are quoted; values are parameters.
    table = connection.ops.quote_name(ChronologyEntry._meta.db_table)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, [values(f, r) for f, r in rows[start : start + BATCH_SIZE]])
    return len(rows)


def _move_entries(moved: Sequence[tuple[int, ChronologyFile, str, int]]) -> None:
    """Point unchanged entries at the file and row they now come from (one prepared UPDATE)."""
    if not moved:
        return
    meta = ChronologyEntry._meta
    table = connection.ops.quote_name(meta.db_table)
    source, sheet, row, pk = (
        connection.ops.quote_name(meta.get_field(name).column)
        for name in ("source_file", "sheet", "row", "id")
    )
    # Names come from the model and are quoted; values are parameters.
    sql = f"UPDATE {table} SET {source} = %s, {sheet} = %s, {row} = %s WHERE {pk} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(moved), BATCH_SIZE):
            cursor.executemany(
                sql,
                [(f.pk, s, r, i) for i, f, s, r in moved[start : start + BATCH_SIZE]],
            )


def entries_create(
    *, review: Review, agency: Organisation, source_file: ChronologyFile, rows: Iterable[ParsedRow]
) -> int:
    """Store new entries from one file (no checks, no audit: callers do both)."""
    return _insert_entries(review=review, agency=agency, rows=[(source_file, row) for row in rows])


def text_work_after_import(*, review: Review, agencies: Iterable[Organisation]) -> None:
    """Mark the agencies' entries as awaiting theme suggestions (the themes app queues the
    tagger) and queue the task storing their text notes, both once the transaction has
    committed (a task must not see uncommitted entries)."""
    from lantern.chronology.text_notes import text_notes_after_import
    from lantern.themes.services import tagging_mark_pending

    agencies = sorted(set(agencies), key=lambda a: a.pk)
    for agency in agencies:
        tagging_mark_pending(review=review, agency=agency)
    text_notes_after_import(review=review, agencies=agencies)


def _store(
    *,
    review: Review,
    agency: Organisation,
    parsed: list[ParsedFile],
    contents: list[bytes],
    by: Any,
    result: ImportResult,
) -> None:
    actor = by if getattr(by, "pk", None) else None
    existing_files = {
        f.sha256: f
        for f in ChronologyFile.objects.filter(review=review, agency=agency)
        .defer("content")
        .order_by("id")
    }
    position = (
        ChronologyFile.objects.filter(review=review)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
        or 0
    )
    stored_files: list[ChronologyFile] = []
    for one, content in zip(parsed, contents, strict=True):
        reused = existing_files.get(one.sha256)
        if reused is not None:
            stored_files.append(reused)
            continue
        position += 1
        stored_files.append(
            ChronologyFile.objects.create(
                review=review,
                agency=agency,
                path=one.name,
                content=content,
                sha256=one.sha256,
                size=one.size,
                uploaded_by=actor,
                position=position,
            )
        )
    result.files = stored_files

    # Earlier imported entries of this agency, by fingerprint, oldest first.
    earlier: dict[str, deque[tuple[int, int | None, str, int | None]]] = defaultdict(deque)
    for pk, fp, file_id, sheet, row in (
        ChronologyEntry.objects.filter(review=review, agency=agency, source_file__isnull=False)
        .order_by("id")
        .values_list("id", "fingerprint", "source_file_id", "sheet", "row")
    ):
        earlier[fp].append((pk, file_id, sheet, row))

    new_rows: list[tuple[ChronologyFile, ParsedRow]] = []
    moved: list[tuple[int, ChronologyFile, str, int]] = []
    for one, stored in zip(parsed, stored_files, strict=True):
        for row in one.rows:
            matches = earlier.get(row.fingerprint)
            if matches:
                pk, file_id, sheet, row_number = matches.popleft()
                result.unchanged += 1
                if (file_id, sheet, row_number) != (stored.pk, row.sheet[:100], row.row):
                    moved.append((pk, stored, row.sheet[:100], row.row))
            else:
                new_rows.append((stored, row))
    removed = [pk for queue in earlier.values() for pk, *_rest in queue]

    for start in range(0, len(removed), _DELETE_CHUNK):
        ChronologyEntry.objects.filter(pk__in=removed[start : start + _DELETE_CHUNK]).delete()
    _move_entries(moved)
    _insert_entries(review=review, agency=agency, rows=new_rows)
    result.added = len(new_rows)
    result.replaced = len(removed)


def chronology_import(
    *,
    review: Review,
    agency: Organisation,
    files: list[tuple[str, bytes]],
    by: Any,
    today: date | None = None,
) -> ImportResult:
    """Import one agency's chronology files, all or nothing.

    Raises Http404 (not a member) or PermissionDenied (may not edit this agency's material).
    Otherwise returns an ImportResult: `stored` is False, with the problems, when any file has
    an error; then nothing at all was written.
    """
    ensure_can_import(by=by, review=review, agency=agency)
    result = ImportResult(review=review, agency=agency, stored=False)
    result.problems = _file_problems(files)
    if result.errors:
        return result
    for name, content in files:
        try:
            scan_upload(content, name)
        except UploadRefused as refused:
            result.problems.append(Problem(file=name, message=refused.reason))
    if result.errors:
        return result
    parsed = parse_files(
        files,
        people=people_refs(review),
        today=today,
        dash_bands=dash_bands(),
        agency=agency.name,
    )
    result.problems = [p for one in parsed for p in one.problems]
    if result.errors:
        return result
    with transaction.atomic():
        # One import per review at a time (PostgreSQL; SQLite serialises writes anyway).
        Review.objects.select_for_update().filter(pk=review.pk).first()
        _, created = ReviewAgency.objects.get_or_create(
            review=review,
            organisation=agency,
            defaults={"position": ReviewAgency.objects.filter(review=review).count()},
        )
        result.agency_added = created
        _store(
            review=review,
            agency=agency,
            parsed=parsed,
            contents=[content for _name, content in files],
            by=by,
            result=result,
        )
        result.stored = True
        _record(review=review, agency=agency, by=by, result=result, parsed=parsed)
        if result.changed:
            text_work_after_import(review=review, agencies=[agency])
    return result


def _record(
    *, review: Review, agency: Organisation, by: Any, result: ImportResult, parsed: list[ParsedFile]
) -> None:
    """One audit record for the whole import, and a timeline event when something changed."""
    names = [one.name for one in parsed]
    # File names stay out of the summary: the timeline is shown to people (board members) who
    # never see agencies' material, and an agency may name a file after the person.
    summary = _(
        "Chronology imported for %(agency)s: %(added)d added, %(replaced)d replaced, "
        "%(unchanged)d unchanged"
    ) % {
        "agency": agency.name,
        "added": result.added,
        "replaced": result.replaced,
        "unchanged": result.unchanged,
    }
    data = {
        "agency_id": agency.pk,
        "agency": agency.name,
        "files": names,
        "sha256": [one.sha256 for one in parsed],
        "added": result.added,
        "replaced": result.replaced,
        "unchanged": result.unchanged,
        "warnings": len(result.warnings),
        "agency_added": result.agency_added,
    }
    if result.changed or result.agency_added:
        ReviewEvent.objects.create(
            review=review,
            by=by if getattr(by, "pk", None) else None,
            kind=ReviewEvent.Kind.IMPORTED,
            summary=summary[:500],
            data=data,
        )
    audit_record(
        action=AuditEvent.Action.IMPORT,
        by=by,
        review=review,
        object_type="chronology",
        object_id=str(agency.pk),
        summary=summary,
        data=data,
    )


def agency_for_import(
    *, review: Review, name: str = "", pk: int | None = None
) -> Organisation | None:
    """The agency named (exact name, any case) or numbered: one of the review's agencies, or an
    existing organisation (which the import then adds to the review). Never creates one."""
    queryset = Organisation.objects.exclude(type=Organisation.Type.CSP)
    if pk is not None:
        return queryset.filter(pk=pk).first()
    name = name.strip()
    if not name:
        return None
    on_review = queryset.filter(
        name__iexact=name, pk__in=ReviewAgency.objects.filter(review=review).values("organisation")
    ).first()
    return on_review or queryset.filter(name__iexact=name).first()
