"""The recommendations API, with bearer tokens as a client would use it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from lantern.accounts.services import api_token_create
from lantern.conftest import Cast
from lantern.core.models import AuditEvent
from lantern.recommendations import services
from lantern.recommendations.models import Action, PlanChange, Recommendation
from lantern.recommendations.tests.conftest import TODAY, Plan
from lantern.recommendations.tests.workbooks import published_rows, write_published_plan

pytestmark = pytest.mark.django_db

BASE = "/api/reviews/NB-DHR-2024-07"


class Api:
    def __init__(self, user: Any) -> None:
        self.client = Client()
        _token, token = api_token_create(user=user, by=user, name="tests")
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def send(self, method: str, path: str, body: Any = None) -> Any:
        return getattr(self.client, method)(
            path, data=body or {}, content_type="application/json", headers=self.headers
        )

    def upload(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(path, data, headers=self.headers)


def test_the_plan_is_read_by_members_with_what_each_may_update(cast: Cast, plan: Plan) -> None:
    data = Api(cast.agency_author).get(f"{BASE}/recommendations").json()
    assert [r["number"] for r in data] == ["1", "SA1"]
    actions = {a["label"]: a for r in data for a in r["actions"]}
    assert actions["1.1"]["can_update"] is True
    assert actions["1.2"]["can_update"] is False
    assert actions["SA1.1"]["smart_flags"][0]["code"] == "not_specific"
    assert Api(cast.board_member).get(f"{BASE}/recommendations").status_code == 200
    assert Api(cast.outsider).get(f"{BASE}/recommendations").status_code == 404
    assert AuditEvent.objects.filter(object_type="action plan", action="read").count() == 2


def test_summary_and_overdue_have_the_cli_shapes(cast: Cast, plan: Plan) -> None:
    api = Api(cast.board_member)
    summary = api.get(f"{BASE}/action-plan/summary", as_of=TODAY.isoformat()).json()
    assert summary == {
        "recommendations": 2,
        "overarching": 1,
        "single_agency": 1,
        "actions": 3,
        "by_status": {
            "not_started": 2,
            "in_progress": 1,
            "complete": 0,
            "not_achieved": 0,
            "superseded": 0,
        },
        "overdue": 1,
    }
    overdue = api.get(f"{BASE}/action-plan/overdue", as_of=TODAY.isoformat()).json()
    assert overdue == [
        {
            "recommendation": "1",
            "action": "Refresh DASH training for every response officer after Kerry's case",
            "lead": "Northbridge Police",
            "target_date": (TODAY - timedelta(days=10)).isoformat(),
            "status": "in_progress",
        }
    ]
    assert api.get(f"{BASE}/action-plan/summary", as_of="31/12/2025").status_code == 422


def test_a_coordinator_writes_a_recommendation_and_an_action(cast: Cast) -> None:
    api = Api(cast.coordinator)
    response = api.send(
        "post",
        f"{BASE}/recommendations",
        {
            "number": "SA9",
            "kind": "single_agency",
            "text": "Probation to share risk information with the IDVA service.",
            "scope": "single_agency",
            "themes": ["multi_agency_working"],
            "source": "imr",
            "source_agency": "Northbridge Police",
        },
    )
    assert response.status_code == 201, response.content
    rec_id = response.json()["id"]
    response = api.send(
        "post",
        f"{BASE}/recommendations/{rec_id}/actions",
        {
            "description": "Write an information-sharing protocol with the IDVA service",
            "lead": "Northbridge Police",
            "target_date": "2025-12-31",
            "outcome_measure": "Protocol signed by both",
        },
    )
    assert response.status_code == 201
    assert response.json()["label"] == "SA9.1" and response.json()["smart_flags"] == []
    assert Action.objects.get().lead_agency == cast.police
    bad = api.send("post", f"{BASE}/recommendations", {"number": "SA9", "kind": "nope"})
    assert bad.status_code == 422
    assert Api(cast.board_member).send("post", f"{BASE}/recommendations", {}).status_code == 403
    assert Api(cast.outsider).send("post", f"{BASE}/recommendations", {}).status_code == 404


def test_progress_by_agency_authors_only_on_their_own_agencys_actions(
    cast: Cast, plan: Plan
) -> None:
    api = Api(cast.agency_author)
    own = api.send(
        "post",
        f"{BASE}/actions/{plan.police_action.pk}/progress",
        {"status": "in_progress", "note": "Course booked"},
    )
    assert own.status_code == 200
    other = api.send(
        "post",
        f"{BASE}/actions/{plan.housing_action.pk}/progress",
        {"status": "in_progress", "note": "Not mine"},
    )
    assert other.status_code == 403
    board = Api(cast.board_member).send(
        "post", f"{BASE}/actions/{plan.police_action.pk}/progress", {"status": "complete"}
    )
    assert board.status_code == 403
    outsider = Api(cast.outsider).send(
        "post", f"{BASE}/actions/{plan.police_action.pk}/progress", {"status": "complete"}
    )
    assert outsider.status_code == 404
    detail = api.get(f"{BASE}/actions/{plan.police_action.pk}").json()
    assert [(c["kind"], c["by"], c["note"]) for c in detail["changes"]] == [
        ("progress", "agency_author", "Course booked"),
        ("created", "coordinator", ""),
    ]
    refused = api.send(
        "patch", f"{BASE}/actions/{plan.police_action.pk}", {"target_date": "2030-01-01"}
    )
    assert refused.status_code == 403


def test_evidence_and_sign_off(cast: Cast, plan: Plan) -> None:
    api = Api(cast.agency_author)
    response = api.upload(
        f"{BASE}/actions/{plan.police_action.pk}/evidence",
        {"note": "Register", "file": _file("register.txt", b"42 officers")},
    )
    assert response.status_code == 201, response.content
    evidence_id = response.json()["id"]
    download = Api(cast.board_member).get(
        f"{BASE}/actions/{plan.police_action.pk}/evidence/{evidence_id}"
    )
    assert download.content == b"42 officers"
    services.action_progress(
        action=plan.police_action,
        by=cast.agency_author,
        status="complete",
        completed_on=TODAY,
        outcome="Trained",
    )
    path = f"{BASE}/actions/{plan.police_action.pk}/sign-off"
    assert Api(cast.chair).send("post", path, {"note": ""}).status_code == 403
    signed = Api(cast.coordinator).send("post", path, {"note": "Seen"})
    assert signed.status_code == 200 and signed.json()["signed_off_by"] == "coordinator"
    again = Api(cast.coordinator).send("post", path, {"note": "Seen"})
    assert again.status_code == 422


def _file(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_import_refuses_a_file_with_errors_naming_the_cell_and_stores_nothing(
    cast: Cast, tmp_path: Path
) -> None:
    rows = published_rows()
    rows[4].cells[6] = "31/02/2025"
    bad = write_published_plan(tmp_path / "bad.xlsx", rows)
    api = Api(cast.coordinator)
    response = api.upload(
        f"{BASE}/action-plan/import", {"file": _file("bad.xlsx", bad.read_bytes())}
    )
    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert (problem["sheet"], problem["row"], problem["column"], problem["value"]) == (
        "DHR Action Plan",
        10,
        "G",
        "31/02/2025",
    )
    assert not Recommendation.objects.exists() and not PlanChange.objects.exists()
    good = write_published_plan(tmp_path / "good.xlsx")
    response = api.upload(
        f"{BASE}/action-plan/import", {"file": _file("good.xlsx", good.read_bytes())}
    )
    assert response.status_code == 200
    assert (response.json()["recommendations"], response.json()["actions"]) == (6, 10)
    export = Api(cast.board_member).get(f"{BASE}/action-plan/export")
    sheet = load_workbook(__import__("io").BytesIO(export.content)).active
    assert sheet["A6"].value == "Overarching recommendations"
    docx = Api(cast.board_member).get(f"{BASE}/action-plan/export", format="docx")
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    assert (
        Api(cast.agency_author)
        .upload(f"{BASE}/action-plan/import", {"file": _file("good.xlsx", good.read_bytes())})
        .status_code
        == 403
    )


def test_similar_recommendations_through_the_api(cast: Cast, plan: Plan) -> None:
    from lantern.testing.factories import ReviewFactory

    other = ReviewFactory(reference="NB-DHR-2021-01", csp=cast.csp)
    Recommendation.objects.create(
        review=other,
        number="3",
        kind="overarching",
        scope="local",
        text="Refresh DASH risk training for response officers",
    )
    found = (
        Api(cast.chair)
        .get(f"{BASE}/recommendations/similar", text="DASH training for response officers")
        .json()
    )
    assert found == []  # the chair is not a member of the other review
    found = (
        Api(cast.coordinator)
        .get(f"{BASE}/recommendations/similar", text="DASH training for response officers")
        .json()
    )
    assert [(f["reference"], f["number"]) for f in found] == [("NB-DHR-2021-01", "3")]


def test_oversight_endpoints(cast: Cast, plan: Plan) -> None:
    board = Api(cast.board_member)
    rows = board.get("/api/oversight/actions", as_of=TODAY.isoformat(), overdue=True).json()
    assert [(r["review"], r["label"], r["days_overdue"]) for r in rows] == [
        ("NB-DHR-2024-07", "1.1", 10)
    ]
    summary = board.get("/api/oversight/summary", as_of=TODAY.isoformat()).json()
    assert (summary["actions"], summary["overdue"], summary["due_soon"]) == (3, 1, 1)
    assert {g["name"]: g["overdue"] for g in summary["by_agency"]}["Northbridge Police"] == 1
    assert Api(cast.agency_author).get("/api/oversight/summary").status_code == 403
    outsider = Api(cast.outsider).get("/api/oversight/actions").json()
    assert outsider == []


def test_methods_a_route_lacks_are_404_for_outsiders_and_405_for_members(
    cast: Cast, plan: Plan
) -> None:
    path = f"{BASE}/actions/{plan.police_action.pk}/sign-off"
    assert Api(cast.outsider).get(path).status_code == 404
    assert Api(cast.board_member).get(path).status_code == 405


def test_the_operations_are_documented(cast: Cast) -> None:
    paths = Api(cast.coordinator).get("/api/openapi.json").json()["paths"]
    operations = {
        o["operationId"] for p in paths.values() for o in p.values() if "operationId" in o
    }
    assert {
        "recommendations_list",
        "action_progress",
        "action_sign_off",
        "action_plan_summary",
        "action_plan_overdue",
        "action_plan_import",
        "action_plan_export",
        "oversight_summary",
    } <= operations
