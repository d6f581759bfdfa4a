"""The anonymisation API with bearer tokens, as a client would use it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from lantern.accounts.services import api_token_create
from lantern.anonymisation import services
from lantern.anonymisation.tests.conftest import DRAFT_TEXT
from lantern.conftest import Cast

pytestmark = pytest.mark.django_db
BASE = "/api/reviews/NB-DHR-2024-07/anonymisation"


class Api:
    def __init__(self, user: Any) -> None:
        self.client = Client()
        _token, token = api_token_create(user=user, by=user, name="tests")
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str) -> Any:
        return self.client.get(BASE + path, headers=self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(
            BASE + path,
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )

    def upload(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(BASE + path, data, headers=self.headers)


def test_a_check_by_upload_then_resolved_and_corrected(cast: Cast, tmp_path) -> None:
    api = Api(cast.author)
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT_TEXT, encoding="utf-8")
    with path.open("rb") as handle:
        response = api.upload("/checks", {"file": handle})
    assert response.status_code == 201, response.content
    check = response.json()
    assert check["state"] == "unresolved" and check["format"] == "txt"
    first = check["findings"][0]
    assert set(first) >= {"start", "end", "text", "category", "suggestion", "status", "number"}
    assert DRAFT_TEXT[first["start"] : first["end"]] == first["text"]
    assert api.get(f"/checks/{check['id']}/text").content.decode() == DRAFT_TEXT
    assert api.get(f"/status/{check['sha256']}").json()["status"] == "unresolved"
    refused = api.post(f"/checks/{check['id']}/findings/1", {"action": "accept"})
    assert refused.status_code == 422 and "reason" in refused.json()["errors"]
    for f in check["findings"]:
        r = api.post(
            f"/checks/{check['id']}/findings/{f['number']}",
            {"action": "replace", "replacement": f["suggestion"]},
        )
        assert r.status_code == 200 and r.json()["status"] == "replaced"
    assert api.get(f"/checks/{check['id']}").json()["state"] == "corrected"
    corrected = api.get(f"/checks/{check['id']}/corrected")
    assert corrected.status_code == 200 and b"Joanne" not in corrected.content
    digest = services.sha256_of(corrected.content)
    assert api.get(f"/status/{digest}").json() == {"sha256": digest, "status": "clear"}
    listed = api.get("/checks").json()
    assert [c["id"] for c in listed] == [check["id"]] and "findings" not in listed[0]


def test_text_can_be_sent_and_checked_without_storing(cast: Cast) -> None:
    api = Api(cast.chair)
    found = api.post("/check-text", {"text": "Darren Pike and Kerry"}).json()
    assert found == [
        {
            "start": 0,
            "end": 11,
            "text": "Darren Pike",
            "category": "person_name",
            "suggestion": "Lee",
        }
    ]
    assert api.get("/checks").json() == []
    stored = api.upload("/checks", {"text": "Darren Pike and Kerry"})
    assert stored.status_code == 201 and stored.json()["filename"] == "pasted-text.txt"


def test_a_bad_file_gives_422_with_the_problem(cast: Cast, tmp_path) -> None:
    api = Api(cast.chair)
    path = tmp_path / "report.docx"
    path.write_bytes(b"%PDF-1.4 rest")
    with path.open("rb") as handle:
        response = api.upload("/checks", {"file": handle})
    assert response.status_code == 422
    assert response.json()["problems"][0]["file"] == "report.docx"
    assert "not a Word document" in response.json()["messages"][0]


@pytest.mark.parametrize(
    ("role", "status"),
    [("chair", 200), ("panel_member", 403), ("agency_author", 403), ("outsider", 404)],
)
def test_access_by_role(cast: Cast, role: str, status: int) -> None:
    api = Api(getattr(cast, role))
    assert api.get("/checks").status_code == status
    assert api.get("/places").status_code == status
    code = api.post("/check-text", {"text": "x"}).status_code
    assert code == status


def test_places_through_the_api(cast: Cast) -> None:
    api = Api(cast.coordinator)
    created = api.post("/places", {"kind": "address", "text": "14 Mill Lane, Eastfield"})
    assert created.status_code == 201
    assert [p["text"] for p in api.get("/places").json()] == ["14 Mill Lane, Eastfield"]
    found = api.post("/check-text", {"text": "Damage at Mill Lane."}).json()
    assert [(f["text"], f["category"]) for f in found] == [("Mill Lane", "address")]
    deleted = api.client.delete(f"{BASE}/places/{created.json()['id']}", headers=api.headers)
    assert deleted.status_code == 204 and api.get("/places").json() == []
