"""The returns and IMR API: the pages' access rules, through bearer tokens as a client would."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lantern.accounts.services import api_token_create
from lantern.chronology import services_returns as services
from lantern.chronology.models import IMR, AgencyReturn, Chaser, IMRDocument
from lantern.chronology.tests.returns_support import ask_all, days_ago, exe_bytes, pdf_bytes
from lantern.core.models import AuditEvent

pytestmark = pytest.mark.django_db

BASE = "/api/reviews/NB-DHR-2024-07/chronology"


class Api:
    def __init__(self, user: Any) -> None:
        self.client = Client()
        _token, self.token = api_token_create(user=user, by=user, name="tests")
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str) -> Any:
        return self.client.get(BASE + path, headers=self.headers)

    def send(self, method: str, path: str, body: Any) -> Any:
        return getattr(self.client, method)(
            BASE + path,
            data=json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )

    def post(self, path: str, body: Any) -> Any:
        return self.send("post", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self.send("put", path, body)


def test_coordinator_asks_and_requests_through_the_api(cast) -> None:
    api = Api(cast.coordinator)
    response = api.post(
        "/returns",
        {"action": "ask", "agencies": [cast.police.pk, cast.housing.pk], "on": "2024-08-16"},
    )
    assert response.status_code == 200, response.content
    rows = {r["agency"]: r for r in response.json()}
    assert rows["Northbridge Police"]["contact_question"]["due_on"] == "2024-09-09"
    response = api.post(
        "/returns",
        {"action": "request", "agencies": [cast.police.pk], "on": "2024-09-10", "what": "imr"},
    )
    assert response.status_code == 200
    police = next(r for r in response.json() if r["agency_id"] == cast.police.pk)
    assert police["imr_kind"] == "imr" and police["imr"]["asked_on"] == "2024-09-10"


def test_request_without_what_is_422(cast) -> None:
    ask_all(cast)
    response = Api(cast.coordinator).post(
        "/returns", {"action": "request", "agencies": [cast.police.pk], "on": "2024-09-10"}
    )
    assert response.status_code == 422
    assert "what" in response.json()["errors"]


def test_agency_author_lists_only_their_agency_and_cannot_ask(cast) -> None:
    ask_all(cast)
    api = Api(cast.agency_author)
    response = api.get("/returns")
    assert [r["agency"] for r in response.json()] == ["Northbridge Police"]
    response = api.post(
        "/returns", {"action": "ask", "agencies": [cast.police.pk], "on": "2024-08-16"}
    )
    assert response.status_code == 403


def test_board_403_and_outsider_404(cast) -> None:
    assert Api(cast.board_member).get("/returns").status_code == 403
    assert Api(cast.outsider).get("/returns").status_code == 404
    assert Api(cast.outsider).post("/returns/chasers", {}).status_code == 404
    assert Api(cast.outsider).get(f"/imrs/{cast.police.pk}").status_code == 404


def test_agency_author_answers_for_own_agency_only(cast) -> None:
    ask_all(cast)
    api = Api(cast.agency_author)
    body = {"answer": "contact", "answered_on": days_ago(1).isoformat()}
    response = api.post(f"/returns/{cast.police.pk}/answer", body)
    assert response.status_code == 200
    assert response.json()["answer"] == "contact"
    assert api.post(f"/returns/{cast.housing.pk}/answer", body).status_code == 404
    assert AgencyReturn.objects.get(agency=cast.housing).answer == ""


def test_chasers_and_sharing(cast, mailoutbox, django_capture_on_commit_callbacks) -> None:
    ask_all(cast)
    with django_capture_on_commit_callbacks(execute=True):
        response = Api(cast.coordinator).post(
            "/returns/chasers",
            {
                "agencies": [cast.police.pk],
                "about": "answer",
                "sent_on": days_ago(0).isoformat(),
                "note": "Phoned too",
            },
        )
    assert response.status_code == 200
    assert response.json()[0]["emailed_count"] == 1
    assert Chaser.objects.count() == 1 and len(mailoutbox) == 1
    assert "Phoned too" not in mailoutbox[0].body
    share = {"agencies": [cast.housing.pk], "shared": True, "on": days_ago(0).isoformat()}
    assert Api(cast.agency_author).post("/returns/share", share).status_code == 403
    assert Api(cast.chair).post("/returns/share", share).status_code == 200
    panel = Api(cast.panel_member).get("/returns").json()
    assert {r["agency"] for r in panel} == {"Northbridge Police", "Northbridge Homes"}


def test_get_on_a_post_only_route_is_405_for_members(cast) -> None:
    assert Api(cast.coordinator).get("/returns/chasers").status_code == 405


def test_imr_put_get_sign_off_and_documents(cast) -> None:
    ask_all(cast)
    api = Api(cast.agency_author)
    response = api.put(
        f"/imrs/{cast.police.pk}",
        {
            "sections": {"introduction": "Why we write.", "analysis_capacity": "Caseloads."},
            "author_name": "IMR author",
            "independence_statement": "Independent.",
            "recommendations": ["One", "Two"],
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["can_edit"] is True
    response = api.post(
        f"/imrs/{cast.police.pk}/sign-off",
        {"senior_manager_name": "Head", "signed_off_on": days_ago(0).isoformat()},
    )
    assert response.json()["senior_manager_signed_off_on"] == days_ago(0).isoformat()
    upload = api.client.post(
        f"{BASE}/imrs/{cast.police.pk}/documents",
        {"document": SimpleUploadedFile("imr.pdf", pdf_bytes())},
        headers=api.headers,
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["version"] == 1
    refused = api.client.post(
        f"{BASE}/imrs/{cast.police.pk}/documents",
        {"document": SimpleUploadedFile("imr.docx", exe_bytes())},
        headers=api.headers,
    )
    assert refused.status_code == 422
    assert IMRDocument.objects.count() == 1
    download = api.get(f"/imrs/{cast.police.pk}/documents/1")
    assert download.status_code == 200 and download.content == pdf_bytes()
    downloads = AuditEvent.objects.filter(
        object_type="chronology.imrdocument", action=AuditEvent.Action.READ, channel="api"
    )
    assert downloads.count() == 1


def test_imr_rules_through_the_api(cast) -> None:
    ask_all(cast)
    services.imr_save(
        review=cast.review,
        agency=cast.housing,
        by=cast.other_agency_author,
        sections={"lessons": "Housing lessons"},
        author_name="A",
        independence_statement="I",
        recommendations=[],
    )
    author = Api(cast.agency_author)
    assert author.get(f"/imrs/{cast.housing.pk}").status_code == 404
    assert author.put(f"/imrs/{cast.housing.pk}", {"sections": {}}).status_code == 404
    panel = Api(cast.panel_member)
    assert panel.get(f"/imrs/{cast.housing.pk}").status_code == 404
    assert panel.get("/imrs").json() == []
    services.agency_share_with_panel(
        review=cast.review, agency=cast.housing, by=cast.chair, shared_on=days_ago(0)
    )
    shown = panel.get(f"/imrs/{cast.housing.pk}").json()
    assert shown["sections"] == {"lessons": "Housing lessons"} and shown["can_edit"] is False
    assert panel.put(f"/imrs/{cast.housing.pk}", {"sections": {}}).status_code == 403
    assert Api(cast.chair).put(f"/imrs/{cast.housing.pk}", {"sections": {}}).status_code == 403
    assert IMR.objects.get(agency=cast.housing).sections == {"lessons": "Housing lessons"}


def test_imr_template_through_the_api(cast) -> None:
    response = Api(cast.agency_author).get("/imr-template.docx")
    assert response.status_code == 200
    assert services.document_kind(response.content) == "docx"
