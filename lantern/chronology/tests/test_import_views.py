"""The import page and the template downloads, as each member of the cast sees them."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lantern.chronology.columns import STANDARD_COLUMNS
from lantern.chronology.importer import parse_file
from lantern.chronology.models import ChronologyEntry, ChronologyFile
from lantern.chronology.services import chronology_import
from lantern.chronology.templates_xlsx import template_csv, template_xlsx
from lantern.chronology.tests.import_files import csv_bytes, police_rows, xlsx
from lantern.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def url(cast: Any, name: str = "import") -> str:
    return reverse(f"chronology:{name}", kwargs={"reference": cast.review.reference})


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def agency_options(html: str) -> list[str]:
    start = html.index('name="agency"')
    end = html.index("</select>", start)
    return [part.split(">", 1)[1].split("<", 1)[0] for part in html[start:end].split("<option")[1:]]


def test_the_coordinator_can_import_for_any_of_the_reviews_agencies(client: Any, cast: Any) -> None:
    client.force_login(cast.coordinator)
    response = client.get(url(cast))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Import a chronology" in html
    assert agency_options(html) == ["Select an agency", "Northbridge Homes", "Northbridge Police"]
    assert url(cast, "template_xlsx") in html and url(cast, "template_csv") in html


def test_an_agency_author_is_offered_only_their_own_agency(client: Any, cast: Any) -> None:
    client.force_login(cast.agency_author)
    html = client.get(url(cast)).content.decode()
    assert agency_options(html) == ["Northbridge Police"]


def test_an_import_shows_what_was_added(client: Any, cast: Any) -> None:
    client.force_login(cast.agency_author)
    rows = police_rows() + [[], ["Notes: times approximate"]]
    response = client.post(
        url(cast),
        {"agency": cast.police.pk, "files": [upload("police.xlsx", xlsx(rows))]},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Imported: 3 entries added, 0 replaced, 0 unchanged" in html
    assert "Notes below the data are not entries and were not imported" in html
    assert "Notes: times approximate" in html
    assert ChronologyEntry.objects.filter(agency=cast.police).count() == 3
    # The files table now lists it, with who imported it.
    assert "police.xlsx" in html
    assert cast.agency_author.display_name in html


def test_a_refused_import_lists_every_problem_and_stores_nothing(client: Any, cast: Any) -> None:
    client.force_login(cast.coordinator)
    bad = [
        police_rows()[0],
        ["31/02/2024", "", "", "Victim", "Visit", ""],
        ["soon", "", "", "", "X", ""],
    ]
    response = client.post(
        url(cast),
        {
            "agency": cast.police.pk,
            "files": [upload("good.xlsx", xlsx(police_rows())), upload("bad.csv", csv_bytes(bad))],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Import a chronology" in html
    assert "govuk-error-summary" in html
    assert "There are 2 problems to fix. Nothing was stored." in html
    assert "there is no 31 February 2024" in html
    assert "“soon” is not a date" in html
    assert ChronologyEntry.objects.count() == 0
    assert ChronologyFile.objects.count() == 0


def test_a_file_that_is_not_a_spreadsheet_is_refused(client: Any, cast: Any) -> None:
    client.force_login(cast.coordinator)
    response = client.post(
        url(cast), {"agency": cast.police.pk, "files": [upload("police.xlsx", b"%PDF-1.4 x")]}
    )
    assert "this is a PDF document, not a spreadsheet" in response.content.decode()
    assert ChronologyFile.objects.count() == 0


def test_an_agency_author_cannot_import_for_another_agency(client: Any, cast: Any) -> None:
    client.force_login(cast.agency_author)
    response = client.post(
        url(cast), {"agency": cast.housing.pk, "files": [upload("x.xlsx", xlsx(police_rows()))]}
    )
    assert "Select one of the agencies listed" in response.content.decode()
    assert ChronologyEntry.objects.count() == 0


def test_choosing_no_file_is_an_error(client: Any, cast: Any) -> None:
    client.force_login(cast.coordinator)
    response = client.post(url(cast), {"agency": cast.police.pk})
    assert "Choose at least one file to import" in response.content.decode()


def test_a_panel_member_sees_the_files_but_cannot_import(client: Any, cast: Any) -> None:
    chronology_import(
        review=cast.review,
        agency=cast.housing,
        files=[("homes.csv", csv_bytes([["Date", "What happened"], ["09/01/2024", "A"]]))],
        by=cast.coordinator,
    )
    chronology_import(
        review=cast.review,
        agency=cast.police,
        files=[("police.csv", csv_bytes(police_rows()))],
        by=cast.coordinator,
    )
    client.force_login(cast.panel_member)
    response = client.get(url(cast))
    html = response.content.decode()
    assert response.status_code == 200
    assert "You cannot import chronologies on this review" in html
    assert 'name="files"' not in html
    # Their own agency's file, not housing's (not shared with the panel).
    assert "police.csv" in html and "homes.csv" not in html
    assert client.post(url(cast), {"agency": cast.police.pk}).status_code == 403


def test_agency_authors_see_only_their_own_agencys_imports(client: Any, cast: Any) -> None:
    chronology_import(
        review=cast.review,
        agency=cast.police,
        files=[("police.csv", csv_bytes(police_rows()))],
        by=cast.coordinator,
    )
    client.force_login(cast.other_agency_author)
    html = client.get(url(cast)).content.decode()
    assert "police.csv" not in html
    assert "No chronology files have been imported" in html


@pytest.mark.parametrize(("role", "status"), [("board_member", 403), ("outsider", 404)])
def test_others_are_refused(client: Any, cast: Any, role: str, status: int) -> None:
    client.force_login(getattr(cast, role))
    for name in ("import", "template_xlsx", "template_csv"):
        assert client.get(url(cast, name)).status_code == status
    assert client.post(url(cast), {"agency": cast.police.pk}).status_code == status


def test_the_page_view_is_audited(client: Any, cast: Any) -> None:
    client.force_login(cast.chair)
    client.get(url(cast))
    event = AuditEvent.objects.filter(action=AuditEvent.Action.READ).last()
    assert (event.actor, event.object_type) == (cast.chair, "chronology imports")


# --- the template ---------------------------------------------------------------------------------


def test_the_xlsx_template_has_the_standard_columns_a_subject_dropdown_and_instructions(
    client: Any, cast: Any
) -> None:
    client.force_login(cast.agency_author)
    response = client.get(url(cast, "template_xlsx"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Chronology"]
    assert [c.value for c in sheet[1]] == [c.heading for c in STANDARD_COLUMNS]
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert [v.formula1 for v in lists] == ['"Victim,Perpetrator,Child,Other"']
    assert str(lists[0].sqref).startswith("E2:")
    date_hint = next(v for v in sheet.data_validations.dataValidation if v.type == "date")
    assert "Day first" in date_hint.prompt
    guide = book["Instructions"]
    text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "What happened" in text and cast.review.reference in text


def test_the_csv_template_is_the_header_row_in_utf8_with_a_byte_order_mark(
    client: Any, cast: Any
) -> None:
    client.force_login(cast.coordinator)
    response = client.get(url(cast, "template_csv"))
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode("utf-8-sig").strip() == ",".join(
        f'"{c.heading}"' if "," in c.heading else c.heading for c in STANDARD_COLUMNS
    )


def test_a_filled_in_template_imports_without_a_single_warning() -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(reference="NB-DHR-2024-07")))
    sheet = book["Chronology"]
    sheet["A2"] = "14/03/2022"
    sheet["B2"] = "14:30"
    sheet["E2"] = "Victim"
    sheet["F2"] = "Attended the surgery; disclosed abuse"
    sheet["H2"] = "DASH: high (16). MARAC referral made"
    out = io.BytesIO()
    book.save(out)
    parsed = parse_file("template.xlsx", out.getvalue())
    assert parsed.problems == []
    [row] = parsed.rows
    assert (row.subject, row.dash_level, row.marac_referral) == ("victim", "high", True)

    csv_parsed = parse_file("template.csv", template_csv() + b"14/03/2022,,,,,Seen\r\n")
    assert csv_parsed.problems == []
    assert [r.what_happened for r in csv_parsed.rows] == ["Seen"]
