"""The combined chronology page and an entry's page: filters, sorting, paging, the audit read,
edits with history, stale edits, analysis, and names shown as pseudonyms."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from lantern.chronology.models import ChronologyEntry, EntryRevision, ThemeTag
from lantern.chronology.services_entries import entry_update
from lantern.chronology.tests.combined_support import make_entry, share, tag
from lantern.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def combined_url(cast, **params) -> str:  # noqa: ANN001, ANN003
    return reverse("chronology:combined", args=[cast.review.reference])


def entry_url(cast, entry: ChronologyEntry) -> str:  # noqa: ANN001
    return reverse("chronology:entry", args=[cast.review.reference, entry.pk])


def text(response) -> str:  # noqa: ANN001
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", unescape(body))


def listed(client, cast, params=None) -> list[int]:  # noqa: ANN001
    response = client.get(combined_url(cast), params or {})
    assert response.status_code == 200
    return [row["entry"].pk for row in response.context["rows"]]


@pytest.fixture
def book(cast):  # noqa: ANN001, ANN201
    """A small chronology across two agencies, subjects, themes and dates."""
    e = {
        "p1": make_entry(
            cast.review,
            cast.police,
            "2020-11-03",
            subject="victim",
            what_happened="Kerry called 999 after an argument.",
        ),
        "h1": make_entry(
            cast.review,
            cast.housing,
            "2021-01-15",
            subject="perpetrator",
            what_happened="Tenancy warning about noise.",
        ),
        "p2": make_entry(
            cast.review,
            cast.police,
            "2021-03-01",
            date_precision="month",
            subject="child",
            what_happened="School raised a concern with police.",
        ),
        "h2": make_entry(
            cast.review,
            cast.housing,
            "2021-03-20",
            subject="other",
            what_happened="Neighbour reported shouting.",
            analyst_comment="Repeat calls were not linked.",
        ),
        "p3": make_entry(
            cast.review,
            cast.police,
            "2021-06-30",
            subject="victim",
            what_happened="DASH completed: high risk.",
            risk_assessment="DASH 15, referred to MARAC",
        ),
    }
    tag(e["p1"], "domestic_abuse")
    tag(e["h1"], "physical_abuse")  # a finer theme under domestic abuse
    tag(e["h2"], "domestic_abuse", ThemeTag.Status.CONFIRMED)
    tag(e["p3"], "domestic_abuse", ThemeTag.Status.REJECTED)
    tag(e["p3"], "mental_health")
    return e


def ids(book, *names) -> list[int]:  # noqa: ANN001
    return [book[n].pk for n in names]


def test_default_order_is_by_date(client, cast, book) -> None:  # noqa: ANN001
    client.force_login(cast.chair)
    assert listed(client, cast) == ids(book, "p1", "h1", "p2", "h2", "p3")


def test_sort_by_agency_then_date(client, cast, book) -> None:  # noqa: ANN001
    client.force_login(cast.chair)
    # "Northbridge Homes" before "Northbridge Police"
    assert listed(client, cast, {"sort": "agency"}) == ids(book, "h1", "h2", "p1", "p2", "p3")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"agency": "police"}, ("p1", "p2", "p3")),
        ({"agency": ["police", "housing"]}, ("p1", "h1", "p2", "h2", "p3")),
        ({"subject": "victim"}, ("p1", "p3")),
        ({"subject": ["child", "other"]}, ("p2", "h2")),
        ({"q": "dash"}, ("p3",)),  # any case
        ({"q": "not linked"}, ("h2",)),  # the analyst comment is searched too
        ({"q": "marac"}, ("p3",)),  # and the risk assessment
        ({"date_from": "2021-01-01"}, ("h1", "p2", "h2", "p3")),
        ({"date_to": "2021-01-31"}, ("p1", "h1")),
        # A month-precision entry (March 2021) is kept when any day of its month is in range.
        ({"date_from": "2021-03-10", "date_to": "2021-03-25"}, ("p2", "h2")),
        ({"date_from": "2021-04-01", "date_to": "2021-12-31"}, ("p3",)),
        # Theme: suggested and confirmed tags count, rejected ones do not; a finer theme counts
        # under its top-level theme.
        ({"theme": "domestic_abuse"}, ("p1", "h1", "h2")),
        ({"agency": "police", "subject": "victim", "q": "999"}, ("p1",)),
    ],
)
def test_each_filter_narrows(client, cast, book, params, expected) -> None:  # noqa: ANN001
    if "agency" in params:
        lookup = {"police": cast.police.pk, "housing": cast.housing.pk}
        value = params["agency"]
        params = {
            **params,
            "agency": [lookup[v] for v in value] if isinstance(value, list) else lookup[value],
        }
    client.force_login(cast.chair)
    assert listed(client, cast, params) == ids(book, *expected)


def test_a_bad_date_filter_is_reported_and_the_other_filters_still_apply(
    client, cast, book
) -> None:  # noqa: ANN001
    client.force_login(cast.chair)
    response = client.get(combined_url(cast), {"date_from": "31/02/2021", "subject": "victim"})
    assert response.status_code == 200
    assert "There is a problem" in text(response)
    assert "“From” must be a real date" in text(response)
    assert [r["entry"].pk for r in response.context["rows"]] == ids(book, "p1", "p3")


def test_rows_show_month_precision_flags_and_comments(client, cast, book) -> None:  # noqa: ANN001
    entry_update(
        entry=book["h2"], by=cast.chair, changes={"flag": "missed_opportunity"}, expected_version=1
    )
    client.force_login(cast.chair)
    page = text(client.get(combined_url(cast)))
    assert "March 2021" in page  # the month-precision entry
    assert "1 March 2021" not in page
    assert "20 March 2021" in page
    assert "Missed opportunity" in page
    assert "Repeat calls were not linked." in page
    assert "5 entries" in page


def test_long_text_is_truncated_with_a_link_to_the_entry(client, cast) -> None:  # noqa: ANN001
    long = " ".join(f"word{i}" for i in range(80))
    entry = make_entry(cast.review, cast.police, "2021-01-01", what_happened=long)
    client.force_login(cast.chair)
    response = client.get(combined_url(cast))
    body = response.content.decode()
    assert "word79" not in body
    assert body.count(f'href="{entry_url(cast, entry)}"') == 2  # the date and "Read all"
    assert "word79" in client.get(entry_url(cast, entry)).content.decode()


def test_pages_of_fifty(client, cast) -> None:  # noqa: ANN001
    start = dt.date(2020, 1, 1)
    for i in range(120):
        make_entry(cast.review, cast.police, start + dt.timedelta(days=i))
    client.force_login(cast.chair)
    first = client.get(combined_url(cast))
    assert len(first.context["rows"]) == 50
    assert "Entries 1 to 50 of 120" in text(first)
    third = client.get(combined_url(cast), {"page": 3})
    rows = third.context["rows"]
    assert len(rows) == 20
    assert rows[0]["entry"].date == start + dt.timedelta(days=100)
    # Paging keeps the filters.
    filtered = client.get(combined_url(cast), {"q": "Contact", "page": 2})
    assert 'href="?q=Contact&amp;page=3"' in filtered.content.decode()


def test_each_get_records_one_audit_read_with_its_filters(client, cast, book) -> None:  # noqa: ANN001
    client.force_login(cast.chair)
    before = AuditEvent.objects.filter(action=AuditEvent.Action.READ).count()
    client.get(combined_url(cast), {"subject": "victim"})
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ).order_by("id")
    assert reads.count() == before + 1
    read = reads.last()
    assert read.object_type == "combined chronology"
    assert read.review == cast.review
    assert read.data["filters"] == {"subjects": ["victim"]}


def test_board_member_refusal_is_audited(client, cast) -> None:  # noqa: ANN001
    client.force_login(cast.board_member)
    assert client.get(combined_url(cast)).status_code == 403
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED).exists()


def test_an_empty_chronology_says_so(client, cast) -> None:  # noqa: ANN001
    client.force_login(cast.chair)
    assert "no chronology entries you can see yet" in text(client.get(combined_url(cast)))


# --- the entry page ------------------------------------------------------------------------------


def _edit_form(entry: ChronologyEntry, **changes) -> dict:  # noqa: ANN003
    data = {
        "form": "edit",
        "edit-version": entry.version,
        "edit-date": entry.date.isoformat(),
        "edit-date_precision": entry.date_precision,
        "edit-time": "",
        "edit-subject": entry.subject,
        "edit-what_happened": entry.what_happened,
        "edit-action_taken": entry.action_taken,
        "edit-risk_assessment": entry.risk_assessment,
    }
    data.update({f"edit-{k}": v for k, v in changes.items()})
    return data


def test_edit_through_the_page_keeps_history(client, cast, book) -> None:  # noqa: ANN001
    entry = book["p1"]
    client.force_login(cast.chair)
    response = client.post(
        entry_url(cast, entry), _edit_form(entry, action_taken="Officers gave safety advice")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.version, entry.action_taken) == (2, "Officers gave safety advice")
    page = text(client.get(entry_url(cast, entry)))
    assert "Entry saved" in page
    assert "History" in page
    assert "“–” to “Officers gave safety advice”" in page


def _loaded(entry: ChronologyEntry, prefix: str, **fields) -> dict:  # noqa: ANN003
    """The hidden inputs of what the form was loaded with, as the page renders them."""
    return {f"initial-{prefix}-{k}": v for k, v in fields.items()}


def test_a_stale_edit_shows_an_error_and_keeps_what_was_typed(client, cast, book) -> None:  # noqa: ANN001
    entry = book["p1"]
    client.force_login(cast.chair)
    loaded = client.get(entry_url(cast, entry)).content.decode()
    assert 'name="initial-edit-subject" value="victim"' in loaded
    stale_form = {
        **_edit_form(entry, action_taken="My careful note"),
        **_loaded(
            entry,
            "edit",
            date="2020-11-03",
            date_precision="day",
            time="",
            subject="victim",
            what_happened=entry.what_happened,
            action_taken="",
            risk_assessment="",
        ),
    }
    entry_update(entry=entry, by=cast.author, changes={"subject": "other"}, expected_version=1)
    response = client.post(entry_url(cast, entry), stale_form)
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "Someone else changed this entry while you were editing it" in page
    body = response.content.decode()
    assert "My careful note" in body
    entry.refresh_from_db()
    assert (entry.version, entry.action_taken, entry.subject) == (2, "", "other")
    # The form now holds their change over the entry as it is: the other person's subject, the
    # current version. Saving it again applies only what they changed.
    form = response.context["edit_form"]
    assert form["subject"].value() == "other"
    assert form["version"].value() == "2"
    again = dict(form.data.items())
    assert client.post(entry_url(cast, entry), again).status_code == 302
    entry.refresh_from_db()
    assert (entry.version, entry.action_taken, entry.subject) == (3, "My careful note", "other")
    assert EntryRevision.objects.filter(entry=entry).first().changes == {
        "action_taken": ["", "My careful note"]
    }


def test_only_the_fields_changed_are_saved(client, cast, book) -> None:  # noqa: ANN001
    entry = book["p2"]  # month precision
    client.force_login(cast.chair)
    data = {
        **_edit_form(entry, risk_assessment="No DASH"),
        **_loaded(
            entry,
            "edit",
            date="2021-03-01",
            date_precision="month",
            time="",
            subject="child",
            what_happened=entry.what_happened,
            action_taken="",
            risk_assessment="",
        ),
    }
    assert client.post(entry_url(cast, entry), data).status_code == 302
    assert EntryRevision.objects.get(entry=entry).changes == {"risk_assessment": ["", "No DASH"]}


def test_analysis_form_sets_flag_and_comment(client, cast, book) -> None:  # noqa: ANN001
    entry = book["p3"]
    client.force_login(cast.chair)
    response = client.post(
        entry_url(cast, entry),
        {
            "form": "comment",
            "comment-version": 1,
            "comment-flag": "good_practice",
            "comment-analyst_comment": "Prompt MARAC referral.",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.flag, entry.analyst_comment, entry.version) == (
        "good_practice",
        "Prompt MARAC referral.",
        2,
    )


def test_agency_author_gets_no_analysis_form_and_cannot_post_one(client, cast, book) -> None:  # noqa: ANN001
    entry = book["p1"]
    client.force_login(cast.agency_author)
    page = client.get(entry_url(cast, entry))
    assert page.context["comment_form"] is None
    assert page.context["edit_form"] is not None  # their own agency's content
    response = client.post(
        entry_url(cast, entry),
        {"form": "comment", "comment-version": 1, "comment-analyst_comment": "Mine"},
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.analyst_comment == ""


def test_panel_member_reads_but_gets_no_forms(client, cast, book) -> None:  # noqa: ANN001
    client.force_login(cast.panel_member)
    page = client.get(entry_url(cast, book["p1"]))
    assert page.status_code == 200
    assert page.context["edit_form"] is None and page.context["comment_form"] is None
    response = client.post(entry_url(cast, book["p1"]), _edit_form(book["p1"]))
    assert response.status_code == 403
    assert not EntryRevision.objects.exists()


def test_entry_page_records_one_audit_read_of_the_entry(client, cast, book) -> None:  # noqa: ANN001
    client.force_login(cast.chair)
    before = AuditEvent.objects.count()
    client.get(entry_url(cast, book["h1"]))
    assert AuditEvent.objects.count() == before + 1
    read = AuditEvent.objects.latest("id")
    assert (read.action, read.object_type, read.object_id) == (
        "read",
        "chronology entry",
        str(book["h1"].pk),
    )


def test_readers_without_real_names_see_pseudonyms(client, cast) -> None:  # noqa: ANN001
    from lantern.accounts.models import Organisation
    from lantern.testing.factories import OrganisationFactory

    gp = OrganisationFactory(name="Riverside Surgery", type=Organisation.Type.GP)
    entry = make_entry(
        cast.review, gp, "2021-05-05", what_happened="Joanne Whitfield said Darren Pike hit her."
    )
    share(cast.review, gp)
    client.force_login(cast.panel_member)
    body = client.get(combined_url(cast)).content.decode()
    assert "Kerry said Lee hit her." in body
    assert "Whitfield" not in body and "Darren" not in body
    assert "Whitfield" not in client.get(entry_url(cast, entry)).content.decode()
    client.force_login(cast.chair)  # may see real names
    assert "Joanne Whitfield said Darren Pike" in client.get(combined_url(cast)).content.decode()


def test_theme_decisions_from_the_entry_page(client, cast, book) -> None:  # noqa: ANN001
    suggestion = ThemeTag.objects.get(entry=book["p1"], theme="domestic_abuse")
    client.force_login(cast.chair)
    response = client.post(
        entry_url(cast, book["p1"]),
        {"form": "theme", "tag": suggestion.pk, "decision": "confirmed"},
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == ThemeTag.Status.CONFIRMED
    client.force_login(cast.agency_author)
    refused = client.post(
        entry_url(cast, book["p1"]),
        {"form": "theme", "tag": suggestion.pk, "decision": "rejected"},
    )
    assert refused.status_code == 403


def test_a_theme_can_be_added_from_the_entry_page(client, cast, book) -> None:  # noqa: ANN001
    client.force_login(cast.author)
    response = client.post(
        entry_url(cast, book["h1"]), {"form": "theme", "decision": "add", "theme": "housing"}
    )
    assert response.status_code == 302
    added = ThemeTag.objects.get(entry=book["h1"], theme="housing")
    assert added.status == ThemeTag.Status.CONFIRMED
    page = client.get(entry_url(cast, book["h1"]))
    assert "Theme added: Housing" in text(page)
    missing = client.post(
        entry_url(cast, book["h1"]), {"form": "theme", "decision": "add"}, follow=True
    )
    assert "Choose a theme to add." in text(missing)
