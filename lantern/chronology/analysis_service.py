"""The analysis of the combined chronology, for one reader: the Django side of
`lantern.chronology.analysis` (which has no Django in it).

`chronology_analysis()` reads only what the reader may see (`entries_visible_to`: an agency
author's analysis covers their own agency's entries), as plain values rather than model
instances, with each entry's top-level themes from the themes app (confirmed tags and
suggestions not rejected, after any pending suggestions have run), and records one audit read.
Quotes from other agencies' entries are shown with pseudonyms to readers without
`view_real_names`, as on the combined chronology.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from lantern.accounts.models import Organisation
from lantern.chronology.analysis import Analysis, EntryFact, Rules, build_analysis
from lantern.chronology.analysis.flags import MISSED_APPOINTMENTS
from lantern.chronology.analysis.notes import TextNotes, decode, entry_text, notes_for, notes_key
from lantern.chronology.models import ChronologyEntry, Subject
from lantern.chronology.selectors import entries_visible_to
from lantern.chronology.text_notes import analysis_rules
from lantern.core.collector import collector_paused, raw_rows
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.access import Cap, ensure_can, review_get_for_user, user_agencies_on_review
from lantern.reviews.models import Review

# The subjects a reader can filter by (the "not recorded" subject is not offered).
SUBJECTS: tuple[str, ...] = (
    Subject.VICTIM,
    Subject.PERPETRATOR,
    Subject.CHILD,
    Subject.OTHER,
)

_FIELDS = (
    "id",
    "agency_id",
    "day",  # the date as ISO text (see _rows)
    "date_precision",
    "subject",
    "what_happened",
    "action_taken",
    "risk_assessment",
    "dash_level",
    "dash_score",
    "marac_referral",
    "mash_referral",
    "text_notes",
    "text_notes_key",
)


def review_for_analysis(*, user: Any, reference: str) -> Review:
    """The review, if `user` may read chronologies on it (404 for non-members, 403 for members
    who may not, such as board members). The analysis itself records the read."""
    return review_get_for_user(
        user=user,
        reference=reference,
        need=Cap.VIEW_CHRONOLOGY,
        audit=False,
        what="chronology analysis",
    )


def clean_subject(subject: str | None) -> str | None:
    if subject in (None, ""):
        return None
    if subject not in SUBJECTS:
        raise ValidationError(
            {"subject": _("Choose a subject from the list: %s.") % ", ".join(SUBJECTS)}
        )
    return subject


def _themes(review: Review, rows: list[tuple]) -> tuple[dict[int, set[str]], dict[str, str]]:
    """Entry id -> top-level themes for `rows` (of `_FIELDS`), counting suggestions still due
    (computed, not stored: see `themes_with_pending_suggestions`), and the themes' labels."""
    # Imported here, not at the top: the pages' URL configuration imports this module.
    from lantern.themes.services import themes_with_pending_suggestions
    from lantern.themes.vocabulary import load_vocabulary

    by_entry = themes_with_pending_suggestions(
        review=review,
        # id, agency, what happened, action, risk assessment, DASH level and score, MARAC
        rows=((r[0], r[1], r[5], r[6], r[7], r[8], r[9], r[10]) for r in rows),
    )
    vocabulary = load_vocabulary()
    labels = {t.code: str(t.label) for t in vocabulary.top_levels}
    return by_entry, labels


def _rows(qs: QuerySet[ChronologyEntry]) -> list[tuple]:
    """The entries' `_FIELDS` as the database returns them (`raw_rows`), the date as ISO text
    (`date.fromisoformat` is fast); `entry_facts` does the rest."""
    return raw_rows(qs.annotate(day=Cast("date", output_field=CharField())), _FIELDS)


