"""`lantern chronology import` and `lantern chronology template`."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.chronology.columns import STANDARD_COLUMNS
from lantern.chronology.models import ChronologyEntry
from lantern.chronology.tests.import_files import csv_bytes, police_rows, xlsx
from lantern.reviews.models import ReviewAgency

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("chronology", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> tuple[str, str, CommandError]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("chronology", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), error.value


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "police.xlsx"
    good.write_bytes(xlsx([["Police chronology"], *police_rows(), [], ["Notes: see log"]]))
    bad = tmp_path / "more.csv"
    bad.write_bytes(
        csv_bytes(
            [
                ["Date of contact", "Narrative"],
                ["31/02/2024", "Visit"],
                ["04/03/2024", ""],
            ]
        )
    )
    return {"good": good, "bad": bad}


def test_an_import_prints_its_counts_and_warnings(cast: Any, files: dict[str, Path]) -> None:
    out, err = run(
        "import",
        "--review",
        cast.review.reference,
        "--agency",
        "northbridge police",
        str(files["good"]),
    )
    assert out.strip() == (
        "Imported for Northbridge Police into NB-DHR-2024-07: 3 added, 0 replaced, "
        "0 unchanged (1 warnings)"
    )
    assert err.strip() == (
        "police.xlsx, sheet Chronology, row 7, column Date: warning: notes below the data are "
        "not entries and were not imported"
    )
    assert ChronologyEntry.objects.count() == 3


def test_a_refused_import_prints_each_problem_on_a_line_and_exits_1(
    cast: Any, files: dict[str, Path]
) -> None:
    before = ChronologyEntry.objects.count()
    out, err, error = refused(
        "import",
        "--review",
        cast.review.reference,
        "--agency",
        "Northbridge Police",
        str(files["good"]),
        str(files["bad"]),
    )
    assert error.returncode == 1
    assert "nothing was stored" in str(error)
    assert err.splitlines() == [
        "police.xlsx, sheet Chronology, row 7, column Date: warning: notes below the data are "
        "not entries and were not imported",
        "more.csv, row 2, column Date of contact: the date cannot be read: there is no "
        "31 February 2024 (“31/02/2024”)",
        "more.csv, row 3, column Narrative: there is no description of what happened",
    ]
    assert out == ""
    assert ChronologyEntry.objects.count() == before


def test_json_output_has_the_result_and_every_problem(cast: Any, files: dict[str, Path]) -> None:
    args = ["import", "--review", cast.review.reference, "--agency", "Northbridge Police"]
    out, _err, _error = refused(*args, str(files["good"]), str(files["bad"]), "--json")
    data = json.loads(out)
    assert {k: v for k, v in data.items() if k != "problems"} == {
        "review": "NB-DHR-2024-07",
        "agency": "Northbridge Police",
        "stored": False,
        "added": 0,
        "replaced": 0,
        "unchanged": 0,
    }
    assert data["problems"][1] == {
        "file": "more.csv",
        "sheet": "",
        "row": 2,
        "column": "Date of contact",
        "message": "the date cannot be read: there is no 31 February 2024 (“31/02/2024”)",
        "severity": "error",
    }

    out, _err = run(*args, str(files["good"]), "--json")
    assert json.loads(out)["stored"] is True
    out, _err = run(*args, str(files["good"]), "--json")
    assert (json.loads(out)["added"], json.loads(out)["unchanged"]) == (0, 3)


def test_the_agency_must_exist_and_an_organisation_is_added_to_the_review(
    cast: Any, files: dict[str, Path]
) -> None:
    args = ["import", "--review", cast.review.reference, str(files["good"])]
    _out, _err, error = refused(*args, "--agency", "No Such Agency")
    assert "No agency called 'No Such Agency'" in str(error)

    from lantern.testing.factories import OrganisationFactory

    fire = OrganisationFactory(name="Northbridge Fire and Rescue")
    run(*args, "--agency", "Northbridge Fire and Rescue")
    assert ReviewAgency.objects.filter(review=cast.review, organisation=fire).exists()


def test_access_follows_the_user_given_with_as(cast: Any, files: dict[str, Path]) -> None:
    def args(user: str, agency: str) -> list[str]:
        return ["--as", user, "import", "--review", "NB-DHR-2024-07", "--agency", agency] + [
            str(files["good"])
        ]

    _out, _err, error = refused(*args("agency_author", "Northbridge Homes"))
    assert "permission" in str(error)
    _out, _err, error = refused(*args("outsider", "Northbridge Police"))
    assert "No such review" in str(error)
    _out, _err, error = refused(*args("board_member", "Northbridge Police"))
    assert "permission" in str(error)
    out, _err = run(*args("agency_author", "Northbridge Police"))
    assert "3 added" in out
    assert ChronologyEntry.objects.count() == 3


def test_a_missing_file_is_reported(cast: Any, tmp_path: Path) -> None:
    _out, _err, error = refused(
        "import",
        "--review",
        cast.review.reference,
        "--agency",
        "Northbridge Police",
        str(tmp_path / "nope.xlsx"),
    )
    assert "No such file" in str(error)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_template_is_written(db: Any, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"template{suffix}"
    out, _err = run("template", "-o", str(target))
    assert str(target) in out
    headings = [c.heading for c in STANDARD_COLUMNS]
    if suffix == ".xlsx":
        sheet = openpyxl.load_workbook(target)["Chronology"]
        assert [c.value for c in sheet[1]] == headings
    else:
        assert target.read_text(encoding="utf-8-sig").strip().split(",") == headings


def test_the_template_needs_a_known_extension(db: Any, tmp_path: Path) -> None:
    _out, _err, error = refused("template", "-o", str(tmp_path / "template.pdf"))
    assert "must end .xlsx or .csv" in str(error)
