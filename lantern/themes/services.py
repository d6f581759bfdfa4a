"""Theme suggestions and decisions on chronology entries.

Suggestions come from the offline tagger (`themes/tagger/`). They are kept apart from a person's
decisions: a tag is `suggested` until someone confirms or rejects it, and the tagger never
touches a confirmed or rejected tag. When an agency's entries change, `tagging_mark_pending`
queues the `suggest_themes` task; the analysis calls `suggestions_complete` first, so it never
works from half-tagged entries.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Max, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts.models import Organisation, User
from lantern.chronology.models import ChronologyEntry, TaggingState, ThemeTag
from lantern.chronology.selectors import agency_ids_visible
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.access import Cap, ensure_can
from lantern.reviews.models import Review
from lantern.themes.selectors import entry_theme_codes, top_level_themes_by_entry
from lantern.themes.tagger.tag import TAGGER_VERSION, suggest
from lantern.themes.vocabulary import load_vocabulary

__all__ = [
    "entry_text",
    "entry_theme_codes",
    "suggest_for",
    "suggestions_complete",
    "tagging_mark_pending",
    "theme_tag_add",
    "theme_tag_decide",
    "top_level_themes_by_entry",
]

TAGGER = "tagger"
PERSON = "person"
BATCH = 500


def entry_text(entry: ChronologyEntry) -> str:
    """The text the tagger reads: what happened, the action taken and the risk assessment, with
    the structured DASH and MARAC fields written out."""
    parts = [entry.what_happened, entry.action_taken, entry.risk_assessment]
    if entry.dash_level or entry.dash_score is not None:
        score = f" {entry.dash_score}/24" if entry.dash_score is not None else ""
        parts.append(f"DASH risk assessment: {entry.dash_level or 'graded'}{score}.")
    if entry.marac_referral:
        parts.append("MARAC referral made.")
    return "\n".join(p.strip() for p in parts if p and p.strip())


def tagging_mark_pending(
    *, review: Review, agency: Organisation, enqueue: bool = True
) -> TaggingState:
    """Record that `agency`'s entries on `review` need (new) suggestions, and queue the task
    that makes them once the current transaction commits. Call it after an import or an edit."""
    state, _created = TaggingState.objects.update_or_create(
        review=review,
        agency=agency,
        defaults={"pending": True, "updated_at": timezone.now()},
    )
    if enqueue:
        from lantern.themes.tasks import suggest_themes

        review_id, agency_id = review.pk, agency.pk
        transaction.on_commit(
            lambda: suggest_themes.enqueue(review_id=review_id, agency_id=agency_id),
            robust=True,  # a queue failure must not undo the import; the analysis catches up
        )
    return state


def _changed_since(state: TaggingState) -> Q:
    return Q(created_at__gt=state.updated_at) | Q(updated_at__gt=state.updated_at)


def _agencies_needing_suggestions(review: Review) -> list[int]:
    """Agencies with entries never tagged, marked pending, tagged by another tagger version, or
    with entries created or edited since they were last tagged."""
    states = {s.agency_id: s for s in TaggingState.objects.filter(review=review)}
    entries = ChronologyEntry.objects.filter(review=review).order_by()  # no join for ordering
    due = {a for a, s in states.items() if s.pending or s.tagger_version != TAGGER_VERSION}
    due |= set(entries.exclude(agency_id__in=states).values_list("agency_id", flat=True).distinct())
    # Entries created or edited since the agency was last tagged: one grouped query rather than
    # one per agency.
    latest = entries.filter(agency_id__in=[a for a in states if a not in due]).values_list(
        "agency_id"
    )
    for agency_id, created, updated in latest.annotate(Max("created_at"), Max("updated_at")):
        changed_at = states[agency_id].updated_at
        if (created is not None and created > changed_at) or (
            updated is not None and updated > changed_at
        ):
            due.add(agency_id)
    return sorted(due)


def suggest_for(
    *,
    review: Review,
    agency: Organisation | None = None,
    by: Any = None,
    refresh: bool = False,
) -> int:
    """Create the tagger's suggestions for `review`'s entries (of `agency`, or of every agency)
    and return how many were created.

    An agency marked pending, last tagged by another tagger version, or asked to `refresh`, has
    all its entries read again; otherwise only entries created or edited since it was last
    tagged. For each entry read, suggestions the tagger no longer makes are withdrawn and new
    ones added. Confirmed and rejected tags are never changed. Running it twice creates nothing
    the second time.
    """
    if by is not None and not getattr(by, "is_system", False):
        ensure_can(user=by, review=review, need=Cap.EDIT_ANALYSIS)
    if agency is not None:
        agency_ids = [agency.pk]
    else:
        entries = ChronologyEntry.objects.filter(review=review)
        states = TaggingState.objects.filter(review=review)
        agency_ids = sorted(
            set(entries.values_list("agency_id", flat=True))
            | set(states.values_list("agency_id", flat=True))
        )
    return sum(
        _suggest_for_agency(review=review, agency_id=a, by=by, refresh=refresh) for a in agency_ids
    )


@transaction.atomic
def _suggest_for_agency(*, review: Review, agency_id: int, by: Any, refresh: bool = False) -> int:
    state, created = TaggingState.objects.get_or_create(review=review, agency_id=agency_id)
    # Lock the state row so that the task and an analysis run do not tag the same entries.
    state = TaggingState.objects.select_for_update().get(pk=state.pk)
    started = timezone.now()  # entries changed from now on are read next time
    refresh = refresh or created or state.pending or state.tagger_version != TAGGER_VERSION
    entries = ChronologyEntry.objects.filter(review=review, agency_id=agency_id)
    if not refresh:
        entries = entries.filter(_changed_since(state))
    entries = entries.only(
        "id",
        "what_happened",
        "action_taken",
        "risk_assessment",
        "dash_level",
        "dash_score",
        "marac_referral",
    ).order_by("id")
    totals = [0, 0, 0]  # created, withdrawn, rescored
    read = 0
    # The tagger is deterministic, so identical texts (chronologies repeat standard phrases) are
    # tagged once per call.
    seen: dict[str, dict[str, float]] = {}
    batch: list[ChronologyEntry] = []
    for entry in entries.iterator(chunk_size=BATCH):
        batch.append(entry)
        if len(batch) == BATCH:
            totals = [a + b for a, b in zip(totals, _suggest_batch(batch, seen), strict=True)]
            read += len(batch)
            batch = []
    if batch:
        totals = [a + b for a, b in zip(totals, _suggest_batch(batch, seen), strict=True)]
        read += len(batch)
    state.pending = False
    state.tagger_version = TAGGER_VERSION
    state.updated_at = started
    state.save(update_fields=["pending", "tagger_version", "updated_at"])
    created, removed, rescored = totals
    if any(totals):
        name = Organisation.objects.filter(pk=agency_id).values_list("name", flat=True).first()
        audit_record(
            action=AuditEvent.Action.CREATE,
            by=by if by is not None else User.objects.system(),
            review=review,
            object_type="theme suggestions",
            object_id=str(agency_id),
            summary=(
                f"Theme suggestions for {name}'s chronology: {created} added, {removed} "
                f"withdrawn, {rescored} rescored ({read} entries read, tagger {TAGGER_VERSION})"
            ),
            data={
                "agency_id": agency_id,
                "entries_read": read,
                "created": created,
                "removed": removed,
                "rescored": rescored,
                "tagger_version": TAGGER_VERSION,
            },
        )
    return created


def _suggest_batch(
    entries: list[ChronologyEntry], seen: dict[str, dict[str, float]] | None = None
) -> tuple[int, int, int]:
    seen = {} if seen is None else seen
    existing: dict[int, dict[str, ThemeTag]] = {}
    for tag in ThemeTag.objects.filter(entry__in=entries):
        existing.setdefault(tag.entry_id, {})[tag.theme] = tag
    to_create: list[tuple[int, str, float]] = []
    to_rescore: list[ThemeTag] = []
    to_remove: list[int] = []
    for entry in entries:
        text = entry_text(entry)
        found = seen.get(text)
        if found is None:
            found = seen[text] = {s.code: s.score for s in suggest(text)}
        tags = existing.get(entry.pk, {})
        for code, score in found.items():
            tag = tags.get(code)
            if tag is None:
                to_create.append((entry.pk, code, score))
            elif tag.status == ThemeTag.Status.SUGGESTED and tag.score != score:
                tag.score = score
                to_rescore.append(tag)
        for code, tag in tags.items():
            if (
                code not in found
                and tag.status == ThemeTag.Status.SUGGESTED
                and tag.source == TAGGER
            ):
                to_remove.append(tag.pk)
    _insert_suggestions(to_create)
    if to_rescore:
        ThemeTag.objects.bulk_update(to_rescore, ["score"], batch_size=BATCH)
    if to_remove:
        ThemeTag.objects.filter(pk__in=to_remove, status=ThemeTag.Status.SUGGESTED).delete()
    return len(to_create), len(to_remove), len(to_rescore)


def _insert_suggestions(rows: list[tuple[int, str, float]]) -> None:
    """Insert new suggestions (entry id, theme, score) with one prepared INSERT run through
    `executemany`, as the import stores entries: `bulk_create` prepares every value through the
    ORM and, on SQLite, splits the rows into statements of about 140. The statement is built
    from the model's own fields, so a field added later is inserted with its default."""
    if not rows:
        return
    connection = connections[router.db_for_write(ThemeTag)]
    fields = [f for f in ThemeTag._meta.concrete_fields if not f.primary_key]
    given = ("entry", "theme", "score")
    fixed = {
        "status": ThemeTag.Status.SUGGESTED.value,
        "source": TAGGER,
    }
    columns: list[str] = []
    slots: list[int | Any] = []  # an index into the row, or a prepared constant
    for model_field in fields:
        columns.append(connection.ops.quote_name(model_field.column))
        if model_field.name in given:
            slots.append(given.index(model_field.name))
        else:
            value = fixed.get(model_field.name, model_field.get_default())
            slots.append(_Const(model_field.get_db_prep_save(value, connection)))
    # Table and column names come from the model and are quoted; values are parameters.
    table = connection.ops.quote_name(ThemeTag._meta.db_table)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [[s.value if isinstance(s, _Const) else row[s] for s in slots] for row in rows],
        )


