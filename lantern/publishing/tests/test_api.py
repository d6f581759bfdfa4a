"""The publication API: uploads, circulation and comments by agency, errors as data, the
record's refusals, and access."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lantern.conftest import Cast
from lantern.publishing import services
from lantern.publishing.models import DraftComment, DraftVersion
from lantern.publishing.tests.conftest import docx_bytes, zip_not_docx

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def api(cast: Cast, path: str = "") -> str:
    return f"/api/reviews/{cast.review.reference}/publication/{path}"


def as_(client: Client, user) -> Client:  # noqa: ANN001
    client.force_login(user)
    return client


def test_upload_list_final_and_download(client: Client, cast: Cast) -> None:
    as_(client, cast.author)
    bad = client.post(
        api(cast, "drafts"),
        {"kind": "overview_report", "file": SimpleUploadedFile("r.docx", zip_not_docx())},
    )
    assert bad.status_code == 422
    assert "Word document" in bad.json()["errors"]["file"][0]
    created = client.post(
        api(cast, "drafts"),
        {
            "kind": "overview_report",
            "file": SimpleUploadedFile("r.docx", docx_bytes()),
            "note": "first",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["version"] == 1 and body["is_final"] is False and body["note"] == "first"
    final = client.post(api(cast, f"drafts/{body['id']}/final"))
    assert final.json()["is_final"] is True
    assert [v["id"] for v in client.get(api(cast, "drafts")).json()] == [body["id"]]
    file = client.get(api(cast, f"drafts/{body['id']}/file"))
    assert file.content == bytes(DraftVersion.objects.get().content)
    status = client.get(api(cast, "status")).json()
    assert status["finals"]["overview_report"]["version"] == 1


def test_comments_are_per_agency_through_the_api(client: Client, cast: Cast) -> None:
    version = services.draft_upload(
        review=cast.review,
        by=cast.author,
        kind="overview_report",
        filename="r.docx",
        content=docx_bytes(),
    )
    as_(client, cast.author)
    created = client.post(
        api(cast, "circulations"),
        {
            "version_id": version.pk,
            "circulated_on": TODAY.isoformat(),
            "due_on": (TODAY + dt.timedelta(days=10)).isoformat(),
            "agencies": ["Northbridge Police", cast.housing.pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    circulation = created.json()
    assert circulation["agencies"] == ["Northbridge Homes", "Northbridge Police"]

    as_(client, cast.agency_author)
    made = client.post(
        api(cast, f"circulations/{circulation['id']}/comments"),
        {"text": "Police: wrong date", "section": "3.1"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["agency"] == "Northbridge Police"
    as_(client, cast.other_agency_author)
    client.post(
        api(cast, f"circulations/{circulation['id']}/comments"),
        {"text": "Homes: tenancy date"},
        content_type="application/json",
    )
    speaking_for_police = client.post(
        api(cast, f"circulations/{circulation['id']}/comments"),
        {"text": "x", "agency": "Northbridge Police"},
        content_type="application/json",
    )
    assert speaking_for_police.status_code == 403
    assert [c["text"] for c in client.get(api(cast, "comments")).json()] == ["Homes: tenancy date"]
    as_(client, cast.coordinator)
    assert len(client.get(api(cast, "comments")).json()) == 2
    comment = DraftComment.objects.get(text="Police: wrong date")
    as_(client, cast.agency_author)
    assert (
        client.post(
            api(cast, f"comments/{comment.pk}/response"),
            {"response": "accepted"},
            content_type="application/json",
        ).status_code
        == 403
    )
    as_(client, cast.author)
    answered = client.post(
        api(cast, f"comments/{comment.pk}/response"),
        {"response": "not_accepted", "reason": "The record shows 3 March."},
        content_type="application/json",
    )
    assert answered.json()["response"] == "not_accepted"


def test_the_record_says_what_blocks_publication_and_refuses(client: Client, cast: Cast) -> None:
    as_(client, cast.board_member)
    record = client.get(api(cast, "record")).json()
    assert record["published"] is False
    assert any("QA panel" in b for b in record["blockers"])
    as_(client, cast.coordinator)
    refused = client.post(
        api(cast, "record"),
        {"published_on": TODAY.isoformat(), "location": "https://example.org/dhr"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert any("QA panel" in m for m in refused.json()["messages"])
    pack = client.post(api(cast, "pack"), {}, content_type="application/json")
    assert pack.status_code == 422
    assert pack.json()["problems"][0]["file"] == "submission pack"


@pytest.mark.parametrize(
    "role,path,status",
    [
        ("board_member", "drafts", 403),
        ("agency_author", "drafts", 403),
        ("agency_author", "status", 403),
        ("agency_author", "acknowledgements", 200),
        ("chair", "acknowledgements", 403),
        ("board_member", "checklist", 200),
        ("outsider", "status", 404),
        ("panel_member", "family-readings", 403),
    ],
)
def test_reads_follow_the_capabilities(client: Client, cast: Cast, role, path, status) -> None:  # noqa: ANN001
    as_(client, getattr(cast, role))
    assert client.get(api(cast, path)).status_code == status


def test_the_family_reading_through_the_api(client: Client, cast: Cast) -> None:
    as_(client, cast.chair)
    made = client.post(
        api(cast, "family-readings"),
        {"offered_on": (TODAY - dt.timedelta(days=4)).isoformat()},
        content_type="application/json",
    )
    assert made.status_code == 201
    reading = made.json()
    wrong = client.patch(
        api(cast, f"family-readings/{reading['id']}"),
        {"read_on": (TODAY - dt.timedelta(days=10)).isoformat()},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and "read_on" in wrong.json()["errors"]
    done = client.patch(
        api(cast, f"family-readings/{reading['id']}"),
        {"read_on": TODAY.isoformat(), "comments": "Fine", "how_addressed": "Nothing needed"},
        content_type="application/json",
    )
    assert done.json()["read_on"] == TODAY.isoformat()
    as_(client, cast.author)
    assert (
        client.post(
            api(cast, "family-readings"),
            {"offered_on": TODAY.isoformat()},
            content_type="application/json",
        ).status_code
        == 403
    )
