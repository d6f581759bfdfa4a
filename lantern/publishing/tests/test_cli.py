"""`lantern publication ...`: the status JSON, the pack, and the record verbs."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.conftest import Cast
from lantern.publishing.models import DraftVersion
from lantern.publishing.tests.conftest import docx_bytes, pdf_bytes
from lantern.reviews.models import Review, Stage

pytestmark = pytest.mark.django_db
REF = "NB-DHR-2024-07"
TODAY = dt.date.today()


def run(*args: str, as_user: str | None = None) -> str:
    out = io.StringIO()
    options = {"as_user": as_user} if as_user else {}
    call_command("publication", *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def finals(tmp_path: Path, as_user: str = "author") -> None:
    report = tmp_path / "Overview report v3.docx"
    report.write_bytes(docx_bytes())
    summary = tmp_path / "summary.pdf"
    summary.write_bytes(pdf_bytes())
    run(
        "upload",
        "--review",
        REF,
        "--kind",
        "overview_report",
        str(report),
        "--final",
        as_user=as_user,
    )
    run(
        "upload",
        "--review",
        REF,
        "--kind",
        "executive_summary",
        str(summary),
        "--final",
        as_user=as_user,
    )


def test_status_json_lists_every_step_and_what_blocks_publication(cast: Cast) -> None:
    data = json.loads(run("status", "--review", REF, "--json", as_user="board_member"))
    assert data["review"] == REF
    assert [s["key"] for s in data["steps"]] == [
        "drafts",
        "circulation",
        "family",
        "signoff",
        "anonymisation",
        "pack",
        "qa",
        "publication",
        "dissemination",
    ]
    assert data["next"] == "drafts"
    assert data["can_publish"] is False
    assert any("QA panel" in b for b in data["publication_blockers"])
    assert set(data["steps"][0]) == {"key", "title", "status", "detail", "problems"}


def test_upload_and_final_from_the_console(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(docx_bytes())
    out = json.loads(
        run(
            "upload",
            "--review",
            REF,
            "--kind",
            "overview_report",
            str(path),
            "--json",
            as_user="author",
        )
    )
    assert out["version"] == 1 and out["is_final"] is False and out["format"] == "docx"
    run("final", "--review", REF, "--kind", "overview_report", "--version", "1", as_user="chair")
    assert DraftVersion.objects.get().is_final
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"plain text")
    with pytest.raises(CommandError, match="nothing was stored"):
        run("upload", "--review", REF, "--kind", "overview_report", str(bad), as_user="author")
    with pytest.raises(CommandError, match="permission"):
        run(
            "upload",
            "--review",
            REF,
            "--kind",
            "overview_report",
            str(path),
            as_user="agency_author",
        )
    with pytest.raises(CommandError, match="No such review"):
        run("status", "--review", REF, as_user="outsider")


def test_the_pack_is_refused_without_finals(cast: Cast, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="nothing was stored"):
        run("pack", "--review", REF, "-o", str(tmp_path / "pack.zip"), as_user="coordinator")
    assert not (tmp_path / "pack.zip").exists()


def test_the_pack_holds_the_finals_the_action_plan_and_the_checklist(
    cast: Cast, tmp_path: Path
) -> None:
    finals(tmp_path)
    target = tmp_path / "pack.zip"
    data = json.loads(
        run(
            "pack",
            "--review",
            REF,
            "-o",
            str(target),
            "--briefing",
            "--json",
            as_user="coordinator",
        )
    )
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        checklist = json.loads(archive.read("checklist.json"))
        report = archive.read(f"{REF}-overview-report-v1.docx")
        html = archive.read("checklist.html").decode()
    assert names == {
        f"{REF}-overview-report-v1.docx",
        f"{REF}-executive-summary-v1.pdf",
        f"{REF}-action-plan.xlsx",
        f"{REF}-7-minute-briefing.pdf",
        "checklist.json",
        "checklist.html",
    }
    version = DraftVersion.objects.get(kind="overview_report")
    assert report == bytes(version.content)
    keys = {i["key"]: i for i in checklist["checklist"]}
    assert keys["final_overview_report"]["status"] == "met"
    assert keys["csp_signoff"]["status"] == "gap"
    assert "csp_signoff" in checklist["gaps"] and data["gaps"] == checklist["gaps"]
    assert "Signed off by the CSP" in html
    listed = {f["name"]: f["sha256"] for f in checklist["files"]}
    assert listed[f"{REF}-overview-report-v1.docx"] == version.sha256


def test_sign_off_and_submit_from_the_console(cast: Cast, drafting: Review, tmp_path: Path) -> None:
    finals(tmp_path)
    with pytest.raises(CommandError, match="permission"):
        run(
            "sign-off",
            "--review",
            REF,
            "--on",
            TODAY.isoformat(),
            "--by",
            "Chair",
            as_user="author",
        )
    out = run(
        "sign-off",
        "--review",
        REF,
        "--on",
        TODAY.isoformat(),
        "--by",
        "Chair of the Northbridge CSP",
        as_user="coordinator",
    )
    assert "CSP sign-off" in out
    data = json.loads(
        run("submit", "--review", REF, "--on", TODAY.isoformat(), "--json", as_user="chair")
    )
    assert data["round"] == 1 and len(data["pack_sha256"]) == 64
    drafting.refresh_from_db()
    assert drafting.stage == Stage.QA_SUBMITTED
    data = json.loads(
        run(
            "outcome",
            "--review",
            REF,
            "--outcome",
            "publish_after_changes",
            "--on",
            TODAY.isoformat(),
            "--change",
            "Explain the pause",
            "--change",
            "Fix 4.2",
            "--json",
            as_user="coordinator",
        )
    )
    assert [c["text"] for c in data["changes"]] == ["Explain the pause", "Fix 4.2"]
    drafting.refresh_from_db()
    assert drafting.stage == Stage.QA_APPROVED
    out = run(
        "resolve",
        "--review",
        REF,
        "--change-id",
        str(data["changes"][0]["id"]),
        "--resolution",
        "Paragraph 2.3 added",
        "--on",
        TODAY.isoformat(),
        as_user="author",
    )
    assert "Change 1 of round 1 resolved" in out
    with pytest.raises(CommandError, match="nothing was stored"):
        run(
            "publish",
            "--review",
            REF,
            "--on",
            TODAY.isoformat(),
            "--location",
            "https://example.org",
            as_user="coordinator",
        )
