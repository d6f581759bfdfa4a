"""Storing what the analysis reads in each entry's text (`lantern.chronology.analysis.notes`).

After an import the `work_out_text_notes` task stores every new entry's notes; an edit to an
entry's text stores its new notes at once. The analysis uses stored notes whose key is current
and reads the text of any other entry itself, so until the task has run (or after the code's
text rules or a partnership's wording settings change) it is as right as before, only slower.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from lantern.accounts.models import Organisation, User
from lantern.chronology.analysis import Rules
from lantern.chronology.analysis.notes import encode, notes_for, notes_key
from lantern.chronology.models import ChronologyEntry
from lantern.core.collector import raw_rows
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.models import Review

BATCH_SIZE = 2000


def analysis_rules() -> Rules:
    """The rules in force: `LANTERN["ANALYSIS"]` over the defaults of `Rules`."""
    return Rules.from_mapping(getattr(settings, "LANTERN", {}).get("ANALYSIS"))


def current_notes_key() -> str:
    return notes_key(analysis_rules())


def entry_notes(*, what: str, action: str, risk: str) -> tuple[str | None, str]:
    """The stored form of one entry's notes and their key, for a write that changes its text."""
    rules = analysis_rules()
    return encode(notes_for(what, action, risk, rules)), notes_key(rules)


def text_notes_refresh(
    *, review: Review, agency: Organisation | None = None, by: Any = None
) -> int:
    """Work out and store the notes of `review`'s entries (of `agency`, if given) whose notes are
    missing or under another key; returns how many entries it read (each written, unless edited
    meanwhile; audited as one event when there were any)."""
    rules = analysis_rules()
    key = notes_key(rules)
    stale = ChronologyEntry.objects.filter(review=review).exclude(text_notes_key=key).order_by()
    if agency is not None:
        stale = stale.filter(agency=agency)
    rows = raw_rows(stale, ("id", "version", "what_happened", "action_taken", "risk_assessment"))
    if not rows:
        return 0
    seen: dict[tuple[str, str, str], str | None] = {}  # standard phrases: each text read once
    values = []
    for entry_id, version, what, action, risk in rows:
        found = (what, action or "", risk or "")
        if found not in seen:
            seen[found] = encode(notes_for(*found, rules))
        values.append((seen[found], key, entry_id, version))
    _write(values)
    audit_record(
        action=AuditEvent.Action.UPDATE,
        by=by if by is not None else User.objects.system(),
        review=review,
        object_type="chronology text notes",
        object_id=str(agency.pk) if agency is not None else "",
        summary=(
            f"Stored what the analysis reads in the text of {len(values)} chronology "
            f"entries ({agency.name if agency is not None else 'every agency'}; notes {key})"
        ),
        data={"entries": len(values), "agency": agency.pk if agency else None, "key": key},
    )
    return len(values)


@transaction.atomic
def _write(values: list[tuple[str | None, str, int, int]]) -> None:
    """One prepared UPDATE run over the rows, in batches (as the import inserts them). An entry
    edited since it was read (another version) is left alone: the edit stored its own notes."""
    table = connection.ops.quote_name(ChronologyEntry._meta.db_table)
    notes = connection.ops.quote_name("text_notes")
    key = connection.ops.quote_name("text_notes_key")
    pk = connection.ops.quote_name("id")
    version = connection.ops.quote_name("version")
    # Table and column names come from the model and are quoted; values are parameters.
    sql = (
        f"UPDATE {table} SET {notes} = %s, {key} = %s "  # noqa: S608
        f"WHERE {pk} = %s AND {version} = %s"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH_SIZE):
            cursor.executemany(sql, values[start : start + BATCH_SIZE])


def text_notes_after_import(*, review: Review, agencies: Iterable[Organisation]) -> None:
    """Queue the task storing the notes of the agencies' new entries, once the transaction has
    committed (a task must not see uncommitted entries)."""
    from lantern.chronology.tasks import work_out_text_notes

    review_id = review.pk
    for agency_id in sorted({a.pk for a in agencies}):
        transaction.on_commit(
            lambda a=agency_id: work_out_text_notes.enqueue(review_id=review_id, agency_id=a),
            robust=True,  # a queue failure must not undo the import; the analysis catches up
        )
