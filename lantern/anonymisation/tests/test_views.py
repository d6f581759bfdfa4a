"""The pages, as each role sees them: check a document, resolve its findings, download the
corrected file, record known places."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lantern.anonymisation import services
from lantern.anonymisation.models import Check, Finding, KnownPlace
from lantern.anonymisation.tests.conftest import DRAFT_TEXT
from lantern.conftest import Cast

pytestmark = pytest.mark.django_db
REF = "NB-DHR-2024-07"


def url(name: str, *args: object) -> str:
    return reverse(f"anonymisation:{name}", args=[REF, *args])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("chair", 200),
        ("author", 200),
        ("panel_member", 403),
        ("agency_author", 403),
        ("board_member", 403),
        ("outsider", 404),
        ("admin", 404),
    ],
)
def test_who_may_open_a_check(client, cast: Cast, role: str, status: int) -> None:
    check = services.run_check(
        review=cast.review, by=cast.chair, filename="d.txt", data=DRAFT_TEXT.encode()
    )
    client.force_login(getattr(cast, role))
    for path in (url("checks"), url("check", check.pk), url("places")):
        assert client.get(path).status_code == status, path
    position = check.findings.first().position
    response = client.post(
        url("finding", check.pk, position),
        {f"f{position}-action": "accept", f"f{position}-reason": "x"},
    )
    assert response.status_code in ({302} if status == 200 else {status})


def test_uploading_shows_the_document_with_findings_marked(client, cast: Cast) -> None:
    client.force_login(cast.author)
    upload = SimpleUploadedFile("draft.txt", DRAFT_TEXT.encode(), content_type="text/plain")
    response = client.post(url("checks"), {"file": upload})
    check = Check.objects.get()
    assert response.status_code == 302 and response["Location"] == url("check", check.pk)
    page = client.get(url("check", check.pk)).content.decode()
    assert (
        '<mark class="anon-mark anon-mark--open"><a href="#finding-1" id="mark-1">Joanne Whitfield'
        in page
    )
    assert "[1 Name]" in page
    total = check.findings.count()
    assert f"0 of {total} resolved" in page
    assert page.count('class="anon-finding anon-finding--open"') == total


def test_pasted_text_is_checked_too(client, cast: Cast) -> None:
    client.force_login(cast.chair)
    client.post(url("checks"), {"text": "Darren Pike was there."})
    check = Check.objects.get()
    assert check.filename == "pasted-text.txt"
    assert [f.text for f in check.findings.all()] == ["Darren Pike"]


def test_a_bad_file_is_refused_with_its_name_and_the_problem(client, cast: Cast) -> None:
    client.force_login(cast.chair)
    upload = SimpleUploadedFile("report.docx", b"%PDF-1.4 rest", content_type="application/pdf")
    response = client.post(url("checks"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "report.docx: not a Word document (it is a PDF)" in page
    assert "govuk-error-summary" in page and Check.objects.count() == 0


def test_resolving_every_finding_then_downloading_the_corrected_file(client, cast: Cast) -> None:
    client.force_login(cast.chair)
    check = services.run_check(
        review=cast.review, by=cast.chair, filename="d.txt", data=DRAFT_TEXT.encode()
    )
    findings = list(check.findings.all())
    # Accepting without a reason is refused and says why.
    first = findings[0]
    response = client.post(
        url("finding", check.pk, first.position), {f"f{first.position}-action": "accept"}
    )
    assert response.status_code == 200
    assert "Say why this can stay as it is." in response.content.decode()
    for f in findings:
        p = f"f{f.position}"
        if f.category == "exact_date":
            data = {f"{p}-action": "accept", f"{p}-reason": "The family agreed the date may stay"}
        else:
            data = {f"{p}-action": "replace", f"{p}-replacement": f.suggestion}
        response = client.post(url("finding", check.pk, f.position), data)
        assert response.status_code == 302
    page = client.get(url("check", check.pk)).content.decode()
    assert f"{len(findings)} of {len(findings)} resolved" in page
    assert "d-anonymised.txt" in page
    download = client.get(url("corrected", check.pk))
    assert download.status_code == 200
    assert 'filename="d-anonymised.txt"' in download["Content-Disposition"]
    body = download.content.decode()
    assert "Joanne" not in body and "12 March 2021" in body
    assert Finding.objects.filter(status="accepted", reason__startswith="The family").count() == 1


def test_a_resolved_finding_can_be_reopened(client, cast: Cast) -> None:
    client.force_login(cast.coordinator)
    check = services.run_check(
        review=cast.review, by=cast.chair, filename="a.txt", data=b"PC Hollins attended."
    )
    f = check.findings.get()
    client.post(
        url("finding", check.pk, 0), {"f0-action": "replace", "f0-replacement": "an officer"}
    )
    f.refresh_from_db()
    assert f.status == "replaced" and f.replacement == "an officer"
    client.post(url("finding", check.pk, 0), {"reopen": "1"})
    f.refresh_from_db()
    assert f.status == "open" and f.replacement == ""


def test_accept_every_open_finding_of_a_kind(client, cast: Cast) -> None:
    client.force_login(cast.chair)
    check = services.run_check(
        review=cast.review,
        by=cast.chair,
        filename="a.txt",
        data=b"Seen on 1 May 2021 and on 2 June 2021 by PC Hollins.",
    )
    client.post(url("accept_all", check.pk), {"category": "exact_date", "reason": "Agreed"})
    assert sorted(check.findings.values_list("category", "status")) == [
        ("exact_date", "accepted"),
        ("exact_date", "accepted"),
        ("person_name", "open"),
    ]


def test_known_places_are_recorded_and_removed(client, cast: Cast) -> None:
    client.force_login(cast.coordinator)
    response = client.post(
        url("places"), {"kind": "school", "text": "St Anne's Primary School", "suggestion": ""}
    )
    assert response.status_code == 302
    place = KnownPlace.objects.get()
    assert "St Anne&#x27;s Primary School" in client.get(url("places")).content.decode()
    again = client.post(url("places"), {"kind": "school", "text": "st anne's primary school"})
    assert "This is already recorded." in again.content.decode()
    client.post(url("place_delete", place.pk))
    assert not KnownPlace.objects.exists()


def test_pages_of_another_review_are_not_found(client, cast: Cast) -> None:
    from lantern.testing.factories import ReviewFactory

    other = ReviewFactory()
    check = services.run_check(
        review=other, by=cast.admin.__class__.objects.system(), filename="a.txt", data=b"x"
    )
    client.force_login(cast.coordinator)
    assert client.get(url("check", check.pk)).status_code == 404


def test_the_document_is_escaped(client, cast: Cast) -> None:
    client.force_login(cast.chair)
    check = services.run_check(
        review=cast.review,
        by=cast.chair,
        filename="a.txt",
        data=b"<script>alert(1)</script> Joanne",
    )
    page = client.get(url("check", check.pk)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert re.search(r"&lt;script&gt;alert\(1\)&lt;/script&gt;", page)