def entry_facts(
    *, user: Any, review: Review, subject: str | None = None, rules: Rules | None = None
) -> tuple[list[EntryFact], dict[str, str], set[str]]:
    """The facts of the entries `user` may see (about `subject`, if given), the top-level
    themes' labels, and the names of the agencies whose own entries the reader wrote.

    Each fact carries its entry's text notes: as stored, when their key is current under
    `rules`; else read from the text now (each distinct text once), and the task storing them
    queued."""
    rules = rules or analysis_rules()
    key = notes_key(rules)
    qs = entries_visible_to(user=user, review=review).order_by()
    if subject is not None:
        qs = qs.filter(subject=subject)
    rows = _rows(qs)
    themes, labels = _themes(review, rows)
    agency_ids = {row[1] for row in rows}
    names = dict(Organisation.objects.filter(id__in=agency_ids).values_list("id", "name"))
    empty: frozenset[str] = frozenset()
    stored: dict[str | None, TextNotes] = {}  # standard phrases: each stored form decoded once
    read: dict[tuple[str, str, str], TextNotes] = {}  # and each text without notes read once
    facts = []
    for (
        entry_id,
        agency_id,
        day,
        precision,
        entry_subject,
        what,
        action,
        risk,
        level,
        score,
        marac,
        mash,
        encoded,
        notes_key_of_entry,
    ) in rows:
        action, risk = action or "", risk or ""
        if notes_key_of_entry == key:
            notes = stored.get(encoded)
            if notes is None:
                notes = stored[encoded] = decode(encoded)
        else:
            found = (what, action, risk)
            notes = read.get(found)
            if notes is None:
                notes = read[found] = notes_for(what, action, risk, rules)
        level = level or ""
        if not level and score is None and risk:
            level, score = notes.dash_level, notes.dash_score
        top = themes.get(entry_id)
        facts.append(
            EntryFact(
                id=entry_id,
                agency=names[agency_id],
                date=day if isinstance(day, date) else date.fromisoformat(day),
                precision=precision,
                subject=entry_subject,
                themes=frozenset(top) if top else empty,
                dash_recorded=bool(level) or score is not None or notes.dash_mentioned,
                marac_referral=bool(marac) or notes.marac_in_steps,
                mash_referral=bool(mash),
                text=entry_text(what, action, risk)[0],
                dash_score=score,
                dash_level=level,
                notes=notes,
            )
        )
    if read:
        _queue_text_notes(review)
    own = {names[i] for i in user_agencies_on_review(user=user, review=review) if i in names}
    return facts, labels, own


def _queue_text_notes(review: Review) -> None:
    """Store the notes the analysis had to read for itself, once any transaction commits."""
    from lantern.chronology.tasks import work_out_text_notes

    review_id = review.pk
    transaction.on_commit(lambda: work_out_text_notes.enqueue(review_id=review_id), robust=True)


def chronology_analysis(
    *, user: Any, review: Review, subject: str | None = None, rules: Rules | None = None
) -> Analysis:
    """What the combined chronology shows to `user`, with the read audited."""
    caps = ensure_can(user=user, review=review, need=Cap.VIEW_CHRONOLOGY)
    subject = clean_subject(subject)
    with collector_paused():  # many small objects and no cycles: see lantern.core.collector
        rules = rules or analysis_rules()
        facts, labels, own = entry_facts(user=user, review=review, subject=subject, rules=rules)
        analysis = build_analysis(
            review=review.reference,
            date_of_death=review.date_of_death,
            entries=facts,
            rules=rules,
            subject=subject,
            theme_labels=labels,
        )
    analysis.extra["theme_labels"] = labels
    if Cap.VIEW_REAL_NAMES not in caps:
        _pseudonymise_quotes(analysis, review=review, own=own)
    audit_record(
        action=AuditEvent.Action.READ,
        by=user,
        review=review,
        object_type="chronology analysis",
        object_id=review.reference,
        summary="Viewed the chronology analysis" + (f" (subject: {subject})" if subject else ""),
        data={"subject": subject, "entries": analysis.contacts},
    )
    return analysis


def _pseudonymise_quotes(analysis: Analysis, *, review: Review, own: set[str]) -> None:
    """Quotes of entries' text carry pseudonyms, except from the reader's own agency."""
    from lantern.chronology.selectors_entries import pseudonymiser_for

    names = pseudonymiser_for(review)
    if not names:
        return
    analysis.missed = [
        m if m.agency in own else dataclasses.replace(m, text=names.apply(m.text))
        for m in analysis.missed
    ]
    analysis.flags = [
        dataclasses.replace(f, params={**f.params, "text": names.apply(f.params["text"])})
        if f.kind == MISSED_APPOINTMENTS and "text" in f.params and f.agency not in own
        else f
        for f in analysis.flags
    ]
