"""Text notes: what the analysis reads in an entry's text, stored with the entry.

The analysis must come out the same whether it reads the notes stored with the entries or reads
the text itself, and stored notes worked out under other rules must never be used."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.chronology.analysis import EntryFact, Rules, build_analysis
from lantern.chronology.analysis.notes import (
    NOTHING,
    TextNotes,
    decode,
    encode,
    notes_for,
    notes_key,
    notes_of_text,
)

# Phrases agencies write, each of which some rule reads (and some that none does).
PHRASES = (
    "She disclosed that her partner hit her.",
    "Referred to CSC and to the IDVA service.",
    "Referral received from police.",
    "MASH referral from police",
    "No referral made",
    "Did not attend appointment.",
    "DNA'd",
    "No answer at the door.",
    "Information shared with housing.",
    "Emailed the GP practice",
    "Notification received from police",
    "DASH: high (15/24). No MARAC referral made.",
    "DASH completed: standard.",
    "Referred to MARAC.",
    "Discussed at MARAC; shared with MASH.",
    "Called Northbridge Homes about rent arrears",
    "Self-referred to the drug service",
    "Signposted to Women's Aid",
    "Rent account reviewed.",
    "",
)
AGENCIES = ("Northbridge Police", "Northbridge Homes", "Northbridge Surgery", "Northbridge CSC")


def test_an_entry_saying_nothing_the_analysis_reads_is_stored_as_null() -> None:
    notes = notes_for("Rent account reviewed.", "", "", Rules())
    assert notes is NOTHING
    assert encode(notes) is None
    assert decode(None) == NOTHING


def test_notes_round_trip_through_their_stored_form() -> None:
    notes = notes_for(
        "She did not attend. Referral received from police.",
        "Referred to CSC; shared with housing.",
        "DASH: high (15/24). Referred to MARAC.",
        Rules(),
    )
    assert notes.missed == "She did not attend"
    assert notes.relayed and notes.marac_in_steps and notes.dash_mentioned
    assert (notes.dash_level, notes.dash_score) == ("high", 15)
    assert notes.referral_clauses == (
        "Referral received from police",
        "Referred to CSC",
        "Referred to MARAC",
    )
    assert decode(encode(notes)) == notes


@given(
    st.builds(
        TextNotes,
        referral_clauses=st.lists(st.text()).map(tuple),
        share_clauses=st.lists(st.text()).map(tuple),
        missed=st.none() | st.text(),
        dash_level=st.sampled_from(["", "high"]),
        dash_score=st.none() | st.integers(0, 24),
    )
)
@settings(max_examples=200, deadline=None)
def test_any_notes_round_trip(notes: TextNotes) -> None:
    assert decode(encode(notes)) == notes


def test_the_share_word_first_pass_never_hides_a_match() -> None:
    """`mentions_a_share_word` looks in the case-folded clause; Python's case-insensitive match,
    which decides, must take no character for a letter of those words that case-folds to
    something else, bar the two i's the first pass lets through."""
    import re
    import sys

    from lantern.chronology.analysis import text

    letters = sorted({c for word in text._SHARE_WORDS | {"emailed", "e-mailed"} for c in word})
    every = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
    taken = re.compile("[" + re.escape("".join(letters)) + "]", re.IGNORECASE).findall(every)
    odd = {
        c
        for c in taken
        for letter in letters
        if re.fullmatch(re.escape(letter), c, re.IGNORECASE) and c.casefold() != letter
    }
    assert odd == set(text._DOTTED_I)
    for clause in ("Information SHARED with housing", "e-mailed the GP", "ſhared with police"):
        assert text.mentions_a_share_word(clause)
        assert text._SHARE_WORD.search(clause)
    assert text.mentions_a_share_word("Informed İT")  # let through, for the expression to decide
    assert not text.mentions_a_share_word("Rent account reviewed")


def test_the_key_follows_the_wording_settings_and_nothing_else() -> None:
    rules = Rules()
    assert notes_key(rules) == notes_key(Rules(dash_window_days=5))
    assert notes_key(rules) != notes_key(Rules(missed_appointment_patterns=(r"(?i:\bno show\b)",)))
    assert notes_key(rules) != notes_key(Rules(relayed_keywords=("via",)))


def _facts(texts: list[tuple[str, str, str]], *, with_notes: bool) -> list[EntryFact]:
    rules = Rules()
    facts = []
    for i, (what, agency, theme) in enumerate(texts):
        fact = EntryFact(
            id=i + 1,
            agency=agency,
            date=dt.date(2024, 1, 1) + dt.timedelta(days=7 * i),
            themes=frozenset({theme}) if theme else frozenset(),
            subject="victim",
            text=what,
        )
        if with_notes:
            fact = dataclasses.replace(fact, notes=notes_of_text(what, rules), text="")
        facts.append(fact)
    return facts