class _Const:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def suggestions_complete(*, review: Review, by: Any = None) -> int:
    """Make every suggestion still due on `review` now, in this process. The analysis calls
    this first, so that it never reads half-tagged entries; `by` is whoever started it (the
    caller has checked their access). Returns how many suggestions were created."""
    return sum(
        _suggest_for_agency(review=review, agency_id=agency_id, by=by)
        for agency_id in _agencies_needing_suggestions(review)
    )


def _ensure_can_decide(*, user: Any, entry: ChronologyEntry) -> Review:
    review = entry.review
    caps = ensure_can(user=user, review=review, need=Cap.EDIT_ANALYSIS)
    review.viewer_caps = caps  # type: ignore[attr-defined]
    visible = agency_ids_visible(user=user, review=review)
    if visible is not None and entry.agency_id not in visible:
        raise Http404
    return review


@transaction.atomic
def theme_tag_decide(*, tag: ThemeTag, by: Any, status: str) -> ThemeTag:
    """A person confirms or rejects a tag (a suggestion, or a tag someone added)."""
    if status not in (ThemeTag.Status.CONFIRMED, ThemeTag.Status.REJECTED):
        raise ValidationError(
            {"status": _("Choose “confirmed” or “rejected”.")}, code="invalid_status"
        )
    tag = ThemeTag.objects.select_for_update().get(pk=tag.pk)
    entry = ChronologyEntry.objects.select_related("review").get(pk=tag.entry_id)
    review = _ensure_can_decide(user=by, entry=entry)
    before = tag.status
    tag.status = status
    tag.decided_by = by if getattr(by, "pk", None) else None
    tag.decided_at = timezone.now()
    tag.save(update_fields=["status", "decided_by", "decided_at"])
    verb = "Confirmed" if status == ThemeTag.Status.CONFIRMED else "Rejected"
    audit_record(
        action=AuditEvent.Action.UPDATE,
        by=by,
        review=review,
        obj=tag,
        summary=f"{verb} theme “{_label(tag.theme)}” on chronology entry {tag.entry_id}",
        data={"entry": tag.entry_id, "theme": tag.theme, "from": before, "to": status},
    )
    return tag


