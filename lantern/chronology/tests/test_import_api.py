"""The import API: the same result shape as the CLI's --json; the template download."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lantern.accounts.services import api_token_create
from lantern.chronology.columns import STANDARD_COLUMNS
from lantern.chronology.models import ChronologyEntry, ChronologyFile
from lantern.chronology.tests.import_files import csv_bytes, police_rows, xlsx

pytestmark = pytest.mark.django_db

IMPORTS = "/api/reviews/NB-DHR-2024-07/chronology/imports"
TEMPLATE = "/api/reviews/NB-DHR-2024-07/chronology/template.xlsx"


def headers(user: Any) -> dict[str, str]:
    _token, secret = api_token_create(user=user, by=user, name="tests")
    return {"Authorization": f"Bearer {secret}"}


def post(user: Any, agency: Any, *files: tuple[str, bytes]) -> Any:
    data: dict[str, Any] = {"agency": str(agency)}
    data["files"] = [SimpleUploadedFile(name, content) for name, content in files]
    return Client().post(IMPORTS, data, headers=headers(user))


def test_an_import_returns_its_counts(cast: Any) -> None:
    response = post(cast.agency_author, cast.police.pk, ("police.xlsx", xlsx(police_rows())))
    assert response.status_code == 200
    assert response.json() == {
        "review": "NB-DHR-2024-07",
        "agency": "Northbridge Police",
        "stored": True,
        "added": 3,
        "replaced": 0,
        "unchanged": 0,
        "problems": [],
    }
    # By name, too: the same file again changes nothing.
    again = post(cast.coordinator, "Northbridge Police", ("police.xlsx", xlsx(police_rows())))
    assert (again.json()["added"], again.json()["unchanged"]) == (0, 3)


def test_a_refused_import_is_422_with_every_problem_and_stores_nothing(cast: Any) -> None:
    bad = [["Date", "What happened"], ["31/02/2024", "Visit"]]
    response = post(
        cast.coordinator,
        cast.police.pk,
        ("police.xlsx", xlsx(police_rows())),
        ("bad.csv", csv_bytes(bad)),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["stored"] is False
    assert body["problems"] == [
        {
            "file": "bad.csv",
            "sheet": "",
            "row": 2,
            "column": "Date",
            "message": "the date cannot be read: there is no 31 February 2024 (“31/02/2024”)",
            "severity": "error",
        }
    ]
    assert ChronologyEntry.objects.count() == ChronologyFile.objects.count() == 0


def test_an_unknown_agency_is_422(cast: Any) -> None:
    response = post(cast.coordinator, "No Such Agency", ("police.xlsx", xlsx(police_rows())))
    assert response.status_code == 422
    assert (
        response.json()["problems"][0]["message"] == "There is no agency called “No Such Agency”."
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("other_agency_author", 403), ("panel_member", 403), ("board_member", 403), ("outsider", 404)],
)
def test_who_may_not_import_is_refused_before_anything_is_read(
    cast: Any, role: str, status: int
) -> None:
    response = post(getattr(cast, role), cast.police.pk, ("police.xlsx", xlsx(police_rows())))
    assert response.status_code == status
    assert ChronologyEntry.objects.count() == 0


def test_the_template_download(cast: Any) -> None:
    response = Client().get(TEMPLATE, headers=headers(cast.other_agency_author))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Chronology"]
    assert [c.value for c in sheet[1]] == [c.heading for c in STANDARD_COLUMNS]
    assert Client().get(TEMPLATE, headers=headers(cast.outsider)).status_code == 404
    assert Client().get(TEMPLATE, headers=headers(cast.board_member)).status_code == 403


def test_other_methods_are_405_for_members_and_404_for_others(cast: Any) -> None:
    assert Client().get(IMPORTS, headers=headers(cast.coordinator)).status_code == 405
    assert Client().get(IMPORTS, headers=headers(cast.outsider)).status_code == 404
