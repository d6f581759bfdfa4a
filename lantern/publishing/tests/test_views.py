"""The publication pages as each role sees them: forms, refusals, and own-agency views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lantern.conftest import Cast
from lantern.core.models import AuditEvent
from lantern.publishing import services
from lantern.publishing.models import DraftComment, DraftVersion
from lantern.publishing.tests.conftest import docx_bytes, zip_not_docx

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def url(cast: Cast, page: str = "") -> str:
    return f"/reviews/{cast.review.reference}/publication/{page}"


def test_the_step_list_shows_what_is_done_and_what_is_next(client, cast: Cast) -> None:  # noqa: ANN001
    client.force_login(cast.board_member)
    response = client.get(url(cast))
    assert response.status_code == 200
    body = response.content.decode()
    for step in (
        "Drafts and final versions",
        "Circulation and factual-accuracy comments",
        "The family&#x27;s reading of the draft",
        "CSP sign-off",
        "Anonymisation check of the finals",
        "Home Office submission pack",
        "Home Office QA panel",
        "Publication",
        "Dissemination of the 7-minute briefing",
    ):
        assert step in body, step
    assert "Next: Drafts and final versions." in body
    # The board reads; it is not offered the drafts (it may not open them).
    assert f'href="{url(cast, "drafts/")}"' not in body
    assert AuditEvent.objects.filter(
        actor=cast.board_member, action=AuditEvent.Action.READ, object_type="publication"
    ).exists()


def test_the_author_uploads_a_draft_and_a_bad_file_is_refused(client, cast: Cast) -> None:  # noqa: ANN001
    client.force_login(cast.author)
    bad = client.post(
        url(cast, "drafts/"),
        {
            "form": "upload",
            "upload-kind": "overview_report",
            "upload-file": SimpleUploadedFile("report.docx", zip_not_docx()),
        },
    )
    assert bad.status_code == 200
    assert "must be a Word document (.docx) or a PDF" in bad.content.decode()
    assert not DraftVersion.objects.exists()
    good = client.post(
        url(cast, "drafts/"),
        {
            "form": "upload",
            "upload-kind": "overview_report",
            "upload-file": SimpleUploadedFile("report.docx", docx_bytes()),
            "upload-final": "on",
        },
    )
    assert good.status_code == 302
    version = DraftVersion.objects.get()
    assert version.is_final
    page = client.get(url(cast, "drafts/")).content.decode()
    assert "Final: version 1." in page
    download = client.get(url(cast, f"drafts/{version.pk}/"))
    assert download.status_code == 200
    assert download.content == bytes(version.content)


@pytest.mark.parametrize("role", ["board_member", "panel_member", "agency_author"])
def test_read_only_roles_cannot_upload(client, cast: Cast, role: str) -> None:  # noqa: ANN001
    client.force_login(getattr(cast, role))
    response = client.post(
        url(cast, "drafts/"),
        {
            "form": "upload",
            "upload-kind": "overview_report",
            "upload-file": SimpleUploadedFile("report.docx", docx_bytes()),
        },
    )
    assert response.status_code == 403
    assert not DraftVersion.objects.exists()


@pytest.mark.parametrize(
    "role,page",
    [
        ("board_member", "qa/"),
        ("board_member", "publish/"),
        ("board_member", "dissemination/"),
        ("board_member", "sign-off/"),
        ("author", "publish/"),
        ("panel_member", "qa/"),
    ],
)
def test_read_only_roles_cannot_record_qa_or_publication(client, cast: Cast, role, page) -> None:  # noqa: ANN001
    client.force_login(getattr(cast, role))
    assert client.get(url(cast, page)).status_code == 200
    assert client.post(url(cast, page), {"form": "publish"}).status_code == 403


def test_agency_authors_see_and_download_only_what_was_circulated_to_their_agency(
    client,
    cast: Cast,  # noqa: ANN001
) -> None:
    version = services.draft_upload(
        review=cast.review,
        by=cast.author,
        kind="overview_report",
        filename="r.docx",
        content=docx_bytes(),
    )
    circulation = services.circulation_create(
        version=version,
        by=cast.author,
        circulated_on=TODAY,
        due_on=TODAY + dt.timedelta(days=7),
        agencies=[cast.police, cast.housing],
    )
    services.comment_add(circulation=circulation, by=cast.agency_author, text="Police point")
    services.comment_add(circulation=circulation, by=cast.other_agency_author, text="Homes point")

    client.force_login(cast.agency_author)
    page = client.get(url(cast, "comments/")).content.decode()
    assert "Police point" in page and "Homes point" not in page
    assert client.get(url(cast, "drafts/")).status_code == 403  # no view_documents
    assert client.get(url(cast, f"comments/{circulation.pk}/draft/")).status_code == 200
    response = client.post(
        url(cast, "comments/"),
        {
            "form": "comment",
            "comment-circulation": circulation.pk,
            "comment-section": "2.1",
            "comment-text": "Another police point",
        },
    )
    assert response.status_code == 302
    assert DraftComment.objects.filter(agency=cast.police).count() == 2

    # A draft circulated to the police alone is not the housing author's to read.
    only_police = services.circulation_create(
        version=version,
        by=cast.author,
        circulated_on=TODAY,
        due_on=TODAY + dt.timedelta(days=7),
        agencies=[cast.police],
    )
    client.force_login(cast.other_agency_author)
    assert client.get(url(cast, f"comments/{only_police.pk}/draft/")).status_code == 404

    client.force_login(cast.author)
    page = client.get(url(cast, "comments/")).content.decode()
    assert "Police point" in page and "Homes point" in page


def test_the_author_responds_to_a_comment_on_the_page(client, cast: Cast) -> None:  # noqa: ANN001
    version = services.draft_upload(
        review=cast.review,
        by=cast.author,
        kind="overview_report",
        filename="r.docx",
        content=docx_bytes(),
    )
    circulation = services.circulation_create(
        version=version,
        by=cast.author,
        circulated_on=TODAY,
        due_on=TODAY,
        agencies=[cast.police],
    )
    comment = services.comment_add(circulation=circulation, by=cast.agency_author, text="Wrong")
    client.force_login(cast.author)
    refused = client.post(
        url(cast, "comments/"),
        {"form": "respond", "respond-comment": comment.pk, "respond-response": "not_accepted"},
    )
    assert "Say why the comment was not accepted." in refused.content.decode()
    client.post(
        url(cast, "comments/"),
        {
            "form": "respond",
            "respond-comment": comment.pk,
            "respond-response": "accepted",
        },
    )
    comment.refresh_from_db()
    assert comment.response == "accepted"
    client.force_login(cast.agency_author)
    assert (
        client.post(
            url(cast, "comments/"),
            {"form": "respond", "respond-comment": comment.pk, "respond-response": "accepted"},
        ).status_code
        == 403
    )


def test_the_pack_page_refuses_to_build_without_finals(client, cast: Cast) -> None:  # noqa: ANN001
    client.force_login(cast.coordinator)
    page = client.get(url(cast, "pack/")).content.decode()
    assert "Mark a final version of the overview report" in page
    assert "What the QA panel looks for" in page
    response = client.post(url(cast, "pack/"), {})
    assert response.status_code == 200
    assert "There is no final version of the overview report" in response.content.decode()


def test_the_family_page_is_for_those_who_see_the_family(client, cast: Cast) -> None:  # noqa: ANN001
    client.force_login(cast.chair)
    response = client.post(
        url(cast, "family/"),
        {
            "form": "reading",
            "reading-offered_on": (TODAY - dt.timedelta(days=2)).isoformat(),
            "reading-read_on": TODAY.isoformat(),
            "reading-comments": "They asked for her love of music to be mentioned.",
            "reading-how_addressed": "Added to the introduction.",
        },
    )
    assert response.status_code == 302
    page = client.get(url(cast, "family/")).content.decode()
    assert "her love of music" in page
    client.force_login(cast.board_member)
    assert client.get(url(cast, "family/")).status_code == 403
