"""The IMR pages: who may open, edit and download an agency's IMR."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lantern.chronology import imr_template
from lantern.chronology import services_returns as services
from lantern.chronology.models import IMR, IMRDocument
from lantern.chronology.tests.returns_support import ask_all, days_ago, exe_bytes, pdf_bytes
from lantern.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _imr_url(cast, agency) -> str:  # noqa: ANN001
    return reverse(
        "chronology:imr", kwargs={"reference": cast.review.reference, "agency_id": agency.pk}
    )


def _doc_url(cast, agency, version: int = 1) -> str:  # noqa: ANN001
    return reverse(
        "chronology:imr_document",
        kwargs={"reference": cast.review.reference, "agency_id": agency.pk, "version": version},
    )


def _with_imrs(cast) -> None:  # noqa: ANN001
    """Police and housing each have an IMR with an uploaded document."""
    ask_all(cast)
    for agency, author in (
        (cast.police, cast.agency_author),
        (cast.housing, cast.other_agency_author),
    ):
        imr = services.imr_save(
            review=cast.review,
            agency=agency,
            by=author,
            sections={"lessons": f"Lessons for {agency.name}"},
            author_name="IMR author",
            independence_statement="Independent.",
            recommendations=[f"Recommendation for {agency.name}"],
        )
        services.imr_document_upload(imr=imr, by=author, filename="imr.pdf", content=pdf_bytes())


# --- access ------------------------------------------------------------------------------------


def test_agency_author_cannot_see_another_agency_imr(client, cast) -> None:
    _with_imrs(cast)
    client.force_login(cast.agency_author)
    assert client.get(_imr_url(cast, cast.housing)).status_code == 404
    assert client.get(_doc_url(cast, cast.housing)).status_code == 404
    response = client.post(
        _imr_url(cast, cast.housing), {"form": "imr", "section_lessons": "Overwritten"}
    )
    assert response.status_code == 404
    assert (
        IMR.objects.get(agency=cast.housing).sections["lessons"] == "Lessons for Northbridge Homes"
    )


def test_agency_author_edits_their_own_imr(client, cast) -> None:
    _with_imrs(cast)
    client.force_login(cast.agency_author)
    body = client.get(_imr_url(cast, cast.police)).content.decode()
    assert 'name="section_analysis_dash"' in body
    assert "Was a DASH risk assessment done, and was it followed?" in body
    response = client.post(
        _imr_url(cast, cast.police),
        {
            "form": "imr",
            "author_name": "IMR author",
            "independence_statement": "Independent.",
            "section_analysis_dash": "DASH done; not followed up.",
            "recommendations": "First\n\nSecond\n",
        },
    )
    assert response.status_code == 302
    imr = IMR.objects.get(agency=cast.police)
    assert imr.sections == {"analysis_dash": "DASH done; not followed up."}
    assert imr.recommendations == ["First", "Second"]


def test_list_of_imrs_only_shows_visible_agencies(client, cast) -> None:
    _with_imrs(cast)
    url = reverse("chronology:imrs", kwargs={"reference": cast.review.reference})
    client.force_login(cast.other_agency_author)
    body = client.get(url).content.decode()
    assert "Northbridge Homes" in body and "Northbridge Police" not in body
    client.force_login(cast.coordinator)
    body = client.get(url).content.decode()
    assert "Northbridge Homes" in body and "Northbridge Police" in body


def test_panel_member_sees_another_agency_imr_only_once_shared(client, cast) -> None:
    _with_imrs(cast)
    client.force_login(cast.panel_member)
    assert client.get(_imr_url(cast, cast.housing)).status_code == 404
    assert client.get(_doc_url(cast, cast.housing)).status_code == 404
    services.agency_share_with_panel(
        review=cast.review, agency=cast.housing, by=cast.chair, shared_on=days_ago(0)
    )
    response = client.get(_imr_url(cast, cast.housing))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lessons for Northbridge Homes" in body
    assert 'name="form"' not in body  # read only
    assert client.get(_doc_url(cast, cast.housing)).status_code == 200
    assert client.post(_imr_url(cast, cast.housing), {"form": "imr"}).status_code == 403


def test_chair_reads_but_cannot_edit(client, cast) -> None:
    _with_imrs(cast)
    client.force_login(cast.chair)
    body = client.get(_imr_url(cast, cast.police)).content.decode()
    assert "Recommendation for Northbridge Police" in body
    assert 'name="form"' not in body


@pytest.mark.parametrize(("role", "status"), [("board_member", 403), ("outsider", 404)])
def test_board_and_outsider(client, cast, role, status) -> None:
    _with_imrs(cast)
    client.force_login(getattr(cast, role))
    assert client.get(_imr_url(cast, cast.police)).status_code == status
    assert client.get(_doc_url(cast, cast.police)).status_code == status
    template = reverse("chronology:imr_template", kwargs={"reference": cast.review.reference})
    assert client.get(template).status_code == status


def test_an_agency_not_on_the_review_is_404(client, cast) -> None:
    from lantern.testing.factories import OrganisationFactory

    stranger = OrganisationFactory(name="Faraway Council")
    client.force_login(cast.coordinator)
    assert client.get(_imr_url(cast, stranger)).status_code == 404


# --- upload, download, sign-off -----------------------------------------------------------------


def test_upload_through_the_page_adds_a_version(client, cast) -> None:
    _with_imrs(cast)
    client.force_login(cast.agency_author)
    response = client.post(
        _imr_url(cast, cast.police),
        {"form": "upload", "document": SimpleUploadedFile("v2.pdf", pdf_bytes())},
    )
    assert response.status_code == 302
    versions = list(
        IMRDocument.objects.filter(imr__agency=cast.police).values_list("version", flat=True)
    )
    assert versions == [2, 1]


def test_an_exe_renamed_docx_is_refused_on_the_page(client, cast) -> None:
    _with_imrs(cast)
    client.force_login(cast.agency_author)
    response = client.post(
        _imr_url(cast, cast.police),
        {"form": "upload", "document": SimpleUploadedFile("imr.docx", exe_bytes())},
    )
    assert response.status_code == 200
    assert "The selected file must be a DOCX or PDF" in response.content.decode()
    assert IMRDocument.objects.filter(imr__agency=cast.police).count() == 1


def test_download_is_audited_and_served_as_an_attachment(client, cast) -> None:
    _with_imrs(cast)
    client.force_login(cast.chair)
    response = client.get(_doc_url(cast, cast.police))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == pdf_bytes()
    event = AuditEvent.objects.get(
        review=cast.review, actor=cast.chair, object_type="chronology.imrdocument"
    )
    assert event.action == AuditEvent.Action.READ
    assert event.summary == "Downloaded Northbridge Police's IMR, version 1"


def test_viewing_an_imr_is_audited_naming_the_agency(client, cast) -> None:
    _with_imrs(cast)
    client.force_login(cast.author)
    client.get(_imr_url(cast, cast.housing))
    event = AuditEvent.objects.filter(
        review=cast.review, actor=cast.author, object_type="IMR"
    ).get()
    assert event.action == "read" and event.object_id == str(cast.housing.pk)


def test_sign_off_through_the_page(client, cast) -> None:
    _with_imrs(cast)
    client.force_login(cast.agency_author)
    response = client.post(
        _imr_url(cast, cast.police),
        {
            "form": "sign_off",
            "senior_manager_name": "Head of Public Protection",
            "signed_off_on": days_ago(0).isoformat(),
        },
    )
    assert response.status_code == 302
    imr = IMR.objects.get(agency=cast.police)
    assert imr.senior_manager_signed_off_on == days_ago(0)
    assert (
        "Signed off by Head of Public Protection"
        in client.get(_imr_url(cast, cast.police)).content.decode()
    )


def test_template_download_is_the_word_template(client, cast) -> None:
    client.force_login(cast.agency_author)
    response = client.get(
        reverse("chronology:imr_template", kwargs={"reference": cast.review.reference})
    )
    assert response.status_code == 200
    assert services.document_kind(response.content) == "docx"
    assert "NB-DHR-2024-07" in response["Content-Disposition"]
    assert str(imr_template.IMR_SECTIONS[0].heading) in _docx_text(response.content)


def _docx_text(content: bytes) -> str:
    import io

    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_list_of_imrs_shows_requested_ones_and_an_authors_own_agency(client, cast) -> None:
    ask_all(cast)
    url = reverse("chronology:imrs", kwargs={"reference": cast.review.reference})
    client.force_login(cast.coordinator)
    assert "Northbridge Police" not in client.get(url).content.decode()
    client.force_login(cast.agency_author)
    assert "Northbridge Police" in client.get(url).content.decode()
    services.returns_request(
        review=cast.review,
        by=cast.coordinator,
        agencies=[cast.police],
        what="imr",
        requested_on=days_ago(1),
    )
    client.force_login(cast.coordinator)
    body = client.get(url).content.decode()
    assert "Northbridge Police" in body and "Northbridge Homes" not in body
