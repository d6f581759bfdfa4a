from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from lantern.chronology.models import TaggingState, ThemeTag
from lantern.core.models import AuditEvent
from lantern.themes.services import (
    entry_text,
    entry_theme_codes,
    suggest_for,
    suggestions_complete,
    tagging_mark_pending,
    theme_tag_add,
    theme_tag_decide,
    top_level_themes_by_entry,
)
from lantern.themes.tagger.tag import TAGGER_VERSION
from lantern.themes.tasks import suggest_themes

pytestmark = pytest.mark.django_db

STRANGLED = "She said her partner put his hands round her neck and she could not breathe."
DRINK = "He was drunk and verbally abusive towards her; both were shouting."
DULL = "Appointment letter sent."


def statuses(entry: Any) -> dict[str, str]:
    return dict(ThemeTag.objects.filter(entry=entry).values_list("theme", "status"))


def test_suggest_for_creates_suggestions_and_is_idempotent(cast: Any, entry: Any) -> None:
    first = entry(STRANGLED)
    second = entry(DRINK)
    quiet = entry(DULL)
    created = suggest_for(review=cast.review, agency=cast.police)
    assert created == ThemeTag.objects.count() > 0
    assert statuses(first).get("strangulation") == ThemeTag.Status.SUGGESTED
    assert "alcohol" in statuses(second)
    assert statuses(quiet) == {}
    tag = ThemeTag.objects.get(entry=first, theme="strangulation")
    assert tag.source == "tagger" and tag.score is not None and tag.decided_by is None
    state = TaggingState.objects.get(review=cast.review, agency=cast.police)
    assert not state.pending and state.tagger_version == TAGGER_VERSION
    # Again, and again after marking the agency pending: nothing new.
    assert suggest_for(review=cast.review, agency=cast.police) == 0
    tagging_mark_pending(review=cast.review, agency=cast.police, enqueue=False)
    assert suggest_for(review=cast.review) == 0
    assert ThemeTag.objects.count() == created


def test_suggestions_never_change_confirmed_or_rejected_tags(cast: Any, entry: Any) -> None:
    item = entry(STRANGLED)
    suggest_for(review=cast.review, agency=cast.police)
    strangulation = ThemeTag.objects.get(entry=item, theme="strangulation")
    theme_tag_decide(tag=strangulation, by=cast.chair, status=ThemeTag.Status.REJECTED)
    added = theme_tag_add(entry=item, by=cast.author, theme="coercive_control")
    # The entry is rewritten: the tagger reads it again.
    item.what_happened = "He grabbed her by the throat again; she has moved to a refuge."
    item.updated_at = timezone.now()
    item.save()
    tagging_mark_pending(review=cast.review, agency=cast.police, enqueue=False)
    suggest_for(review=cast.review, agency=cast.police)
    after = statuses(item)
    assert after["strangulation"] == ThemeTag.Status.REJECTED  # not suggested again
    assert after["coercive_control"] == ThemeTag.Status.CONFIRMED
    assert after["refuge_safe_accommodation"] == ThemeTag.Status.SUGGESTED
    strangulation.refresh_from_db()
    added.refresh_from_db()
    assert strangulation.decided_by == cast.chair
    assert added.decided_by == cast.author and added.source == "person"


def test_a_suggestion_the_tagger_no_longer_makes_is_withdrawn(cast: Any, entry: Any) -> None:
    item = entry(DRINK)
    suggest_for(review=cast.review)
    assert "alcohol" in statuses(item)
    item.what_happened = "She was evicted by the landlord for rent arrears."
    item.updated_at = timezone.now()
    item.save()
    # Not marked pending: an edited entry is still read again before an analysis.
    suggestions_complete(review=cast.review)
    assert "alcohol" not in statuses(item)
    assert statuses(item).get("tenancy_problems") == ThemeTag.Status.SUGGESTED


def test_suggestions_complete_runs_everything_pending(cast: Any, entry: Any) -> None:
    police = entry(STRANGLED)
    housing = entry("Notice seeking possession served for rent arrears.", agency=cast.housing)
    assert suggestions_complete(review=cast.review) > 0
    assert statuses(police) and statuses(housing)
    assert not TaggingState.objects.filter(review=cast.review, pending=True).exists()
    # Suggestions a test (or a person) removes are not made again until the entry changes.
    ThemeTag.objects.filter(entry__review=cast.review).delete()
    assert suggestions_complete(review=cast.review) == 0


