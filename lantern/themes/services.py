"""Theme suggestions and decisions on chronology entries.

Suggestions come from the offline tagger (`themes/tagger/`). They are kept apart from a person's
decisions: a tag is `suggested` until someone confirms or rejects it, and the tagger never
touches a confirmed or rejected tag. When an agency's entries change, `tagging_mark_pending`
queues the `suggest_themes` task; the analysis reads themes through
`themes_with_pending_suggestions`, which counts suggestions still due without storing them, so it
never works from half-tagged entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
from lantern.core.collector import raw_rows
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.access import Cap, ensure_can
from lantern.reviews.models import Review
from lantern.themes.selectors import entry_theme_codes, top_level_themes_by_entry
from lantern.themes.tagger.tag import TAGGER_VERSION, Suggestion, suggest_many
from lantern.themes.vocabulary import UnknownTheme, load_vocabulary

__all__ = [
    "entry_text",
    "entry_theme_codes",
    "suggest_for",
    "suggestions_complete",
    "themes_with_pending_suggestions",
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
    return entry_text_of(
        entry.what_happened,
        entry.action_taken,
        entry.risk_assessment,
        entry.dash_level,
        entry.dash_score,
        entry.marac_referral,
    )


def entry_text_of(
    what: str, action: str, risk: str, level: str, score: int | None, marac: Any
) -> str:
    """`entry_text` from the field values, for callers that read rows rather than models."""
    parts = [what, action, risk]
    if level or score is not None:
        written = f" {score}/24" if score is not None else ""
        parts.append(f"DASH risk assessment: {level or 'graded'}{written}.")
    if marac:
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
    # Agencies' chronologies share phrases too: a text is tagged once in the whole run.
    known: dict[str, list[Suggestion]] = {}
    return sum(
        _suggest_for_agency(review=review, agency_id=a, by=by, refresh=refresh, known=known)
        for a in agency_ids
    )


_ENTRY_FIELDS = (
    "id",
    "what_happened",
    "action_taken",
    "risk_assessment",
    "dash_level",
    "dash_score",
    "marac_referral",
)
_TAG_FIELDS = ("id", "entry_id", "theme", "status", "source", "score")


def suggestions_by_text(
    texts: Iterable[str], known: dict[str, list[Suggestion]] | None = None
) -> dict[str, list[Suggestion]]:
    """The tagger's suggestions for each distinct text of `texts`. The tagger is deterministic,
    so identical texts (chronologies repeat standard phrases) are tagged once, and in batches
    (`Tagger.suggest_many`). `known`, if given, holds texts already tagged in this run (by this
    tagger): they are not tagged again, and the new ones are added to it. The result may hold
    more texts than `texts` when `known` did."""
    known = {} if known is None else known
    distinct = [text for text in dict.fromkeys(texts) if text not in known]
    known.update(zip(distinct, suggest_many(distinct), strict=True))
    return known


@transaction.atomic
def _suggest_for_agency(
    *,
    review: Review,
    agency_id: int,
    by: Any,
    refresh: bool = False,
    known: dict[str, list[Suggestion]] | None = None,
) -> int:
    state, created = TaggingState.objects.get_or_create(review=review, agency_id=agency_id)
    # Lock the state row so that the task and an analysis run do not tag the same entries.
    state = TaggingState.objects.select_for_update().get(pk=state.pk)
    started = timezone.now()  # entries changed from now on are read next time
    refresh = refresh or created or state.pending or state.tagger_version != TAGGER_VERSION
    entries = ChronologyEntry.objects.filter(review=review, agency_id=agency_id).order_by()
    if not refresh:
        entries = entries.filter(_changed_since(state))
    rows = raw_rows(entries, _ENTRY_FIELDS)
    # The tags already on the entries read: every tag of the agency's entries when all of them
    # are read (one query), otherwise those of the changed entries.
    tags = ThemeTag.objects.order_by()
    if refresh:
        tag_rows = raw_rows(
            tags.filter(entry__review=review, entry__agency_id=agency_id), _TAG_FIELDS
        )
    else:
        tag_rows = []
        for i in range(0, len(rows), BATCH):
            ids = [row[0] for row in rows[i : i + BATCH]]
            tag_rows += raw_rows(tags.filter(entry_id__in=ids), _TAG_FIELDS)
    existing: dict[int, dict[str, tuple]] = {}
    for tag in tag_rows:
        existing.setdefault(tag[1], {})[tag[2]] = tag
    texts = [entry_text_of(*row[1:]) for row in rows]
    tagged = suggestions_by_text(texts, known)
    seen = {text: {s.code: s.score for s in tagged[text]} for text in dict.fromkeys(texts)}
    to_create: list[tuple[int, str, float]] = []
    to_rescore: list[ThemeTag] = []
    to_remove: list[int] = []
    suggested, tagger = ThemeTag.Status.SUGGESTED.value, TAGGER
    for (entry_id, *_fields), text in zip(rows, texts, strict=True):
        found = seen[text]
        has = existing.get(entry_id)
        if not has:
            to_create.extend((entry_id, code, score) for code, score in found.items())
            continue
        for code, score in found.items():
            tag = has.get(code)
            if tag is None:
                to_create.append((entry_id, code, score))
            elif tag[3] == suggested and tag[5] != score:
                to_rescore.append(ThemeTag(pk=tag[0], score=score))
        for code, tag in has.items():
            if code not in found and tag[3] == suggested and tag[4] == tagger:
                to_remove.append(tag[0])
    _insert_suggestions(to_create)
    if to_rescore:
        ThemeTag.objects.bulk_update(to_rescore, ["score"], batch_size=BATCH)
    for i in range(0, len(to_remove), BATCH):
        ThemeTag.objects.filter(
            pk__in=to_remove[i : i + BATCH], status=ThemeTag.Status.SUGGESTED
        ).delete()
    read = len(rows)
    state.pending = False
    state.tagger_version = TAGGER_VERSION
    state.updated_at = started
    state.save(update_fields=["pending", "tagger_version", "updated_at"])
    totals = created_count, removed, rescored = len(to_create), len(to_remove), len(to_rescore)
    if any(totals):
        name = Organisation.objects.filter(pk=agency_id).values_list("name", flat=True).first()
        audit_record(
            action=AuditEvent.Action.CREATE,
            by=by if by is not None else User.objects.system(),
            review=review,
            object_type="theme suggestions",
            object_id=str(agency_id),
            summary=(
                f"Theme suggestions for {name}'s chronology: {created_count} added, {removed} "
                f"withdrawn, {rescored} rescored ({read} entries read, tagger {TAGGER_VERSION})"
            ),
            data={
                "agency_id": agency_id,
                "entries_read": read,
                "created": created_count,
                "removed": removed,
                "rescored": rescored,
                "tagger_version": TAGGER_VERSION,
            },
        )
    return created_count


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
    """Make and store every suggestion still due on `review` now, in this process (the demo
    loader and scripts; the task does the same per agency). `by` is whoever started it (the
    caller has checked their access). Returns how many suggestions were created."""
    return sum(
        _suggest_for_agency(review=review, agency_id=agency_id, by=by)
        for agency_id in _agencies_needing_suggestions(review)
    )


# Field order of the rows `themes_with_pending_suggestions` reads.
ENTRY_ROW = ("id", "agency_id", *_ENTRY_FIELDS[1:])


def themes_with_pending_suggestions(
    *, review: Review, rows: Iterable[Sequence[Any]]
) -> dict[int, set[str]]:
    """Entry id -> top-level themes for the entries in `rows` (values of `ENTRY_ROW`, in that
    order; extra trailing values are ignored), counting suggestions still due as if the task
    had stored them, without writing.

    The analysis reads themes through this, so that it never works from half-tagged entries
    and a page view writes nothing: for an agency whose suggestions are due, each entry's
    themes are the tagger's codes that a person has not rejected, plus the tags a person
    confirmed or added; exactly what `_suggest_for_agency` would leave in force (a test checks
    that the two agree). Storing them stays with the `suggest_themes` task, queued here for any
    agency that is due, in case nothing queued it (a new tagger version, say).
    """
    due = set(_agencies_needing_suggestions(review))
    result = top_level_themes_by_entry(review=review, entry_ids=None)
    if not due:
        return result
    rows = [row for row in rows if row[1] in due]
    tags = ThemeTag.objects.order_by().filter(entry__review=review, entry__agency_id__in=due)
    existing: dict[int, dict[str, tuple]] = {}
    for tag in raw_rows(tags, _TAG_FIELDS):
        existing.setdefault(tag[1], {})[tag[2]] = tag
    vocabulary = load_vocabulary()
    tops: dict[str, str | None] = {}
    texts = [entry_text_of(*row[2:8]) for row in rows]
    seen = {
        text: tuple(s.code for s in found) for text, found in suggestions_by_text(texts).items()
    }
    rejected, suggested = ThemeTag.Status.REJECTED.value, ThemeTag.Status.SUGGESTED.value
    for row, text in zip(rows, texts, strict=True):
        entry_id = row[0]
        found = seen[text]
        has = existing.get(entry_id, {})
        codes = [c for c in found if (t := has.get(c)) is None or t[3] != rejected]
        codes += [
            code
            for code, t in has.items()
            if code not in found and t[3] != rejected and not (t[3] == suggested and t[4] == TAGGER)
        ]
        themes: set[str] = set()
        for code in codes:
            if code not in tops:
                try:
                    tops[code] = vocabulary.top_level_of(code)
                except UnknownTheme:
                    tops[code] = None
            if tops[code] is not None:
                themes.add(tops[code])
        if themes:
            result[entry_id] = themes
        else:
            result.pop(entry_id, None)
    from lantern.themes.tasks import suggest_themes

    review_id = review.pk
    for agency_id in sorted(due):
        transaction.on_commit(
            lambda a=agency_id: suggest_themes.enqueue(review_id=review_id, agency_id=a),
            robust=True,
        )
    return result


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
