"""The combined chronology's API: filters and paging, an entry with its history, PATCH with
optimistic locking (409 on a stale version), and the exports."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from lantern.accounts.services import api_token_create
from lantern.chronology.models import ChronologyEntry, EntryRevision
from lantern.chronology.tests.combined_support import make_entry
from lantern.core.models import AuditEvent

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user: Any) -> None:
        _token, secret = api_token_create(user=user, by=user, name="tests")
        self.client = Client(headers={"Authorization": f"Bearer {secret}"})

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params)

    def patch(self, path: str, body: dict) -> Any:
        return self.client.patch(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def base(cast) -> str:  # noqa: ANN001
    return f"/api/reviews/{cast.review.reference}/chronology"


@pytest.fixture
def entries(cast) -> list[ChronologyEntry]:  # noqa: ANN001
    return [
        make_entry(cast.review, cast.police, "2021-01-05", subject="victim"),
        make_entry(cast.review, cast.housing, "2021-02-01", what_happened="Rent arrears letter"),
        make_entry(cast.review, cast.police, "2021-03-01", date_precision="month"),
    ]


def test_list_filters_pages_and_audits_once(cast, base, entries) -> None:  # noqa: ANN001
    api = Api(cast.chair)
    before = AuditEvent.objects.filter(action="read").count()
    everything = api.get(f"{base}/entries").json()
    assert AuditEvent.objects.filter(action="read").count() == before + 1
    assert everything["count"] == 3
    assert [item["id"] for item in everything["items"]] == [e.pk for e in entries]
    first = everything["items"][0]
    assert first["agency"] == {"id": cast.police.pk, "name": "Northbridge Police"}
    assert first["version"] == 1 and first["themes"] == []

    assert [i["id"] for i in api.get(f"{base}/entries", q="arrears").json()["items"]] == [
        entries[1].pk
    ]
    police = api.get(f"{base}/entries", agency=cast.police.pk, sort="agency").json()
    assert police["count"] == 2
    assert api.get(f"{base}/entries", subject="victim").json()["count"] == 1
    assert api.get(f"{base}/entries", date_from="2021-03-15").json()["count"] == 1
    paged = api.get(f"{base}/entries", limit=1, offset=1).json()
    assert paged["count"] == 3 and [i["id"] for i in paged["items"]] == [entries[1].pk]
    assert api.get(f"{base}/entries", subject="neighbour").status_code == 422
    assert api.get(f"{base}/entries", date_from="yesterday").status_code == 422


def test_patch_edits_with_history_and_409_on_a_stale_version(cast, base, entries) -> None:  # noqa: ANN001
    entry = entries[0]
    api = Api(cast.chair)
    done = api.patch(
        f"{base}/entries/{entry.pk}",
        {"version": 1, "action_taken": "Safety advice", "flag": "good_practice"},
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["version"] == 2 and body["flag"] == "good_practice"
    assert body["revisions"][0]["changes"]["action_taken"] == ["", "Safety advice"]

    stale = api.patch(f"{base}/entries/{entry.pk}", {"version": 1, "action_taken": "Other"})
    assert stale.status_code == 409
    assert stale.json()["version"] == 2
    assert "Someone else changed this entry" in stale.json()["detail"]
    entry.refresh_from_db()
    assert entry.action_taken == "Safety advice"
    assert EntryRevision.objects.filter(entry=entry).count() == 1

    detail = api.get(f"{base}/entries/{entry.pk}").json()
    assert detail["version"] == 2 and len(detail["revisions"]) == 1


def test_patch_needs_a_version_and_good_values(cast, base, entries) -> None:  # noqa: ANN001
    api = Api(cast.chair)
    url = f"{base}/entries/{entries[0].pk}"
    assert api.patch(url, {"action_taken": "x"}).status_code == 422
    refused = api.patch(url, {"version": 1, "what_happened": ""})
    assert refused.status_code == 422
    assert "what_happened" in refused.json()["errors"]
    assert api.patch(url, {"version": 1, "flag": "brilliant"}).status_code == 422
    assert ChronologyEntry.objects.get(pk=entries[0].pk).version == 1


def test_agency_author_patches_own_content_only(cast, base, entries) -> None:  # noqa: ANN001
    api = Api(cast.agency_author)
    own = f"{base}/entries/{entries[0].pk}"
    assert api.patch(own, {"version": 1, "action_taken": "Advice"}).status_code == 200
    assert api.patch(own, {"version": 2, "analyst_comment": "Mine"}).status_code == 403
    assert api.patch(f"{base}/entries/{entries[1].pk}", {"version": 1}).status_code == 404
    assert Api(cast.panel_member).patch(own, {"version": 2, "action_taken": "y"}).status_code == 403
    assert Api(cast.outsider).patch(own, {"version": 2}).status_code == 404
    assert ChronologyEntry.objects.get(pk=entries[0].pk).analyst_comment == ""


def test_api_exports_are_files_and_audited(cast, base, entries) -> None:  # noqa: ANN001
    api = Api(cast.author)
    response = api.get(f"{base}/export.xlsx", agency=cast.housing.pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.max_row == 2
    event = AuditEvent.objects.latest("id")
    assert event.action == "export"
    assert event.data["filters"] == {"agencies": [cast.housing.pk]}
    assert AuditEvent.objects.filter(action="read", object_type__contains="export").count() == 0
    docx = api.get(f"{base}/export.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