@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(PHRASES), min_size=1, max_size=3).map(" ".join),
            st.sampled_from(AGENCIES),
            st.sampled_from(["", "domestic_abuse", "sexual_violence"]),
        ),
        max_size=25,
    )
)
@settings(max_examples=150, deadline=None)
def test_the_analysis_is_the_same_from_notes_as_from_text(texts) -> None:  # noqa: ANN001
    def analysed(with_notes: bool) -> dict:
        return build_analysis(
            review="R",
            date_of_death=dt.date(2025, 6, 1),
            entries=_facts(texts, with_notes=with_notes),
        ).as_dict()

    assert analysed(True) == analysed(False)


# --- stored with the entries --------------------------------------------------------------------


@pytest.mark.django_db
class TestStored:
    def test_an_import_stores_every_entrys_notes(self, cast) -> None:  # noqa: ANN001
        from lantern.chronology.models import ChronologyEntry
        from lantern.chronology.tests.analysis_support import entry
        from lantern.chronology.text_notes import current_notes_key, text_notes_refresh

        entry(cast.review, cast.police, "2024-01-10", what_happened="Did not attend.")
        entry(cast.review, cast.police, "2024-01-11", what_happened="Rent account reviewed.")
        assert set(ChronologyEntry.objects.values_list("text_notes_key", flat=True)) == {""}
        assert text_notes_refresh(review=cast.review) == 2
        stored = dict(ChronologyEntry.objects.values_list("what_happened", "text_notes"))
        assert decode(stored["Did not attend."]).missed == "Did not attend"
        assert stored["Rent account reviewed."] is None
        assert set(ChronologyEntry.objects.values_list("text_notes_key", flat=True)) == {
            current_notes_key()
        }
        assert text_notes_refresh(review=cast.review) == 0  # nothing left to do

    def test_the_chronology_import_queues_the_task_that_stores_them(self, cast) -> None:  # noqa: ANN001
        from django.test import TestCase

        from lantern.chronology.models import ChronologyEntry
        from lantern.chronology.services import chronology_import
        from lantern.chronology.text_notes import current_notes_key

        csv = (
            b"Date,What happened,Action taken\r\n"
            b"02/11/2023,Did not attend the appointment,Letter sent\r\n"
            b"03/11/2023,Disclosed abuse,Referred to MARAC\r\n"
        )
        with TestCase.captureOnCommitCallbacks(execute=True):
            result = chronology_import(
                review=cast.review,
                agency=cast.police,
                files=[("police.csv", csv)],
                by=cast.coordinator,
            )
        assert result.stored, result.problems
        keys = set(ChronologyEntry.objects.values_list("text_notes_key", flat=True))
        assert keys == {current_notes_key()}
        marac = ChronologyEntry.objects.get(what_happened="Disclosed abuse")
        assert decode(marac.text_notes).marac_in_steps

    def test_the_analysis_is_the_same_before_and_after_the_notes_are_stored(self, cast) -> None:  # noqa: ANN001
        from django.test import TestCase

        from lantern.chronology.analysis_service import chronology_analysis
        from lantern.chronology.models import ChronologyEntry
        from lantern.chronology.tests.analysis_support import entry, settle
        from lantern.chronology.text_notes import current_notes_key

        review = cast.review
        for i, phrase in enumerate(PHRASES):
            entry(
                review,
                (cast.police, cast.housing)[i % 2],
                dt.date(2024, 1, 1) + dt.timedelta(days=3 * i),
                what_happened=phrase or "Contact.",
                action_taken=PHRASES[(7 * i) % len(PHRASES)],
            )
        settle(review)
        with TestCase.captureOnCommitCallbacks(execute=False) as queued:
            before = chronology_analysis(user=cast.chair, review=review).as_dict()
        assert set(ChronologyEntry.objects.values_list("text_notes_key", flat=True)) == {""}
        assert len(queued) >= 1  # the analysis queued the task that stores the notes
        for callback in queued:
            callback()
        assert set(ChronologyEntry.objects.values_list("text_notes_key", flat=True)) == {
            current_notes_key()
        }
        after = chronology_analysis(user=cast.chair, review=review).as_dict()
        assert before == after
        assert before["missed_appointments"] and before["referrals"]

    def test_notes_stored_under_other_wording_are_not_used(self, cast, settings) -> None:  # noqa: ANN001
        from lantern.chronology.analysis_service import chronology_analysis
        from lantern.chronology.tests.analysis_support import entry, settle
        from lantern.chronology.text_notes import text_notes_refresh

        entry(cast.review, cast.police, "2024-01-10", what_happened="A no show at clinic.")
        settle(cast.review)
        text_notes_refresh(review=cast.review)
        assert chronology_analysis(user=cast.chair, review=cast.review).missed == []
        settings.LANTERN = {
            **settings.LANTERN,
            "ANALYSIS": {
                "missed_appointment_patterns": [r"(?i:\bno show\b)"],
                "missed_appointment_keywords": ["no show"],
            },
        }
        missed = chronology_analysis(user=cast.chair, review=cast.review).missed
        assert [m.text for m in missed] == ["A no show at clinic"]

    def test_an_edit_to_the_text_stores_new_notes(self, cast) -> None:  # noqa: ANN001
        from lantern.chronology.models import ChronologyEntry
        from lantern.chronology.services_entries import entry_update
        from lantern.chronology.tests.analysis_support import entry
        from lantern.chronology.text_notes import current_notes_key, text_notes_refresh

        item = entry(cast.review, cast.police, "2024-01-10", what_happened="Visited.")
        text_notes_refresh(review=cast.review)
        assert ChronologyEntry.objects.get(pk=item.pk).text_notes is None
        entry_update(
            entry=item,
            by=cast.chair,
            changes={"action_taken": "Referred to MARAC."},
            expected_version=1,
        )
        stored = ChronologyEntry.objects.get(pk=item.pk)
        assert stored.text_notes_key == current_notes_key()
        assert decode(stored.text_notes).marac_in_steps
        # a change to another field leaves them as they are
        entry_update(
            entry=stored, by=cast.chair, changes={"analyst_comment": "Checked."}, expected_version=2
        )
        assert ChronologyEntry.objects.get(pk=item.pk).text_notes == stored.text_notes


