"""Who sees which entries on the combined chronology's pages, API and exports.

Agency authors see only their own agency's entries; panel members what has been shared with the
panel plus their own agency's; the coordinator, chair and author everything; board members get
403 and non-members 404, everywhere.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lantern.accounts.models import Organisation
from lantern.accounts.services import api_token_create
from lantern.chronology.tests.combined_support import make_entry, share
from lantern.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(cast) -> dict[str, Any]:  # noqa: ANN001
    health = OrganisationFactory(name="Northbridge Hospital", type=Organisation.Type.ACUTE_TRUST)
    return {
        "health_org": health,
        "police": [
            make_entry(cast.review, cast.police, "2021-01-05"),
            make_entry(cast.review, cast.police, "2021-06-10"),
        ],
        "housing": [
            make_entry(cast.review, cast.housing, "2021-02-01"),
            make_entry(cast.review, cast.housing, "2021-07-01"),
        ],
        "health": [make_entry(cast.review, health, "2021-03-03")],
    }


def _ids(entries: dict[str, Any], *agencies: str) -> set[int]:
    return {e.pk for name in agencies for e in entries[name]}


def _page_ids(client: Client, cast) -> set[int] | int:  # noqa: ANN001
    response = client.get(reverse("chronology:combined", args=[cast.review.reference]))
    if response.status_code != 200:
        return response.status_code
    return {row["entry"].pk for row in response.context["rows"]}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", ("police", "housing", "health")),
        ("chair", ("police", "housing", "health")),
        ("author", ("police", "housing", "health")),
        ("panel_member", ("police",)),  # own agency only: nothing shared yet
        ("agency_author", ("police",)),
        ("other_agency_author", ("housing",)),
        ("board_member", 403),
        ("outsider", 404),
        ("admin", 404),
    ],
)
def test_combined_page_shows_each_role_what_it_may_see(client, cast, entries, role, expected):  # noqa: ANN001, ANN201
    client.force_login(getattr(cast, role))
    seen = _page_ids(client, cast)
    if isinstance(expected, int):
        assert seen == expected
    else:
        assert seen == _ids(entries, *expected)


def test_panel_member_sees_shared_agencies_and_agency_author_still_does_not(
    client, cast, entries
) -> None:  # noqa: ANN001
    share(cast.review, entries["health_org"])
    share(cast.review, cast.housing)
    client.force_login(cast.panel_member)
    assert _page_ids(client, cast) == _ids(entries, "police", "health", "housing")
    # Sharing with the panel is not sharing with other agencies' authors.
    client.force_login(cast.agency_author)
    assert _page_ids(client, cast) == _ids(entries, "police")


def test_entry_page_is_404_for_an_entry_the_reader_may_not_see(client, cast, entries) -> None:  # noqa: ANN001
    own = entries["police"][0]
    other = entries["housing"][0]

    def status(user, entry) -> int:  # noqa: ANN001
        client.force_login(user)
        url = reverse("chronology:entry", args=[cast.review.reference, entry.pk])
        return client.get(url).status_code

    assert status(cast.agency_author, own) == 200
    assert status(cast.agency_author, other) == 404
    assert status(cast.panel_member, entries["health"][0]) == 404
    share(cast.review, entries["health_org"])
    assert status(cast.panel_member, entries["health"][0]) == 200
    assert status(cast.board_member, own) == 403
    assert status(cast.outsider, own) == 404
    assert status(cast.chair, other) == 200
    # An entry of another review is not found through this one.
    from lantern.testing.factories import ReviewFactory

    elsewhere = make_entry(ReviewFactory(csp=cast.csp), cast.police, "2021-01-01")
    assert status(cast.coordinator, elsewhere) == 404


def test_agency_author_cannot_post_to_another_agencys_entry(client, cast, entries) -> None:  # noqa: ANN001
    other = entries["housing"][0]
    client.force_login(cast.agency_author)
    url = reverse("chronology:entry", args=[cast.review.reference, other.pk])
    response = client.post(url, {"form": "edit", "edit-version": 1, "edit-what_happened": "x"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.version == 1


@pytest.mark.parametrize("name", ["timeline", "export_xlsx", "export_docx"])
def test_timeline_and_exports_follow_the_same_rules(client, cast, entries, name) -> None:  # noqa: ANN001
    url = reverse(f"chronology:{name}", args=[cast.review.reference])
    for user, status in (
        (cast.board_member, 403),
        (cast.outsider, 404),
        (cast.agency_author, 200),
        (cast.chair, 200),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, (user.username, name)


def test_agency_authors_export_holds_only_their_agency(client, cast, entries) -> None:  # noqa: ANN001
    client.force_login(cast.agency_author)
    response = client.get(reverse("chronology:export_xlsx", args=[cast.review.reference]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    agencies = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert agencies == {"Northbridge Police"}
    assert sheet.max_row == 1 + len(entries["police"])


def test_api_follows_the_same_rules(cast, entries) -> None:  # noqa: ANN001
    def api(user) -> Client:  # noqa: ANN001
        _token, secret = api_token_create(user=user, by=user, name="tests")
        return Client(headers={"Authorization": f"Bearer {secret}"})

    base = f"/api/reviews/{cast.review.reference}/chronology"
    author = api(cast.agency_author)
    listed = author.get(f"{base}/entries").json()
    assert {item["id"] for item in listed["items"]} == _ids(entries, "police")
    assert author.get(f"{base}/entries/{entries['housing'][0].pk}").status_code == 404
    assert author.get(f"{base}/entries/{entries['police'][0].pk}").status_code == 200
    assert api(cast.board_member).get(f"{base}/entries").status_code == 403
    assert api(cast.outsider).get(f"{base}/entries").status_code == 404
    assert api(cast.outsider).get(f"{base}/export.xlsx").status_code == 404
    assert api(cast.board_member).get(f"{base}/export.docx").status_code == 403
