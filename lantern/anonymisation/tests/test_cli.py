"""`lantern publish text|check|status|evaluate`: the contract shapes exactly."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.anonymisation.models import Check
from lantern.anonymisation.tests.conftest import DRAFT_TEXT, make_pdf
from lantern.conftest import Cast

REF = "NB-DHR-2024-07"
CATEGORIES = {
    "person_name", "address", "postcode", "date_of_birth", "exact_date", "phone", "email",
    "nhs_number", "ni_number", "vehicle_registration", "other_identifier",
    "organisation_identifying",
}  # fmt: skip


def run(*args: str, as_user: str | None = None) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    options = {"as_user": as_user} if as_user else {}
    code = 0
    try:
        call_command("publish", *args, stdout=out, stderr=err, **options)
    except CommandError as error:
        code = getattr(error, "returncode", 1)
        err.write(str(error))
    return out.getvalue(), err.getvalue(), code


def test_text_of_a_txt_file_is_the_file_unchanged(tmp_path: Path) -> None:
    raw = "Line one\r\n\r\n  Indented   line\ttab\r\nlast line without newline"
    path = tmp_path / "draft.txt"
    path.write_bytes(raw.encode("utf-8"))
    out, _err, code = run("text", str(path))
    assert code == 0 and out == raw


def test_text_of_a_docx_and_a_pdf_is_paragraphs_with_blank_lines(
    tmp_path: Path, split_docx
) -> None:
    docx_path = tmp_path / "draft.docx"
    docx_path.write_bytes(split_docx)
    out, _err, _code = run("text", str(docx_path))
    assert out.split("\n\n") == [
        "Executive summary",
        "Kerry (Joanne Whitfield) lived with Lee. PC Hollins attended on 12 March 2021.",
        "Northbridge Police made a referral in March 2021.",
    ]
    pdf_path = tmp_path / "draft.pdf"
    pdf_path.write_bytes(make_pdf(DRAFT_TEXT))
    out, _err, _code = run("text", str(pdf_path))
    assert out.split("\n\n")[0] == "Executive summary"
    assert "Kerry (Joanne Whitfield) lived at 14 Mill Lane with Lee." in out


def test_text_of_a_bad_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(b"%PDF-1.4 rest")
    _out, err, code = run("text", str(path))
    assert code == 1 and "report.docx: not a Word document (it is a PDF)" in err


@pytest.mark.django_db
def test_check_json_is_the_contract_with_offsets_into_the_text(
    cast: Cast, tmp_path: Path, split_docx
) -> None:
    for name, data in (("draft.txt", DRAFT_TEXT.encode()), ("draft.docx", split_docx)):
        path = tmp_path / name
        path.write_bytes(data)
        text, _err, _code = run("text", str(path))
        out, err, code = run("check", str(path), "--review", REF, "--json")
        findings = json.loads(out)
        assert code == 0 and "finding(s)" in err
        assert findings and isinstance(findings, list)
        previous = -1
        for f in findings:
            assert set(f) == {"start", "end", "text", "category", "suggestion"}
            assert isinstance(f["start"], int) and isinstance(f["end"], int)
            assert text[f["start"] : f["end"]] == f["text"]
            assert f["category"] in CATEGORIES and f["suggestion"]
            assert f["start"] >= previous
            previous = f["end"]
        assert {
            "text": "Joanne Whitfield",
            "category": "person_name",
            "suggestion": "Kerry",
        }.items() <= next(f for f in findings if f["text"] == "Joanne Whitfield").items()
    assert Check.objects.filter(channel="cli").count() == 2


@pytest.mark.django_db
def test_check_without_json_prints_a_table_and_no_store_stores_nothing(
    cast: Cast, tmp_path: Path
) -> None:
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT_TEXT, encoding="utf-8")
    out, _err, code = run("check", str(path), "--review", REF, "--no-store")
    assert code == 0
    _out, _err, failing = run(
        "check", str(path), "--review", REF, "--no-store", "--fail-on-findings"
    )
    assert failing == 3
    assert "Joanne Whitfield" in out and "Name" in out and "Kerry" in out
    assert Check.objects.count() == 0
    clean = tmp_path / "clean.txt"
    clean.write_text("Kerry and Lee met in March 2015.", encoding="utf-8")
    out, _err, code = run("check", str(clean), "--review", REF, "--json", "--no-store")
    assert code == 0 and json.loads(out) == []


@pytest.mark.django_db
def test_check_access_follows_the_user(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text(DRAFT_TEXT, encoding="utf-8")
    _out, err, code = run("check", str(path), "--review", REF, as_user="panel_member")
    assert code == 1 and "permission" in err
    _out, err, code = run("check", str(path), "--review", REF, as_user="outsider")
    assert code == 1 and "No such review" in err


@pytest.mark.django_db
def test_status_of_a_file(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text("Kerry and Lee.", encoding="utf-8")
    out, _err, _code = run("status", str(path), "--review", REF, "--json")
    assert json.loads(out)["status"] == "not_checked"
    run("check", str(path), "--review", REF)
    out, _err, _code = run("status", str(path), "--review", REF, "--json")
    assert json.loads(out)["status"] == "clear"


def test_evaluate_reports_per_category() -> None:
    out, _err, code = run("evaluate", "--json")
    report = json.loads(out)
    assert code == 0 and report["set"] == "labelled"
    assert set(report["categories"]) == CATEGORIES
    assert report["register_names"]["recall"] == 1.0


def test_the_lantern_command_prints_the_text(tmp_path: Path) -> None:
    """The real console entry point, in a child process, reading no database."""
    path = tmp_path / "a.txt"
    path.write_bytes("Café\r\nLine".encode())
    result = subprocess.run(
        [sys.executable, "-m", "lantern.cli", "publish", "text", str(path)],
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "lantern.config.settings.test", "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parents[3],
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == "Café\r\nLine".encode()