@transaction.atomic
def theme_tag_add(*, entry: ChronologyEntry, by: Any, theme: str) -> ThemeTag:
    """A person tags an entry with a theme: the tag is confirmed at once. If the theme was
    already suggested or rejected on the entry, that tag is confirmed instead."""
    vocabulary = load_vocabulary()
    if theme not in vocabulary:
        raise ValidationError(
            {"theme": _("“%(theme)s” is not a theme in the vocabulary.") % {"theme": theme}},
            code="unknown_theme",
        )
    entry = ChronologyEntry.objects.select_related("review").get(pk=entry.pk)
    review = _ensure_can_decide(user=by, entry=entry)
    now = timezone.now()
    decided_by = by if getattr(by, "pk", None) else None
    tag = ThemeTag.objects.select_for_update().filter(entry=entry, theme=theme).first()
    before: str | None = None
    if tag is None:
        tag = ThemeTag.objects.create(
            entry=entry,
            theme=theme,
            status=ThemeTag.Status.CONFIRMED,
            source=PERSON,
            decided_by=decided_by,
            decided_at=now,
        )
        action = AuditEvent.Action.CREATE
    else:
        before = tag.status
        tag.status = ThemeTag.Status.CONFIRMED
        tag.decided_by = decided_by
        tag.decided_at = now
        tag.save(update_fields=["status", "decided_by", "decided_at"])
        action = AuditEvent.Action.UPDATE
    audit_record(
        action=action,
        by=by,
        review=review,
        obj=tag,
        summary=f"Tagged chronology entry {entry.pk} with theme “{vocabulary.label(theme)}”",
        data={"entry": entry.pk, "theme": theme, "from": before, "to": tag.status},
    )
    return tag


def _label(code: str) -> str:
    vocabulary = load_vocabulary()
    return vocabulary.label(code) if code in vocabulary else code