@pytest.mark.django_db
def test_the_command_stores_notes_now_and_is_audited(cast) -> None:  # noqa: ANN001
    import json
    from io import StringIO

    from django.core.management import CommandError, call_command

    from lantern.chronology.models import ChronologyEntry
    from lantern.chronology.tests.analysis_support import entry
    from lantern.chronology.text_notes import current_notes_key
    from lantern.core.models import AuditEvent

    entry(cast.review, cast.police, "2024-01-10", what_happened="Did not attend.")
    out = StringIO()
    call_command(
        "chronology",
        "notes",
        "--review",
        cast.review.reference,
        "--json",
        as_user=cast.chair.username,
        stdout=out,
    )
    assert json.loads(out.getvalue()) == {
        "review": cast.review.reference,
        "stored": 1,
        "notes_key": current_notes_key(),
    }
    assert ChronologyEntry.objects.get().text_notes_key == current_notes_key()
    event = AuditEvent.objects.filter(object_type="chronology text notes").get()
    assert event.actor == cast.chair and event.data["entries"] == 1
    # board members may read the review but not change its analysis; outsiders do not see it
    for who in (cast.board_member, cast.outsider):
        with pytest.raises(CommandError):
            call_command(
                "chronology",
                "notes",
                "--review",
                cast.review.reference,
                as_user=who.username,
                stdout=StringIO(),
            )


@pytest.mark.django_db
def test_an_edit_while_the_task_runs_keeps_its_own_notes(cast, monkeypatch) -> None:  # noqa: ANN001
    """The task reads the texts, an edit lands, then the task writes: the edited entry keeps
    the notes of its new text, not those the task worked out from the old one."""
    from lantern.chronology import text_notes
    from lantern.chronology.models import ChronologyEntry
    from lantern.chronology.services_entries import entry_update
    from lantern.chronology.tests.analysis_support import entry

    item = entry(cast.review, cast.police, "2024-01-10", what_happened="Did not attend.")
    read = text_notes.raw_rows

    def read_then_edit(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        rows = read(*args, **kwargs)
        entry_update(
            entry=item,
            by=cast.chair,
            changes={"what_happened": "Referred to MARAC."},
            expected_version=1,
        )
        return rows

    monkeypatch.setattr(text_notes, "raw_rows", read_then_edit)
    assert text_notes.text_notes_refresh(review=cast.review) == 1
    stored = decode(ChronologyEntry.objects.get(pk=item.pk).text_notes)
    assert stored.missed is None and stored.referral_clauses == ("Referred to MARAC",)
