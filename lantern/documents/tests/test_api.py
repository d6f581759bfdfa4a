"""The documents API for each role: the list, settings, issue log, generating a copy, and the
briefing as data and as a file."""

from __future__ import annotations

import json

import pytest

from lantern.documents.models import DocumentIssue
from lantern.documents.tests.conftest import REAL_NAMES
from lantern.documents.tests.support import names_found, package_text


def api(ref: str, path: str) -> str:
    return f"/api/reviews/{ref}/{path}"


def post_json(client, path: str, data: dict):  # noqa: ANN001, ANN201
    return client.post(path, json.dumps(data), content_type="application/json")


def test_the_list_has_every_document_its_formats_settings_and_the_log(client, documented) -> None:
    client.force_login(documented.cast.panel_member)
    data = client.get(api(documented.reference, "documents")).json()
    assert [(d["kind"], d["formats"]) for d in data["documents"]] == [
        ("overview_report", ["docx", "pdf"]),
        ("executive_summary", ["docx", "pdf"]),
        ("action_plan", ["docx", "xlsx", "pdf"]),
        ("briefing", ["docx", "pdf", "html"]),
    ]
    assert data["settings"]["marking"] == "OFFICIAL-SENSITIVE"
    assert data["settings"]["sources"]["marking"] == "default"
    assert data["issued"] == []


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("panel_member", 200),
        ("agency_author", 403),
        ("board_member", 403),
        ("outsider", 404),
    ],
)
def test_generating_a_copy_by_role(client, documented, role, status) -> None:
    client.force_login(getattr(documented.cast, role))
    response = post_json(
        client,
        api(documented.reference, "documents/action_plan"),
        {"format": "xlsx", "issued_to": "CSP board"},
    )
    assert response.status_code == status
    if status == 200:
        issue = DocumentIssue.objects.get()
        assert response["X-Lantern-SHA256"] == issue.sha256
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "CSP board" in package_text(response.content)
        log = client.get(api(documented.reference, "documents/issued")).json()
        assert [(i["kind"], i["format"], i["issued_to"]) for i in log] == [
            ("action_plan", "xlsx", "CSP board")
        ]
    else:
        assert not DocumentIssue.objects.exists()


def test_a_format_a_document_lacks_is_refused_with_the_field(client, documented) -> None:
    client.force_login(documented.cast.chair)
    response = post_json(
        client, api(documented.reference, "documents/briefing"), {"format": "xlsx"}
    )
    assert response.status_code == 422
    assert "format" in response.json()["errors"]
    response = post_json(client, api(documented.reference, "documents/letter"), {"format": "pdf"})
    assert response.status_code == 422
    assert "kind" in response.json()["errors"]
    response = post_json(
        client, api(documented.reference, "documents/briefing"), {"format": "pdf", "marking": ""}
    )
    assert response.status_code == 200  # the chair may issue an unmarked copy
    client.force_login(documented.cast.panel_member)
    response = post_json(
        client, api(documented.reference, "documents/briefing"), {"format": "pdf", "marking": ""}
    )
    assert response.status_code == 403


def test_the_briefing_as_data_and_as_a_file(client, documented) -> None:
    client.force_login(documented.cast.author)
    data = client.get(api(documented.reference, "briefing")).json()
    assert [s["number"] for s in data["sections"]] == [1, 2, 3, 4, 5, 6, 7]
    assert data["sections"][0]["heading"] == "Context"
    assert data["heading_set"] == "standard"
    assert names_found(json.dumps(data), REAL_NAMES) == []
    assert not DocumentIssue.objects.exists()  # reading is not issuing
    response = client.get(api(documented.reference, "briefing") + "?format=html&issued_to=Team")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"Issued to Team" in response.content
    assert DocumentIssue.objects.get().fmt == "html"


def test_settings_through_the_api(client, documented) -> None:
    cast = documented.cast
    client.force_login(cast.author)
    response = client.put(
        api(documented.reference, "documents/settings"),
        json.dumps({"heading_set": "alternative", "local_services": "Refuge 0808 2000 247"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    assert data["heading_set"] == "alternative"
    assert data["sources"]["heading_set"] == "review"
    briefing = client.get(api(documented.reference, "briefing")).json()
    assert briefing["sections"][0]["heading"] == "Case summary"
    response = client.put(
        api(documented.reference, "documents/settings"),
        json.dumps({"marking": "OFFICIAL", "partnership_default": True}),
        content_type="application/json",
    )
    assert response.status_code == 403  # only the partnership's coordinators
    client.force_login(cast.panel_member)
    assert client.get(api(documented.reference, "documents/settings")).status_code == 200
    response = client.put(
        api(documented.reference, "documents/settings"),
        json.dumps({"marking": "X"}),
        content_type="application/json",
    )
    assert response.status_code == 403