def test_marking_pending_queues_the_task_after_commit(
    cast: Any, entry: Any, django_capture_on_commit_callbacks: Any
) -> None:
    item = entry(STRANGLED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        state = tagging_mark_pending(review=cast.review, agency=cast.police)
        assert state.pending
        assert not ThemeTag.objects.filter(entry=item).exists()  # not before the commit
    assert len(callbacks) == 1
    assert "strangulation" in statuses(item)
    assert not TaggingState.objects.get(pk=state.pk).pending


def test_the_task_runs(cast: Any, entry: Any) -> None:
    item = entry(STRANGLED)
    result = suggest_themes.enqueue(review_id=cast.review.pk, agency_id=cast.police.pk)
    assert result.return_value == ThemeTag.objects.filter(entry=item).count() > 0
    audit = AuditEvent.objects.filter(object_type="theme suggestions").latest("id")
    assert audit.channel == "task" and audit.review == cast.review


def test_decisions_need_edit_analysis(cast: Any, entry: Any) -> None:
    item = entry(STRANGLED)
    suggest_for(review=cast.review)
    tag = ThemeTag.objects.get(entry=item, theme="strangulation")
    for user in (cast.panel_member, cast.agency_author, cast.board_member):
        with pytest.raises(PermissionDenied):
            theme_tag_decide(tag=tag, by=user, status=ThemeTag.Status.CONFIRMED)
        with pytest.raises(PermissionDenied):
            theme_tag_add(entry=item, by=user, theme="weapons")
    with pytest.raises(Http404):
        theme_tag_decide(tag=tag, by=cast.outsider, status=ThemeTag.Status.CONFIRMED)
    tag.refresh_from_db()
    assert tag.status == ThemeTag.Status.SUGGESTED
    decided = theme_tag_decide(tag=tag, by=cast.chair, status=ThemeTag.Status.CONFIRMED)
    assert decided.status == ThemeTag.Status.CONFIRMED
    assert decided.decided_by == cast.chair and decided.decided_at is not None
    event = AuditEvent.objects.filter(object_type="chronology.themetag").latest("id")
    assert event.action == AuditEvent.Action.UPDATE
    assert event.actor == cast.chair and event.review == cast.review
    assert event.data == {
        "entry": item.pk,
        "theme": "strangulation",
        "from": "suggested",
        "to": "confirmed",
    }


def test_decisions_refuse_an_unknown_status_or_theme(cast: Any, entry: Any) -> None:
    item = entry(STRANGLED)
    suggest_for(review=cast.review)
    tag = ThemeTag.objects.get(entry=item, theme="strangulation")
    with pytest.raises(ValidationError):
        theme_tag_decide(tag=tag, by=cast.chair, status="suggested")
    with pytest.raises(ValidationError):
        theme_tag_add(entry=item, by=cast.chair, theme="not_a_theme")


def test_adding_a_theme_confirms_an_existing_suggestion(cast: Any, entry: Any) -> None:
    item = entry(STRANGLED)
    suggest_for(review=cast.review)
    tag = theme_tag_add(entry=item, by=cast.coordinator, theme="strangulation")
    assert tag.source == "tagger" and tag.status == ThemeTag.Status.CONFIRMED
    assert ThemeTag.objects.filter(entry=item, theme="strangulation").count() == 1
    event = AuditEvent.objects.filter(object_id=str(tag.pk)).latest("id")
    assert event.actor == cast.coordinator and "Strangulation" in event.summary


def test_theme_codes_and_top_levels(cast: Any, entry: Any) -> None:
    item = entry(DULL)
    other = entry("Another dull line.")
    ThemeTag.objects.create(entry=item, theme="coercive_control", status="confirmed")
    ThemeTag.objects.create(entry=item, theme="alcohol", status="suggested")
    ThemeTag.objects.create(entry=item, theme="weapons", status="rejected")
    ThemeTag.objects.create(entry=item, theme="retired_code", status="confirmed")
    assert entry_theme_codes(item) == {"coercive_control", "alcohol", "retired_code"}
    assert top_level_themes_by_entry(review=cast.review) == {
        item.pk: {"domestic_abuse", "substance_use"}
    }
    assert top_level_themes_by_entry(review=cast.review, entry_ids=[item.pk, other.pk]) == {
        item.pk: {"domestic_abuse", "substance_use"},
        other.pk: set(),
    }


def test_entry_text_includes_the_structured_risk_fields(cast: Any, entry: Any) -> None:
    item = entry(
        "Attended.",
        action_taken="Advice given.",
        dash_level="high",
        dash_score=16,
        marac_referral=True,
    )
    text = entry_text(item)
    assert "Attended." in text and "Advice given." in text
    assert "DASH risk assessment: high 16/24." in text and "MARAC referral made." in text
    suggest_for(review=cast.review)
    assert "risk_assessment_marac" in statuses(item)


def test_suggest_for_by_a_person_needs_edit_analysis(cast: Any, entry: Any) -> None:
    entry(STRANGLED)
    with pytest.raises(PermissionDenied):
        suggest_for(review=cast.review, by=cast.panel_member)
    assert suggest_for(review=cast.review, by=cast.chair) > 0
    event = AuditEvent.objects.filter(object_type="theme suggestions").latest("id")
    assert event.actor == cast.chair


def _rows(review: Any) -> list[tuple]:
    from lantern.chronology.models import ChronologyEntry
    from lantern.themes.services import ENTRY_ROW

    return list(ChronologyEntry.objects.filter(review=review).values_list(*ENTRY_ROW))


def test_pending_themes_computed_in_memory_match_what_the_task_then_stores(
    cast: Any, entry: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The analysis counts due suggestions without storing them; what it counts must be
    exactly what the task leaves in force: rejected codes stay out, confirmed and person-added
    tags stay in, and a stale tagger suggestion is withdrawn."""
    from lantern.themes.services import themes_with_pending_suggestions

    rejected = entry(STRANGLED)
    confirmed = entry(DRINK)
    stale = entry(DRINK)
    entry(DULL)
    entry(STRANGLED + " " + DRINK)
    suggest_for(review=cast.review, agency=cast.police)
    theme_tag_decide(
        tag=ThemeTag.objects.get(entry=rejected, theme="strangulation"),
        by=cast.chair,
        status=ThemeTag.Status.REJECTED,
    )
    theme_tag_add(entry=confirmed, by=cast.author, theme="coercive_control")
    stale.what_happened = DULL
    stale.updated_at = timezone.now()
    stale.save()
    tagging_mark_pending(review=cast.review, agency=cast.police, enqueue=False)
    before = ThemeTag.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        counted = themes_with_pending_suggestions(review=cast.review, rows=_rows(cast.review))
    assert ThemeTag.objects.count() == before  # nothing written by the read
    assert len(callbacks) == 1  # the task that stores them is queued
    suggestions_complete(review=cast.review)
    stored = top_level_themes_by_entry(review=cast.review, entry_ids=None)
    assert counted == stored
    assert counted.get(stale.pk) is None  # the withdrawn suggestion is not counted
    assert counted[confirmed.pk]  # the confirmed tag counts


def test_no_pending_suggestions_means_the_stored_themes(cast: Any, entry: Any) -> None:
    from lantern.themes.services import themes_with_pending_suggestions

    entry(STRANGLED)
    entry(DRINK)
    suggest_for(review=cast.review, agency=cast.police)
    assert themes_with_pending_suggestions(
        review=cast.review, rows=_rows(cast.review)
    ) == top_level_themes_by_entry(review=cast.review, entry_ids=None)


@pytest.mark.django_db(transaction=True)
def test_each_agency_is_tagged_in_one_transaction(cast: Any, entry: Any, monkeypatch) -> None:
    """The tagging state row is locked and the suggestions written in one transaction (outside
    one, SQLite would also commit every inserted row on its own)."""
    from django.db import connection

    import lantern.themes.services as services

    entry(STRANGLED)
    insert = services._insert_suggestions
    seen: list[bool] = []

    def checked(rows: list) -> None:
        seen.append(connection.in_atomic_block)
        insert(rows)

    monkeypatch.setattr(services, "_insert_suggestions", checked)
    assert suggest_for(review=cast.review, agency=cast.police) > 0
    assert seen == [True]


def test_a_text_several_agencies_wrote_is_tagged_once_in_a_run(
    cast: Any, entry: Any, monkeypatch
) -> None:
    import lantern.themes.services as services

    entry(STRANGLED)
    entry(STRANGLED, agency=cast.housing)
    tagged: list[str] = []
    many = services.suggest_many

    def counted(texts: list[str]) -> list:
        tagged.extend(texts)
        return many(texts)

    monkeypatch.setattr(services, "suggest_many", counted)
    assert suggest_for(review=cast.review) == 2 * len(many([STRANGLED])[0])
    assert tagged == [STRANGLED]
